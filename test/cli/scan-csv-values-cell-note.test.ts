/**
 * `scan --format csv` without one --table writes each row's values as one JSON cell ("values"):
 * a newcomer opening it in a spreadsheet saw JSON text where a column per value was expected, and
 * nothing said why. A note now says so and names the --table to give for value columns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const app = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const NOTE = 'rowback scan: note: CSV: each row\'s values are one JSON cell (column "values"), as no single --table was given; for a column per value, scan one table at a time: --table dbo.Employee, --table dbo.tblDept\n';

describeCorpus('scan --format csv without one --table: a note on the values cell', () => {
  it('said for CSV with no --table (given or taken from --out), not with one --table nor for NDJSON', async () => {
    const csv = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toContain(',values,');
    expect(csv.stderr).toContain(NOTE);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-csv-note-'));
    try {
      const byExt = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--out', join(dir, 'rows.csv'));
      expect(byExt.stderr).toContain(NOTE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const one = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--format', 'csv', '--table', 'dbo.tblDept');
    expect(one.stdout.split('\n')[0]).toContain(',Id,DeptName,DeptDesc');
    expect(one.stderr).not.toContain('JSON cell');
    const nd = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'));
    expect(nd.stderr).not.toContain('JSON cell');
    const quiet = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--format', 'csv', '--quiet');
    expect(quiet.stderr).toBe('');
  });
});
