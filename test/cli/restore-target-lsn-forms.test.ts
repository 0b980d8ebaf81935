import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A --stop-before-lsn outside what the backups reach is refused naming the LSN typed in both
 * forms, as the reachable range beside it is named: a DBA who typed fn_dblog's form
 * (0000001a:00000001:0001) read it back only as 26000000000100001, a number not typed.
 * REAL bytes: the corpus's RestoreTimeClean folder.
 */
const cli = captureCli();

describeCorpus('restore refusals name the --stop-before-lsn given in both LSN forms', () => {
  it('too late and too early', async () => {
    const dir = corpusPath('appveyor-lab', 'RestoreTimeClean');
    const late = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-before-lsn', '0000001a:00000001:0001', '--as', 'X'), 'INPUT_RESTORE_TOO_LATE');
    expect(late).toContain('--stop-before-lsn 26000000000100001 (0000001a:00000001:0001) is after the last point');
    const early = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-before-lsn', '25000000000100001', '--as', 'X'), 'INPUT_RESTORE_TOO_EARLY');
    expect(early).toContain('--stop-before-lsn 25000000000100001 (00000019:00000001:0001) is before any restorable point');
  });
});
