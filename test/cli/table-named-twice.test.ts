/**
 * `--table` on every command takes a comma-separated list (README: "commas inside brackets or quotes
 * do not split a list"), and a table named twice, in any spelling, is one table. Before: `dump`, `log`
 * and `restore run` took `tblDept,Employee` as one table name (INPUT_UNKNOWN_TABLE "dbo.tblDept,Employee");
 * `scan --format csv --table T --table [dbo].[T]` printed one JSON `values` cell instead of T's
 * columns (two tables, it thought), `dump --format csv` of it was refused as several tables, and a
 * point-in-time dump refused `--table steps --table dbo.steps` as "not 2". (REAL corpus files.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// the built CLI (dist/: npx tsc -p tsconfig.build.json), as a script runs it
const bin = join(import.meta.dirname, '..', '..', 'bin', 'rowback.js');
const cli = async (...argv: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const app = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const firstLine = (s: string) => s.split('\n')[0];

describeCorpus('--table: lists split on every command, a table named twice is one table', () => {
  it('scan --format csv with one table named in two spellings prints its value columns', async () => {
    const r = await cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--quiet', '--format', 'csv', '--table', 'tblDept', '--table', '[dbo].[tblDept]');
    expect(r.code, r.stderr).toBe(0);
    expect(firstLine(r.stdout)).toBe('table,lsn,operation,transactionId,beginTime,endTime,login,sid,sidText,dbUser,spid,transactionName,allocUnitId,pageId,slotId,Id,DeptName,DeptDesc,warnings,raw');
    expect(r.stdout.trim().split('\n')).toHaveLength(14);
  });

  it('dump --format csv takes one table named twice (letter case too); two tables are still refused', async () => {
    const r = await cli('dump', '--mdf', app('Database1.mdf'), '--quiet', '--format', 'csv', '--table', 'tblDept,dbo.tbldept');
    expect(r.code, r.stderr).toBe(0);
    expect(firstLine(r.stdout)).toBe('Id,DeptName,DeptDesc,page,slot,warnings');
    const two = await cli('dump', '--mdf', app('Database1.mdf'), '--quiet', '--format', 'csv', '--table', 'tblDept,Employee');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('INPUT_BAD_OPTION: --format csv prints one table');
  });

  it('dump and log split a comma-separated list, as scan does', async () => {
    const dump = await cli('dump', '--mdf', app('Database1.mdf'), '--quiet', '--table', 'tblDept,Employee');
    expect(dump.code, dump.stderr).toBe(0);
    expect(new Set(dump.stdout.trim().split('\n').map((l) => JSON.parse(l).table))).toEqual(new Set(['dbo.tblDept', 'dbo.Employee']));
    const log = await cli('log', app('Database1_log.ldf'), '--mdf', app('Database1.mdf'), '--quiet', '--format', 'ndjson', '--operation', 'DELETE_ROWS', '--table', 'tblDept,[dbo].[Employee]');
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout.trim().split('\n')).toHaveLength(16);
  });

  it('a point-in-time dump takes its one table named twice', async () => {
    const r = await cli('dump', '--bak', stopAt('StopAt.bak'), '--trn', stopAt('StopAt_1.trn'), '--stop-at', '2020-05-12T13:29:00', '--quiet', '--table', 'steps', '--table', 'dbo.steps');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(0);
  });
});
