/**
 * The backup folder given where backup files are taken (`--bak DIR`, `--trn DIR`), a DBA's ordinary
 * slip: it said only "DIR: a directory". Now the line says how to give its files and that
 * `restore plan --backups DIR` takes the folder itself. Other flags keep the short line.
 */
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const dir = () => corpusPath('appveyor-lab', 'RestoreTimeClean');
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('a backup folder given as --bak / --trn', () => {
  it.each([
    ['dump --bak DIR', () => ['dump', '--bak', dir(), '--table', 'dbo.steps'], '--bak', '*.bak'],
    ['scan --bak DIR', () => ['scan', '--bak', dir()], '--bak', '*.bak'],
    ['scan --trn DIR', () => ['scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', dir()], '--trn', '*.trn'],
  ])('%s: how to give its files, and what takes the folder', async (_name, argv, flag, glob) => {
    const line = expectOneLineError(await cli(...argv()), 'INPUT_FILE_UNREADABLE');
    expect(line).toContain(`${flag} ${dir()}: a directory: give the backup files in it (${flag} ${dir()}/${glob} …), or plan a restore from the folder with rowback restore plan --backups ${dir()}`);
  });

  it('--mdf DIR keeps the short line', async () => {
    const line = expectOneLineError(await cli('dump', '--mdf', dir(), '--table', 'dbo.steps'), 'INPUT_FILE_UNREADABLE');
    expect(line).toMatch(/--mdf [^:]*: a directory \(/);
  });
});
