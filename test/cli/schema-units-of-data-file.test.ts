/**
 * Catalog JSON (--schema) over a data file of the log's database that places the same table on
 * other allocation units: the JSON was taken on another server, or after a REBUILD gave the table
 * new units. The data file's units for that table were dropped without a word: `scan --mdf
 * Database1.mdf --ldf Database1_log.ldf --schema tblDept.catalog.json` (tblDept on a unit the data
 * file does not know) printed none of tblDept's 13 deleted rows, exit 0, `"complete": true`, "why no
 * rows: … tables missing from the metadata" (breaker). Refused now, naming both units.
 * Corpus: AngularJs_CRUD (dbo.tblDept 72057594043629568); the catalog JSON is written to a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const TBLDEPT = '72057594043629568';
const ELSEWHERE = '72057594043999999';
let dir: string;
const catalogOn = (unit: string | null): string => {
  const col = (id: number, name: string, type: string, max: number, off: number, nullable: boolean) => ({
    schema_name: 'dbo', table_name: 'tblDept', index_id: 1, partition_column_id: id, column_id: id, column_name: name, type_name: type, max_length: max, precision: type === 'int' ? 10 : 0, scale: 0,
    collation_name: type === 'int' ? null : 'SQL_Latin1_General_CP1_CI_AS', is_nullable: nullable, is_identity: id === 1, is_computed: false, leaf_offset: off, leaf_null_bit: id, leaf_bit_position: 0,
    is_dropped: false, is_sparse: false, is_uniqueifier: false, in_row_alloc_unit_id: unit, key_ordinal: id === 1 ? 1 : 0,
  });
  const file = join(dir, `tblDept-${unit ?? 'none'}.catalog.json`);
  writeFileSync(file, JSON.stringify([col(1, 'Id', 'int', 4, 4, false), col(2, 'DeptName', 'varchar', 150, -1, true), col(3, 'DeptDesc', 'varchar', 500, -2, true)]));
  return file;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-schema-units-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('--schema placing a table on other units than the data file does', () => {
  it('refused, naming both units (it printed none of tblDept\'s 13 deleted rows, exit 0, complete)', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--schema', catalogOn(ELSEWHERE), '--op', 'delete');
    const line = expectOneLineError(r, 'INPUT_ALLOC_UNIT_MISMATCH');
    expect(r.code).toBe(2);
    expect(line).toContain(`puts dbo.tblDept on allocation unit(s) ${ELSEWHERE}, and the data file's catalog puts dbo.tblDept on ${TBLDEPT}`);
    expect(r.stdout).toBe('');
  });

  it('the data file\'s own unit, or none in the JSON, still reads the 13 rows', async () => {
    for (const unit of [TBLDEPT, null]) {
      const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--schema', catalogOn(unit), '--op', 'delete', '--quiet');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(13);
    }
  });

  it('without a data file the JSON\'s units are taken as they are (nothing to compare with)', async () => {
    const r = await cli('scan', '--ldf', A('Database1_log.ldf'), '--schema', catalogOn(ELSEWHERE), '--op', 'delete', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });
});
