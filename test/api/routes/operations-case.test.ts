import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { LAYOUTS } from '../../staging/fixtures.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

// `operations` (a job's, a re-insert's) took only lower case: `["DELETE"]` was a 400 while
// `rowback scan --op DELETE` is delete. Both now take any case through scanOperationOf, the CLI's.
describeCorpus('API `operations` in any case, as `rowback scan --op`', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });
  const postJob = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload });

  it('a job with operations ["DELETE", "Update"] is created with ["delete", "update"]', async () => {
    const r = await postJob({ kind: 'files', ldf: '/evidence/crm.ldf', operations: ['DELETE', 'Update'] });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ operations: ['delete', 'update'] });
  });

  it('a re-insert with operations ["DELETE"] is a re-insert of deletes (200), not a 400', async () => {
    const r = await postJob({ kind: 'files', ldf: '/evidence/crm.ldf' });
    await t.app.worker.idle();
    t.store.saveJobTables(r.json().id, Object.values(LAYOUTS));
    await t.app.inject({ method: 'POST', url: `/api/jobs/${r.json().id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', filter: { table: 'dbo.LogTestTrailNull' } } });
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${r.json().id}/reinsert`, headers: bearer(t.tokens.reviewer), payload: { dryRun: true, operations: ['DELETE'] } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().script).toContain('INSERT INTO [dbo].[LogTestTrailNull]');
  });

  it('a name that is no operation is still a 400 naming the field', async () => {
    const r = await postJob({ kind: 'files', ldf: '/evidence/crm.ldf', operations: ['remove'] });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('operations');
    const jobs = (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json();
    expect(JSON.stringify(jobs)).not.toContain('remove');
  });

  it('the OpenAPI document still builds and lists the operations by their names', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const body = doc.paths['/api/jobs/{id}/reinsert'].post.requestBody.content['application/json'].schema;
    expect(body.properties.operations.items).toMatchObject({ enum: ['delete', 'insert', 'update'] });
    expect(JSON.stringify(doc.paths['/api/jobs'].post.requestBody)).toContain('"enum":["delete","insert","update"]');
  });
});
