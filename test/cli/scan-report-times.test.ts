import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isoLogTimesIn, REPORT_TIMES } from '../../src/cli/commands/scan.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `scan --report` writes every time in one form, `YYYY-MM-DDTHH:MM:SS.fff` (the SQL Server's local
 * time, no zone), and says so in its `times` field. It wrote the window (`filter.from`) in that form
 * and the log's first/last Begin Time (`counts`) and the "why no rows" sentence in fn_dblog's
 * `yyyy/MM/dd HH:mm:ss:fff` beside it. Real corpus files.
 */
const cli = captureCli();
const FN_DBLOG_FORM = /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}:\d{3}/;

describeCorpus('scan --report: one time form', () => {
  it('rows found: filter and counts alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-report-times-'));
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), '--from', '2018-08-26', '--out', join(dir, 'rows.ndjson'), '--report', report, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(report, 'utf8');
    const j = JSON.parse(text);
    expect(j.times).toBe(REPORT_TIMES);
    expect(j.filter.from).toBe('2018-08-26T00:00:00.000');
    expect(j.counts.firstBeginTime).toBe('2018-08-26T21:19:07.573');
    expect(j.counts.lastBeginTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(text).not.toMatch(FN_DBLOG_FORM);
  });

  it('no rows: the reason sentence in the same form, on stderr as in the report (stderr kept fn_dblog\'s)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-report-times-'));
    const report = join(dir, 'r.json');
    const N = (f: string) => corpusPath('SessionShoppingCart', 'App_Data', f);
    const r = await cli('scan', '--mdf', N('NORTHWND.MDF'), '--ldf', N('NORTHWND_log.ldf'), '--out', join(dir, 'rows.ndjson'), '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("why no rows: the log's transactions began from 2010-05-03T18:40:18.287 to 2010-05-03T22:38:02.780");
    expect(r.stderr).not.toMatch(FN_DBLOG_FORM);
    const text = readFileSync(report, 'utf8');
    expect(JSON.parse(text).noRowsReason).toMatch(/^the log's transactions began from 2010-05-03T18:40:18\.287 to 2010-05-03T22:38:02\.780; /);
    expect(text).not.toMatch(FN_DBLOG_FORM);
  });

  it('isoLogTimesIn rewrites only the exact fn_dblog shape', () => {
    expect(isoLogTimesIn('from 2010/05/03 18:40:18:287 to 2010/05/03 22:38:02:780.')).toBe('from 2010-05-03T18:40:18.287 to 2010-05-03T22:38:02.780.');
    expect(isoLogTimesIn('2010/05/03 18:40:18 and 12/05/2010 and 2010-05-03T18:40:18.287')).toBe('2010/05/03 18:40:18 and 12/05/2010 and 2010-05-03T18:40:18.287');
  });

  it('isoLogTimesIn leaves data as it is: values the user gave, T-SQL in a code span, quoted values (SYNTHETIC sentences)', () => {
    expect(isoLogTimesIn('--from 2010/05/03 18:40:18:287 is after 2010/05/03 18:40:18:300', ['2010/05/03 18:40:18:287'])).toBe('--from 2010/05/03 18:40:18:287 is after 2010-05-03T18:40:18.300');
    expect(isoLogTimesIn("run `SELECT … WHERE [Begin Time] >= '2010/05/03 18:40:18:287'` (began 2010/05/03 18:40:18:287)")).toBe("run `SELECT … WHERE [Begin Time] >= '2010/05/03 18:40:18:287'` (began 2010-05-03T18:40:18.287)");
    expect(isoLogTimesIn("the value '2010/05/03 18:40:18:287' of the server's column, committed at 2010/05/03 18:40:18:287")).toBe("the value '2010/05/03 18:40:18:287' of the server's column, committed at 2010-05-03T18:40:18.287");
  });

  it("isoLogTimesIn leaves a T-SQL N'…' literal and one whose quote is doubled inside as they are (SYNTHETIC sentences)", () => {
    // dump's advice names the file in `DISK = N'…'`: its N made the quote no quoted span, and a file
    // (or a value) holding fn_dblog's form was given rewritten, another file's name to paste
    expect(isoLogTimesIn("RESTORE DATABASE NEW_NAME FROM DISK = N'/b/2010/05/03 18:40:18:287/crm.bak' WITH FILE = 1, began 2010/05/03 18:40:18:287"))
      .toBe("RESTORE DATABASE NEW_NAME FROM DISK = N'/b/2010/05/03 18:40:18:287/crm.bak' WITH FILE = 1, began 2010-05-03T18:40:18.287");
    expect(isoLogTimesIn("the value 'O''Brien 2010/05/03 18:40:18:287' of the column")).toBe("the value 'O''Brien 2010/05/03 18:40:18:287' of the column");
    // a word ending in N before a quote is no literal: the possessive reads as before
    expect(isoLogTimesIn("the MAIN's log began 2010/05/03 18:40:18:287, its 'x' kept")).toBe("the MAIN's log began 2010-05-03T18:40:18.287, its 'x' kept");
  });
});
