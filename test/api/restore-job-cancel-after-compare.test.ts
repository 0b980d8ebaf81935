/**
 * A restore job cancelled after its comparison ended, while the worker reads the earlier state's
 * backups for the database they are of (recordSourceDatabase, awaited before staging). The cancel
 * was checked once, before that read: one arriving during it was answered (cancel: true, audited
 * job.cancel), and the job went on to stage every row and end `succeeded`. Now checked after it too:
 * the job ends cancelled with nothing staged, and a resume stages it. The read is held here until
 * the cancel is asked; real backups (RestoreTimeClean).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

const held = vi.hoisted(() => ({ hold: false, entered: null as null | (() => void), release: null as null | Promise<void> }));

vi.mock('../../src/recover/source-identity.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/recover/source-identity.js')>();
  return {
    ...m,
    readSourceIdentities: async (...args: Parameters<typeof m.readSourceIdentities>) => {
      // (the read the worker makes after the comparison, for the database the rows are of)
      if (held.hold && (new Error().stack ?? '').includes('recordSourceDatabase')) {
        held.entered?.();
        await held.release;
      }
      return m.readSourceIdentities(...args);
    },
  };
});

describeCorpus('restore job: a cancel asked after the comparison, before staging', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let t: TestApp | undefined;
  afterEach(async () => { held.hold = false; await t?.close(); t = undefined; });

  it('the job ends cancelled, nothing staged (it succeeded behind the cancel); resumed, it stages', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    held.hold = true;
    const entered = new Promise<void>((resolve) => { held.entered = resolve; });
    let release!: () => void;
    held.release = new Promise<void>((resolve) => { release = resolve; });
    const spec = { kind: 'restore' as const, bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], tables: ['dbo.steps', 'dbo.table1'], acceptOlderLater: true };
    const job = t.app.worker.submit(spec, 'olga');
    await entered;
    expect(t.app.worker.cancel(job.id, 'olga')).toBe(true);
    release();
    await t.app.worker.idle();
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'cancelled', rowsStaged: 0 });
    held.hold = false;
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/resume`, headers: bearer(t.tokens.operator), payload: {} })).statusCode).toBe(200);
    await t.app.worker.idle();
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'succeeded', rowsStaged: 12 });
  }, 60_000);
});
