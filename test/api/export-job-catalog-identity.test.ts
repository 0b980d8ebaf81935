import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { employee, LOG_DB, OTHER_DB } from '../support/employee-catalog.js';

/**
 * An export job's `metadata.catalog` is checked against the export's own database as
 * `scan --export FILE --schema CATALOG` checks it (test/cli/export-schema-catalog.test.ts), and as a
 * files job's catalog is checked against its files (catalog-database-identity.test.ts).
 * Before: a job `{ kind: 'export', metadata: { catalog } }` skipped the check (job-spec.ts
 * jobCatalogDatabaseNotes knew files, live and log-backup jobs only): a catalog of another database
 * named the export's rows after its own tables, 201 and staged with no word.
 *
 * The records are REAL: AngularJs_CRUD's Database1_log.ldf as `rowback log` prints them (3 deleted
 * dbo.Employee rows). The export file around them and the catalogs are SYNTHETIC (written by this
 * test in a temp dir): the export's catalog names the log's database (its binding id, LOG_DB), the
 * job's catalog another real database's GUID (CRUD-.NET's, OTHER_DB), the same one, or none.
 */

const cli = captureCli();

describeCorpus('an export job\'s catalog JSON and the database of the export (real worker)', () => {
  let t: TestApp | undefined;
  let dir: string;
  let records: Record<string, unknown>[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-export-job-catalog-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  // read in a test (captureCli's spies are installed around each test, not around beforeAll)
  const records$ = async () => {
    records ??= await angularJsExportRecords(cli);
  };
  const exportFile = (name: string, catalog: unknown[]) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog, records }));
    return f;
  };
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const open = async () => (await records$(), t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 }));
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

  it('a catalog of another database: 400 INPUT_CATALOG_OTHER_DATABASE naming metadata.catalog, the export and both GUIDs', async () => {
    await open();
    const file = exportFile('other.json', employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }));
    const r = await post({ kind: 'export', file, metadata: { catalog: employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }) } });
    expect([r.statusCode, r.json().code, r.json().field], r.body).toEqual([400, 'INPUT_CATALOG_OTHER_DATABASE', 'metadata.catalog']);
    expect(r.json().message).toContain(`metadata.catalog is of database Database (database_guid ${OTHER_DB})`);
    expect(r.json().message).toContain(`export file ${file} (database Database1) of another database (binding id ${LOG_DB})`);
    expect(r.json().message).toContain('"catalogAnyDatabase": true');
  });

  it('catalogAnyDatabase: staged all the same, the job\'s notes say so; the export\'s own database: staged, nothing said', async () => {
    await open();
    const file = exportFile('any.json', employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }));
    const any = await post({ kind: 'export', file, metadata: { catalog: employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }), catalogAnyDatabase: true } });
    expect(any.statusCode, any.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(any.json().id).state).toBe('succeeded');
    expect(notesOf(any.json().id).join('\n')).toContain('read with that catalog all the same ("metadata": { "catalogAnyDatabase": true })');
    const same = await post({ kind: 'export', file, metadata: { catalog: employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }) } });
    expect(same.statusCode, same.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(same.json().id).state).toBe('succeeded');
    expect(t!.store.requireJob(same.json().id).rowsStaged).toBe(3);
    expect(notesOf(same.json().id).join('\n')).not.toMatch(/database_guid|could not check/);
    // the job's source database is the export's (its catalog rows' database_guid), whatever catalog read it
    expect(t!.store.requireJob(same.json().id).sourceDatabase).toEqual({ name: 'Database1', bindingId: LOG_DB.toUpperCase(), familyGuid: null });
    expect(t!.store.requireJob(any.json().id).sourceDatabase).toEqual({ name: 'Database1', bindingId: LOG_DB.toUpperCase(), familyGuid: null });
  });

  it('an export holding no catalog rows: staged with the job\'s catalog, noted as unchecked', async () => {
    await open();
    const file = exportFile('none.json', []);
    const r = await post({ kind: 'export', file, metadata: { catalog: employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }) } });
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    expect(t!.store.requireJob(r.json().id).state).toBe('succeeded');
    expect(t!.store.requireJob(r.json().id).rowsStaged).toBe(3);
    expect(notesOf(r.json().id).join('\n')).toContain(`metadata.catalog is of database Database (database_guid ${OTHER_DB}); no file given shows its binding id`);
  });
});
