import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { describeCorpus } from '../support/corpus.js';
import { catalogRows } from '../support/employee-catalog.js';

/**
 * scan --format csv: a row whose value holds an unpaired UTF-16 surrogate has its cell written
 * U+FFFD (UTF-8 has no form for the unit) and the warnings cell says so (3dd84bc); it is a row
 * carrying a warning like any other: counted on stderr (even with --quiet), exit 3 with --strict,
 * the report's rowsWithWarnings. Before, the summary said nothing and --strict exited 0 for it.
 * The records are REAL (AngularJs_CRUD's Database1_log.ldf, transaction 0000:00000437, which
 * deleted one dbo.Employee row); SYNTHETIC here: that delete's row image, rewritten with Emp_Name
 * and Emp_City as nvarchar (N'\ud83d' + N'a', N'x'), and the catalog that types them so.
 */
const cli = captureCli();
let dir: string;
let exp: string;

describeCorpus('scan --format csv: a value its UTF-8 cell cannot carry makes the row a warned row', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-scan-surrogate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const exportFile = async () => {
    if (exp) return exp;
    const records = (await angularJsExportRecords(cli)).filter((r) => r['Transaction ID'] === '0000:00000437');
    const del = records.find((r) => r.Operation === 'LOP_DELETE_ROWS')!;
    // FixedVar: Emp_Id 68, Emp_Age 12, 4 columns, 2 variable ones ending at 25 and 27
    del['RowLog Contents 0'] = '0x30000C00440000000C000000040040020019001B003DD861007800';
    const cat = catalogRows({ cols: [['Emp_Id', 'int', 4, 4, false], ['Emp_Name', 'nvarchar', -1, -1, true], ['Emp_City', 'nvarchar', -1, -2, true], ['Emp_Age', 'int', 4, 8, true]] });
    exp = join(dir, 'surrogate.json');
    writeFileSync(exp, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: cat, records }));
    return exp;
  };

  it('CSV: the warnings cell names it, the summary counts the row, --strict exits 3; NDJSON keeps the value and warns of nothing', async () => {
    const f = await exportFile();
    const r = await cli('scan', '--export', f, '--op', 'delete', '--table', 'dbo.Employee', '--format', 'csv', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    const recs = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(recs).toHaveLength(1);
    expect(recs[0]!.Emp_Name).toBe('\ufffda');
    expect(recs[0]!.warnings).toContain('column Emp_Name: its value holds an unpaired UTF-16 surrogate (U+D83D at offset 0)');
    expect(r.stderr).toContain('rowback scan: 1 of the 1 row(s) carry warnings (each in its "warnings" column)');
    const nd = await cli('scan', '--export', f, '--op', 'delete', '--table', 'dbo.Employee', '--quiet', '--strict');
    expect(nd.code, nd.stderr).toBe(0);
    expect((JSON.parse(nd.stdout.trim()) as { values: { Emp_Name: string } }).values.Emp_Name).toBe('\ud83da');
    expect(nd.stderr).not.toContain('carry warnings');
  });

  it("rowback's own cells too: a transaction name holding an unpaired surrogate is warned of in CSV, counted, exit 3 with --strict", async () => {
    // SYNTHETIC: transaction 0000:00000437's name (user_transaction) rewritten to end in a lone high surrogate
    const records = (await angularJsExportRecords(cli)).filter((r) => r['Transaction ID'] === '0000:00000437');
    const begin = records.find((r) => r.Operation === 'LOP_BEGIN_XACT')!;
    expect(begin['Transaction Name']).toBe('user_transaction');
    begin['Transaction Name'] = 'user_\ud83d';
    const f = join(dir, 'name-surrogate.json');
    writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: catalogRows(), records }));
    const r = await cli('scan', '--export', f, '--op', 'delete', '--format', 'csv', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    const recs = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(recs).toHaveLength(1);
    expect(recs[0]!.transactionName).toBe('user_\ufffd');
    expect(recs[0]!.warnings).toContain("rowback's column transactionName: its text holds an unpaired UTF-16 surrogate (U+D83D at offset 5)");
    expect(r.stderr).toContain('rowback scan: 1 of the 1 row(s) carry warnings');
    const nd = await cli('scan', '--export', f, '--op', 'delete', '--quiet', '--strict');
    expect(nd.code, nd.stderr).toBe(0);
    expect((JSON.parse(nd.stdout.trim()) as { transactionName: string }).transactionName).toBe('user_\ud83d');
  });
});
