import { describe, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { tokenizeTsql } from '../support/tsql-tokenizer.js';

const run = captureCli();
const LAB = (...p: string[]) => corpusPath('appveyor-lab', ...p);

describeCorpus('rowback restore plan (appveyor-lab, offline)', () => {
  it('--format sql prints only the script; it tokenizes and ends WITH RECOVERY', async () => {
    const r = await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), '--stop-at', '2017-06-01 13:22', '--as', 'RTC_1322', '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^RESTORE LOG \[RTC_1322\] FROM DISK = N'.*RestoreTimeClean2_2\.trn' WITH FILE = 1, NORECOVERY, STOPAT = N'2017-06-01T13:22:00\.000';$/);
    expect(lines[4]).toBe('RESTORE DATABASE [RTC_1322] WITH RECOVERY;');
    expect(() => tokenizeTsql(r.stdout)).not.toThrow();
  });

  it('--format is taken in any case, as on every command (README: --format CSV); a wrong one is one line naming the choices', async () => {
    // `--format SQL` was refused in commander's words ("argument 'SQL' is invalid. Allowed choices are …")
    const r = await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), '--stop-at', '2017-06-01 13:22', '--as', 'RTC_1322', '--format', 'SQL');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(5);
    const bad = expectOneLineError(await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), '--stop-at', '2017-06-01 13:22', '--as', 'X', '--format', 'xml'), 'INPUT_BAD_OPTION');
    expect(bad).toContain("--format 'xml' is not one of: text, json, sql");
  });

  it('--format json carries the chain, moves, reachable range and statements', async () => {
    const r = await run('restore', 'plan', '--backups', LAB('sql2008-backups'), '--database', 'StopAt', '--stop-before-lsn', '19000000019000000', '--as', 'S', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.steps.map((s: { role: string }) => s.role)).toEqual(['full', 'log', 'log']);
    expect(j.target).toEqual({ stopBeforeLsn: '19000000019000000' });
    expect(j.moves.map((m: { to: string }) => m.to.split('\\').pop())).toEqual(['S.mdf', 'S_log.LDF']);
    expect(j.reachable).toEqual([expect.objectContaining({ fromTime: '2020-05-12T13:28:45.000', toTime: '2020-05-12T13:34:44.000' })]);
    expect(j.tsql.at(-2)).toMatch(/STOPBEFOREMARK = N'lsn:19000000019000000';$/);
  });

  it('text format: the chain as comments, then the script', async () => {
    const r = await run('restore', 'plan', '--backups', LAB('sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:30:00', '--as', 'S');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-- restore plan: StopAt as S, stop at 2020-05-12T13:30:00\.000 \(SQL Server local time\)\n--   1\. full +.*StopAt\.bak/);
    // each set's LSN range in both forms: HEADERONLY's decimal and scan's (a --stop-before-lsn is taken from a scan)
    expect(r.stdout).toMatch(/\n--   1\. full +.*StopAt\.bak  LSN \d+ \([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}\)\.\.\d+ \([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}\)  /);
    expect(tokenizeTsql(r.stdout).filter((t) => t.kind === 'word' && t.text === 'RESTORE')).toHaveLength(4);
  });

  it('the broken db1 chain: one line on stderr naming the missing full backup', async () => {
    const r = await run('restore', 'plan', '--backups', LAB('sql2008-backups', 'db1'), '--stop-at', '2017-05-18 04:18:35', '--as', 'x');
    expect(r.code).toBe(2);
    const line = expectOneLineError(r, 'INPUT_RESTORE_NO_FULL');
    expect(line).toMatch(/61CBF400-8AF9-40D2-8EA1-D3C7D0CCD4CE/);
    // and what to do: it named the missing backup, not where its GUID is found nor to give it
    expect(line).toContain("is missing (no full backup among the 3 backup set(s) found): find it (msdb.dbo.backupset.backup_set_uuid, or RESTORE HEADERONLY's BackupSetGUID, names it) and give it with the others; nothing can be restored");
  });

  it('--as with no name or one longer than sysname: one line naming --as (not a column)', async () => {
    for (const as of ['', 'x'.repeat(129)]) {
      const r = await run('restore', 'plan', '--backups', LAB('sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:30:00', '--as', as);
      expect(r.code).toBe(2);
      const line = expectOneLineError(r, 'INPUT_BAD_OPTION');
      // empty: the check every option has (options.ts checkOptionValues); too long: sysname's limit
      expect(line).toMatch(as === '' ? /--as is given an empty value \(''\); it needs one/ : /--as .*1–128 characters/);
      expect(line).not.toMatch(/column/);
    }
  });

  it('without --as: refused; with --replace-original: REPLACE and a warning on stderr', async () => {
    const refused = await run('restore', 'plan', '--backups', LAB('sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:30:00');
    expectOneLineError(refused, 'INPUT_RESTORE_OVER_ORIGINAL');
    const r = await run('restore', 'plan', '--backups', LAB('sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:30:00', '--replace-original', '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback restore plan: WARNING: this script OVERWRITES database StopAt/);
    expect(r.stdout).toMatch(/^-- WARNING: .*\nRESTORE DATABASE \[StopAt\] FROM DISK = N'.*StopAt\.bak' WITH FILE = 1, REPLACE, NORECOVERY;/);
  });
});

describe('rowback restore plan: argument refusals', () => {
  it.each([
    [['restore', 'plan', '--stop-at', '2020-01-01'], 'INPUT_BAD_OPTION'],
    [['restore', 'plan', '--backups', '/nonexistent-rowback', '--stop-at', '2020-01-01', '--stop-before-lsn', '1'], 'INPUT_BAD_OPTION'],
    [['restore', 'plan', '--backups', '/nonexistent-rowback', '--stop-at', '2020-13-01'], 'INPUT_BAD_TIME'],
    [['restore', 'plan', '--backups', '/nonexistent-rowback', '--stop-before-lsn', 'zz'], 'INPUT_BAD_LSN'],
    [['restore', 'plan', '--backups', '/nonexistent-rowback', '--stop-at', '2020-01-01', '--as', 'Side'], 'INPUT_FILE_UNREADABLE'],
    [['restore', 'plan', '--server', 'db1', '--stop-at', '2020-01-01'], 'INPUT_BAD_OPTION'],
  ])('%j → %s', async (argv, code) => {
    expectOneLineError(await run(...argv), code);
  });
});

describeCorpus('rowback restore plan: no stop point, or two', () => {
  // A newcomer's first `restore plan --backups DIR` has no time yet: it was told only "give exactly
  // one of --stop-at TIME or --stop-before-lsn LSN", with no word of the time's form or where the
  // reachable range is said; and both given read the same, as if neither were.
  it('neither: says a stop point is needed, its form and clock, and that an unreachable one names the range; then that range is said', async () => {
    const msg = expectOneLineError(await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), '--as', 'X'), 'INPUT_BAD_OPTION');
    expect(msg).toContain("a stop point is needed: --stop-at TIME (the SQL Server's local time, YYYY-MM-DD HH:MM[:SS[.fff]], as the backups' dates are) or --stop-before-lsn LSN; a point the backups do not reach is refused naming the range they reach");
    // the range is said with it, read from the backups' headers: a DBA's first question (it had to be learnt by giving a wrong time)
    expect(msg).toContain('; RestoreTimeClean: reachable with these backups: 2017-06-01T12:59:13.000 to 2017-06-01T13:29:13.000 (from full backup');
    const several = expectOneLineError(await run('restore', 'plan', '--backups', LAB()), 'INPUT_BAD_OPTION');
    expect(several).toMatch(/a stop point is needed: .*; backups of several databases are in .* \(RestoreTimeClean, StopAt, db1\); name one with --database/);
    // two folders of two databases: one sentence for both ("A, B holds …" read as one folder's name)
    const two = expectOneLineError(await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), LAB('sql2008-backups', 'StopAt'), '--stop-at', '2017-06-01T13:22', '--as', 'X'), 'INPUT_RESTORE_SEVERAL_DATABASES');
    expect(two).toContain(`backups of several databases are in ${LAB('RestoreTimeClean')}, ${LAB('sql2008-backups', 'StopAt')} (RestoreTimeClean, StopAt); name one with --database`);
    const stopAt = expectOneLineError(await run('restore', 'plan', '--backups', LAB(), '--database', 'StopAt'), 'INPUT_BAD_OPTION');
    expect(stopAt).toContain('; StopAt: reachable with these backups: 2020-05-12T13:28:45.000 to 2020-05-12T13:34:44.000');
    const early = expectOneLineError(await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), '--as', 'X', '--stop-at', '2000-01-01'), 'INPUT_RESTORE_TOO_EARLY');
    expect(early).toContain('reachable with these backups: 2017-06-01T12:59:13.000 to 2017-06-01T13:29:13.000');
  });
  it('both: names the two', async () => {
    const msg = expectOneLineError(await run('restore', 'plan', '--backups', LAB('RestoreTimeClean'), '--as', 'X', '--stop-at', '2017-06-01 13:01', '--stop-before-lsn', '1'), 'INPUT_BAD_OPTION');
    expect(msg).toContain('--stop-at and --stop-before-lsn are both given: give exactly one of --stop-at TIME or --stop-before-lsn LSN');
  });
});
