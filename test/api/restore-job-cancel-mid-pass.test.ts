/**
 * A restore job of several tables cancelled while its replay runs. The first table's step replays
 * every table's chain in one pass (sharedReplays), and the worker gave the comparison no signal:
 * a cancel waited for the whole pass, every table's, where it had waited for one table's replay.
 * Now the job's signal reaches the replay, and the job ends cancelled with nothing staged.
 * The pass is held here (a replay that would run long: a chain of GBs) until the signal it is given
 * aborts; real backups (RestoreTimeClean) once it is let go.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

const held = vi.hoisted(() => ({ hold: false, entered: null as null | (() => void), signals: [] as Array<AbortSignal | undefined> }));

vi.mock('../../src/replay/point-in-time.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/replay/point-in-time.js')>();
  return {
    ...m,
    sharedReplays: (tables: readonly string[]) => {
      const real = m.sharedReplays(tables);
      return async (inputs: Parameters<ReturnType<typeof m.sharedReplays>>[0]) => {
        held.signals.push(inputs.signal);
        if (held.hold) {
          held.entered?.();
          // a long pass: it ends when its signal aborts (without one, it fails at once: no cancel reaches it)
          await new Promise<void>((_, reject) => {
            if (!inputs.signal) return void setTimeout(() => reject(new Error('the replay was given no signal: a cancel cannot stop it')), 50);
            if (inputs.signal.aborted) reject(inputs.signal.reason);
            inputs.signal.addEventListener('abort', () => reject(inputs.signal!.reason), { once: true });
          });
        }
        return real(inputs);
      };
    },
  };
});

describeCorpus('restore job of several tables: a cancel stops the replay pass', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let t: TestApp | undefined;
  afterEach(async () => { held.hold = false; held.signals.length = 0; await t?.close(); t = undefined; });

  it('cancelled mid-pass: the job ends cancelled, nothing staged; resumed, it stages both tables', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    held.hold = true;
    const entered = new Promise<void>((resolve) => { held.entered = resolve; });
    const spec = { kind: 'restore' as const, bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], tables: ['dbo.steps', 'dbo.table1'], acceptOlderLater: true };
    const job = t.app.worker.submit(spec, 'olga');
    await entered;
    expect(held.signals[0]).toBeInstanceOf(AbortSignal);
    expect(t.app.worker.cancel(job.id, 'olga')).toBe(true);
    // the pass ends at the abort: the job does not wait for it (it waited forever for this held one)
    await Promise.race([t.app.worker.idle(), new Promise((_, reject) => setTimeout(() => reject(new Error('the cancel did not stop the replay pass')), 10_000))]);
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'cancelled', rowsStaged: 0 });
    held.hold = false;
    expect((await t.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/resume`, headers: bearer(t.tokens.operator), payload: {} })).statusCode).toBe(200);
    await t.app.worker.idle();
    expect(t.store.requireJob(job.id)).toMatchObject({ state: 'succeeded', rowsStaged: 12 });
  }, 30_000);
});
