import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * `rowback log FILE… --bak FULL --position N`: one number for two kinds of file. It picks the set in
 * the log files listed when one is a backup, and in --bak only when they are all .ldf; it was applied
 * to both, so `log two-sets.trn --bak FULL.bak --position 2` was refused for FULL.bak's one set.
 * SYNTHETIC arrangements of real bytes (as backup.test.ts builds them): the corpus's
 * RestoreTimeClean_2.trn with RestoreTimeClean_3.trn appended from its SSET block (two log backup
 * sets, WITH NOINIT layout), and RestoreTimeClean.bak with RestoreTimeClean2.bak appended likewise.
 */
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const appended = (a: string, b: string, name: string, dir: string): string => {
  const second = readFileSync(R(b));
  expect(second.toString('latin1', 0x600, 0x604)).toBe('SSET');
  const p = join(dir, name);
  writeFileSync(p, Buffer.concat([readFileSync(R(a)), second.subarray(0x600)]));
  return p;
};

describeCorpus('log --position with --bak', () => {
  let twoLogs = '';
  let twoBaks = '';
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-log-position-'));
    twoLogs = appended('RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'logs23.trn', dir);
    twoBaks = appended('RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'full-and-diff.bak', dir);
  });

  it('picks the set of the log file listed, not of --bak: set 2 prints what RestoreTimeClean_3.trn alone prints', async () => {
    const picked = await cli('log', twoLogs, '--bak', R('RestoreTimeClean.bak'), '--position', '2', '--format', 'csv', '--quiet');
    expect(picked.code, picked.stderr).toBe(0);
    const alone = await cli('log', R('RestoreTimeClean_3.trn'), '--bak', R('RestoreTimeClean.bak'), '--format', 'csv', '--quiet');
    expect(alone.code, alone.stderr).toBe(0);
    expect(picked.stdout).toBe(alone.stdout);
    expect(picked.stdout).toContain('dbo.steps');
  });

  it('a listed backup and a --bak of several sets would both need it: one line, nothing printed', async () => {
    const r = await cli('log', twoLogs, '--bak', twoBaks, '--position', '2');
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toMatch(/--position 2 picks the backup set of the log file listed \(\S+logs23\.trn\), and --bak \S+full-and-diff\.bak holds 2 backup sets, which would need one too: one --position cannot pick in both/);
  });
});
