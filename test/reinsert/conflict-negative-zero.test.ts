import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget, targetTables } from './fake-target.js';

/**
 * A conflict's existing row (the target's row holding the key, as the driver reads it: tedious keeps
 * a float's negative zero) was stored with JSON.stringify, which writes -0 as 0: the reviewer
 * comparing it with the recovered row saw 0 where the target holds -0 (the recovered row's own -0 is
 * kept since 643e8ee). Stored as JSON text -0 now, and read back as -0.
 */
describeCorpus("a conflict's existing row keeps a negative zero", () => {
  it('stored and read back as -0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-conflict-nz-'));
    const store = new StagingStore(join(dir, 'staging.db'));
    const target = new FakeTarget(join(dir, 'target.db'), targetTables());
    try {
      const job = store.createJob({ kind: 'files', spec: {}, description: 't', createdBy: 'op' });
      store.stageBatch(job.id, corpusRows(60));
      store.saveJobTables(job.id, Object.values(LAYOUTS));
      store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.T' } });
      target.seed('dbo.T', [1], { Id: 1, Name: 'already here' });
      // the driver's row: a float column holding -0 (JSON text -0 parses to -0)
      target.db.prepare("UPDATE target_rows SET vals = '{\"Id\":1,\"Name\":\"already here\",\"F\":-0,\"V\":{\"baseType\":\"float\",\"value\":-0}}' WHERE tbl = 'dbo.T'").run();
      const svc = new ReinsertService(store, { connect: () => target });
      const run = await svc.start(job.id, 'op', { dryRun: false, target: { connectionString: 'Server=fake;Password=x' }, batchSize: 4 });
      await svc.wait(run.id);
      const conflict = svc.outcomes(run.id).find((o) => o.outcome === 'conflict')!;
      const existing = (conflict.detail as { existing: { F: number; V: { value: number } } }).existing;
      expect(Object.is(existing.F, -0)).toBe(true);
      expect(Object.is(existing.V.value, -0)).toBe(true);
    } finally {
      store.close();
      target.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
