import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { employee, LOG_DB, OTHER_DB } from '../support/employee-catalog.js';

/**
 * The API's `metadata.catalog` is checked against the job's files as `scan --schema` checks it
 * (test/cli/schema-catalog-other-database.test.ts): a catalog whose database_guid is not the
 * binding id of the job's log is refused at creation (400 INPUT_CATALOG_OTHER_DATABASE, field
 * metadata.catalog); `metadata.catalogAnyDatabase` reads it all the same, said in the job's notes;
 * a catalog naming no database is a job note. REAL log: AngularJs_CRUD Database1_log.ldf (binding id
 * 97C13D95-…, 3 deleted dbo.Employee rows). SYNTHETIC catalogs: dbo.Employee's rows with
 * identities written by hand (the other GUID is CRUD-.NET Database_log.ldf's binding id).
 */

describeCorpus('a files job\'s catalog JSON and the database of its files (real worker)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const LDF = corpusPath('AngularJs_CRUD/App_Data', 'Database1_log.ldf');
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const open = async () => (t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 }));
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

  it('of another database: 400 INPUT_CATALOG_OTHER_DATABASE naming metadata.catalog, both GUIDs and the override', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, metadata: { catalog: employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }) } });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'INPUT_CATALOG_OTHER_DATABASE', 'metadata.catalog']);
    expect(r.json().message).toContain(`metadata.catalog is of database Database (database_guid ${OTHER_DB})`);
    expect(r.json().message).toContain(`binding id ${LOG_DB}`);
    expect(r.json().message).toContain('"catalogAnyDatabase": true');
  });

  it('of the log\'s own database: staged, nothing said of it', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, metadata: { catalog: employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }) } });
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(r.json().id).state).toBe('succeeded');
    expect(t!.store.requireJob(r.json().id).rowsStaged).toBe(3);
    expect(notesOf(r.json().id).join('\n')).not.toMatch(/database_guid|could not check/);
  });

  it('catalogAnyDatabase: staged all the same, the job\'s notes say so', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, metadata: { catalog: employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }), catalogAnyDatabase: true } });
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(r.json().id).state).toBe('succeeded');
    expect(notesOf(r.json().id).join('\n')).toContain('read with that catalog all the same ("metadata": { "catalogAnyDatabase": true })');
  });

  it('a catalog naming no database: staged, noted as unchecked', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, metadata: { catalog: employee() } });
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(r.json().id).state).toBe('succeeded');
    expect(notesOf(r.json().id).join('\n')).toContain('metadata.catalog names no database');
  });

  it('catalogAnyDatabase without a catalog: 400', async () => {
    await open();
    const r = await post({ kind: 'files', ldf: LDF, metadata: { ddl: 'CREATE TABLE dbo.T (a int)', catalogAnyDatabase: true } });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('catalogAnyDatabase');
  });
});
