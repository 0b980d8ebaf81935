import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayoutFitCheck, type RecoverEvent } from '../../src/recover/recover-rows.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// SYNTHETIC events: only the fields the check reads are meaningful.
function row(table: string, lsn: string, warnings: string[] = []): RecoverEvent {
  return { kind: 'row', row: { table, lsn, warnings } as unknown as RecoveredRow };
}
function fail(table: string, lsn: string, code = 'DECODE_TRUNCATED', column?: string): RecoverEvent {
  return { kind: 'skipped', item: { code, reason: 'x', location: { table, lsn, ...(column ? { column } : {}) } } };
}
const DRIFT = 'record holds 3 columns but the layout knows 4: the layout may be older than the row (schema drift)';
const FEWER = 'column Age is not in this record (stored column count 3; row predates the column): NULL';
const TOO_LONG = "column Name holds 16 characters, more than its declared varchar(5) allows: the layout is not the one this row was written with (an ALTER COLUMN since, or another table's layout); re-inserting it as it is would fail";

function runCheck(events: RecoverEvent[], n = 4, acceptDrift = false): RecoverEvent[] {
  const c = new LayoutFitCheck(n, acceptDrift);
  const out: RecoverEvent[] = [];
  for (const e of events) out.push(...c.push(e, '72057594043629568'));
  out.push(...c.end());
  return out;
}
const lsns = (evs: RecoverEvent[]) => evs.map((e) => (e.kind === 'row' ? e.row.lsn : `${e.item.code}@${e.item.location.lsn ?? ''}`));

describe('LayoutFitCheck', () => {
  it('a table whose rows fit is printed whole, in the original order across tables', () => {
    const evs = [row('a', '1'), row('b', '2'), row('a', '3', ['2 byte(s) after the record\'s end (offset 30) ignored']), fail('a', '4'), row('b', '5'), row('a', '6'), row('a', '7')];
    expect(lsns(runCheck(evs))).toEqual(['1', '2', '3', 'DECODE_TRUNCATED@4', '5', '6', '7']);
  });

  it('more than half failing or drifting stops the table: its rows are dropped, failures kept, one RECOVER_LAYOUT_MISMATCH', () => {
    const evs = [row('a', '1', [DRIFT]), fail('a', '2'), row('b', '3'), row('a', '4', [FEWER]), row('a', '5'), row('a', '6'), row('a', '7')];
    const out = runCheck(evs);
    expect(lsns(out)).toEqual(['DECODE_TRUNCATED@2', '3', 'RECOVER_LAYOUT_MISMATCH@']);
    const item = out.at(-1)!;
    expect(item.kind === 'skipped' && item.item.reason).toMatch(/rows of a \(allocation unit 72057594043629568\): 3 of its first 4 row\(s\).*its 5 decoded row\(s\) are not printed/);
  });

  it('the refusal offers --accept-layout-drift only when every drifting row merely predates columns; else it says the flag would print wrong values', () => {
    const advice = (evs: RecoverEvent[]) => {
      const item = runCheck(evs).at(-1)!;
      return item.kind === 'skipped' ? item.item.reason : '';
    };
    const fewer = advice([row('a', '1', [FEWER]), row('a', '2', [FEWER]), row('a', '3', [FEWER]), row('a', '4')]);
    expect(fewer).toMatch(/if the layout is right and the table only gained columns after these rows were written, rerun with --accept-layout-drift$/);
    const more = advice([row('a', '1', [FEWER]), row('a', '2', [DRIFT]), row('a', '3', [FEWER]), row('a', '4')]);
    expect(more).toMatch(/; 1 of them hold more columns than the layout, .* which columns added after the rows do not explain: --accept-layout-drift would print their values read through this wrong layout$/);
    expect(more).not.toContain('rerun with --accept-layout-drift');
  });

  it('one column failing to decode in two of the judged rows stops the table though most rows decode (a wrong type for it: the others print wrong values there)', () => {
    const evs = [row('a', '1'), fail('a', '2', 'DECODE_BAD_VALUE', 'DeptName'), row('a', '3'), row('b', '4'), fail('a', '5', 'DECODE_BAD_VALUE', 'DeptName'), row('a', '6'), row('a', '7'), row('a', '8')];
    const out = runCheck(evs, 6);
    expect(lsns(out)).toEqual(['DECODE_BAD_VALUE@2', '4', 'DECODE_BAD_VALUE@5', 'RECOVER_LAYOUT_MISMATCH@']);
    const item = out.at(-1)!;
    expect(item.kind === 'skipped' && item.item.reason).toMatch(/column DeptName failed to decode in 2 of its first 4 row\(s\)/);
    // failures in different columns (damage falls at random places) are judged by the share as before
    const spread = [row('a', '1'), fail('a', '2', 'DECODE_BAD_VALUE', 'X'), row('a', '3'), fail('a', '4', 'DECODE_BAD_VALUE', 'Y'), row('a', '5'), row('a', '6')];
    expect(lsns(runCheck(spread, 6))).toEqual(['1', 'DECODE_BAD_VALUE@2', '3', 'DECODE_BAD_VALUE@4', '5', '6']);
  });

  it('values larger than their declared type count against the layout like drift; acceptDrift prints them', () => {
    expect(lsns(runCheck([row('a', '1', [TOO_LONG]), row('a', '2', [TOO_LONG]), row('a', '3')]))).toEqual(['RECOVER_LAYOUT_MISMATCH@']);
    expect(lsns(runCheck([row('a', '1', [TOO_LONG]), row('a', '2', [TOO_LONG]), row('a', '3')], 4, true))).toEqual(['1', '2', '3']);
  });

  it('exactly half is not more than half', () => {
    expect(lsns(runCheck([row('a', '1', [DRIFT]), row('a', '2'), fail('a', '3'), row('a', '4')]))).toEqual(['1', '2', 'DECODE_TRUNCATED@3', '4']);
  });

  it('a table with fewer rows than the sample is judged at the end on what it has', () => {
    expect(lsns(runCheck([row('a', '1', [FEWER]), row('a', '2', [FEWER])]))).toEqual(['RECOVER_LAYOUT_MISMATCH@']);
  });

  it('acceptDrift: drift warnings no longer count, failures still do', () => {
    expect(lsns(runCheck([row('a', '1', [FEWER]), row('a', '2', [DRIFT])], 4, true))).toEqual(['1', '2']);
    expect(lsns(runCheck([fail('a', '1'), fail('a', '2'), row('a', '3')], 4, true))).toEqual(['DECODE_TRUNCATED@1', 'DECODE_TRUNCATED@2', 'RECOVER_LAYOUT_MISMATCH@']);
  });

  it('items without a table and update-rebuild items pass and are not judged', () => {
    const evs: RecoverEvent[] = [
      { kind: 'skipped', item: { code: 'RECOVER_UNKNOWN_TABLE', reason: 'x', location: { lsn: '0' } } },
      fail('a', '1', 'RECOVER_UPDATE_NO_BASE'),
      fail('a', '2', 'DECODE_NO_COLUMNS'),
      row('a', '3'),
    ];
    expect(lsns(runCheck(evs))).toEqual(['RECOVER_UNKNOWN_TABLE@0', 'RECOVER_UPDATE_NO_BASE@1', 'DECODE_NO_COLUMNS@2', '3']);
  });

  it('memory stays bounded: a long run behind an undecided table releases it', () => {
    const c = new LayoutFitCheck(20);
    let released = 0;
    for (const _ of c.push(row('small', '0'), null)) released++;
    for (let i = 1; i <= 3000; i++) for (const _ of c.push(row('big', String(i)), null)) released++;
    expect(released).toBeGreaterThan(1900);
  });
});

const run = captureCli();

describeCorpus('a wrong --alloc-unit is refused on real rows (AngularJs_CRUD)', () => {
  const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  const dir = mkdtempSync(join(tmpdir(), 'rowback-fit-'));
  const ddl = join(dir, 'employee.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Employee (Emp_Id int IDENTITY PRIMARY KEY, Emp_Name varchar(50), Emp_City varchar(50), Emp_Age int);\n');
  // Allocation units from the data file (scan --mdf prints them): dbo.Employee's and dbo.tblDept's.
  const EMPLOYEE_AU = '72057594043432960';
  const TBLDEPT_AU = '72057594043629568';

  it('Employee\'s layout on tblDept\'s allocation unit: no row printed, RECOVER_LAYOUT_MISMATCH', async () => {
    const r = await run('scan', '--ldf', LDF, '--ddl', ddl, '--alloc-unit', TBLDEPT_AU);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo\.Employee \(allocation unit 72057594043629568\)/);
  });

  it('tblDept with DeptName declared nvarchar (it is varchar): stopped, not 8 rows of CJK garbage such as "千" for "CS" (newcomer trial)', async () => {
    const wrong = join(dir, 'dept-nvarchar.sql');
    writeFileSync(wrong, 'CREATE TABLE dbo.tblDept (Id int IDENTITY PRIMARY KEY, DeptName nvarchar(50), DeptDesc varchar(50));\n');
    const r = await run('scan', '--ldf', LDF, '--ddl', wrong, '--alloc-unit', TBLDEPT_AU);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo\.tblDept .*column DeptName failed to decode in \d+ of its first/);
    const right = join(dir, 'dept.sql');
    writeFileSync(right, 'CREATE TABLE dbo.tblDept (Id int IDENTITY PRIMARY KEY, DeptName varchar(50), DeptDesc varchar(50));\n');
    const ok = await run('scan', '--ldf', LDF, '--ddl', right, '--alloc-unit', TBLDEPT_AU, '--quiet');
    expect(ok.stdout.trim().split('\n')).toHaveLength(13);
  });

  it('tblDept with DeptName declared varchar(1) (real values such as "CS" are longer): stopped; with --accept-layout-drift printed, each row saying so', async () => {
    const narrow = join(dir, 'dept-narrow.sql');
    writeFileSync(narrow, 'CREATE TABLE dbo.tblDept (Id int IDENTITY PRIMARY KEY, DeptName varchar(1), DeptDesc varchar(50));\n');
    const r = await run('scan', '--ldf', LDF, '--ddl', narrow, '--alloc-unit', TBLDEPT_AU);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo\.tblDept .*13 of its first 13 row\(s\) failed to decode, do not have the layout's column count, hold a value larger than its column's declared type or a fixed part longer than the layout's fixed columns/);
    const accepted = await run('scan', '--ldf', LDF, '--ddl', narrow, '--alloc-unit', TBLDEPT_AU, '--accept-layout-drift', '--quiet');
    const rows = accepted.stdout.trim().split('\n').map((l) => JSON.parse(l) as { values: { DeptName: string }; warnings: string[] });
    expect(rows).toHaveLength(13);
    for (const x of rows) {
      expect(x.values.DeptName.length).toBeGreaterThan(1);
      expect(x.warnings).toContainEqual(expect.stringMatching(new RegExp(`^column DeptName holds ${x.values.DeptName.length} characters, more than its declared varchar\\(1\\) allows`)));
    }
  });

  // A newcomer's DDL declaring tblDept's varchar columns NVARCHAR: odd lengths fail to decode, even
  // ones read as CJK text. The refusal advised "rerun with --accept-layout-drift", which refused again
  // (the failures are not drift): it now says no such flag changes them.
  it('tblDept with its varchar columns declared NVARCHAR: stopped, and not advised --accept-layout-drift (decode failures are no drift)', async () => {
    const wide = join(dir, 'dept-nvarchar.sql');
    writeFileSync(wide, 'CREATE TABLE dbo.tblDept (Id INT IDENTITY PRIMARY KEY, DeptName NVARCHAR(50), DeptDesc NVARCHAR(100));\n');
    const r = await run('scan', '--ldf', LDF, '--ddl', wide, '--alloc-unit', TBLDEPT_AU);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo\.tblDept .*; \d+ of them failed to decode, which no --accept-layout-drift changes: the layout's types or lengths are not the stored ones/);
    expect(r.stderr).not.toContain('rerun with --accept-layout-drift');
  });

  it('tblDept with its INT key declared SMALLINT (2 bytes of every row\'s fixed part owned by no column): stopped, not 13 rows read through the wrong fixed layout', async () => {
    const small = join(dir, 'dept-smallint.sql');
    writeFileSync(small, 'CREATE TABLE dbo.tblDept (Id smallint IDENTITY PRIMARY KEY, DeptName varchar(50), DeptDesc varchar(50));\n');
    const r = await run('scan', '--ldf', LDF, '--ddl', small, '--alloc-unit', TBLDEPT_AU);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/RECOVER_LAYOUT_MISMATCH: the table layout does not fit the rows of dbo\.tblDept .*13 of its first 13 row\(s\).*13 of them hold more columns than the layout, .*--accept-layout-drift would print their values read through this wrong layout/);
    // Each row itself says why (printed with --accept-layout-drift).
    const accepted = await run('scan', '--ldf', LDF, '--ddl', small, '--alloc-unit', TBLDEPT_AU, '--accept-layout-drift', '--quiet');
    const rows = accepted.stdout.trim().split('\n').map((l) => JSON.parse(l) as { warnings: string[] });
    expect(rows).toHaveLength(13);
    for (const x of rows) expect(x.warnings).toContainEqual(expect.stringMatching(/^the record's fixed part ends at offset 8, 2 byte\(s\) after the layout's last fixed-length column \(ends at 6\)/));
  });

  it('the right allocation unit prints the rows', async () => {
    const r = await run('scan', '--ldf', LDF, '--ddl', ddl, '--alloc-unit', EMPLOYEE_AU, '--quiet');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { table: string; allocUnitId: string });
    expect(rows.length).toBeGreaterThan(0);
    for (const x of rows) expect(x.allocUnitId).toBe(EMPLOYEE_AU);
  });
});
