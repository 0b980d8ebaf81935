import { afterEach, expect, it, vi } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A restore job of several tables reads each state once for all of them: a replayed state's chain
 * (`trn` + `stopAt`, `afterBak` + `afterTrn` + `afterStopAt`) in one pass, a state read as it is
 * (backups without log backups) opened, its catalog and its own log read once: the log streams and
 * the backup pages opened (the job's creation checks and its run) are as many for two tables as for
 * one (each table was compared on its own, every state read again per table), and the job is the
 * same. Counted by wrapping the log-stream and page openers. Real bytes: RestoreTimeClean's one table
 * under two names differing in letter case (looked up each, compared and staged once).
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
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const run = async (spec: Record<string, unknown>, tables: string[]) => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    opened.logs.length = 0;
    opened.pages.length = 0;
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', ...spec, tables } });
    expect(r.statusCode).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    const notes = t.store.audit({ jobId: job.id }).find((a) => a.action === 'job.notes')?.details.notes;
    const rows = ((await t.app.inject({ url: `/api/jobs/${job.id}/rows?limit=500`, headers: bearer(t.tokens.viewer) })).json().items as Array<Record<string, unknown>>).map(({ id: _id, ...x }) => x);
    const seen = { logs: [...opened.logs], pages: [...opened.pages], state: job.state, staged: job.rowsStaged, notes, rows };
    await t.close();
    t = undefined;
    return seen;
  };

  it.each([
    ['both states replayed: 13:20 against 13:13:50 (older, compared as asked)', { bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL], afterTrn: LOGS, afterStopAt: '2017-06-01 13:13:50', acceptOlderLater: true }],
    ['the later state read as it is, with its own log: 13:20 against the differential', { bak: [FULL], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [FULL, DIFF], acceptOlderLater: true }],
    ['both states read as they are: the differential against the full backup', { bak: [FULL, DIFF], afterBak: [FULL], acceptOlderLater: true }],
  ])('%s: two names of the table open every log stream and the pages as often as one name, the job alike', async (_name, spec) => {
    const one = await run(spec, ['dbo.steps']);
    expect([one.state, one.staged]).toEqual(['succeeded', expect.any(Number)]);
    expect(one.staged).toBeGreaterThan(0);
    expect(one.logs.length).toBeGreaterThan(0);
    expect(one.pages.length).toBeGreaterThan(0);
    const two = await run(spec, ['dbo.steps', 'DBO.Steps']);
    expect([two.state, two.staged, two.notes, two.rows]).toEqual([one.state, one.staged, one.notes, one.rows]);
    expect(two.logs).toEqual(one.logs);
    expect(two.pages).toEqual(one.pages);
  });
});
