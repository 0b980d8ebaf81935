import { join } from 'node:path';
import { expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `diff` with its two points in time the wrong way round (--after-stop-at before --stop-at)
 * printed the rows inserted between them as "missing from the later state" (RestoreTimeClean
 * 13:03 vs 13:01: 4 rows, which exist today: re-inserting them duplicates them). Now refused.
 */
const cli = captureCli();
describeCorpus('diff with the later point before the earlier one', () => {
  const d = () => corpusPath('appveyor-lab', 'RestoreTimeClean');
  const args = (stop: string, after: string) => ['diff', '--bak', join(d(), 'RestoreTimeClean.bak'), '--trn', join(d(), 'RestoreTimeClean_1.trn'), '--stop-at', stop, '--after-bak', join(d(), 'RestoreTimeClean.bak'), '--after-trn', join(d(), 'RestoreTimeClean_1.trn'), '--after-stop-at', after, '--table', 'steps'];
  it('is refused in one line naming both points', async () => {
    const r = await cli(...args('2017-06-01T13:03', '2017-06-01T13:01'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('rowback: INPUT_BAD_WINDOW: --after-stop-at 2017-06-01T13:01 is before --stop-at 2017-06-01T13:03: diff prints what the later state lacks, so the later point must be the later one; swap them (field --after-stop-at)\n');
  });
  it('the right way round: nothing is missing (rows were only inserted)', async () => {
    const r = await cli(...args('2017-06-01T13:01', '2017-06-01T13:03'), '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('a restore job (serve) likewise, naming the field', async () => {
    const spec = { kind: 'restore' as const, bak: [join(d(), 'RestoreTimeClean.bak')], trn: [join(d(), 'RestoreTimeClean_1.trn')], stopAt: '2017-06-01T13:03', afterBak: [join(d(), 'RestoreTimeClean.bak')], afterTrn: [join(d(), 'RestoreTimeClean_1.trn')], afterStopAt: '2017-06-01T13:01', table: 'dbo.steps' };
    await expect(validateJobSpec(spec)).rejects.toMatchObject({ code: 'INPUT_BAD_WINDOW', message: expect.stringMatching(/^afterStopAt 2017-06-01T13:01 is before stopAt 2017-06-01T13:03/), location: { field: 'afterStopAt' } });
    await expect(validateJobSpec({ ...spec, stopAt: '2017-06-01T13:01', afterStopAt: '2017-06-01T13:03' })).resolves.toBeUndefined();
  });
});
