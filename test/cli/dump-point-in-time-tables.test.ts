import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `dump … --stop-before-lsn/--stop-at --table A --table B`: several tables at one point in time,
 * each replayed on its own (in one read of the chain: dump-point-in-time-one-pass.test.ts), as `dump --bak --table A --table B`
 * takes several tables. A point-in-time dump refused every second --table ("replays one table"), so
 * a delete that took customers and their contacts needed a run per table. Real bytes: TSQLV4.bak
 * (compressed) replayed through its own log to its end, no --trn (the table RESTORE … WITH RECOVERY
 * of it gives): HR.Employees and Sales.Customers, 9 and 91 rows, the values its pages hold.
 */
describeCorpus('point-in-time dump of several tables (TSQLV4.bak through its own log)', () => {
  const cli = captureCli();
  const BAK = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  const END = '00000027:00000ea8:0001'; // the backup's last LSN (the refusal of any other point without --trn names it)
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-pit-tables-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = (o: { table: string; values: unknown }) => `${o.table} ${JSON.stringify(o.values)}`;

  it('gives each table as its pages hold it, table by table in the order given, a name given twice once; a summary per table, the chain said once per table', async () => {
    // (--out: the in-process runner's stdout never calls a write's callback)
    const file = join(dir, 'two.ndjson');
    const r = await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'Sales.Customers', '--table', 'HR.Employees', '--table', 'sales.customers', '--out', file);
    expect(r.code).toBe(0);
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { table: string; values: Record<string, unknown>; origin: string });
    expect(rows.map((x) => x.table)).toEqual([...Array(91).fill('Sales.Customers'), ...Array(9).fill('HR.Employees')]);
    expect(rows.every((x) => x.origin === 'backup')).toBe(true);
    const pagesFile = join(dir, 'pages.ndjson');
    expect((await cli('dump', '--bak', BAK, '--table', 'Sales.Customers', '--table', 'HR.Employees', '--quiet', '--out', pagesFile)).code).toBe(0);
    expect(rows.map(key).sort()).toEqual(readFileSync(pagesFile, 'utf8').trim().split('\n').map((l) => key(JSON.parse(l))).sort());
    expect(r.stderr).toContain('rowback dump: Sales.Customers just before LSN 39000000375200001 (00000027:00000ea8:0001): 91 row(s)\n');
    expect(r.stderr).toContain('rowback dump: HR.Employees just before LSN 39000000375200001 (00000027:00000ea8:0001): 9 row(s)\n');
    expect(r.stderr.match(/^rowback dump: chain: /gm)).toHaveLength(2);
    // --report: every table with its rows, the stop once
    const report = join(dir, 'r.json');
    expect((await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'HR.Employees', '--table', 'Sales.Customers', '--quiet', '--report', report, '--out', join(dir, 'rep.ndjson'))).code).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.rows).toBe(100);
    expect([rep.tables, rep.rowsPerTable, rep.complete]).toEqual([['HR.Employees', 'Sales.Customers'], { 'HR.Employees': 9, 'Sales.Customers': 91 }, true]);
  });

  it('a table the replay refuses writes nothing, whichever it is: one line naming it, the --out file not made', async () => {
    const out = join(dir, 'none.ndjson');
    const r = await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'HR.Employees', '--table', 'dbo.Nope', '--out', out);
    expect(expectOneLineError(r, 'INPUT_UNKNOWN_TABLE')).toContain('dbo.Nope');
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('csv of several tables and --all are refused, saying what works', async () => {
    const csv = await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'HR.Employees', '--table', 'Sales.Customers', '--format', 'csv');
    expect(expectOneLineError(csv, 'INPUT_BAD_OPTION')).toContain('--format csv prints one table');
    const all = await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--all');
    expect(expectOneLineError(all, 'INPUT_BAD_OPTION')).toContain('give --table schema.name (repeatable), not --all');
    // one table in csv as before
    const file = join(dir, 'one.csv');
    const one = await cli('dump', '--bak', BAK, '--stop-before-lsn', END, '--table', 'HR.Employees', '--format', 'csv', '--quiet', '--out', file);
    expect(one.code).toBe(0);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(10);
  });
});
