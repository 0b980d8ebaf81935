/**
 * A window (`--from/--to`) and a transaction whose LOP_BEGIN_XACT is not in the log read (it began
 * before the .trn or .ldf given, or in log that could not be read): its Begin Time is not known, so
 * whether it began in the window cannot be told. Before, its rows were left out and "why no rows"
 * said they "began outside the window", with a span that excluded them: a mass delete begun before
 * the log given and committed in the window was lost with a false reason (newcomer, session 25).
 * Now they are left out and said as INCOMPLETE (even with --quiet; exit 3 under --strict; the
 * report's "complete": false), with their commit times, unless they committed before the window's
 * start (then they began before it: outside, as before), or the window has no start and they
 * committed by its end (then they began by it: printed).
 *
 * The records are REAL: AngularJs_CRUD's Database1_log.ldf as `rowback log` prints them; this test
 * drops one record (the LOP_BEGIN_XACT of transaction 0000:00000437, which deleted one dbo.Employee
 * row, begun and committed 2018/08/28 18:37:18:200) — that change, the export file around the
 * records and its catalog are SYNTHETIC (written in a temp dir).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { describeCorpus } from '../support/corpus.js';
import { employee } from '../support/employee-catalog.js';

const cli = captureCli();
const TXN = '0000:00000437';
let dir: string;
let exp: string;

describeCorpus('scan --from/--to: a transaction whose begin is not in the log read', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-begin-unread-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const exportFile = async () => {
    if (exp) return exp;
    const all = await angularJsExportRecords(cli);
    const records = all.filter((r) => !(r['Transaction ID'] === TXN && r.Operation === 'LOP_BEGIN_XACT'));
    expect(all.length - records.length).toBe(1);
    exp = join(dir, 'no-begin.json');
    writeFileSync(exp, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: employee(), records }));
    return exp;
  };

  it('committed inside the window: not printed, and said as INCOMPLETE with its commit time, not as "began outside the window"', async () => {
    const f = await exportFile();
    const report = join(dir, 'report.json');
    const r = await cli('scan', '--export', f, '--op', 'delete', '--from', '2018-08-28', '--to', '2018-08-28T23:59:59', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("rowback scan: INCOMPLETE: 1 committed delete(s) of 1 transaction(s) whose LOP_BEGIN_XACT is not in the log read (they began before it, or in log that could not be read; it committed at 2018-08-28T18:37:18.200, the SQL Server's local time) are not printed");
    expect(r.stderr).toContain('scan without --from/--to to see them');
    const why = r.stderr.split('\n').find((l) => l.startsWith('rowback scan: why no rows:'));
    expect(why).toBeDefined();
    expect(why).toContain('1 in transactions whose LOP_BEGIN_XACT is not in the log read');
    expect(why).not.toMatch(/\d+ in transactions that began outside the window \(it began/);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; incomplete: string[]; counts: { beginUnreadRowOps?: number } };
    expect(rep.complete).toBe(false);
    // stderr's INCOMPLETE lines are the report's sentences, times in one form (it said the commit time
    // as fn_dblog prints it, 2018/08/28 18:37:18:200, and the report 2018-08-28T18:37:18.200)
    expect(r.stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE: '))).toEqual(rep.incomplete.map((c) => `rowback scan: INCOMPLETE: ${c}`));
    expect(rep.counts.beginUnreadRowOps).toBe(1);
    const quiet = await cli('scan', '--export', f, '--op', 'delete', '--from', '2018-08-28', '--to', '2018-08-28T23:59:59', '--quiet', '--strict');
    expect(quiet.code).toBe(3);
    expect(quiet.stderr).toContain('rowback scan: INCOMPLETE: 1 committed delete(s) of 1 transaction(s) whose LOP_BEGIN_XACT is not in the log read');
  });

  it('without a window its row is printed with no beginTime, and nothing is said of it', async () => {
    const f = await exportFile();
    const r = await cli('scan', '--export', f, '--op', 'delete', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { transactionId: string; beginTime: string | null });
    expect(rows).toHaveLength(3);
    expect(rows.find((x) => x.transactionId === TXN)?.beginTime).toBeNull();
    expect(r.stderr).not.toContain('LOP_BEGIN_XACT is not in the log read');
  });

  it('--to alone: it committed by the end, so it began by it: printed (no beginTime), nothing INCOMPLETE', async () => {
    const f = await exportFile();
    const r = await cli('scan', '--export', f, '--op', 'delete', '--to', '2018-08-28T23:59:59', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { transactionId: string; beginTime: string | null });
    expect(rows.map((x) => [x.transactionId, x.beginTime])).toEqual([[TXN, null]]);
    expect(r.stderr).not.toContain('INCOMPLETE');
  });

  it('committed before the window\'s start: it began before it too, so it is outside the window, and nothing is INCOMPLETE', async () => {
    const f = await exportFile();
    const r = await cli('scan', '--export', f, '--op', 'delete', '--from', '2018-08-29', '--to', '2018-08-29T23:59:59', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toContain('INCOMPLETE');
  });
  it('"why no rows" does not put it in the Begin Time span of the transactions outside the window: it is said apart, by its commit', async () => {
    // before, the 11 outside were said to have "began from 2018/08/28 21:46:24:027 to …": this one
    // committed (so began) at 18:37:18.200, before that span
    const f = await exportFile();
    const report = join(dir, 'report-outside.json');
    const r = await cli('scan', '--export', f, '--op', 'delete', '--from', '2018-08-30', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const why = r.stderr.split('\n').find((l) => l.startsWith('rowback scan: why no rows:'));
    expect(why).toContain("11 in transactions that began outside the window (1 of them in transactions whose LOP_BEGIN_XACT is not in the log read, which committed by 2018-08-28T18:37:18.200, before the window's start, so began before it; the others began from 2018-08-28T21:46:24.027 to 2018-08-29T17:21:04.553, the SQL Server's local time, as --from/--to are)");
    expect(r.stderr).not.toContain('INCOMPLETE');
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { counts: Record<string, unknown> };
    expect(rep.counts).toMatchObject({ outsideWindowRowOps: 11, outsideWindowBeginUnreadRowOps: 1, outsideWindowBeginUnreadLastCommit: '2018-08-28T18:37:18.200', outsideWindowFirstBegin: '2018-08-28T21:46:24.027' });
  });

  it('the report gives the commit times of those left out in the form of its other times', async () => {
    const f = await exportFile();
    const report = join(dir, 'report-iso.json');
    const r = await cli('scan', '--export', f, '--op', 'delete', '--from', '2018-08-28', '--to', '2018-08-28T23:59:59', '--quiet', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { counts: Record<string, unknown> };
    expect(rep.counts).toMatchObject({ beginUnreadFirstCommit: '2018-08-28T18:37:18.200', beginUnreadLastCommit: '2018-08-28T18:37:18.200' });
  });
});
