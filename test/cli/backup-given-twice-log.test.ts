/**
 * `scan --bak` with no --ldf/--trn reads the log the backups hold; a backup file given twice, or two
 * copies of one stripe, were called "the stripes of one backup" (INPUT_NO_LOG: "rowback does not read
 * a striped backup's log portion … give the log with --ldf"), sending the user after a log file when
 * the mistake was the file list. They are now refused as `dump --bak` refuses them: the file given
 * more than once (INPUT_BAD_OPTION), both copies as stripe 1 (FORMAT_INCOMPLETE_MEDIA_SET); the
 * API names the field of the file. REAL bytes: Northwind-stripe/Northwind.bak (stripe 1 of 2), and a
 * byte-for-byte copy of it made here under another name.
 *
 * The way to read two sets of one file (the file twice, a set number each) is named only for a file
 * that holds several: `--bak N.bak N.bak --position 1,2` was advised for Northwind.bak, a file of one
 * set, whose set 2 is then refused (`holds 1 backup set`). SYNTHETIC two-set file: REAL
 * RestoreTimeClean.bak with RestoreTimeClean2.bak appended (test/support/appended-backup-set.ts).
 * Likewise only for a file holding a full backup and a differential based on it, with their set
 * numbers: REAL StDb2Sql.bak (two full backups) was advised `--position 1,2`, which is refused
 * (`are both full backups`); a file whose pair is sets 2 and 3 was advised 1,2.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();
let dir: string;
// a dump that succeeds writes its rows to a file (--out) of `dir`
const cliOut = cliWithOutFile(cli, () => dir);

describeCorpus('scan --bak with one backup file twice, or a stripe and its copy', () => {
  let copy: string;
  let twoSets: string;
  const stripe = () => corpusPath('Northwind-stripe', 'Northwind.bak');
  const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-bak-twice-'));
    copy = join(dir, 'Northwind-copy.bak');
    copyFileSync(stripe(), copy);
    twoSets = join(dir, 'full-diff.bak');
    writeFileSync(twoSets, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the same file twice: given more than once', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', stripe(), stripe()), 'INPUT_BAD_OPTION');
    expect(line).toContain(`${stripe()} is given more than once`);
    expect(line).not.toContain('stripes of one backup');
    // a file of one backup set: no way to read two sets of it is named (a dead end)
    expect(line).not.toContain('--position');
    const list = expectOneLineError(await cli('scan', '--bak', stripe(), stripe(), '--position', '1,2'), 'INPUT_BAD_OPTION');
    expect(list).toContain('dump');
  });

  it('scan --bak of a file of two sets given twice: scan reads one set at a time; dump and diff take both', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', twoSets, twoSets), 'INPUT_BAD_OPTION');
    expect(line).toContain(`${twoSets} is given more than once`);
    // the way it names for scan is scan's own (one set of a file: --position N); the list form,
    // which scan refuses as dump's, is named as dump's and diff's (it read as scan's: a dead end)
    expect(line).toContain(`read one set at a time here: --bak ${twoSets} --position N; rowback dump and diff take a full and a differential that are two sets of one file, --bak ${twoSets} ${twoSets} --position 1,2`);
  });

  it('dump --bak of the same file twice: the list form, which dump takes, named only for a file of several sets', async () => {
    const one = expectOneLineError(await cli('dump', '--bak', stripe(), stripe(), '--table', 'dbo.Customers'), 'INPUT_BAD_OPTION');
    expect(one).toContain(`${stripe()} is given more than once: give each backup file once: `);
    expect(one).not.toContain('the file twice');
    const line = expectOneLineError(await cli('dump', '--bak', twoSets, twoSets, '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(line).toContain(`the file twice, --position with a number for each, --bak ${twoSets} ${twoSets} --position 1,2`);
    // followed, it reads (the list form of two sets of one file)
    const followed = await cliOut('dump', '--bak', twoSets, twoSets, '--position', '1,2', '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trimEnd().split('\n')).toHaveLength(30);
  });

  it('a file of two full backups (REAL StDb2Sql.bak, 2009 and 2010): no two-sets way named (its list 1,2 is refused: both full)', async () => {
    const two = corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
    for (const command of ['dump', 'scan'] as const) {
      const line = expectOneLineError(await cli(command, '--bak', two, two, ...(command === 'dump' ? ['--all'] : [])), 'INPUT_BAD_OPTION');
      expect(line).toContain(`${two} is given more than once: give each backup file once: `);
      expect(line, command).not.toContain('two sets of one file');
    }
    // what that advice led to: refused
    const followed = expectOneLineError(await cliOut('dump', '--bak', two, two, '--position', '1,2', '--all'), 'INPUT_BAD_OPTION');
    expect(followed).toContain('are both full backups');
  });

  it("a file whose full and differential are sets 2 and 3 (SYNTHETIC: REAL pubs.bak, a full of another database, then RestoreTimeClean's full and its differential appended): the numbers named are 2,3", async () => {
    const three = join(dir, 'log-full-diff.bak');
    writeFileSync(three, appendedBackupSet(corpusPath('pubs-2012', 'pubs.bak'), rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
    const line = expectOneLineError(await cli('dump', '--bak', three, three, '--table', 'dbo.steps'), 'INPUT_BAD_OPTION');
    expect(line).toContain(`--bak ${three} ${three} --position 2,3`);
    const followed = await cliOut('dump', '--bak', three, three, '--position', '2,3', '--table', 'dbo.steps');
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trimEnd().split('\n')).toHaveLength(30);
  });

  it('a stripe and its copy: both stripe 1 of the media set', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', stripe(), copy), 'FORMAT_INCOMPLETE_MEDIA_SET');
    expect(line).toContain(`${stripe()} and ${copy} are both stripe 1 of media set 258E4405-8273-410D-AA5F-7F0FF53B9A3E`);
  });
});
