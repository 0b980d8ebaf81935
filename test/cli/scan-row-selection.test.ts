/**
 * `scan --transaction / --sid / --login / --db-user / --from-lsn / --to-lsn`: an incident responder
 * who has found the culprit's transaction, login or LSN range prints only its rows. Before, `scan`
 * had no such option (only `log` filtered by LSN and transaction; the staging API by who), so the
 * rows of other transactions in the window were printed with them, to be re-inserted unless
 * picked out by hand.
 *
 * REAL: AngularJs_CRUD's Database1.mdf + Database1_log.ldf (16 deleted rows, 16 transactions, one
 * Windows SID S-1-5-21-2024632063-1894476543-2625054688-1000 that names no database user).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const files = () => ['--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf')];
const rowsOf = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { transactionId: string; lsn: string; values: Record<string, unknown> });
const SID_TEXT = 'S-1-5-21-2024632063-1894476543-2625054688-1000';

describeCorpus('scan: rows selected by transaction, who and LSN', () => {
  let dir: string;
  let all: ReturnType<typeof rowsOf> | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-scan-selection-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** Every row the scan prints without a selection (the spies that capture it are set per test). */
  const everyRow = async () => {
    if (all) return all;
    const r = await cli('scan', ...files(), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    all = rowsOf(r.stdout);
    expect(all).toHaveLength(16);
    return all;
  };

  it('--transaction prints those transactions\' rows alone (any spelling of the id), and says the others', async () => {
    const all = await everyRow();
    const r = await cli('scan', ...files(), '--transaction', '0:44C,0x0000:0000044d');
    expect(r.code, r.stderr).toBe(0);
    const got = rowsOf(r.stdout);
    expect(got.map((x) => x.transactionId)).toEqual(['0000:0000044c', '0000:0000044d']);
    // the same rows, values and all, as the scan without the selection prints for them
    expect(got).toEqual(all.filter((x) => ['0000:0000044c', '0000:0000044d'].includes(x.transactionId)));
    expect(r.stderr).toContain('rowback scan: note: 14 other row(s) recovered are not printed: --transaction 0000:0000044c,0000:0000044d does not select them');
  });

  it('--from-lsn/--to-lsn take every LSN form log takes and bound the rows\' own LSNs, inclusive', async () => {
    const lsns = (await everyRow()).map((x) => x.lsn).sort();
    const [lo, hi] = [lsns[3]!, lsns[9]!];
    // the upper bound in DBCC PAGE's decimal form
    const [v, b, s] = hi.split(':').map((p) => parseInt(p, 16));
    const r = await cli('scan', ...files(), '--from-lsn', lo, '--to-lsn', `(${v}:${b}:${s})`, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(rowsOf(r.stdout).map((x) => x.lsn).sort()).toEqual(lsns.slice(3, 10));
  });

  it('--sid in either form selects the rows of that SID; another SID selects none, and "why no rows" says the selection left them out', async () => {
    expect(rowsOf((await cli('scan', ...files(), '--sid', SID_TEXT.toLowerCase(), '--quiet')).stdout)).toHaveLength(16);
    expect(rowsOf((await cli('scan', ...files(), '--sid', '010500000000000515000000ff6ead78ff6aeb70e027779ce8030000', '--quiet')).stdout)).toHaveLength(16);
    const r = await cli('scan', ...files(), '--sid', '0x01');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('rowback scan: why no rows: the 16 row(s) recovered are all of other transactions, people or LSNs than --sid 0x01 selects; scan without it to see them');
  });

  it('offline rows have no login and this SID names no database user: --login and --db-user select none, said', async () => {
    for (const [flag, v] of [['--login', 'sa'], ['--db-user', 'dbo']] as const) {
      const r = await cli('scan', ...files(), flag, v);
      expect([flag, r.stdout]).toEqual([flag, '']);
      // not "of other people": whose they are is not known (test/cli/scan-row-selection-unknown.test.ts)
      expect(r.stderr).toContain(`why no rows: the 16 row(s) recovered have no ${flag === '--login' ? 'login' : 'database user'} known to compare with ${flag} ${v}`);
    }
  });

  it('a transaction selected inside a window it began outside of: "why no rows" names the row operations outside the window, not only "scan without --transaction"', async () => {
    // 0000:000004b5 deleted tblDept Id 11 on 2018-08-30 (a responder copies its id from rowback log);
    // the window still set to the 29th has 7 other rows. Before, the answer was "scan without it to
    // see them", the outside-window note held back because "why no rows" was said.
    const r = await cli('scan', ...files(), '--transaction', '0000:000004b5', '--from', '2018-08-29', '--to', '2018-08-29', '--report', join(dir, 'outside.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const why = r.stderr.split('\n').find((l) => l.startsWith('rowback scan: why no rows:'))!;
    expect(why).toContain('the 7 row(s) recovered in the window are all of other transactions, people or LSNs than --transaction 0000:000004b5 selects');
    // each side of the window said: the transaction asked for (the 30th) is among the 5 after its end
    expect(why).toContain("9 more delete(s) on table data rows are in transactions that began outside the window (4 began before the window's start, from 2018-08-28T18:37:18.200 to 2018-08-28T21:56:07.133; 5 after its end, from 2018-08-30T16:53:47.560 to 2018-08-30T18:08:42.293; the SQL Server's local time");
    expect(why).toContain('the rows --transaction 0000:000004b5 asks for may be among them: widen the window (or drop --from/--to) to see them');
    const report = JSON.parse(readFileSync(join(dir, 'outside.json'), 'utf8')) as { noRowsReason: string };
    expect(report.noRowsReason).toContain("9 more delete(s) on table data rows are in transactions that began outside the window (4 began before the window's start, from 2018-08-28T18:37:18.200 to 2018-08-28T21:56:07.133; 5 after its end, from 2018-08-30T16:53:47.560 to 2018-08-30T18:08:42.293;");
    // and widened, the window holds its row
    const wide = await cli('scan', ...files(), '--transaction', '0000:000004b5', '--from', '2018-08-29', '--to', '2018-08-30', '--quiet');
    expect(rowsOf(wide.stdout).map((x) => x.values)).toEqual([{ Id: 11, DeptName: 'CS3', DeptDesc: 'Computer Science1245' }]);
  });

  it('--report gives the selection and the rows it left out', async () => {
    const report = join(dir, 'r.json');
    const r = await cli('scan', ...files(), '--transaction', '0000:00000437', '--quiet', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.rows).toBe(1);
    expect(rep.rowsNotSelected).toBe(15);
    // the note stderr says without --quiet is in notes, as scan's other notes are
    expect(rep.notes).toContain('15 other row(s) recovered are not printed: --transaction 0000:00000437 does not select them');
    expect(rep.filter.selection).toEqual({ transactions: ['0000:00000437'] });
    expect(rep.complete).toBe(true);
  });

  it('refuses what it cannot select by, in one line naming the flag', async () => {
    expect(expectOneLineError(await cli('scan', ...files(), '--transaction', '437'), 'INPUT_BAD_OPTION')).toContain("--transaction '437' is not a Transaction ID");
    expect(expectOneLineError(await cli('scan', ...files(), '--sid', 'bob'), 'INPUT_BAD_OPTION')).toContain("--sid 'bob' is not a SID");
    expect(expectOneLineError(await cli('scan', ...files(), '--from-lsn', '00000023:000000f5:0005', '--to-lsn', '00000023:0000008f:0002'), 'INPUT_BAD_WINDOW')).toContain('--from-lsn 00000023:000000f5:0005 is after --to-lsn');
    expect(expectOneLineError(await cli('scan', ...files(), '--to-lsn', 'x'), 'INPUT_BAD_LSN')).toContain('--to-lsn');
    expect(expectOneLineError(await cli('scan', ...files(), '--transaction', '0000:00000437', '--decode-threads', '2'), 'INPUT_BAD_OPTION')).toContain('leave --decode-threads out');
  });
});
