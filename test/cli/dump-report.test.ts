import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `dump --report FILE`: a dump's INCOMPLETE was only on stderr and in the exit code (newcomer: no
 * --report as scan has). REAL files: pubs-2012 pubs.bak (15 tables, 403 rows), AngularJs_CRUD
 * Database1.mdf and a copy of it with data page 1:289 zeroed (dbo.tblDept's), made at test time;
 * appveyor-lab RestoreTimeClean (a full backup and three log backups) for a point-in-time dump.
 */
const cli = captureCli();
describeCorpus('dump --report', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'rowback-dump-report-'));
  it('a whole backup: complete, rows per table, the rows the summary counts', async () => {
    const d = dir();
    const r = await cli('dump', '--bak', corpusPath('pubs-2012', 'pubs.bak'), '--all', '--out', join(d, 'rows.ndjson'), '--report', join(d, 'r.json'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(d, 'r.json'), 'utf8'));
    expect(j).toMatchObject({ tables: 'all', rows: 403, complete: true, incomplete: [], skipped: [], rowsWithWarnings: 0 });
    expect(Object.keys(j.rowsPerTable)).toHaveLength(15);
    expect(j.rowsPerTable['dbo.authors']).toBe(26);
    expect(readFileSync(join(d, 'rows.ndjson'), 'utf8').trim().split('\n')).toHaveLength(403);
  });

  it('a zeroed data page: complete false with the skipped page; a refused dump replaces the report with the error', async () => {
    const d = dir();
    const mdf = join(d, 'zeroed.mdf');
    writeFileSync(mdf, Buffer.from(readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'))).fill(0, 289 * 8192, 290 * 8192));
    const report = join(d, 'r.json');
    const r = await cli('dump', '--mdf', mdf, '--table', 'tblDept', '--report', report, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rowback dump: INCOMPLETE: dbo.tblDept: page 1:289');
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j).toMatchObject({ tables: ['dbo.tblDept'], rows: 0, rowsPerTable: { 'dbo.tblDept': 0 }, complete: false });
    expect(j.skipped.map((s: { code: string }) => s.code)).toEqual(expect.arrayContaining(['FORMAT_BAD_PAGE']));
    // `incomplete`: the INCOMPLETE line stderr says, without its prefix, as scan's and log's
    // (docs/scripting.md); the report had `complete: false` and no sentence a script could show
    const said = r.stderr.split('\n').filter((l) => l.startsWith('rowback dump: INCOMPLETE: ')).map((l) => l.slice('rowback dump: INCOMPLETE: '.length));
    expect(said).toHaveLength(1);
    expect(j.incomplete).toEqual(said);
    expectOneLineError(await cli('dump', '--mdf', mdf, '--table', 'dbo.Nope', '--report', report), 'INPUT_UNKNOWN_TABLE');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, failed: { code: 'INPUT_UNKNOWN_TABLE' } });
    // a report path in a missing folder: one line, nothing read
    expectOneLineError(await cli('dump', '--mdf', mdf, '--all', '--report', join(d, 'no', 'r.json')), 'INPUT_OUTPUT_UNWRITABLE');
  });

  it('a point-in-time dump: the stop as typed, as used (rounded as STOPAT rounds it) and the first record not applied', async () => {
    const d = dir();
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const trns = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'].map(rtc);
    // .999 is no datetime tick: RESTORE … STOPAT reads it as 13:05:01.000 (the report kept only the text typed)
    const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', ...trns, '--table', 'steps', '--stop-at', '2017-06-01 13:05:00.999', '--out', join(d, 'rows.ndjson'), '--report', join(d, 'r.json'));
    expect(r.code, r.stderr).toBe(0);
    const stopped = r.stderr.match(/stopped at LSN (\S+), the stop point reached/)?.[1];
    expect(stopped).toMatch(/^[0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}$/);
    expect(r.stderr).toContain('at 2017-06-01T13:05:01.000 (SQL Server local time)');
    const j = JSON.parse(readFileSync(join(d, 'r.json'), 'utf8'));
    expect(j.pointInTime).toEqual({ stopAt: '2017-06-01 13:05:00.999', stopAtUsed: '2017-06-01T13:05:01.000', stoppedAtLsn: stopped });
    expect(j).toMatchObject({ complete: true, incomplete: [] });
    // by LSN: the LSN typed and the record the replay stopped at (the same one here)
    const l = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', ...trns, '--table', 'steps', '--stop-before-lsn', stopped!, '--out', join(d, 'rows2.ndjson'), '--report', join(d, 'r2.json'), '--quiet');
    expect(l.code, l.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(d, 'r2.json'), 'utf8')).pointInTime).toEqual({ stopBeforeLsn: stopped, stoppedAtLsn: stopped });
    expect(readFileSync(join(d, 'rows2.ndjson'), 'utf8')).toBe(readFileSync(join(d, 'rows.ndjson'), 'utf8'));
  });

  it('tableNames: each name as typed and the table it found, for a script that looks rowsPerTable up by the name it typed (pages and point in time)', async () => {
    const d = dir();
    const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    const r = await cli('dump', '--mdf', a('Database1.mdf'), '--table', 'TBLDEPT', '--table', 'dbo.employee', '--out', join(d, 'rows.ndjson'), '--report', join(d, 'r.json'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(d, 'r.json'), 'utf8'));
    expect(j.tables).toEqual(['dbo.TBLDEPT', 'dbo.employee']);
    // keyed by the name exactly as typed (`TBLDEPT`, not `dbo.TBLDEPT`: a script looking up what it typed found nothing), as diff's tableAsTyped
    expect(j.tableNames).toEqual({ TBLDEPT: 'dbo.tblDept', 'dbo.employee': 'dbo.Employee' });
    expect(Object.keys(j.rowsPerTable)).toEqual(['dbo.tblDept', 'dbo.Employee']);
    // the point-in-time dump likewise (TSQLV4.bak through its own log)
    const p = await cli('dump', '--bak', corpusPath('TSQLV4-compressed', 'TSQLV4.bak'), '--stop-before-lsn', '00000027:00000ea8:0001', '--table', 'hr.employees', '--out', join(d, 'pit.ndjson'), '--report', join(d, 'p.json'), '--quiet');
    expect(p.code, p.stderr).toBe(0);
    const q = JSON.parse(readFileSync(join(d, 'p.json'), 'utf8'));
    expect([q.tables, q.tableNames, q.rowsPerTable]).toEqual([['hr.employees'], { 'hr.employees': 'HR.Employees' }, { 'HR.Employees': 9 }]);
    // brackets and quotes as typed, one table named three ways: each way a key
    const b = await cli('dump', '--bak', corpusPath('TSQLV4-compressed', 'TSQLV4.bak'), '--stop-before-lsn', '00000027:00000ea8:0001', '--table', '[hr].[employees],"HR"."Employees"', '--table', 'hr.EMPLOYEES', '--out', join(d, 'pit2.ndjson'), '--report', join(d, 'p2.json'), '--quiet');
    expect(b.code, b.stderr).toBe(0);
    const bq = JSON.parse(readFileSync(join(d, 'p2.json'), 'utf8'));
    expect([bq.tableNames, bq.rowsPerTable]).toEqual([{ '[hr].[employees]': 'HR.Employees', '"HR"."Employees"': 'HR.Employees', 'hr.EMPLOYEES': 'HR.Employees' }, { 'HR.Employees': 9 }]);
    // every table: no names typed
    const all = await cli('dump', '--mdf', a('Database1.mdf'), '--all', '--out', join(d, 'all.ndjson'), '--report', join(d, 'all.json'), '--quiet');
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(d, 'all.json'), 'utf8')).tableNames).toBeUndefined();
  });
});
