/**
 * `scan --export FILE --schema CATALOG`: the catalog checked against the export's database as
 * against files' (INPUT_CATALOG_OTHER_DATABASE, --catalog-any-database, a note when it cannot be).
 * Before: `--schema` with an export was never checked (no refusal, no note, --catalog-any-database
 * ignored), and an export holding no catalog rows refused --schema with the very advice to give
 * --schema ("holds no catalog rows: give the table layout with --schema or --ddl", exit 2 whatever
 * was given).
 *
 * The records are REAL: AngularJs_CRUD's Database1_log.ldf as `rowback log` prints them (fn_dblog's
 * columns, 3 deleted dbo.Employee rows on 72057594043432960). The export files around them and the
 * catalogs are SYNTHETIC (written by this test in a temp dir): the export's catalog names the log's
 * database (its binding id), the --schema catalogs name another real database's GUID (CRUD-.NET's),
 * or none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { describeCorpus } from '../support/corpus.js';
import { employee, LOG_DB, OTHER_DB } from '../support/employee-catalog.js';

const cli = captureCli();

let dir: string;
let records: Record<string, unknown>[];
const file = (name: string, content: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(content));
  return f;
};
const exportFile = (name: string, catalog: unknown[]) => file(name, { format: 'rowback-export', version: 1, database: 'Database1', catalog, records });

describeCorpus('scan --export with --schema: the catalog is checked against the export\'s database', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-export-catalog-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const records$ = async () => {
    records ??= await angularJsExportRecords(cli);
  };

  it('an export whose catalog names its database, with a --schema catalog of another: refused in one line; the override reads it and says so; the same database is read', async () => {
    await records$();
    const exp = exportFile('with-catalog.json', employee({ database_name: 'Database1', database_guid: LOG_DB, family_guid: null }));
    const other = file('other.json', employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }));
    const r = await cli('scan', '--export', exp, '--schema', other, '--op', 'delete');
    const line = expectOneLineError(r, 'INPUT_CATALOG_OTHER_DATABASE');
    expect(line).toContain(`--schema ${other} is of database Database (database_guid ${OTHER_DB})`);
    expect(line).toContain(`export file ${exp} (database Database1) of another database (binding id ${LOG_DB})`);
    const any = await cli('scan', '--export', exp, '--schema', other, '--op', 'delete', '--quiet', '--catalog-any-database');
    expect(any.code, any.stderr).toBe(0);
    expect(any.stdout.trim().split('\n')).toHaveLength(3);
    expect(any.stderr).toContain('read with that catalog all the same (--catalog-any-database)');
    const same = await cli('scan', '--export', exp, '--schema', file('same.json', employee({ database_name: 'Database1', database_guid: LOG_DB.toLowerCase(), family_guid: null })), '--op', 'delete', '--quiet');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout.trim().split('\n')).toHaveLength(3);
    expect(same.stderr).not.toMatch(/database_guid|could not check/);
  });

  it('an export holding no catalog rows: --schema is used (as the refusal without it advises), and said to be unchecked even with --quiet', async () => {
    await records$();
    const exp = exportFile('no-catalog.json', []);
    expect(expectOneLineError(await cli('scan', '--export', exp, '--op', 'delete'), 'INPUT_NO_METADATA')).toContain('give the table layout with --schema or --ddl');
    const other = file('other2.json', employee({ database_name: 'Database', database_guid: OTHER_DB, family_guid: null }));
    const r = await cli('scan', '--export', exp, '--schema', other, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain(`rowback scan: note: --schema ${other} is of database Database (database_guid ${OTHER_DB}); no file given shows its binding id`);
  });
});
