import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows } from '../staging/fixtures.js';
import { approvedJob, storeAndTarget } from './fake-target.js';

/**
 * A conflict's existing row (the target's row holding the key, as the driver reads it: tedious keeps
 * a float's negative zero) was stored with JSON.stringify, which writes -0 as 0: the reviewer
 * comparing it with the recovered row saw 0 where the target holds -0 (the recovered row's own -0 is
 * kept since 643e8ee). Stored as JSON text -0 now, and read back as -0.
 */
describeCorpus("a conflict's existing row keeps a negative zero", () => {
  const env = storeAndTarget('rowback-conflict-nz-');
  it('stored and read back as -0', async () => {
    const { store, target } = env;
    const jobId = approvedJob(store, corpusRows(60), 'dbo.T');
    target.seed('dbo.T', [1], { Id: 1, Name: 'already here' });
    // the driver's row: a float column holding -0 (JSON text -0 parses to -0)
    target.db.prepare("UPDATE target_rows SET vals = '{\"Id\":1,\"Name\":\"already here\",\"F\":-0,\"V\":{\"baseType\":\"float\",\"value\":-0}}' WHERE tbl = 'dbo.T'").run();
    const svc = new ReinsertService(store, { connect: () => target });
    const run = await svc.start(jobId, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Password=x' }, batchSize: 4 });
    await svc.wait(run.id);
    const conflict = svc.outcomes(run.id).find((o) => o.outcome === 'conflict')!;
    const existing = (conflict.detail as { existing: { F: number; V: { value: number } } }).existing;
    expect(Object.is(existing.F, -0)).toBe(true);
    expect(Object.is(existing.V.value, -0)).toBe(true);
  });
});
