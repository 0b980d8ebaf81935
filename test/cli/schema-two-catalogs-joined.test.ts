/**
 * Catalog JSON holding one table name twice as two different tables (two object_ids, or one
 * partition number on two partition_ids): the rows of two runs of sql/table-metadata.sql joined
 * (two databases: production's and a test server's), as appending one saved result to another
 * does. A database never has two tables of one schema.name, yet both were taken as partitions of
 * one table: each layout's allocation unit read with it, the units of the other database being
 * this log's units of other tables. `scan --ldf Database1_log.ldf --schema joined.json` printed
 * dbo.tblDept's 13 deleted rows as dbo.Employee rows, exit 0, no warning (breaker). Refused now.
 * Corpus: AngularJs_CRUD (dbo.Employee 72057594043432960, dbo.tblDept 72057594043629568).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { layoutsFromCatalog } from '../../src/reconstruct/metadata/catalog-json.js';
import { catalogRows, type CatalogCol } from '../support/employee-catalog.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const EMPLOYEE = '72057594043432960';
const TBLDEPT = '72057594043629568';
const rows = (objectId: number, partitionId: string, unit: string, cols: CatalogCol[]) => catalogRows({ objectId, partitionId, unit, cols });
// this database's dbo.Employee, and another database's dbo.Employee (3 columns) whose unit id is this database's dbo.tblDept's
const mine = rows(245575913, '72057594042318848', EMPLOYEE, [['Emp_Id', 'int', 4, 4, false], ['Emp_Name', 'varchar', -1, -1, true], ['Emp_City', 'varchar', -1, -2, true], ['Emp_Age', 'int', 4, 8, true]]);
const theirs = rows(581577110, '72057594042515456', TBLDEPT, [['Id', 'int', 4, 4, false], ['DeptName', 'varchar', 150, -1, true], ['DeptDesc', 'varchar', 500, -2, true]]);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-joined-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('catalog JSON of two databases joined', () => {
  it('refused, naming the table and both object ids (it printed tblDept\'s 13 rows as dbo.Employee)', async () => {
    const file = join(dir, 'joined.json');
    writeFileSync(file, JSON.stringify([...mine, ...theirs]));
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', file, '--op', 'delete');
    const line = expectOneLineError(r, 'SCHEMA_BAD_CATALOG');
    expect(r.code).toBe(2);
    expect(line).toContain('dbo.Employee');
    expect(line).toContain('object_id 245575913 and 581577110');
    expect(r.stdout).toBe('');
  });

  it('one partition number on two partition_ids (rows without object_id): refused too', () => {
    const strip = (x: Record<string, unknown>[]) => x.map(({ object_id: _o, ...rest }) => rest);
    expect(() => layoutsFromCatalog([...strip(mine), ...strip(theirs)])).toThrow(/dbo\.Employee as two tables \(partition 1 on partition_id 72057594042318848 and 72057594042515456\)/);
  });

  it('one database\'s rows still read the 3 deleted dbo.Employee rows', async () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify(mine));
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', file, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });
});
