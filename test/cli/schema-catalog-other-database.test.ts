/**
 * A catalog JSON of another database than the log's must not name the log's rows. Allocation unit
 * ids repeat between databases (every new database numbers its first user tables alike), so
 * `scan --ldf Database1_log.ldf --schema other.json` printed the rows of the log under the other
 * database's table names, exit 0, no word. sql/table-metadata.sql now gives each row its database
 * (database_name, database_guid and family_guid of sys.database_recovery_status); a catalog whose
 * database_guid is not the binding id of a file scanned with it is refused
 * (INPUT_CATALOG_OTHER_DATABASE), `--catalog-any-database` reads it all the same, a catalog naming no
 * database is said to be unchecked (even with --quiet).
 *
 * REAL files: AngularJs_CRUD's Database1_log.ldf (binding id 97C13D95-…, 3 deleted dbo.Employee
 * rows on 72057594043432960), RestoreTimeClean_1.trn (binding id F784761B-…, FamilyGUID
 * E4B9B1B7-…). The catalogs are SYNTHETIC: dbo.Employee's rows as sql/table-metadata.sql gives
 * them (test/cli/schema-two-catalogs-joined.test.ts), with identities written by hand: the log's
 * own, CRUD-.NET Database_log.ldf's binding id (another real database), none (an older catalog),
 * NULL (a user not allowed to see sys.database_recovery_status), and a restored copy's (new
 * database_guid, the original's family_guid).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { catalogFromJson, layoutsFromCatalog } from '../../src/reconstruct/metadata/catalog-json.js';
import { readSourceIdentity } from '../../src/recover/source-identity.js';
import { employee, LOG_DB, OTHER_DB } from '../support/employee-catalog.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const TRN_DB = 'F784761B-0032-4636-9A07-202706D9F791';
const TRN_FAMILY = 'E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9';

let dir: string;
const file = (name: string, rows: unknown[]) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(rows));
  return f;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-catalog-db-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan --schema: a catalog JSON of another database', () => {
  it('the corpus files carry the binding ids these catalogs are written against', async () => {
    expect((await readSourceIdentity(A('Database1_log.ldf'), 'ldf')).bindingId).toBe(LOG_DB);
    expect((await readSourceIdentity(corpusPath('CRUD-.NET', 'App_Data', 'Database_log.ldf'), 'ldf')).bindingId).toBe(OTHER_DB);
    const trn = await readSourceIdentity(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn'), 'trn');
    expect([trn.bindingId, trn.familyGuid]).toEqual([TRN_DB, TRN_FAMILY]);
  });

  it('of the log\'s own database (its GUID in lower case, braces): read, nothing said of it', async () => {
    const f = file('same.json', employee({ database_name: 'Database1', database_guid: `{${LOG_DB.toLowerCase()}}`, family_guid: null }));
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', f, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).not.toMatch(/database_guid|could not check/);
  });

  it('of another database: refused in one line naming the catalog, its database and GUID, the log and its binding id, and the override', async () => {
    // the other database's table on the same unit id: before, the log's 3 dbo.Employee rows came out as dbo.Students, exit 0
    const f = file('other.json', employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }).map((r) => ({ ...r, table_name: 'Students' })));
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', f, '--op', 'delete');
    const line = expectOneLineError(r, 'INPUT_CATALOG_OTHER_DATABASE');
    expect(r.code).toBe(2);
    expect(line).toContain(`--schema ${f} is of database Database (database_guid ${OTHER_DB})`);
    expect(line).toContain(`log file ${A('Database1_log.ldf')} of another database (binding id ${LOG_DB})`);
    expect(line).toContain('restored as a new database');
    expect(line).toContain('--catalog-any-database');
    expect(r.stdout).toBe('');
  });

  it('checked against a data file given with the log too (--mdf)', async () => {
    const f = file('other-mdf.json', employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }));
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--schema', f, '--op', 'delete');
    expect(expectOneLineError(r, 'INPUT_CATALOG_OTHER_DATABASE')).toContain(`data file ${A('Database1.mdf')} of another database (binding id ${LOG_DB})`);
  });

  it('--catalog-any-database: read all the same, and said so even with --quiet', async () => {
    const f = file('other-override.json', employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }));
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', f, '--op', 'delete', '--quiet', '--catalog-any-database');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain(`rowback scan: note: --schema ${f} is of database Database (database_guid ${OTHER_DB})`);
    expect(r.stderr).toContain('read with that catalog all the same (--catalog-any-database)');
  });

  it('a catalog of before the identity columns: read, and said to be unchecked even with --quiet', async () => {
    const f = file('old.json', employee());
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', f, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain(`rowback scan: note: --schema ${f} names no database`);
    expect(r.stderr).toContain(`could not check that it is of the same database as ${A('Database1_log.ldf')}`);
  });

  it('a catalog whose database_guid is NULL (recovery status not visible to its user): unchecked, saying why', async () => {
    const f = file('null.json', employee({ database_name: 'Database1', database_guid: null, family_guid: null }));
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', f, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('database_guid NULL');
    expect(r.stderr).toContain('VIEW ANY DATABASE');
  });

  it('a restored copy (new database_guid, the log backup\'s FamilyGUID): refused, saying both are of one backup family', async () => {
    const f = file('restored.json', employee({ database_name: 'RestoreTimeClean_copy', database_guid: OTHER_DB, family_guid: TRN_FAMILY.toLowerCase() }));
    const trn = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn');
    const r = await cli('scan', '--trn', trn, '--schema', f, '--op', 'delete', '--alloc-unit', '72057594038910976');
    const line = expectOneLineError(r, 'INPUT_CATALOG_OTHER_DATABASE');
    expect(line).toContain(`log backup ${trn} (database RestoreTimeClean) of another database (binding id ${TRN_DB})`);
    expect(line).toContain(`both are of one backup family (family_guid ${TRN_FAMILY})`);
  });

  it('rowback log --schema: checked alike (refused; the override names the records; an older catalog said unchecked)', async () => {
    const other = file('log-other.json', employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }).map((r) => ({ ...r, table_name: 'Students' })));
    const refused = await cli('log', A('Database1_log.ldf'), '--schema', other, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson');
    expect(expectOneLineError(refused, 'INPUT_CATALOG_OTHER_DATABASE')).toContain(`binding id ${LOG_DB}`);
    const overridden = await cli('log', A('Database1_log.ldf'), '--schema', other, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet', '--catalog-any-database');
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(overridden.stderr).toContain('read with that catalog all the same (--catalog-any-database)');
    const old = file('log-old.json', employee());
    const unchecked = await cli('log', A('Database1_log.ldf'), '--schema', old, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet');
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(unchecked.stderr).toContain(`rowback log: note: --schema ${old} names no database`);
  });

  it('--catalog-any-database without --schema is refused, not ignored', async () => {
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--catalog-any-database');
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toContain('--catalog-any-database');
  });
});

it('the loader keeps the identity (GUIDs upper-case), none for an older catalog, and refuses rows naming two databases', () => {
  expect(catalogFromJson(employee({ database_name: 'Database1', database_guid: LOG_DB.toLowerCase(), family_guid: TRN_FAMILY })).identity)
    .toEqual({ databaseName: 'Database1', databaseGuid: LOG_DB, familyGuid: TRN_FAMILY });
  expect(catalogFromJson(employee()).identity).toBeNull();
  const mine = employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null });
  const theirs = employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }).map((r) => ({ ...r, table_name: 'Other' }));
  expect(() => layoutsFromCatalog([...mine, ...theirs])).toThrow(/catalog rows 0 and 4 name two databases \(database Database1 .* and database Database /);
  expect(() => layoutsFromCatalog([...mine, ...employee().map((r) => ({ ...r, table_name: 'Old' }))])).toThrow(/two databases .* no database/);
  expect(() => layoutsFromCatalog(employee({ database_name: 'X', database_guid: 'not-a-guid', family_guid: null }))).toThrow(/database_guid/);
});

it('sql/table-metadata.sql names the database on every row (read-only, GUIDs as text), and the export\'s CSV catalog section carries the columns too', () => {
  const sql = (f: string) => readFileSync(join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'sql', f), 'utf8');
  const metadata = sql('table-metadata.sql');
  const block = metadata.slice(metadata.indexOf('-- rowback:catalog-begin'), metadata.indexOf('-- rowback:catalog-end'));
  expect(block).toContain('DB_NAME() AS [database_name]');
  expect(block).toContain('CONVERT(nvarchar(36), drs.[database_guid]) AS [database_guid]');
  expect(block).toContain('CONVERT(nvarchar(36), drs.[family_guid]) AS [family_guid]');
  expect(block).toContain('LEFT JOIN sys.database_recovery_status AS drs ON drs.[database_id] = DB_ID()');
  expect(block).not.toMatch(/\b(INSERT|UPDATE|DELETE|MERGE|EXEC|ALTER|DROP|CREATE)\b/);
  for (const f of ['table-metadata-json.sql', 'export-log-records.sql']) expect(sql(f)).toContain(block);
  const exp = sql('export-log-records.sql');
  expect(exp).toContain('"default_value","database_name","database_guid","family_guid"');
  expect(exp).toContain("c.[family_guid]), N'\"', N'\"\"') + N'\"', N'') AS [line]");
});
