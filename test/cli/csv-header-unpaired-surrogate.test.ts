import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { describeCorpus } from '../support/corpus.js';
import { catalogRows, EMPLOYEE_COLS, type CatalogCol } from '../support/employee-catalog.js';

/**
 * scan --format csv with one column per value: a column whose NAME holds an unpaired UTF-16
 * surrogate (sysname is nvarchar; a name cut between the halves of a pair) had its header cell
 * written U+FFFD, a column the table does not have, and nothing said so (values and rowback's own
 * cells were already named in the warnings cell). Now every row's warnings cell names the header,
 * the rows count as carrying warnings, --strict exits 3. The records are REAL (AngularJs_CRUD's
 * Database1_log.ldf, transaction 0000:00000437 deleting one dbo.Employee row); SYNTHETIC here: the
 * catalog's Emp_City column renamed `Emp_C` + U+D83D.
 */
const cli = captureCli();
let dir: string;

describeCorpus('CSV header cell of a column name UTF-8 cannot carry', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-header-surrogate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan: every row warns of the header; counted; --strict exits 3; NDJSON keeps the name', async () => {
    const records = (await angularJsExportRecords(cli)).filter((r) => r['Transaction ID'] === '0000:00000437');
    const cols = EMPLOYEE_COLS.map((c): CatalogCol => (c[0] === 'Emp_City' ? ['Emp_C\ud83d', c[1], c[2], c[3], c[4]] : c));
    const f = join(dir, 'header.json');
    writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: catalogRows({ cols }), records }));
    const r = await cli('scan', '--export', f, '--op', 'delete', '--table', 'dbo.Employee', '--format', 'csv', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    const [header, ...rows] = parse(r.stdout.replace(/[\ud800-\udfff]/g, '\ufffd')) as string[][];
    expect(header).toContain('Emp_C\ufffd');
    expect(rows).toHaveLength(1);
    const warnings = rows[0]![header!.indexOf('warnings')]!;
    expect(warnings).toContain("the header of value column 3 ([Emp_C\\u{d83d}]): the column's name holds an unpaired UTF-16 surrogate (U+D83D at offset 5), which this UTF-8 CSV cannot carry");
    expect(r.stderr).toContain('rowback scan: 1 of the 1 row(s) carry warnings');
    const nd = await cli('scan', '--export', f, '--op', 'delete', '--table', 'dbo.Employee', '--quiet', '--strict');
    expect(nd.code, nd.stderr).toBe(0);
    expect(Object.keys((JSON.parse(nd.stdout.trim()) as { values: Record<string, unknown> }).values)).toContain('Emp_C\ud83d');
  });
});
