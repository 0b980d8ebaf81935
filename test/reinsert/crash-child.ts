// Child process for the kill -9 tests: runs a re-insert and SIGKILLs itself at an exact point of
// batch 4 — inside the open target transaction, or after the target COMMIT but before the
// staging store recorded it.
// Usage: crash-child.ts DIR JOB_ID in-transaction|after-target-commit
import { join } from 'node:path';
import { ReinsertService } from '../../src/reinsert/service.js';
import { StagingStore } from '../../src/staging/store.js';
import { FakeTarget, targetTables } from './fake-target.js';

const [dir, job, mode] = process.argv.slice(2);
const store = new StagingStore(join(dir, 'staging.db'));
const target = new FakeTarget(join(dir, 'target.db'), targetTables());
const die = (): void => { process.kill(process.pid, 'SIGKILL'); };
const svc = new ReinsertService(store, {
  connect: () => target,
  hooks: {
    beforeCommit: (b) => { if (mode === 'in-transaction' && b.batchNo === 4) die(); },
    afterTargetCommit: (b) => { process.stdout.write(`batch ${b.batchNo} committed\n`); if (mode === 'after-target-commit' && b.batchNo === 4) die(); },
  },
});
const run = await svc.start(Number(job), 'op', { dryRun: false, target: { connectionString: 'fake' }, batchSize: 7 });
await svc.wait(run.id);
process.stdout.write('finished without a crash\n');
