import { expect, it, vi } from 'vitest';
import { bearer, fakeFilesJob, testApp } from '../api/helpers.js';

// A script longer than one JavaScript string can be (V8: 2^29 - 24 characters, a dry run of some
// 600,000 rows) makes joining its pieces a RangeError 'Invalid string length': the dry run was
// answered 500 INTERNAL and its run stayed 'planned'. Simulated here (a real one takes minutes and
// gigabytes): the answer is the 413 REINSERT_SCRIPT_TOO_LARGE of a script SQLite cannot keep, with
// the ways that work, and the run failed with it.
vi.mock('../../src/reinsert/plan.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/reinsert/plan.js')>();
  return { ...real, renderScriptCooperatively: async () => { throw new RangeError('Invalid string length'); } };
});

it('a dry run whose script is longer than a string can be is refused 413 REINSERT_SCRIPT_TOO_LARGE, its run failed', async () => {
  const t = await testApp();
  try {
    const jobId = await fakeFilesJob(t);
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', all: true } });
    const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true } });
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json().code).toBe('REINSERT_SCRIPT_TOO_LARGE');
    expect(r.json().message).toMatch(/whose script is longer than one JavaScript string can be .*preview fewer rows at a time \(rowIds.*export\?format=sql&status=approved/);
    const runs = (await t.app.inject({ url: `/api/jobs/${jobId}/reinsert-runs`, headers: bearer(t.tokens.operator) })).json().items as { state: string; error: { code: string } | null }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.state).toBe('failed');
    expect(runs[0]!.error?.code).toBe('REINSERT_SCRIPT_TOO_LARGE');
  } finally {
    await t.close();
  }
});
