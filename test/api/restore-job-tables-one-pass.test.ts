import { afterEach, expect, it, vi } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A restore job of several tables whose states are both replayed (`trn` + `stopAt`, `afterBak` +
 * `afterTrn` + `afterStopAt`) reads each chain once for all of them: the log streams and the backup
 * pages opened (the job's creation checks and its run) are as many for two tables as for one (each table was compared on its own, every
 * chain read again per table). Counted by wrapping the log-stream and page openers. Real bytes:
 * RestoreTimeClean's one table under two names differing in letter case (looked up each, compared
 * and staged once), 13:13:50 against 13:20 — older, compared as asked: the rows inserted between.
 */
const opened = vi.hoisted(() => ({ logs: [] as string[], pages: [] as string[] }));
vi.mock('../../src/backup/log-stream.js', async (original) => {
  const m = await original<typeof import('../../src/backup/log-stream.js')>();
  return {
    ...m,
    openBackupLogStream: (...a: Parameters<typeof m.openBackupLogStream>) => {
      opened.logs.push(String(a[0]));
      return m.openBackupLogStream(...a);
    },
  };
});
vi.mock('../../src/backup/open.js', async (original) => {
  const m = await original<typeof import('../../src/backup/open.js')>();
  return {
    ...m,
    openBackupPages: (...a: Parameters<typeof m.openBackupPages>) => {
      opened.pages.push(String(a[0]));
      return m.openBackupPages(...a);
    },
  };
});

describeCorpus('restore job of several tables: each replayed chain read once', () => {
  const { FULL, LOGS } = restoreTimeClean();
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const run = async (tables: string[]) => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    opened.logs.length = 0;
    opened.pages.length = 0;
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL], afterTrn: LOGS, afterStopAt: '2017-06-01 13:13:50', acceptOlderLater: true, tables } });
    expect(r.statusCode).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    const seen = { logs: [...opened.logs], pages: [...opened.pages], state: job.state, rows: job.rowsStaged };
    await t.close();
    t = undefined;
    return seen;
  };

  it('two names of the table open every log backup and the base pages as often as one name', async () => {
    const one = await run(['dbo.steps']);
    expect([one.state, one.rows]).toEqual(['succeeded', expect.any(Number)]);
    expect(one.rows).toBeGreaterThan(0);
    expect(one.logs.length).toBeGreaterThan(0);
    const two = await run(['dbo.steps', 'DBO.Steps']);
    expect([two.state, two.rows]).toEqual(['succeeded', one.rows]);
    expect(two.logs).toEqual(one.logs);
    expect(two.pages).toEqual(one.pages);
  });
});
