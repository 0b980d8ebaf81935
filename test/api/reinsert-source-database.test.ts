import { expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { appWithFakeTarget, bearer } from './helpers.js';

/**
 * The API side of the source-database check (src/reinsert/source-database.ts): the job JSON names
 * the database its rows were read from; a dry run answers `databaseCheck` and its script's first
 * line warns when the target is another database; a real run into it is 409 REINSERT_OTHER_DATABASE
 * unless the request says acceptOtherDatabase: true; the SQL export names the source database.
 * SYNTHETIC GUIDs, the fake target (test/reinsert/fake-target.ts).
 */
const A = '0F3C2B6E-0000-4000-8000-00000000000A';
const B = '0F3C2B6E-0000-4000-8000-00000000000B';

describeCorpus('POST /api/jobs/:id/reinsert compares the source database with the target\'s', () => {
  const env = appWithFakeTarget();
  const target = { connectionString: 'Server=fake' };

  it('job JSON, dry run, refused run, accepted run, export', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    // the fake source states no database: not known
    expect((await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json().sourceDatabase).toBeNull();
    t.store.setJobSourceDatabase(jobId, { name: 'CRM', bindingId: A, familyGuid: null });
    expect((await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json().sourceDatabase).toEqual({ name: 'CRM', nameText: 'CRM', bindingId: A, familyGuid: null });
    expect((await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json().items[0].sourceDatabase).toEqual({ name: 'CRM', nameText: 'CRM', bindingId: A, familyGuid: null });

    env.target.database = 'CRM_TenantB';
    env.target.databaseGuid = B;
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().databaseCheck).toMatchObject({ verdict: 'different', source: { name: 'CRM', bindingId: A }, target: { name: 'CRM_TenantB', bindingId: B } });
    expect(dry.json().script.split('\n')[0]).toMatch(/^-- WARNING: rows were read from database CRM \(binding id 0F3C.*0A\); this re-insert puts them into database CRM_TenantB \(binding id 0F3C.*0B\), another database/);

    const refused = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('REINSERT_OTHER_DATABASE');
    expect(refused.json().message).toContain('acceptOtherDatabase: true');

    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target, acceptOtherDatabase: true } });
    expect(run.statusCode).toBe(202);
    expect(run.json().summary).toMatchObject({ acceptOtherDatabase: true, databaseCheck: { verdict: 'different' } });
    await t.app.reinsert.wait(run.json().id);

    // the SQL export (no target): names the database the rows were read from
    const sql = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=sql&status=approved`, headers: bearer(t.tokens.viewer) });
    expect(sql.statusCode).toBe(200);
    expect(sql.body).toMatch(/^-- database check: rows were read from database CRM \(binding id 0F3C.*0A\); this script was not planned against a target, so rowback cannot check where it runs/m);
  });

  // The review page's progress line said `read from database CRM Side` (two words to a reader) and
  // wrote a line break as it came: the job answer gives the name as one name too, which it writes.
  it('the job answer gives sourceDatabase.nameText, the name as one T-SQL name; null when no name is stated', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    const get = async () => (await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.viewer) })).json().sourceDatabase;
    const listed = async () => (await t.app.inject({ url: '/api/jobs', headers: bearer(t.tokens.viewer) })).json().items.find((j: { id: number }) => j.id === jobId).sourceDatabase;
    for (const [name, nameText] of [['CRM Side', '[CRM Side]'], ['CRM]\nGO', '[CRM]]\\u{a}GO]'], ['F:\\DATA\\DATABASE1.MDF', '[F:\\DATA\\DATABASE1.MDF]'], [null, null]] as const) {
      t.store.setJobSourceDatabase(jobId, { name, bindingId: A, familyGuid: null });
      expect(await get()).toEqual({ name, nameText, bindingId: A, familyGuid: null });
      expect((await listed()).nameText).toBe(nameText);
    }
  });

  it('the same database: databaseCheck same, the run goes without acceptOtherDatabase', async () => {
    const { t } = env;
    const jobId = await env.approvedTrailJob();
    t.store.setJobSourceDatabase(jobId, { name: 'CRM', bindingId: A, familyGuid: null });
    env.target.database = 'CRM';
    env.target.databaseGuid = A;
    const dry = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, target } });
    expect(dry.json().databaseCheck.verdict).toBe('same');
    expect(dry.json().script).not.toContain('WARNING: rows were read');
    const run = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: false, target } });
    expect(run.statusCode).toBe(202);
  });
});
