// Child process for the job kill -9 test: runs a job whose source yields slowly, printing progress.
// Usage: crash-child.ts DIR
import { join } from 'node:path';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { fakeRecover, fakeSource } from './fake-source.js';

const [dir] = process.argv.slice(2);
const store = new StagingStore(join(dir, 'staging.db'));
const w = new JobWorker({
  store, batchSize: 25, openSource: async () => fakeSource(),
  recover: fakeRecover({ rows: 600, beforeRow: async (i) => { if (i % 25 === 0) { process.stdout.write(`row ${i}\n`); await new Promise((r) => setTimeout(r, 15)); } } }),
});
w.submit({ kind: 'files', ldf: '/evidence/crm.ldf' }, 'op');
await w.idle();
process.stdout.write('finished\n');
