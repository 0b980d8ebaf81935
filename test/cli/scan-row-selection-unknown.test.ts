/**
 * `scan --login / --sid / --db-user` on rows that lack the field compared: an offline row has no
 * login, a transaction whose begin is not in the log read has no SID, a SID no principal of the
 * data file has has no database user. Such rows were left out as rows "of other transactions,
 * people or LSNs than --login sa selects", exit 0 and "complete": true: a responder read that sa
 * deleted nothing, when the scan could not tell whose the 16 deletes were. Now they are counted
 * apart, said INCOMPLETE (exit 3 with --strict, "complete": false, rowsNotSelectedUnknown).
 *
 * Also: a table --alloc-unit mapped whose rows the selection left out was said to have had "no row
 * of the log on that unit" (a mistyped id), when its 13 rows were read.
 *
 * REAL: AngularJs_CRUD's Database1.mdf + Database1_log.ldf (16 deleted rows, one Windows SID that
 * names no database user; 13 of dbo.tblDept on unit 72057594043629568, 3 of dbo.Employee).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const mdf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

describeCorpus('scan: a selection by who on rows whose who is not known', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-scan-selection-unknown-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--login on offline rows (no login): INCOMPLETE, not "of other people"; --strict exits 3; the report is not complete', async () => {
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--login', 'sa', '--strict', '--report', report);
    expect(r.stdout).toBe('');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).not.toContain('all of other transactions, people or LSNs');
    expect(r.stderr).toContain('why no rows: the 16 row(s) recovered have no login known to compare with --login sa');
    expect(r.stderr).toMatch(/rowback scan: INCOMPLETE: 16 row\(s\) recovered are not printed because their login is not known .*they may be rows --login sa asks for/);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect([rep.rowsNotSelected, rep.rowsNotSelectedUnknown, rep.complete]).toEqual([16, 16, false]);
  });

  it('--login on offline rows names the way on: the --sid their transactions were begun by (it said --transaction or LSNs only)', async () => {
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--login', 'sa');
    expect(r.stderr).toContain('select by --sid S-1-5-21-2024632063-1894476543-2625054688-1000 (the SID that began their transactions, which they carry), --transaction or --from-lsn/--to-lsn');
    const bySid = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--sid', 'S-1-5-21-2024632063-1894476543-2625054688-1000', '--quiet');
    expect(bySid.stdout.trim().split('\n')).toHaveLength(16);
  });

  it('--db-user on rows whose SID no user of the data file has: INCOMPLETE, said even with --quiet', async () => {
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--db-user', 'dbo', '--quiet');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('rowback scan: INCOMPLETE: 16 row(s) recovered are not printed because their database user is not known');
  });

  it('a known field that rules rows out still does (--sid of another SID: no INCOMPLETE)', async () => {
    const r = await cli('scan', '--mdf', mdf(), '--ldf', ldf(), '--sid', '0x01', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('INCOMPLETE');
  });

  it('--alloc-unit: a mapped table whose rows the selection left out is not said to have had no row on its unit', async () => {
    const ddl = join(dir, 'dept.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id int NOT NULL, DeptName varchar(50) NULL, DeptDesc varchar(50) NULL);\n');
    const r = await cli('scan', '--ldf', ldf(), '--ddl', ddl, '--alloc-unit', '72057594043629568', '--op', 'delete', '--transaction', '0:437');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('why no rows: the 13 row(s) recovered are all of other transactions');
    expect(r.stderr).not.toContain('no row of the log was on that unit');
  });
});
