/**
 * The point-in-time replay (`dump --bak … --trn … --stop-at`, `diff --trn / --after-trn`) over backup
 * files holding several backup sets (BACKUP … WITH NOINIT appends them: a nightly full backup and the
 * log backups appended each to one file). It refused them ("the point-in-time replay reads files of one
 * backup set each", and "--position does not apply to a point-in-time dump"); now `--position N` picks
 * the set of --bak to start from and every log backup set of a --trn file is a member of the chain.
 *
 * REAL multi-set bytes: StDb2Sql.bak (corpus; two full backups of StDb2SQL, SQL Server 2005) replayed
 * through each set's own log to its end (`--position N --stop-before-lsn LAST`, no log backup: none
 * exists for it). SYNTHETIC multi-set files, made at test time from REAL single-set corpus backups as
 * WITH NOINIT writes them (test/support/appended-backup-set.ts: whole first file, then each other
 * from its SSET block on, its data set number renumbered): RestoreTimeClean's log backups in one
 * file, its full and differential in one file, a full and its log backups in one file, two
 * databases' log backups in one file, a set's SSET block damaged. Each result is checked against the
 * same backups given as single-set files: identical stdout.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { compareTableStates, comparisonRowSource } from '../../src/replay/compare.js';

const captured = captureCli();
const cli = cliWithOutFile(captured, () => dir);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const FULL = () => rtc('RestoreTimeClean.bak');
const LOGS = () => ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'].map(rtc);
let dir: string;
const f: Record<string, string> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-pit-sets-'));
  const make = (name: string, first: string, ...more: string[]) => {
    f[name] = join(dir, name);
    writeFileSync(f[name], appendedBackupSet(first, ...more));
  };
  // SYNTHETIC, from real single-set backups
  make('logs.trn', LOGS()[0]!, LOGS()[1]!, LOGS()[2]!);
  // given out of LSN order in the file: the chain orders its sets by LSN
  make('logs-3-1-2.trn', LOGS()[2]!, LOGS()[0]!, LOGS()[1]!);
  make('diff-full.bak', rtc('RestoreTimeClean2.bak'), FULL());
  make('full-and-logs.bak', FULL(), ...LOGS());
  make('gap.trn', LOGS()[0]!, LOGS()[2]!);
  make('two-databases.trn', LOGS()[0]!, stopAt('StopAt_1.trn'));
  make('after-diff.trn', rtc('RestoreTimeClean2_1.trn'), ...LOGS());
  // set 2's SSET block damaged (one byte; its block header checksum no longer matches)
  const b = Buffer.from(readFileSync(f['logs.trn']));
  const at = readFileSync(LOGS()[0]!).length;
  b[at + 4] ^= 0xff;
  f['damaged.trn'] = join(dir, 'damaged.trn');
  writeFileSync(f['damaged.trn'], b);
  // set 3's SSET block damaged: sets 1 and 2 closed (their ESET read) before it
  const c = Buffer.from(readFileSync(f['logs.trn']));
  c[at + readFileSync(LOGS()[1]!).length - 1536 + 4] ^= 0xff;
  f['damaged-3.trn'] = join(dir, 'damaged-3.trn');
  writeFileSync(f['damaged-3.trn'], c);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = '2017-06-01T13:12:00';
const dump = (bak: string[], trn: string[], extra: string[] = [], stop = T) => cli('dump', '--bak', ...bak, '--trn', ...trn, '--stop-at', stop, '--table', 'dbo.steps', ...extra);

describeCorpus('point-in-time replay from files of several backup sets', () => {
  it('dump --trn of a file of three log backup sets (SYNTHETIC): the rows of the three files given one by one, the chain naming each set', async () => {
    const one = await dump([FULL()], LOGS());
    expect(one.code).toBe(0);
    expect(one.stdout.trim().split('\n')).toHaveLength(26);
    for (const file of [f['logs.trn']!, f['logs-3-1-2.trn']!]) {
      const several = await dump([FULL()], [file]);
      expect(several.code, several.stderr).toBe(0);
      expect(several.stdout).toBe(one.stdout);
    }
    const r = await dump([FULL()], [f['logs.trn']!]);
    expect(r.stderr).toContain(`chain: full ${FULL()} → log ${f['logs.trn']} (FILE = 1) → log ${f['logs.trn']} (FILE = 2) → log ${f['logs.trn']} (FILE = 3)`);
    // the stop inside set 2: set 3's commits looked at (the stop time's look-ahead), as with one-set files
    const early = await dump([FULL()], [f['logs.trn']!], [], '2017-06-01T13:06:30');
    expect(early.stdout).toBe((await dump([FULL()], LOGS(), [], '2017-06-01T13:06:30')).stdout);
  }, 60_000);

  it('dump --bak FILE --position N --trn … (SYNTHETIC: a differential and a full backup in one file): set N is the base; without --position refused listing the sets', async () => {
    const one = await dump([FULL()], LOGS());
    const r = await dump([f['diff-full.bak']!], [f['logs.trn']!], ['--position', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(one.stdout);
    expect(r.stderr).toContain(`chain: full ${f['diff-full.bak']} (FILE = 2) → log`);
    const none = expectOneLineError(await dump([f['diff-full.bak']!], [f['logs.trn']!]), 'INPUT_SEVERAL_BACKUP_SETS');
    expect(none).toContain(`${f['diff-full.bak']} holds 2 backup sets; choose one with --position N (RESTORE … WITH FILE = N): 1: differential backup of RestoreTimeClean`);
    expect(expectOneLineError(await dump([f['diff-full.bak']!], [f['logs.trn']!], ['--position', '3']), 'INPUT_BAD_OPTION')).toContain(`--position 3: ${f['diff-full.bak']} holds 2 backup sets: give 1 to 2`);
    expect(expectOneLineError(await dump([f['diff-full.bak']!], [f['logs.trn']!], ['--position', '0x2']), 'INPUT_BAD_OPTION')).toContain("--position must be a backup set number");
    // set 1, the differential, alone: its full backup is missing, said by the chain's refusal naming it
    expect(expectOneLineError(await dump([f['diff-full.bak']!], [f['logs.trn']!], ['--position', '1']), 'INPUT_RESTORE_NO_FULL')).toContain(`which ${f['diff-full.bak']} (FILE = 1) is based on, is missing`);
  }, 60_000);

  it('a full backup and its log backups in one file (SYNTHETIC): --bak F --position 1 --trn F replays as the files do; the full set in a --trn file is left out with a note', async () => {
    const one = await dump([FULL()], LOGS());
    const same = await dump([f['full-and-logs.bak']!], [f['full-and-logs.bak']!], ['--position', '1']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(one.stdout);
    expect(same.stderr).not.toContain('left out of the chain');
    const other = await dump([FULL()], [f['full-and-logs.bak']!]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toBe(one.stdout);
    // the full set is RestoreTimeClean.bak itself (a copy appended): said as read from --bak, not "give it with --bak"
    expect(other.stderr).toContain(`note: ${f['full-and-logs.bak']} (FILE = 1) is a full backup appended to the log backups' file, not a log backup: left out of the chain; the same backup (BackupSetGUID 5AF3E50D-A4E0-4E9B-8AEF-FE52898C6359) is read from --bak ${FULL()}`);
    // a differential set in a --trn file: not advised as a base (--bak F --position N of it alone is refused INPUT_DIFFERENTIAL_WITHOUT_FULL)
    const logsDiff = join(dir, 'logs-diff.trn');
    writeFileSync(logsDiff, appendedBackupSet(LOGS()[0]!, LOGS()[1]!, LOGS()[2]!, rtc('RestoreTimeClean2.bak')));
    const withDiff = await dump([FULL()], [logsDiff]);
    expect(withDiff.code, withDiff.stderr).toBe(0);
    expect(withDiff.stdout).toBe(one.stdout);
    expect(withDiff.stderr).toContain(`note: ${logsDiff} (FILE = 4) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: --bak `);
    expect(withDiff.stderr).not.toContain(`--bak ${logsDiff} --position 4`);
    // a log backup set picked as the base: refused naming the set, and the way on
    const log = expectOneLineError(await dump([f['full-and-logs.bak']!], [f['logs.trn']!], ['--position', '2']), 'INPUT_NOT_A_DATABASE_BACKUP');
    expect(log).toContain(`--bak ${f['full-and-logs.bak']} (FILE = 2) is a log backup: give it with --trn`);
    // a --trn file of no log backup at all keeps its refusal
    expect(expectOneLineError(await dump([FULL()], [rtc('RestoreTimeClean2.bak')]), 'INPUT_BAD_OPTION')).toContain('is a differential backup, not a log backup: give it with --bak');
  }, 60_000);

  it('--bak F --position 1 of a file holding later log backup sets, F not given with --trn: a stop past the log given is refused naming those sets and --trn F (SYNTHETIC)', async () => {
    // before: "in log that none of the files given holds", untrue of the very file given as --bak
    const F = f['full-and-logs.bak']!;
    const part = expectOneLineError(await dump([F], [LOGS()[0]!], ['--position', '1'], '2017-06-01T13:12:00'), 'INPUT_RESTORE_TOO_LATE');
    expect(part).toContain(`note: ${F} (given with --bak) also holds log backup sets 3, 4, going on to LSN 00000019:000000ad:0001, which are not read: add --trn ${F} to replay through them`);
    const none = expectOneLineError(await cli('dump', '--bak', F, '--position', '1', '--stop-at', '2017-06-01T13:12:00', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(none).toContain(`note: ${F} (given with --bak) also holds log backup sets 2, 3, 4,`);
    // the way on taken: replayed
    const followed = await dump([F], [LOGS()[0]!, F], ['--position', '1'], '2017-06-01T13:12:00');
    expect(followed.code, followed.stderr).toBe(0);
    // a stop the log given reaches: no such note (nothing refused)
    const reached = await dump([F], [LOGS()[0]!], ['--position', '1'], '2017-06-01T13:03:00');
    expect(reached.code, reached.stderr).toBe(0);
    expect(reached.stderr).not.toContain('also holds log backup');
  }, 60_000);

  it('log sets before the differential the chain starts from (SYNTHETIC): passed over as with one-set files', async () => {
    const one = await dump([FULL(), rtc('RestoreTimeClean2.bak')], [rtc('RestoreTimeClean2_1.trn'), ...LOGS()], [], '2017-06-01T13:17:00');
    expect(one.code, one.stderr).toBe(0);
    const r = await dump([FULL(), rtc('RestoreTimeClean2.bak')], [f['after-diff.trn']!], [], '2017-06-01T13:17:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(one.stdout);
    expect(r.stderr).toContain(`→ differential ${rtc('RestoreTimeClean2.bak')} → log ${f['after-diff.trn']} (FILE = 1)\n`);
  }, 60_000);

  it('refusals name the file and the set: a gap between two sets, two databases, a damaged set', async () => {
    const gap = expectOneLineError(await dump([FULL()], [f['gap.trn']!]), 'INPUT_RESTORE_CHAIN_BROKEN');
    expect(gap).toContain(`are missing (after ${f['gap.trn']} (FILE = 1), before ${f['gap.trn']} (FILE = 2))`);
    const two = expectOneLineError(await dump([FULL()], [f['two-databases.trn']!]), 'INPUT_MIXED_DATABASES');
    expect(two).toContain(`log backup ${f['two-databases.trn']} (backup set 2) (database StopAt)`);
    // set 2's SSET damaged: the walk stops there; the refusal no longer says only "log that none of the files given holds"
    const damaged = expectOneLineError(await dump([FULL()], [f['damaged.trn']!]), 'INPUT_RESTORE_TOO_LATE');
    expect(damaged).toContain(`note: ${f['damaged.trn']}: SSET descriptor block header checksum`);
    expect(damaged).toContain('a log backup set appended to it after the damage, if any, is not read');
    // before the damage, set 1 is read whole: replayed
    const before = await dump([FULL()], [f['damaged.trn']!], [], '2017-06-01T13:02:00');
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe((await dump([FULL()], [LOGS()[0]!], [], '2017-06-01T13:02:00')).stdout);
    // set 3's SSET damaged: sets 1 and 2, closed before it, are read (they were all left out as damaged)
    const first2 = await dump([FULL()], [f['damaged-3.trn']!], [], '2017-06-01T13:06:00');
    expect(first2.code, first2.stderr).toBe(0);
    expect(first2.stdout).toBe((await dump([FULL()], LOGS().slice(0, 2), [], '2017-06-01T13:06:00')).stdout);
    expect(first2.stderr).toContain(`note: ${f['damaged-3.trn']}: SSET descriptor block header checksum`);
    const past = expectOneLineError(await dump([FULL()], [f['damaged-3.trn']!]), 'INPUT_RESTORE_TOO_LATE');
    expect(past).toContain('a log backup set appended to it after the damage, if any, is not read');
  }, 60_000);

  it('REAL StDb2Sql.bak (two full backups, SQL Server 2005): --position N --stop-before-lsn (its last LSN) replays set N through its own log, the rows its pages hold', async () => {
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const values = (out: string) => out.trim().split('\n').map((l) => JSON.stringify((JSON.parse(l) as { values: unknown }).values)).sort();
    for (const [position, last] of [['1', '0000001c:0000010c:0001'], ['2', '00000026:00000010:0001']] as const) {
      const pages = await cli('dump', '--bak', bak, '--position', position, '--table', 'dbo.Users', '--quiet');
      expect(pages.code).toBe(0);
      const r = await cli('dump', '--bak', bak, '--position', position, '--stop-before-lsn', last, '--table', 'dbo.Users');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`chain: full ${bak} (FILE = ${position})\n`);
      expect(values(r.stdout)).toEqual(values(pages.stdout));
      expect(values(r.stdout).length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('diff --position / --after-position with --trn / --after-trn (SYNTHETIC): the comparison of the one-set files', async () => {
    const args = (bak: string[], trn: string[], afterBak: string[], afterTrn: string[], pos: string[] = [], afterPos: string[] = []) => [
      'diff', '--bak', ...bak, ...pos, '--trn', ...trn, '--stop-at', '2017-06-01T13:17:00',
      '--after-bak', ...afterBak, ...afterPos, '--after-trn', ...afterTrn, '--after-stop-at', T,
      '--table', 'dbo.steps', '--format', 'json', '--accept-older-later',
    ];
    const one = await cli(...args([FULL()], [rtc('RestoreTimeClean2_1.trn'), ...LOGS()], [FULL()], LOGS()));
    expect(one.code, one.stderr).toBe(0);
    expect((JSON.parse(one.stdout) as unknown[]).length).toBe(10);
    const several = await cli(...args([f['diff-full.bak']!], [f['after-diff.trn']!], [f['diff-full.bak']!], [f['logs.trn']!], ['--position', '2'], ['--after-position', '2']));
    expect(several.code, several.stderr).toBe(0);
    expect(several.stdout).toBe(one.stdout);
    // without a position: refused naming the side's own option
    const none = expectOneLineError(await cli(...args([FULL()], LOGS(), [f['diff-full.bak']!], [f['logs.trn']!])), 'INPUT_SEVERAL_BACKUP_SETS');
    expect(none).toContain('choose one with --after-position N (RESTORE … WITH FILE = N), the full backup set the replay (--after-trn) starts from');
  }, 90_000);

  it('a staged row of the replay names the log backup set that wrote it (file and position), not the file alone', async () => {
    // the 10 rows of 13:12 to 13:17: RestoreTimeClean_3.trn's (set 4 of after-diff.trn) and RestoreTimeClean2_1.trn's (set 1)
    const r = await compareTableStates({
      bak: [f['diff-full.bak']!], position: 2, trn: [f['after-diff.trn']!], target: { kind: 'time', time: '2017-06-01T13:17:00' },
      afterBak: [f['diff-full.bak']!], afterPosition: 2, afterTrn: [f['logs.trn']!], afterTarget: { kind: 'time', time: T }, acceptOlderLater: true, table: 'dbo.steps',
    } as never);
    expect(r.diff.missing).toHaveLength(10);
    const source = comparisonRowSource(r, f['diff-full.bak']!, 2);
    const sources = r.diff.missing.map((m) => source(m.tag, m.from));
    for (const x of sources) expect(x).toMatchObject({ kind: 'trn', file: f['after-diff.trn'] });
    expect([...new Set(sources.map((x) => x.position))].sort()).toEqual([1, 4]);
  }, 60_000);
});
