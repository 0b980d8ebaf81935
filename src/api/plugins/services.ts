import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ReinsertService, type ConnectFn } from '../../reinsert/service.js';
import { acquireStagingLock } from '../../staging/lock.js';
import type { StagingStore } from '../../staging/store.js';
import { openStagingStore } from '../../staging/open.js';
import type { Logger } from '../../util/logger.js';
import { JobWorker, type OpenSourceFn, type RecoverFn } from '../../worker/worker.js';

export interface ServicesOptions {
  /** An open store (tests) or a path to open. */
  store?: StagingStore;
  dbPath?: string;
  concurrency?: number;
  openSource?: OpenSourceFn;
  recover?: RecoverFn;
  connectTarget?: ConnectFn;
  /** Folders job files must lie in (links resolved): checked at creation (routes) and again when a job starts (the worker). */
  fileRoots?: string[];
}

/**
 * The staging store, the job worker and the re-insert service, as decorators. On start-up, jobs
 * and re-insert runs a crash left `running` are marked resumable/interrupted.
 *
 * A store opened here from `dbPath` is locked first (`<db>.lock`, src/staging/lock.ts): a second
 * server on the same file is refused with STAGING_LOCKED before it touches the file — it would
 * otherwise mark the first server's running jobs as interrupted.
 */
export const staging = fp(async function staging(app: FastifyInstance, o: ServicesOptions) {
  let store: StagingStore;
  if (o.store) {
    store = o.store;
  } else {
    const path = o.dbPath ?? 'rowback-staging.db';
    const lock = path === ':memory:' ? null : acquireStagingLock(path, app.log as unknown as Logger);
    try {
      store = openStagingStore(path);
    } catch (e) {
      lock?.release();
      throw e;
    }
    if (lock) app.log.info({ lock: lock.file }, 'staging file locked for this server');
    app.addHook('onClose', async () => {
      store.close();
      lock?.release();
    });
  }
  app.decorate('staging', store);
  const jobs = store.recoverInterruptedJobs();
  if (jobs.length) app.log.warn({ jobs }, 'jobs interrupted by a restart are resumable');
}, { name: 'rowback-staging' });

export const worker = fp(async function worker(app: FastifyInstance, o: ServicesOptions) {
  const w = new JobWorker({ store: app.staging, concurrency: o.concurrency, logger: app.log as unknown as Logger, openSource: o.openSource, recover: o.recover, fileRoots: o.fileRoots });
  app.decorate('worker', w);
  app.addHook('onClose', async () => w.stop());
}, { name: 'rowback-worker', dependencies: ['rowback-staging'] });

export const reinsert = fp(async function reinsert(app: FastifyInstance, o: ServicesOptions) {
  const svc = new ReinsertService(app.staging, { logger: app.log as unknown as Logger, connect: o.connectTarget });
  const runs = svc.recoverInterruptedRuns();
  if (runs.length) app.log.warn({ runs }, 're-insert runs interrupted by a restart: resume them with their target');
  app.decorate('reinsert', svc);
  app.addHook('onClose', async () => svc.idle());
}, { name: 'rowback-reinsert', dependencies: ['rowback-staging'] });
