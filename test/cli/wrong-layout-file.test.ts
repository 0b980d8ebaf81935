import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * The table layout given in the wrong kind of file. `scan --ddl Database1.mdf` said SCHEMA_DDL_PARSE
 * "unexpected character ''"; `--schema script.sql` said only "is not JSON"; `--schema` with `[]` (an
 * empty catalog) was accepted and decoded nothing. Each now names what the file is and where it goes.
 * The corpus files are read where they are; the small JSON files are written to a temp dir.
 */
const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-wrong-layout-'));
  writeFileSync(join(dir, 'empty.json'), '[]');
  writeFileSync(join(dir, 'rows-empty.json'), '{ "rows": [] }');
  writeFileSync(join(dir, 'create.sql'), '-- the table\nCREATE TABLE dbo.t (id int NOT NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a table layout given in the wrong kind of file', () => {
  it('scan --ddl with a data file: said to be a data file, to give with --mdf', async () => {
    const r = await cli('scan', '--ddl', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`INPUT_NOT_A_SCRIPT: ${A('Database1.mdf')} is a SQL Server data file (.mdf/.ndf: page 0 is a file header page), not a T-SQL script (--ddl): give it with --mdf`);
    expect(r.stderr).not.toContain('SCHEMA_DDL_PARSE');
  });

  it('scan --ddl with a log file, --schema with a data file: each named, with where it goes', async () => {
    const l = await cli('scan', '--ddl', A('Database1_log.ldf'), '--ldf', A('Database1_log.ldf'));
    expect(l.stderr).toContain('is a SQL Server transaction log file (.ldf');
    expect(l.stderr).toContain('give it with --ldf');
    const m = await cli('scan', '--schema', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'));
    expect(m.stderr).toContain(`INPUT_BAD_JSON: ${A('Database1.mdf')} is a SQL Server data file (.mdf/.ndf: page 0 is a file header page), not a catalog JSON file (--schema): give it with --mdf`);
  });

  it('--schema with a CREATE script: said to look like T-SQL, to give with --ddl', async () => {
    const r = await cli('scan', '--schema', join(dir, 'create.sql'), '--ldf', A('Database1_log.ldf'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/INPUT_BAD_JSON: \S+create\.sql is not JSON: .*: it looks like a T-SQL script; give a CREATE TABLE script with --ddl/);
  });

  it('--schema with an empty catalog: refused, naming no table (it was accepted)', async () => {
    for (const f of ['empty.json', 'rows-empty.json']) {
      const r = await cli('scan', '--schema', join(dir, f), '--ldf', A('Database1_log.ldf'));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`SCHEMA_BAD_CATALOG: ${join(dir, f)}: the catalog JSON names no table`);
    }
    const l = await cli('log', '--schema', join(dir, 'empty.json'), A('Database1_log.ldf'));
    expect(l.code).not.toBe(0);
    expect(l.stderr).toContain('the catalog JSON names no table');
  });
});
