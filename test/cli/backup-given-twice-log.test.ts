/**
 * `scan --bak` with no --ldf/--trn reads the log the backups hold; a backup file given twice, or two
 * copies of one stripe, were called "the stripes of one backup" (INPUT_NO_LOG: "rowback does not read
 * a striped backup's log portion … give the log with --ldf"), sending the user after a log file when
 * the mistake was the file list. They are now refused as `dump --bak` refuses them: the file given
 * more than once (INPUT_BAD_OPTION), both copies as stripe 1 (FORMAT_INCOMPLETE_MEDIA_SET); the
 * API names the field of the file. REAL bytes: Northwind-stripe/Northwind.bak (stripe 1 of 2), and a
 * byte-for-byte copy of it made here under another name.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('scan --bak with one backup file twice, or a stripe and its copy', () => {
  let dir: string;
  let copy: string;
  const stripe = () => corpusPath('Northwind-stripe', 'Northwind.bak');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-bak-twice-'));
    copy = join(dir, 'Northwind-copy.bak');
    copyFileSync(stripe(), copy);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the same file twice: given more than once', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', stripe(), stripe()), 'INPUT_BAD_OPTION');
    expect(line).toContain(`${stripe()} is given more than once`);
    expect(line).not.toContain('stripes of one backup');
    // the way it names for scan is scan's own (one set of a file: --position N); the list form,
    // which scan refuses as dump's, is named as dump's and diff's (it read as scan's: a dead end)
    expect(line).toContain(`read one set at a time here: --bak ${stripe()} --position N; rowback dump and diff take`);
    const list = expectOneLineError(await cli('scan', '--bak', stripe(), stripe(), '--position', '1,2'), 'INPUT_BAD_OPTION');
    expect(list).toContain('dump');
  });

  it('dump --bak of the same file twice: the list form, which dump takes', async () => {
    const line = expectOneLineError(await cli('dump', '--bak', stripe(), stripe(), '--table', 'dbo.Customers'), 'INPUT_BAD_OPTION');
    expect(line).toContain(`the file twice, --position with a number for each, --bak ${stripe()} ${stripe()} --position 1,2`);
  });

  it('a stripe and its copy: both stripe 1 of the media set', async () => {
    const line = expectOneLineError(await cli('scan', '--bak', stripe(), copy), 'FORMAT_INCOMPLETE_MEDIA_SET');
    expect(line).toContain(`${stripe()} and ${copy} are both stripe 1 of media set 258E4405-8273-410D-AA5F-7F0FF53B9A3E`);
  });
});
