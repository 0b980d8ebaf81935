/**
 * A refusal or note about the catalog the source read names that source: the data file's (--mdf),
 * the backup's (--bak), the export's (an exported fn_dblog result's catalog rows), the server's (a
 * live database). Every one of them said "the data file's catalog": `scan --export E.json --ddl
 * nope.sql` refused with "dbo.Nope is not in the data file's catalog (its tables: dbo.Employee)" of a
 * run given no data file, and `scan --bak` said the same of a backup.
 *
 * REAL: AngularJs_CRUD's Database1.mdf / Database1_log.ldf, FinancialCrm's full backup, and the
 * export's records as `rowback log` prints them from Database1_log.ldf. SYNTHETIC (written here):
 * the export file around those records and its catalog rows, the one-table DDL naming a table none
 * of the databases has, and the live server (a fake runner's answers, test/support/fake-live-customers.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from '../../src/logreader/live/runner.js';
import type { SqlStatement } from '../../src/logreader/live/sql.js';
import type { Row } from '../../src/logreader/live/stream.js';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { LiveSource } from '../../src/recover/sources/live.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { employee, LOG_DB } from '../support/employee-catalog.js';
import { customersCatalog, FakeLiveRunner, SERVER_INFO } from '../support/fake-live-customers.js';
import { angularJsExportRecords } from '../support/log-export-records.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const F = (f: string) => corpusPath('FinancialCrm', 'FinancialCrmDb', f);
const NOT_IN = (of: string) => new RegExp(`dbo\\.Nope is not in ${of} catalog \\(its tables: [^)]+\\), so nothing maps it to one`);

let dir: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-catalog-owner-'));
  ddl = join(dir, 'nope.sql');
  writeFileSync(ddl, 'CREATE TABLE [dbo].[Nope] ([a] INT NOT NULL PRIMARY KEY);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a --ddl table the source\'s catalog does not hold: the refusal names that source\'s catalog', () => {
  it('--mdf: the data file\'s catalog', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', ddl);
    const line = expectOneLineError(r, 'INPUT_NO_ALLOC_UNIT');
    expect(line).toMatch(NOT_IN("the data file's"));
    expect(line).toContain('check the name in the script, give the data file of the database the table is in, or give --alloc-unit ID');
  });

  it('--bak: the backup\'s catalog, not the data file\'s', async () => {
    const r = await cli('scan', '--bak', F('FinancialCrmDb202501190233.bak'), '--ddl', ddl);
    const line = expectOneLineError(r, 'INPUT_NO_ALLOC_UNIT');
    expect(line).toMatch(NOT_IN("the backup's"));
    expect(line).not.toContain("data file's catalog");
    // the way on names a backup too (it said "give the data file of the database the table is in")
    expect(line).toContain('check the name in the script, give a backup of the database the table is in, or give --alloc-unit ID');
  }, 60_000);

  it('--export: the export\'s catalog, not the data file\'s', async () => {
    const records = await angularJsExportRecords(cli);
    const exp = join(dir, 'export.json');
    writeFileSync(exp, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }), records }));
    const r = await cli('scan', '--export', exp, '--ddl', ddl, '--op', 'delete');
    const line = expectOneLineError(r, 'INPUT_NO_ALLOC_UNIT');
    expect(line).toMatch(NOT_IN("the export's"));
    expect(line).not.toContain("data file's catalog");
    // the export's catalog is of the database whose log it holds: no data file to give, the name is
    // wrong or the table dropped
    expect(line).toContain('check the name in the script, or give --alloc-unit ID for a table since dropped');
  }, 60_000);

  it('an export job says it as scan --export does (its error)', async () => {
    const records = await angularJsExportRecords(cli);
    const exp = join(dir, 'export-job.json');
    writeFileSync(exp, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }), records }));
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'export', file: exp, operations: ['delete'], metadata: { ddl: 'CREATE TABLE [dbo].[Nope] ([a] INT NOT NULL PRIMARY KEY);' } }, 'op');
      await w.idle();
      const error = store.requireJob(job.id).error;
      expect(error?.code).toBe('INPUT_NO_ALLOC_UNIT');
      expect(error?.message).toMatch(NOT_IN("the export's"));
    } finally {
      store.close();
    }
  }, 60_000);
});

/** SYNTHETIC: a server whose catalog holds dbo.Customers alone (its facts and catalog queries only). */
class CatalogOnly extends FakeLiveRunner {
  async *stream(stmt: SqlStatement, _o: RunOptions = {}): AsyncIterable<Row> {
    if (stmt.text.includes('SYSDATETIMEOFFSET')) yield SERVER_INFO;
    else if (stmt.text.includes('system_internals_partition_columns')) yield* customersCatalog('2024-03-01T10:00:00.000');
    else throw new Error(`unexpected statement: ${stmt.text.slice(0, 60)}`);
  }
}

describe('a live source (SYNTHETIC server answers)', () => {
  it('the server\'s catalog, not the data file\'s', async () => {
    const nope: TableLayout = { schema: 'dbo', name: 'Nope', indexId: 1, compression: 'NONE', columns: [] };
    const source = withMetadata(new LiveSource({ database: 'CRM', runner: new CatalogOnly() }), [nope]);
    expect(source.catalogOwner).toBe("the server's");
    const err = await source.metadata().then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(NOT_IN("the server's"));
    expect(err?.message).not.toContain("data file's catalog");
    expect(err?.message).toContain('check the name in the script, or give --alloc-unit ID for a table since dropped');
  });
});
