import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from './helpers.js';

// Unknown keys were dropped without a word (zod strips them): a bulk decision whose filter said
// `tabel` (a typo of `table`) matched every row of the job — `{"decision":"reject",…,"filter":{"tabel":
// "dbo.Employee"}}` answered rows: 2 of 2, and an approval would have sent them all to re-insert; a job
// with `tabels` scanned every table; `export?stauts=approved` exported every row. Now a 400 naming the key.
describeCorpus('unknown keys in requests are refused, not dropped', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });
  const createJob = () => fakeFilesJob(t);

  it('a bulk decision whose filter has a typo decides nothing', async () => {
    const jobId = await createJob();
    const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore the employees', filter: { tabel: 'dbo.Employee' } } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_VALIDATION', field: 'body.filter' });
    expect(r.json().message).toContain('tabel');
    expect(t.store.decisions(jobId)).toEqual([]);
    expect(t.store.countRows(jobId, { status: 'approved' })).toBe(0);
    const top = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore them', ids: [1], dryRun: true } });
    expect([top.statusCode, top.json().code]).toEqual([400, 'INPUT_VALIDATION']);
  });

  it.each([
    ['a job spec', { method: 'POST' as const, url: '/api/jobs', payload: { kind: 'files', ldf: '/evidence/crm.ldf', tabels: ['dbo.tblDept'] } }, 'tabels'],
    ['a job\'s metadata', { method: 'POST' as const, url: '/api/jobs', payload: { kind: 'files', ldf: '/evidence/crm.ldf', metadata: { ddl: 'CREATE TABLE t (a int)', alloc_unit: '1' } } }, 'alloc_unit'],
  ])('%s', async (_, req, key) => {
    const before = t.store.listJobs({ limit: 100 }).length;
    const r = await t.app.inject({ ...req, headers: bearer(t.tokens.operator) });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('INPUT_VALIDATION');
    expect(r.json().message).toContain(key);
    expect(t.store.listJobs({ limit: 100 })).toHaveLength(before);
  });

  it.each([
    ['export?format=sql&stauts=approved', 'stauts'],
    ['rows?limt=5', 'limt'],
  ])('GET %s', async (q, key) => {
    const jobId = await createJob();
    const r = await t.app.inject({ url: `/api/jobs/${jobId}/${q}`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain(key);
  });
});
