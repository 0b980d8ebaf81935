/**
 * A table name without a schema is dbo's (as SQL Server resolves it for a dbo user): TSQLV4.bak
 * holds dbo.Orders (1 row) and Sales.Orders (830 rows), and `dump --table Orders` printed the one
 * row of dbo.Orders without a word; `diff --table Orders` compared dbo.Orders and found nothing
 * missing — a DBA after Sales.Orders read "nothing deleted" (newcomer). Now dump, diff and scan say, on
 * stderr, that tables of that name exist in other schemas and how to read one (scan --table too). A table named in
 * another schema, or with no namesake elsewhere, gets no such note.
 * REAL: TSQLV4-compressed/TSQLV4.bak (a compressed backup).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { otherSchemaNamesakes, otherSchemasNote, sameNameElsewhereNote } from '../../src/reconstruct/metadata/names.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-other-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOTE = 'dbo.Orders is the table read (a name without a schema is dbo\'s); Sales.Orders has the same name in another schema: give the schema (--table Sales.Orders) to read it';

describeCorpus('--table without a schema while another schema has a table of that name', () => {
  const T = corpusPath('TSQLV4-compressed/TSQLV4.bak');

  it('dump --table Orders: dbo.Orders, and a note naming Sales.Orders; --table Sales.Orders: no note', async () => {
    const r = await cli('dump', '--bak', T, '--table', 'Orders', '--out', join(dir, 'o.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rowback dump: dbo.Orders: 1 row(s)');
    expect(r.stderr).toContain(`rowback dump: note: ${NOTE}\n`);
    const s = await cli('dump', '--bak', T, '--table', 'sales.orders', '--out', join(dir, 's.ndjson'));
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain('rowback dump: Sales.Orders: 830 row(s)');
    expect(s.stderr).not.toContain('the same name in another schema');
    const e = await cli('dump', '--bak', T, '--table', 'HR.Employees', '--out', join(dir, 'e.ndjson'));
    expect(e.stderr).not.toContain('the same name in another schema');
  }, 60_000);

  it('diff --table Orders: the note with the comparison', async () => {
    // a copy as the later state (the same file on both sides is refused: diff-same-backup.test.ts)
    const copy = join(dir, 'TSQLV4-copy.bak');
    copyFileSync(T, copy);
    const r = await cli('diff', '--bak', T, '--after-bak', copy, '--table', 'Orders', '--out', join(dir, 'd.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('dbo.Orders: earlier 1 row(s), later 1 row(s)');
    expect(r.stderr).toContain(`rowback diff: note (earlier state, ${T}): ${NOTE}\n`);
  }, 60_000);

  it('scan --table Orders: the same note', async () => {
    const r = await cli('scan', '--bak', T, '--table', 'Orders', '--out', join(dir, 'scan.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback scan: note: ${NOTE}\n`);
  }, 60_000);

  it('no note naming a namesake the same command reads too (dump, scan, point-in-time dump)', async () => {
    // `--table HR.Employees,dbo.Employees` read both and was told "give the schema (--table
    // HR.Employees) to read it": a note contradicting the rows it printed
    const d = await cli('dump', '--bak', T, '--table', 'HR.Employees,dbo.Employees', '--out', join(dir, 'both.ndjson'));
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain('rowback dump: HR.Employees: 9 row(s)');
    expect(d.stderr).toContain('rowback dump: dbo.Employees: 5 row(s)');
    expect(d.stderr).not.toContain('the same name in another schema');
    const s = await cli('scan', '--bak', T, '--table', 'dbo.Employees', '--table', 'hr.employees', '--out', join(dir, 'both-scan.ndjson'));
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).not.toContain('the same name in another schema');
    // the backup's own log replayed to its last LSN (inspect: last LSN 00000027:00000ea8:0001)
    const p = await cli('dump', '--bak', T, '--stop-before-lsn', '00000027:00000ea8:0001', '--table', 'Sales.Orders,HR.Employees,dbo.Employees', '--out', join(dir, 'both-pit.ndjson'));
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('HR.Employees just before LSN');
    expect(p.stderr).not.toContain('the same name in another schema');
    // the replay of dbo.Employees without HR.Employees still names it, once, whichever tables come with it
    const q = await cli('dump', '--bak', T, '--stop-before-lsn', '00000027:00000ea8:0001', '--table', 'Sales.Orders,Employees', '--out', join(dir, 'one-pit.ndjson'));
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr.split('\n').filter((l) => l.includes('the same name in another schema'))).toEqual([
      "rowback dump: note: dbo.Employees is the table read (a name without a schema is dbo's); HR.Employees has the same name in another schema: give the schema (--table HR.Employees) to read it",
    ]);
    // one of them alone still gets it
    const o = await cli('dump', '--bak', T, '--table', 'Employees', '--out', join(dir, 'one.ndjson'));
    expect(o.stderr).toContain('HR.Employees has the same name in another schema');
  }, 90_000);

  it('the note only for a table read in dbo with a namesake elsewhere, in any case', () => {
    expect(otherSchemasNote(['dbo.T', 'a.t', 'b.T'], 'dbo.T', ['A.T'])).toContain('b.T has the same name in another schema: give the schema (--table b.T) to read it');
    expect(otherSchemasNote(['dbo.T', 'a.t', 'b.T'], 'dbo.T', ['a.t', 'b.t'])).toBeUndefined();
    // the point-in-time replay carries each table's namesakes as data (ReplayResult.sameNameElsewhere);
    // the dump words them knowing which tables it reads
    expect(otherSchemaNamesakes(['dbo.T', 'a.t', 'b.T', 'dbo.U', 'a.t'], 'dbo.T')).toEqual(['a.t', 'b.T']);
    expect(otherSchemaNamesakes(['dbo.T', 'a.t'], 'a.t')).toEqual([]);
    expect(sameNameElsewhereNote('dbo.T', ['a.t', 'b.T'], ['dbo.T', 'A.T', 'b.t'])).toBeUndefined();
    expect(sameNameElsewhereNote('dbo.T', ['a.t', 'b.T'], ['dbo.T', 'a.t'])).toBe("dbo.T is the table read (a name without a schema is dbo's); b.T has the same name in another schema: give the schema (--table b.T) to read it");
    expect(sameNameElsewhereNote('dbo.T', [])).toBeUndefined();
    expect(otherSchemasNote(['dbo.Orders', 'Sales.ORDERS', 'HR.Employees'], 'dbo.Orders')).toContain('Sales.ORDERS has the same name');
    expect(otherSchemasNote(['dbo.Orders', 'Sales.Orders'], 'Sales.Orders')).toBeUndefined();
    expect(otherSchemasNote(['dbo.Orders', 'HR.Employees'], 'dbo.Orders')).toBeUndefined();
    expect(otherSchemasNote(['dbo.T', 'a.t', 'b.T'], 'dbo.T')).toContain('a.t, b.T have the same name in another schema: give the schema (--table a.t) to read one of them');
  });
});
