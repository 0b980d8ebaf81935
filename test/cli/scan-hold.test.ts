import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { captureCli, expectOneLineError } from '../support/cli.js';

/**
 * `scan --hold-memory / --temp-dir` and an interrupted scan, on a SYNTHETIC log whose one
 * transaction deletes every row and commits at the end (so the committed filter must hold all of
 * them, and beyond 1 MB spill them to the temporary folder).
 */
const AU = '72057594043367424';
const layout = {
  ...buildLayout('Contact', [
    { name: 'ContactId', type: 'int' },
    { name: 'Name', type: 'nvarchar', maxLength: 100 },
    { name: 'Email', type: 'varchar', maxLength: 100 },
  ]),
  allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }],
};
const DDL = 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL);\n';

let dir: string;
let ldf: string;
let ddl: string;
const cli = captureCli();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-hold-'));
  ldf = join(dir, 'one-txn_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, DDL);
  const images = Array.from({ length: 100 }, (_, i) => encodeRow(layout, { ContactId: i, Name: `名前${i}`, Email: `u${i}@example.com` }));
  writeSyntheticLdf(ldf, { targetBytes: 12 * 1024 * 1024, row: (_t, r) => images[r % 100]!, rowsPerTxn: () => 1e12, concurrency: 1, rollbackShare: 0, finishAtEnd: true }, { allocUnitId: AU, vlfSize: 1024 * 1024 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (...extra: string[]) => cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, ...extra);

describe('scan --hold-memory / --temp-dir (SYNTHETIC one-transaction delete)', () => {
  it('gives the same rows with 1 MB of memory (spilled to --temp-dir) as with the default, and leaves the folder empty', async () => {
    const spill = mkdtempSync(join(dir, 'spill-'));
    const a = await scan('--quiet');
    const b = await scan('--quiet', '--hold-memory', '1', '--temp-dir', spill);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const n = a.stdout.split('\n').length - 1;
    expect(n).toBeGreaterThan(40_000);
    expect(b.stdout).toBe(a.stdout);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('refuses a bad --hold-memory or --temp-dir in one line, before reading anything', async () => {
    expect(expectOneLineError(await scan('--hold-memory', '0'), 'INPUT_BAD_OPTION')).toContain('--hold-memory must be a whole number of MiB (1024 × 1024 bytes) from 1 to 65536');
    expect(expectOneLineError(await scan('--hold-memory', '1e3'), 'INPUT_BAD_OPTION')).toContain("not '1e3'");
    expect(expectOneLineError(await scan('--temp-dir', join(dir, 'missing')), 'INPUT_BAD_OPTION')).toContain('no such folder');
    expect(expectOneLineError(await scan('--temp-dir', ldf), 'INPUT_BAD_OPTION')).toContain('not a folder');
  });

  it('stops on SIGINT while rows are spilled: the rows so far, INTERRUPTED, exit 130, report incomplete, no temporary file left', async () => {
    const spill = mkdtempSync(join(dir, 'spill-'));
    const report = join(dir, 'interrupted.json');
    const listenersBefore = process.listenerCount('SIGINT');
    // Our own listener only (process.emit would also reach the test runner's).
    const poll = setInterval(() => {
      if (readdirSync(spill).length === 0) return;
      clearInterval(poll);
      const mine = process.listeners('SIGINT').at(-1) as (s: NodeJS.Signals) => void;
      mine('SIGINT');
    }, 2);
    const r = await scan('--quiet', '--hold-memory', '1', '--temp-dir', spill, '--report', report);
    clearInterval(poll);
    expect(r.code).toBe(130);
    // said even with --quiet
    expect(r.stderr).toBe('rowback scan: INTERRUPTED by SIGINT: the log was not read to its end; the 0 row(s) written are only part of the result\n');
    expect(r.stdout).toBe(''); // the one transaction never reached its commit
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; interrupted?: string; rows: number };
    expect(rep).toMatchObject({ complete: false, interrupted: 'SIGINT', rows: 0 });
    expect(readdirSync(spill)).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore); // the scan's listener is gone with it
  });
});
