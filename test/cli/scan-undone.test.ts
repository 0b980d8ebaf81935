import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';
import { writeSyntheticLdf, type SyntheticTxn } from '../support/synthetic-log.js';
import { captureCli } from '../support/cli.js';

/**
 * Rows a committed transaction took back itself are not printed as deleted (recover/committed.ts,
 * pairing), end to end through `rowback scan` on a SYNTHETIC .ldf: every tenth transaction first
 * inserts a row and later deletes that same row (what a savepoint rollback of an insert, or an
 * application inserting and removing a row, logs), beside deletes of other rows. The expected rows
 * are worked out from what the writer put in, per transaction: its deletes less its inserts.
 *
 * No corpus log holds a rolled-back statement inside a committed transaction, so SQL Server's own
 * compensation records are not proven here on real bytes; the pairing does not depend on how they
 * are marked (committed.ts pairKey).
 */
const AU = '72057594043367424';
const layout = {
  ...buildLayout('Contact', [
    { name: 'ContactId', type: 'int' },
    { name: 'Email', type: 'varchar', maxLength: 100 },
  ]),
  allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }],
};
const DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Email varchar(100) NULL);\n';

let dir: string;
let ldf: string;
let ddl: string;
const txns: SyntheticTxn[] = [];
const cli = captureCli();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-undone-'));
  ldf = join(dir, 'undone_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, DDL);
  // row r of transaction t; the writer's insert is row 1000, made here the same row as the txn's delete 0
  const image = (t: number, r: number) => encodeRow(layout, { ContactId: t * 100 + (r === 1000 ? 0 : r), Email: `c${t}.${r === 1000 ? 0 : r}@example.com` });
  writeSyntheticLdf(ldf, { targetBytes: 2 * 1024 * 1024, row: image, rollbackShare: 0.1, finishAtEnd: true }, { allocUnitId: AU, vlfSize: 1024 * 1024, onTxn: (t) => txns.push(t) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: deletes their own transaction took back (SYNTHETIC .ldf)', () => {
  it('prints each committed transaction\'s deletes less the rows it inserted, and says how many it left out', async () => {
    const expected: string[] = [];
    let undone = 0;
    for (const t of txns) {
      if (t.outcome !== 'commit') continue;
      const back = new Set(t.inserts.map((b) => Buffer.from(b).toString('hex')));
      for (const d of t.deletes) {
        const hex = Buffer.from(d).toString('hex');
        if (back.delete(hex)) undone++;
        else expected.push(hex.toUpperCase());
      }
    }
    expect(undone).toBeGreaterThan(50);
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { raw: string; transactionId: string });
    expect(rows.map((x) => x.raw).sort()).toEqual(expected.sort());
    expect(r.stderr).toContain(`rowback scan: note: ${undone} delete(s) not printed: their own transaction took them back`);
    expect(r.stderr).not.toContain('UNCHECKED');
  });

  it('--op insert: the inserts those transactions deleted again are not printed either', async () => {
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, '--op', 'insert');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/why no rows: .* taken back by their own transaction \(a rolled-back statement or savepoint, or the same row deleted again\)/);
  });

  it('--op delete --op insert prints both, as both happened', async () => {
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, '--op', 'delete', '--op', 'insert', '--quiet');
    const ops = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { operation: string }).operation);
    const committed = txns.filter((t) => t.outcome === 'commit');
    expect(ops.filter((o) => o === 'insert')).toHaveLength(committed.reduce((n, t) => n + t.inserts.length, 0));
    expect(ops.filter((o) => o === 'delete')).toHaveLength(committed.reduce((n, t) => n + t.deletes.length, 0));
  });
});

describe('scan: a TRUNCATE TABLE in the log (SYNTHETIC .ldf)', () => {
  it('names the transaction and the dump command that gives its rows back from a backup', async () => {
    const file = join(dir, 'truncate_log.ldf');
    const named: SyntheticTxn[] = [];
    writeSyntheticLdf(file, { targetBytes: 1024 * 1024, row: (t, r) => encodeRow(layout, { ContactId: t * 100 + r, Email: 'x' }), rollbackShare: 0, finishAtEnd: true, transactionName: (t) => (t === 5 ? 'TRUNCATE TABLE' : 'DELETE') }, { allocUnitId: AU, vlfSize: 512 * 1024, onTxn: (t) => named.push(t) });
    const r = await cli('scan', '--ldf', file, '--ddl', ddl, '--alloc-unit', AU);
    expect(r.code).toBe(0);
    const t5 = named.find((t) => t.transactionId === '0000:00001005')!;
    expect(t5.outcome).toBe('commit');
    expect(r.stderr).toMatch(/rowback scan: note: a TRUNCATE TABLE transaction 0000:00001005 committed \(began \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}, SPID 55, SID 0x[0-9A-F]+\): it removes rows without logging them one by one, so no log scan gives them back; a backup taken before it has them: rowback dump --bak FULL\.bak --trn LOG\.trn … --table SCHEMA\.TABLE --stop-before-lsn [0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4} \(docs\/restore\.md\)/);
    // … even with --quiet (that line, and the count of rows carrying warnings — here those of
    // transactions that also inserted rows —: the rows printed are not all the transactions removed)
    const q = await cli('scan', '--ldf', file, '--ddl', ddl, '--alloc-unit', AU, '--quiet');
    expect(q.code).toBe(0);
    expect(q.stdout).toBe(r.stdout);
    expect(q.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^rowback scan: note: a TRUNCATE TABLE transaction 0000:00001005 committed /), expect.stringMatching(/^rowback scan: \d+ of the \d+ row\(s\) carry warnings /)]);
  });
});

describe('scan: a transaction that deleted rows and inserted others into the same table (SYNTHETIC .ldf)', () => {
  it('its deleted rows say so (an UPDATE of the clustered key logs a delete and an insert); rows of other transactions do not', async () => {
    const file = join(dir, 'moved_log.ldf');
    const written: SyntheticTxn[] = [];
    // the writer's insert (row 1000) is a row of its own here: nothing pairs
    writeSyntheticLdf(file, { targetBytes: 1024 * 1024, row: (t, r) => encodeRow(layout, { ContactId: t * 10000 + r, Email: `m${t}.${r}` }), rollbackShare: 0, finishAtEnd: true }, { allocUnitId: AU, vlfSize: 512 * 1024, onTxn: (t) => written.push(t) });
    const r = await cli('scan', '--ldf', file, '--ddl', ddl, '--alloc-unit', AU, '--quiet');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { transactionId: string; warnings: string[] });
    const withInsert = new Set(written.filter((t) => t.inserts.length > 0).map((t) => t.transactionId));
    expect(withInsert.size).toBeGreaterThan(5);
    for (const x of rows) {
      const told = x.warnings.filter((w) => w.startsWith('its transaction also inserted'));
      if (withInsert.has(x.transactionId)) {
        expect(told).toEqual(['its transaction also inserted 1 row(s) of this table: those that put back a deleted row are left out of this scan; the others may be this row under a new key (an UPDATE of the clustered key, or a MERGE, logs a delete and an insert): compare with the database before re-inserting it']);
      } else expect(told).toEqual([]);
    }
  });
});

