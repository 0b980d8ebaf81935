import { afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * The API's `metadata.catalog` goes where `scan --schema` goes: catalog rows of two databases joined
 * (one table name as two object_ids) are refused at creation, naming metadata.catalog; catalog rows
 * placing a table on other units than the job's data file does fail the job, naming both units (as
 * `scan --schema` over --mdf: test/cli/schema-units-of-data-file.test.ts). REAL files: AngularJs_CRUD
 * (dbo.Employee 72057594043432960, dbo.tblDept 72057594043629568).
 */
describeCorpus('a files job whose catalog is not of its files\' database (real worker)', () => {
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });
  const A = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);
  const rows = (name: string, objectId: number, partitionId: string, unit: string) =>
    ([['Id', 'int', 4, 4, false], ['DeptName', 'varchar', 150, -1, true], ['DeptDesc', 'varchar', 500, -2, true]] as const).map(([col, type, max, off, nullable], i) => ({
      schema_name: 'dbo', table_name: name, object_id: objectId, index_id: 1, partition_id: partitionId, partition_number: 1,
      partition_column_id: i + 1, column_id: i + 1, column_name: col, type_name: type, max_length: max, precision: type === 'int' ? 10 : 0, scale: 0,
      collation_name: type === 'int' ? null : 'SQL_Latin1_General_CP1_CI_AS', is_nullable: nullable, is_identity: false, is_computed: false, leaf_offset: off, leaf_null_bit: i + 1, leaf_bit_position: 0,
      is_dropped: false, is_sparse: false, is_uniqueifier: false, in_row_alloc_unit_id: unit, key_ordinal: i === 0 ? 1 : 0,
    }));
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });

  it('two databases\' rows joined: 400 SCHEMA_BAD_CATALOG, field metadata.catalog', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const catalog = [...rows('tblDept', 1, '72057594042449920', '72057594043629568'), ...rows('tblDept', 2, '72057594042515456', '72057594043432960')];
    const r = await post({ kind: 'files', ldf: A('Database1_log.ldf'), metadata: { catalog } });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'SCHEMA_BAD_CATALOG', 'metadata.catalog']);
    expect(r.json().message).toContain('give dbo.tblDept as two tables (object_id 1 and 2)');
  });

  it('tblDept on a unit the data file does not give it: the job fails naming both units (it was not refused)', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', mdf: A('Database1.mdf'), ldf: A('Database1_log.ldf'), metadata: { catalog: rows('tblDept', 1, '72057594042449920', '72057594043999999') } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const job = t.store.requireJob(r.json().id);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain("puts dbo.tblDept on allocation unit(s) 72057594043999999, and the data file's catalog puts dbo.tblDept on 72057594043629568");
  });
});
