/**
 * The catalog-database refusal and its note stay one line whatever the catalog names: a SQL Server
 * database name may hold a line break (a delimited identifier), and catalog JSON is a file anyone
 * can edit. Before, `database_name: "Data\nrowback: ok, 0 rows"` split INPUT_CATALOG_OTHER_DATABASE
 * into two stderr lines, the second reading as rowback's own. REAL log: AngularJs_CRUD's
 * Database1_log.ldf; the catalog is SYNTHETIC (dbo.Employee's rows, another real database's GUID).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const OTHER_DB = '77CBFA04-51D4-45E8-8CFC-1BA947A6429A';
type Col = [name: string, type: string, max: number, off: number, nullable: boolean];
const COLS: Col[] = [['Emp_Id', 'int', 4, 4, false], ['Emp_Name', 'varchar', -1, -1, true], ['Emp_City', 'varchar', -1, -2, true], ['Emp_Age', 'int', 4, 8, true]];
const rows = (databaseName: string) =>
  COLS.map(([name, type, max, off, nullable], i) => ({
    schema_name: 'dbo', table_name: 'Employee', object_id: 245575913, index_id: 1, partition_id: '72057594042318848', partition_number: 1,
    partition_column_id: i + 1, column_id: i + 1, column_name: name, type_name: type, max_length: max, precision: type === 'int' ? 10 : 0, scale: 0,
    collation_name: type === 'int' ? null : 'SQL_Latin1_General_CP1_CI_AS', is_nullable: nullable, is_identity: false, is_computed: false, leaf_offset: off, leaf_null_bit: i + 1, leaf_bit_position: 0,
    is_dropped: false, is_sparse: false, is_uniqueifier: false, in_row_alloc_unit_id: '72057594043432960', key_ordinal: i === 0 ? 1 : 0,
    database_name: databaseName, database_guid: OTHER_DB, family_guid: null,
  }));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-catalog-line-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('catalog of another database named with a line break', () => {
  it('refused in one line, the name escaped; the override\'s note is one line too', async () => {
    const f = join(dir, 'nl.json');
    writeFileSync(f, JSON.stringify(rows('Data\nrowback: ok, 0 rows')));
    const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
    const line = expectOneLineError(await cli('scan', '--ldf', ldf, '--schema', f, '--op', 'delete'), 'INPUT_CATALOG_OTHER_DATABASE');
    expect(line).toContain('is of database Data\\u000arowback: ok, 0 rows (database_guid');
    const any = await cli('scan', '--ldf', ldf, '--schema', f, '--op', 'delete', '--quiet', '--catalog-any-database');
    expect(any.code, any.stderr).toBe(0);
    const notes = any.stderr.split('\n').filter(Boolean);
    expect(notes.every((l) => l.startsWith('rowback scan: '))).toBe(true);
    expect(notes.some((l) => l.includes('is of database Data\\u000arowback: ok, 0 rows'))).toBe(true);
  });
});
