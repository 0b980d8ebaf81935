/**
 * `scan --login` / `--db-user` match in any letter case (bcc3368: SQL Server's default collation
 * is case-insensitive). Under a case-sensitive collation 'Olga' and 'olga' are two principals, and
 * the rows of both were printed as the one asked for, with no word. The fold stays (the default
 * collation is the common case); a row selected only in another letter case is now said, even
 * with --quiet, naming the name it holds.
 * REAL records (AngularJs_CRUD's log, transaction 0000:00000437, one dbo.Employee delete);
 * SYNTHETIC: the login its LOP_BEGIN_XACT carries (an export's Login column).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { describeCorpus } from '../support/corpus.js';
import { catalogRows } from '../support/employee-catalog.js';

const cli = captureCli();
let dir: string;
describeCorpus('scan --login in another letter case', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-login-case-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a row selected only in another letter case is said; one matched as typed is not', async () => {
    const records = (await angularJsExportRecords(cli)).filter((r) => r['Transaction ID'] === '0000:00000437');
    records.find((r) => r.Operation === 'LOP_BEGIN_XACT')!.Login = 'CORP\\Olga';
    const f = join(dir, 'login.json');
    writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: catalogRows(), records }));
    const r = await cli('scan', '--export', f, '--op', 'delete', '--login', 'corp\\olga', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout.trim()) as { login: string }).login).toBe('CORP\\Olga');
    expect(r.stderr).toContain("rowback scan: note: 1 row(s) printed were selected by --login corp\\olga in another letter case: login 'CORP\\Olga'; under a case-sensitive collation that is another principal");
    const exact = await cli('scan', '--export', f, '--op', 'delete', '--login', 'CORP\\Olga', '--quiet');
    expect(exact.code, exact.stderr).toBe(0);
    expect(exact.stdout.trim()).not.toBe('');
    expect(exact.stderr).not.toContain('another letter case');
  });
});
