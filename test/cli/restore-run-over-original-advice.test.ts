/**
 * `restore run --as X` where X is the database whose backups are restored was refused
 * INPUT_RESTORE_OVER_ORIGINAL advising "or --replace-original to overwrite X deliberately": restore
 * run has no such option (it never restores over the original; commander refuses it as unknown).
 * Said so both by the up-front refusal (--database given, 5990bcd6) and by the plan's own refusal
 * (--backups, the name read from the backups). restore plan keeps the advice: it has the option.
 * REAL RestoreTimeClean backups for the second; the first reads nothing (a fake msdb runner that
 * fails if made).
 */
import { describe, expect, it } from 'vitest';
import { runRestoreRun } from '../../src/cli/commands/restore.js';
import type { SqlRunner } from '../../src/logreader/live/runner.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();
const noServer = () => (): SqlRunner => {
  throw new Error('msdb was queried before the option refusal');
};

describe('restore run: --as naming the original, advice without an option run lacks', () => {
  it('--database Shop --as shop: refused up front, no --replace-original advised', async () => {
    const e = runRestoreRun({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'shop' }, undefined, undefined, { runner: noServer() });
    await expect(e).rejects.toMatchObject({ code: 'INPUT_RESTORE_OVER_ORIGINAL', message: expect.stringContaining('restore run never restores over the original database') });
    await expect(runRestoreRun({ server: 'fake', database: 'Shop', stopAt: '2024-05-01 10:30', as: 'shop' }, undefined, undefined, { runner: noServer() }))
      .rejects.toMatchObject({ message: expect.not.stringContaining('--replace-original') });
  });
});

describeCorpus('restore run --backups: the plan\'s own over-the-original refusal (REAL RestoreTimeClean)', () => {
  it('--as RestoreTimeClean: no --replace-original advised for run; restore plan keeps it', async () => {
    const dir = corpusPath('appveyor-lab', 'RestoreTimeClean');
    const r = expectOneLineError(await run('restore', 'run', '--backups', dir, '--server', 'localhost', '--as', 'RestoreTimeClean', '--stop-at', '2017-06-01T13:05:00'), 'INPUT_RESTORE_OVER_ORIGINAL');
    expect(r).not.toContain('--replace-original');
    expect(r).toContain('restore run never restores over the original database');
    const p = expectOneLineError(await run('restore', 'plan', '--backups', dir, '--as', 'RestoreTimeClean', '--stop-at', '2017-06-01T13:05:00'), 'INPUT_RESTORE_OVER_ORIGINAL');
    expect(p).toContain('or --replace-original to overwrite RestoreTimeClean deliberately');
  });
});
