/**
 * `--alloc-unit ID` names whose rows a --ddl/--schema layout is for. When the data file's catalog
 * (or the catalog JSON's in_row_alloc_unit_id) already maps that table to other allocation units,
 * the id was dropped without a word: `scan --mdf Database1.mdf --ddl tblDept.sql --alloc-unit
 * <dbo.Employee's unit>` printed dbo.tblDept's own 13 deleted rows, exit 0, as if they were the rows of
 * the unit asked for, and called dbo.Employee's 3 deletes rows "of tables the metadata lacks". The
 * two say different tables; which one the user meant cannot be told, so it is refused, naming both.
 * Likewise a layout whose units the data file gives to a table of another name (catalog JSON of
 * another database: unit ids repeat between databases): `--ddl Students.sql --alloc-unit
 * <tblDept's unit>` printed tblDept's 13 rows as dbo.Students, exit 0.
 * Corpus: AngularJs_CRUD (dbo.Employee 72057594043432960, dbo.tblDept 72057594043629568); the
 * script and the catalog JSON are written to a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const EMPLOYEE = '72057594043432960';
const TBLDEPT = '72057594043629568';
let dir: string;
let ddl: string;
let catalog: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-alloc-unit-'));
  ddl = join(dir, 'tblDept.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.tblDept (Id int IDENTITY(1,1) NOT NULL PRIMARY KEY, DeptName varchar(150), DeptDesc varchar(500));\n');
  // the catalog JSON sql/table-metadata.sql gives for dbo.tblDept (leaf offsets as the data file's layout)
  const col = (id: number, name: string, type: string, max: number, off: number, nullable: boolean) => ({
    schema_name: 'dbo', table_name: 'tblDept', index_id: 1, partition_column_id: id, column_id: id, column_name: name, type_name: type, max_length: max, precision: type === 'int' ? 10 : 0, scale: 0,
    collation_name: type === 'int' ? null : 'SQL_Latin1_General_CP1_CI_AS', is_nullable: nullable, is_identity: id === 1, is_computed: false, leaf_offset: off, leaf_null_bit: id, leaf_bit_position: 0,
    is_dropped: false, is_sparse: false, is_uniqueifier: false, in_row_alloc_unit_id: TBLDEPT, key_ordinal: id === 1 ? 1 : 0,
  });
  catalog = join(dir, 'tblDept.catalog.json');
  writeFileSync(catalog, JSON.stringify([col(1, 'Id', 'int', 4, 4, false), col(2, 'DeptName', 'varchar', 150, -1, true), col(3, 'DeptDesc', 'varchar', 500, -2, true)]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('--alloc-unit of another table than the layout given', () => {
  it('with --mdf mapping the table elsewhere: refused, naming the table the id belongs to (it printed tblDept\'s rows)', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', ddl, '--alloc-unit', EMPLOYEE, '--op', 'delete');
    const line = expectOneLineError(r, 'INPUT_ALLOC_UNIT_MISMATCH');
    expect(r.code).toBe(2);
    expect(line).toContain(`--alloc-unit ${EMPLOYEE} is not an allocation unit of dbo.tblDept in the data file's catalog (${TBLDEPT} IN_ROW_DATA)`);
    expect(line).toContain(`the data file's catalog gives ${EMPLOYEE} to dbo.Employee`);
  });

  it('with catalog JSON giving the table its own unit: refused (the id was ignored)', async () => {
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', catalog, '--alloc-unit', EMPLOYEE, '--op', 'delete');
    expect(expectOneLineError(r, 'INPUT_ALLOC_UNIT_MISMATCH')).toContain(`not an allocation unit of dbo.tblDept in the layout given (${TBLDEPT} IN_ROW_DATA)`);
  });

  it('a layout of another name on a unit the data file gives to dbo.tblDept: refused (it printed tblDept\'s 13 rows as dbo.Students)', async () => {
    const students = join(dir, 'students.sql');
    writeFileSync(students, 'CREATE TABLE dbo.Students (Id int NOT NULL PRIMARY KEY, DeptName varchar(150), DeptDesc varchar(500));\n');
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', students, '--alloc-unit', TBLDEPT, '--op', 'delete');
    expect(expectOneLineError(r, 'INPUT_ALLOC_UNIT_MISMATCH')).toContain(`names dbo.Students for allocation unit ${TBLDEPT}, and the data file's catalog gives that unit to dbo.tblDept`);
    // catalog JSON of another database whose unit ids are this one's (School's dbo.Classes has tblDept's id)
    const other = join(dir, 'other-db.catalog.json');
    writeFileSync(other, readFileSync(catalog, 'utf8').replaceAll('"tblDept"', '"Classes"'));
    const j = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--schema', other, '--op', 'delete');
    expect(expectOneLineError(j, 'INPUT_ALLOC_UNIT_MISMATCH')).toContain(`names dbo.Classes for allocation unit ${TBLDEPT}, and the data file's catalog gives that unit to dbo.tblDept`);
    // a unit the data file does not know (a table since dropped) is still taken
    const dropped = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', students, '--alloc-unit', '72057594043999999', '--op', 'delete', '--quiet');
    expect(dropped.code).toBe(0);
  });

  it('the table\'s own unit, or none, still reads its 13 deleted rows', async () => {
    for (const extra of [['--alloc-unit', TBLDEPT], []]) {
      const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--ddl', ddl, ...extra, '--op', 'delete', '--quiet');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(13);
    }
    const j = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', catalog, '--alloc-unit', TBLDEPT, '--op', 'delete', '--quiet');
    expect(j.code).toBe(0);
    expect(j.stdout.trim().split('\n')).toHaveLength(13);
  });
});
