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
import { catalogRows, OTHER_DB } from '../support/employee-catalog.js';

const cli = captureCli();
const rows = (databaseName: string) => catalogRows({ extra: { database_name: databaseName, database_guid: OTHER_DB, family_guid: null } });

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
    expect(line).toContain('is of database Data\\u{a}rowback: ok, 0 rows (database_guid');
    const any = await cli('scan', '--ldf', ldf, '--schema', f, '--op', 'delete', '--quiet', '--catalog-any-database');
    expect(any.code, any.stderr).toBe(0);
    const notes = any.stderr.split('\n').filter(Boolean);
    expect(notes.every((l) => l.startsWith('rowback scan: '))).toBe(true);
    expect(notes.some((l) => l.includes('is of database Data\\u{a}rowback: ok, 0 rows'))).toBe(true);
  });
});
