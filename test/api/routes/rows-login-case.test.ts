/**
 * The `login` and `transactionId` filters matched a row's text exactly: `login=crm\batchjob` for
 * rows of `CRM\batchjob` (SQL Server compares login names under its case-insensitive collation, as
 * rowback's `dbUser` filter does), or a transaction id typed in capitals, matched nothing, and the
 * rows list, its count, the export and a decision by that filter all said no such row existed: a
 * reviewer read "this account deleted nothing". Now a value no row holds exactly matches the rows
 * whose value differs from it only in letter case; exact first (a case-sensitive server's two logins
 * stay two). Rows: real corpus row images (test/staging/fixtures.ts), logins SYNTHETIC.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('login and transactionId filters, letter case', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.viewer) });

  it('a login typed in another case finds its rows in the list, count, export and a decision', async () => {
    const jobId = await fakeFilesJob(t);
    const exact = (await get(`/api/jobs/${jobId}/rows?login=${encodeURIComponent('CRM\\batchjob')}&count=true&limit=1000`)).json();
    expect(exact.total).toBeGreaterThan(0);
    const other = (await get(`/api/jobs/${jobId}/rows?login=${encodeURIComponent('crm\\BATCHJOB')}&count=true&limit=1000`)).json();
    expect(other.total).toBe(exact.total);
    expect(other.items.map((r: { id: number }) => r.id)).toEqual(exact.items.map((r: { id: number }) => r.id));
    const csv = (await get(`/api/jobs/${jobId}/export?format=ndjson&login=${encodeURIComponent('crm\\batchjob')}`)).body.trim().split('\n');
    expect(csv).toHaveLength(exact.total);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'not ours', filter: { login: 'crm\\batchjob' } } });
    expect(d.json().rows).toBe(exact.total);
  });

  it('exact first: with rows of both spellings, each finds its own', async () => {
    const jobId = await fakeFilesJob(t);
    // a case-sensitive server's second login, SYNTHETIC
    t.store.db.prepare("UPDATE rows SET login = 'crm\\batchjob' WHERE job_id = ? AND id IN (SELECT id FROM rows WHERE job_id = ? AND login = 'CRM\\batchjob' LIMIT 3)").run(jobId, jobId);
    const lower = (await get(`/api/jobs/${jobId}/rows?login=${encodeURIComponent('crm\\batchjob')}&count=true`)).json();
    expect(lower.total).toBe(3);
    const upper = (await get(`/api/jobs/${jobId}/rows?login=${encodeURIComponent('CRM\\batchjob')}&count=true`)).json();
    expect(upper.total).toBeGreaterThan(3);
    const neither = (await get(`/api/jobs/${jobId}/rows?login=${encodeURIComponent('Crm\\BatchJob')}&count=true`)).json();
    expect(neither.total).toBe(lower.total + upper.total);
  });

  it('a transaction id in capitals finds its rows', async () => {
    const jobId = await fakeFilesJob(t);
    const exact = (await get(`/api/jobs/${jobId}/rows?transactionId=0000:000003e8&count=true`)).json();
    expect(exact.total).toBeGreaterThan(0);
    const upper = (await get(`/api/jobs/${jobId}/rows?transactionId=0000:000003E8&count=true`)).json();
    expect(upper.total).toBe(exact.total);
    const none = (await get(`/api/jobs/${jobId}/rows?transactionId=0000:000003e9x&count=true`)).json();
    expect(none.total).toBe(0);
  });
});
