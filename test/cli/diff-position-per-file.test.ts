/**
 * `rowback diff --position` / `--after-position` took one number, the set of every file of the side,
 * and refused a list as dump's: a full backup and a differential that are two sets of ONE file
 * (BACKUP … WITH NOINIT) could be the base of `dump --bak F F --position 1,2` but of neither side of
 * a comparison. Both sides now take dump's list (parseBackupSetPositions: one number per `--bak` /
 * `--after-bak` file in order, RESTORE's one FILE = n per statement), with dump's refusals; the rows
 * are those of the same backups given as one-set files, byte for byte.
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean2.bak, its differential, from its SSET block on). Never in the repo.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { StagingStore } from '../../src/staging/store.js';

const captured = captureCli();
let dir: string;
const cli = cliWithOutFile(captured, () => dir);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const T = '2017-06-01T13:17:00';
let both: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-diff-positions-'));
  both = join(dir, 'full-diff.bak');
  writeFileSync(both, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('one number for several files, one lacking that set: the list form named, and followed', () => {
  it('diff, dump and the point-in-time dump: --bak FULL.bak F --position 2 (FULL.bak holds one set) names --position 1,2, which reads', async () => {
    const full = rtc('RestoreTimeClean.bak');
    const way = `one number picks the set of every --bak file (2 given): to read set 2 of one file and another set of another, give one number per file in order (--position 1,2 for --bak ${full} ${both}, if those are the sets)`;
    const later = ['--after-bak', both, '--after-position', '1', '--table', 'dbo.steps', '--accept-older-later'];
    expect(expectOneLineError(await cli('diff', '--bak', full, both, '--position', '2', ...later), 'INPUT_BAD_OPTION')).toContain(way);
    expect(expectOneLineError(await cli('dump', '--bak', full, both, '--position', '2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(way);
    expect(expectOneLineError(await cli('dump', '--bak', full, both, '--position', '2', '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(way);
    // the later side in its own words
    expect(expectOneLineError(await cli('diff', '--bak', full, '--after-bak', full, both, '--after-position', '2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`(--after-position 1,2 for --after-bak ${full} ${both}, if those are the sets)`);
    // the differential set alone, replayed: its full backup was said "missing … find it and give it
    // with the others", while it is set 1 of the same file; the note names the list form
    const replayed = expectOneLineError(await cli('dump', '--bak', both, '--position', '2', '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps'), 'INPUT_RESTORE_NO_FULL');
    expect(replayed).toContain(`note: the full backup ${both} (FILE = 2) is based on is backup set 1 of the same file: give the file twice with a set number each, full backup first: --bak ${both} ${both} --position 1,2`);
    const laterReplayed = expectOneLineError(await cli('diff', '--bak', full, '--after-bak', both, '--after-position', '2', '--after-trn', rtc('RestoreTimeClean2_1.trn'), '--after-stop-at', T, '--table', 'dbo.steps'), 'INPUT_RESTORE_NO_FULL');
    expect(laterReplayed).toContain(`--after-bak ${both} ${both} --after-position 1,2`);
    const followed = await cli('diff', '--bak', full, both, '--position', '1,2', ...later);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toContain('earlier 30 row(s), later 0 row(s)');
  }, 60_000);
});

describeCorpus('diff --bak F F --position 1,2 / --after-bak F F --after-position 1,2: a full and a differential of one file as either side', () => {
  it('earlier side replayed from the two sets, later side read as they are: the rows of the one-set files', async () => {
    const full = rtc('RestoreTimeClean.bak');
    const diff = rtc('RestoreTimeClean2.bak');
    const files = await cli('diff', '--bak', full, diff, '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--after-bak', full, diff, '--table', 'dbo.steps', '--accept-older-later');
    expect(files.code, files.stderr).toBe(0);
    expect(files.stdout.trim().split('\n')).toHaveLength(6);
    for (const [p, ap] of [['1,2', '1,2'], ['2,1', '1,2'], ['1,2', '2,1']] as const) {
      const r = await cli('diff', '--bak', both, both, '--position', p, '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--after-bak', both, both, '--after-position', ap, '--table', 'dbo.steps', '--accept-older-later');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(files.stdout);
      expect(r.stderr).toContain(`chain: full ${both} (FILE = 1) → differential ${both} (FILE = 2) → log`);
      expect(r.stderr).toContain('earlier 36 row(s), later 30 row(s); 6 missing from the later state');
      expect(r.stderr).toContain(`--after-bak ${both} ${both} --after-position ${ap}`);
    }
  }, 90_000);

  it('earlier side read as it is, later side replayed from the two sets: the rows of the one-set files', async () => {
    const full = rtc('RestoreTimeClean.bak');
    const diff = rtc('RestoreTimeClean2.bak');
    // whole rows (a heap): the later state's 6 rows are "only in the later state", the 30 unchanged
    const files = await cli('diff', '--bak', full, diff, '--after-bak', full, diff, '--after-trn', rtc('RestoreTimeClean2_1.trn'), '--after-stop-at', T, '--table', 'dbo.steps', '--report', join(dir, 'files.json'));
    expect(files.code, files.stderr).toBe(0);
    const r = await cli('diff', '--bak', both, both, '--position', '1,2', '--after-bak', both, both, '--after-position', '1,2', '--after-trn', rtc('RestoreTimeClean2_1.trn'), '--after-stop-at', T, '--table', 'dbo.steps', '--report', join(dir, 'sets.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(files.stdout);
    expect(r.stderr).toContain('earlier 30 row(s), later 36 row(s); 0 missing from the later state, 0 changed, 6 only in the later state, 30 unchanged');
    // the report gives the lists as read (it gave Number('1,2'): null)
    const report = JSON.parse(readFileSync(join(dir, 'sets.json'), 'utf8')) as Record<string, unknown>;
    expect(report.position).toEqual([1, 2]);
    expect(report.afterPosition).toEqual([1, 2]);
    expect(report.earlierRows).toBe(30);
    // the full set alone is another answer (0 rows): the differential set was read
    const alone = await cli('diff', '--bak', both, '--position', '1', '--after-bak', both, both, '--after-position', '1,2', '--after-trn', rtc('RestoreTimeClean2_1.trn'), '--after-stop-at', T, '--table', 'dbo.steps');
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stderr).toContain('earlier 0 row(s), later 36 row(s)');
  }, 90_000);

  it('staged: the job keeps the lists, and its description names each file with its set', async () => {
    const stage = join(dir, 'staged.db');
    const r = await cli('diff', '--bak', both, both, '--position', '2,1', '--after-bak', both, '--after-position', '1', '--table', 'dbo.steps', '--accept-older-later', '--stage', stage);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('earlier 30 row(s), later 0 row(s); 30 missing');
    const store = new StagingStore(stage);
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      expect(job.spec).toMatchObject({ bak: [both, both], afterBak: [both], position: [2, 1], afterPosition: 1 });
      expect(job.description).toContain(`(${both} (backup set 2), ${both} (backup set 1)) against ${both} (backup set 1)`);
    } finally {
      store.close();
    }
  }, 90_000);

  it('staged with one number and log backups (--bak F --position 1 --trn T): the description names F\'s set, not the last log backup\'s', async () => {
    const stage = join(dir, 'staged-one.db');
    const r = await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), '--position', '1', '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:02:00', '--after-bak', both, '--after-position', '1', '--table', 'dbo.steps', '--accept-older-later', '--stage', stage);
    expect(r.code, r.stderr).toBe(0);
    const store = new StagingStore(stage);
    try {
      const [job] = store.listJobs({ limit: 1 });
      expect(job!.description).toContain(`(${rtc('RestoreTimeClean.bak')} (backup set 1), ${rtc('RestoreTimeClean_1.trn')}) against ${both} (backup set 1)`);
    } finally {
      store.close();
    }
  }, 90_000);

  it("refused in one line as dump refuses: a list of the wrong length, an empty item, one set given twice, a set the file lacks, each side in its own option's words", async () => {
    const later = ['--after-bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps'];
    expect(expectOneLineError(await cli('diff', '--bak', both, '--position', '1,2', ...later), 'INPUT_BAD_OPTION')).toContain(`--position 1,2 gives 2 backup set numbers for 1 --bak file (${both})`);
    expect(expectOneLineError(await cli('diff', '--bak', both, both, '--position', '1,,2', ...later), 'INPUT_BAD_OPTION')).toContain("--position '1,,2' has an empty item");
    expect(expectOneLineError(await cli('diff', '--bak', both, both, '--position', '1,1', ...later), 'INPUT_BAD_OPTION')).toContain(`${both} is given more than once with the same backup set number (1)`);
    expect(expectOneLineError(await cli('diff', '--bak', both, both, '--position', '1,3', ...later), 'INPUT_BAD_OPTION')).toContain(`--position 3: ${both} holds 2 backup sets: give 1 to 2`);
    expect(expectOneLineError(await cli('diff', '--bak', both, both, '--position', '0,2', ...later), 'INPUT_BAD_OPTION')).toContain("--position must be a backup set number");
    const earlier = ['--bak', rtc('RestoreTimeClean.bak'), '--table', 'dbo.steps'];
    expect(expectOneLineError(await cli('diff', ...earlier, '--after-bak', both, '--after-position', '1,2'), 'INPUT_BAD_OPTION')).toContain(`--after-position 1,2 gives 2 backup set numbers for 1 --after-bak file (${both})`);
    expect(expectOneLineError(await cli('diff', ...earlier, '--after-bak', both, both, '--after-position', '2,3'), 'INPUT_BAD_OPTION')).toContain(`--after-position 3: ${both} holds 2 backup sets`);
    expect(expectOneLineError(await cli('diff', ...earlier, '--after-bak', both, both, '--after-position', '2,2'), 'INPUT_BAD_OPTION')).toContain('with the same backup set number (2)');
    // the differential set alone on the later side: advised the list form in the later side's words
    expect(expectOneLineError(await cli('diff', ...earlier, '--after-bak', both, '--after-position', '2'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL')).toContain(`--after-bak ${both} ${both} --after-position 1,2`);
    // with --after-mdf there is no set to pick, list or not
    expect(expectOneLineError(await cli('diff', ...earlier, '--after-mdf', rtc('RestoreTimeClean.bak'), '--after-position', '1,2'), 'INPUT_BAD_OPTION')).toContain('leave --after-position out');
    // the same sets on both sides, in another order: one state, refused (it compared it with itself: 0 missing)
    expect(expectOneLineError(await cli('diff', '--bak', both, both, '--position', '1,2', '--after-bak', both, both, '--after-position', '2,1', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`the earlier state (--bak ${both} ${both} --position 1,2) and the later state (--after-bak ${both} ${both} --after-position 2,1) are the same backups`);
    // a copy of the file on the later side: compared, with the note naming each side's sets (it said "--bak F F", no sets)
    const copy = join(dir, 'copy.bak');
    writeFileSync(copy, readFileSync(both));
    const copies = await cli('diff', '--bak', both, both, '--position', '1,2', '--after-bak', copy, copy, '--after-position', '2,1', '--table', 'dbo.steps');
    expect(copies.code, copies.stderr).toBe(0);
    expect(copies.stderr).toContain(`note (later state, ${copy} (backup set 2) + ${copy} (backup set 1)): the earlier state (--bak ${both} ${both} --position 1,2) and the later state (--after-bak ${copy} ${copy} --after-position 2,1) are the same backups`);
  }, 90_000);
});
