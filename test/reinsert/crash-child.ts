// Child process for the kill -9 test: runs a re-insert slowly, printing each committed batch.
// Usage: crash-child.ts DIR JOB_ID
import { join } from 'node:path';
import { ReinsertService } from '../../src/reinsert/service.js';
import { fromLayout } from '../../src/reinsert/target-table.js';
import { StagingStore } from '../../src/staging/store.js';
import { LAYOUTS } from '../staging/fixtures.js';
import { FakeTarget } from './fake-target.js';

const [dir, job] = process.argv.slice(2);
const store = new StagingStore(join(dir, 'staging.db'));
const target = new FakeTarget(join(dir, 'target.db'), new Map(Object.entries(LAYOUTS).map(([k, l]) => [k, fromLayout(l)])));
const svc = new ReinsertService(store, {
  connect: () => target,
  hooks: {
    beforeCommit: () => new Promise((r) => setTimeout(r, 40)),
    afterTargetCommit: (b) => { process.stdout.write(`batch ${b.batchNo} committed\n`); return new Promise((r) => setTimeout(r, 20)); },
  },
});
const run = await svc.start(Number(job), 'op', { dryRun: false, target: { connectionString: 'fake' }, batchSize: 7 });
await svc.wait(run.id);
process.stdout.write('finished\n');
