/**
 * `rowback log FILE --from TIME` (scan's time window given to log): commander answered "unknown
 * option '--from' (Did you mean --format?)", sending a DBA after the wrong option. Now the one line
 * says log selects by LSN or transaction, and that the time window is scan's.
 */
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

describeCorpus('rowback log given a time window', () => {
  it.each([['--from', '2018-08-28'], ['--to', '2018-08-28T22:00'], ['--to=2018-08-28', undefined]])('%s: named as scan\'s, with log\'s own choices', async (flag, value) => {
    const line = expectOneLineError(await cli('log', ldf(), ...(value === undefined ? [flag] : [flag, value])), 'INPUT_BAD_OPTION');
    expect(line).toContain(`unknown option '${flag.split('=')[0]}': rowback log selects records by LSN (--from-lsn, --to-lsn) or transaction (--transaction), not by time`);
    expect(line).toContain('rowback scan --from TIME --to TIME');
    expect(line).not.toContain('Did you mean --format');
  });

  it('another unknown option keeps commander\'s words', async () => {
    expect(expectOneLineError(await cli('log', ldf(), '--fro', 'x'), 'INPUT_BAD_OPTION')).toBe("rowback: INPUT_BAD_OPTION: unknown option '--fro' (see rowback log --help)\n");
  });
});
