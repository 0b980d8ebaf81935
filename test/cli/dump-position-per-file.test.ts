/**
 * One `--position` picked the set of every `--bak` file, so a full backup and a differential that
 * are two sets of ONE file (BACKUP DATABASE, then BACKUP DATABASE … WITH DIFFERENTIAL, appended WITH
 * NOINIT) could not both be the base of a dump or a point-in-time replay: `--bak ALL.bak --position 2`
 * was refused INPUT_DIFFERENTIAL_WITHOUT_FULL "not supported", and `--bak ALL.bak ALL.bak` "given more
 * than once". `dump --position` now takes one number per `--bak` file in order (`--bak F F --position
 * 1,2`, as RESTORE … FROM DISK = 'F' WITH FILE = 1, NORECOVERY then WITH FILE = 2): the rows equal
 * those of the same backups given as one-set files; a list of the wrong length, one set given twice,
 * and a list where one number is read (scan, diff) are refused in one line.
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
import { stripeOfBackup } from '../support/striped-backup.js';

const captured = captureCli();
let dir: string;
const cli = cliWithOutFile(captured, () => dir);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let both: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-dump-positions-'));
  both = join(dir, 'full-diff.bak');
  writeFileSync(both, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('dump --bak F F --position 1,2: a full and a differential that are two sets of one file', () => {
  it('dump of the pages: the rows of RestoreTimeClean.bak + RestoreTimeClean2.bak given as files, in either order of the list', async () => {
    const files = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps');
    expect(files.code, files.stderr).toBe(0);
    expect(files.stdout.trim().split('\n')).toHaveLength(30);
    for (const list of ['1,2', '2,1']) {
      const r = await cli('dump', '--bak', both, both, '--position', list, '--table', 'dbo.steps');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(files.stdout);
    }
    // the full set alone is not the same answer (0 rows then): the differential was read
    expect((await cli('dump', '--bak', both, '--position', '1', '--table', 'dbo.steps')).stdout.trim()).toBe('');
  }, 60_000);

  it('point-in-time dump: the replay starts from the differential set, the chain naming both sets; rows as the one-set files give them', async () => {
    const T = '2017-06-01T13:17:00';
    const files = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps');
    expect(files.code, files.stderr).toBe(0);
    expect(files.stdout.trim().split('\n')).toHaveLength(36);
    const r = await cli('dump', '--bak', both, both, '--position', '1,2', '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(files.stdout);
    expect(r.stderr).toContain(`chain: full ${both} (FILE = 1) → differential ${both} (FILE = 2) → log`);
  }, 60_000);

  it('a differential set in a --trn file (SYNTHETIC: _1/_2/_3.trn, RestoreTimeClean2.bak, RestoreTimeClean2_1.trn in one file): the note names the list form, which, followed, starts from it; the rows equal', async () => {
    const T = '2017-06-01T13:17:00';
    const logsDiff = join(dir, 'logs-diff.trn');
    writeFileSync(logsDiff, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn'), rtc('RestoreTimeClean2.bak'), rtc('RestoreTimeClean2_1.trn')));
    const through = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', logsDiff, '--stop-at', T, '--table', 'dbo.steps');
    expect(through.code, through.stderr).toBe(0);
    expect(through.stderr).toContain(`note: ${logsDiff} (FILE = 4) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: --bak ${rtc('RestoreTimeClean.bak')} ${logsDiff} --position 1,4\n`);
    const followed = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), logsDiff, '--position', '1,4', '--trn', logsDiff, '--stop-at', T, '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toContain(`→ differential ${logsDiff} (FILE = 4) → log ${logsDiff} (FILE = 5)`);
    // the same values; only the origin differs (the differential's pages, or the log's inserts)
    const values = (out: string) => out.trim().split('\n').map((l) => JSON.stringify((JSON.parse(l) as { values: unknown }).values));
    expect(values(followed.stdout)).toEqual(values(through.stdout));
    expect(values(followed.stdout)).toHaveLength(36);
  }, 60_000);

  it('a differential set in a --trn file whose full backup is set 1 of that same file (SYNTHETIC: RestoreTimeClean.bak, _1/_2/_3.trn, RestoreTimeClean2.bak, RestoreTimeClean2_1.trn in one file): the note names the file twice, not a FULL.bak the DBA does not have; followed literally, it starts from the differential', async () => {
    const T = '2017-06-01T13:17:00';
    const all = join(dir, 'full-logs-diff.bak');
    writeFileSync(all, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn'), rtc('RestoreTimeClean2.bak'), rtc('RestoreTimeClean2_1.trn')));
    const through = await cli('dump', '--bak', all, '--position', '1', '--trn', all, '--stop-at', T, '--table', 'dbo.steps');
    expect(through.code, through.stderr).toBe(0);
    expect(through.stderr).toContain(`note: ${all} (FILE = 5) is a differential backup, not a log backup: the replay skips it and loses no log; to start from it instead, give it after its full backup: --bak ${all} ${all} --position 1,5\n`);
    expect(through.stderr).not.toContain('FULL.bak');
    const followed = await cli('dump', '--bak', all, all, '--position', '1,5', '--trn', all, '--stop-at', T, '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toContain(`chain: full ${all} (FILE = 1) → differential ${all} (FILE = 5) → log ${all} (FILE = 6)`);
    const files = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps');
    expect(followed.stdout).toBe(files.stdout);
  }, 60_000);

  it('a gap the differential set of the --trn file bridges (SYNTHETIC: RestoreTimeClean.bak, RestoreTimeClean2.bak, RestoreTimeClean2_1.trn in one file; --bak F --position 1 --trn F): the refusal names that set and the list form, which, followed literally, reads', async () => {
    const T = '2017-06-01T13:17:00';
    const all = join(dir, 'full-diff-log.bak');
    writeFileSync(all, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), rtc('RestoreTimeClean2_1.trn')));
    const refused = expectOneLineError(await cli('dump', '--bak', all, '--position', '1', '--trn', all, '--stop-at', T, '--table', 'dbo.steps'), 'INPUT_RESTORE_CHAIN_BROKEN');
    expect(refused).toContain(`note: ${all} (FILE = 2) is a differential backup`);
    expect(refused).toContain(`give it after its full backup: --bak ${all} ${all} --position 1,2 (file ${all})`);
    const followed = await cli('dump', '--bak', all, all, '--position', '1,2', '--trn', all, '--stop-at', T, '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    const files = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--trn', rtc('RestoreTimeClean2_1.trn'), '--stop-at', T, '--table', 'dbo.steps');
    expect(followed.stdout).toBe(files.stdout);
  }, 60_000);

  it('refused in one line: a list of the wrong length, one set given twice, the file twice without a list; the differential alone names the list form', async () => {
    expect(expectOneLineError(await cli('dump', '--bak', both, '--position', '1,2', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`--position 1,2 gives 2 backup set numbers for 1 --bak file (${both})`);
    expect(expectOneLineError(await cli('dump', '--bak', both, both, '--position', '1,2,3', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain('gives 3 backup set numbers for 2 --bak files');
    expect(expectOneLineError(await cli('dump', '--bak', both, both, '--position', '1,1', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`${both} is given more than once with the same backup set number (1)`);
    expect(expectOneLineError(await cli('dump', '--bak', both, both, '--position', '1,', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain('has an empty item');
    expect(expectOneLineError(await cli('dump', '--bak', both, both, '--position', '1,3', '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`--position 3: ${both} holds 2 backup sets: give 1 to 2`);
    expect(expectOneLineError(await cli('dump', '--bak', both, both, '--table', 'dbo.steps'), 'INPUT_BAD_OPTION')).toContain(`--bak ${both} ${both} --position 1,2`);
    const alone = expectOneLineError(await cli('dump', '--bak', both, '--position', '2', '--table', 'dbo.steps'), 'INPUT_DIFFERENTIAL_WITHOUT_FULL');
    expect(alone).toContain(`which is backup set 1 of the same file: give the file twice with a set number for each, full backup first: --bak ${both} ${both} --position 1,2`);
    // two full backup sets of one file (REAL StDb2Sql.bak: two full backups of StDb2SQL) given as full + "differential": named by set (it said 'F and F are both full backups')
    const st = corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
    expect(expectOneLineError(await cli('dump', '--bak', st, st, '--position', '1,2', '--all'), 'INPUT_BAD_OPTION')).toContain(`${st} (backup set 1) and ${st} (backup set 2) are both full backups`);
    // scan reads one number: a list is said to be dump's
    expect(expectOneLineError(await captured('scan', '--bak', both, both, '--position', '1,2', '--trn', rtc('RestoreTimeClean2_1.trn')), 'INPUT_BAD_OPTION')).toContain("--position takes one backup set number here, not a list ('1,2')");
  }, 60_000);

  it('the stripes of one media set given different set numbers (--bak S1 S2 --position 1,2) are refused: each set is read from every stripe', async () => {
    // SYNTHETIC: REAL pubs.bak split into two stripes (alternate extents, the RAID stream's family
    // count and sequence set, as stripes-of-two-backups.test.ts makes them), each stripe's set
    // appended to itself as set 2: a media set of two stripes holding two sets
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const stripe = (seq: number) => {
      const two = join(dir, `pubs-stripe${seq}.bak`);
      writeFileSync(two, stripeOfBackup(pubs, seq, { appendAsSet2: true }));
      return two;
    };
    const s1 = stripe(1);
    const s2 = stripe(2);
    const whole = await cli('dump', '--bak', s1, s2, '--position', '1', '--table', 'dbo.titles');
    expect(whole.code, whole.stderr).toBe(0);
    expect((await cli('dump', '--bak', s1, s2, '--position', '1,1', '--table', 'dbo.titles')).stdout).toBe(whole.stdout);
    const mixed = expectOneLineError(await cli('dump', '--bak', s1, s2, '--position', '1,2', '--table', 'dbo.titles'), 'INPUT_BAD_OPTION');
    expect(mixed).toContain(`--position gives the stripes of media set`);
    expect(mixed).toContain('a backup set is read from every stripe of its media set');
  }, 60_000);
});
