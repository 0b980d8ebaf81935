/**
 * scan's table metadata options were checked only after the log files were opened (every backup's
 * MTF layout and headers read, and with several --trn the whole log of each, to choose between
 * copies): --schema with --ddl, a --type-alias that is not NAME=TYPE, a --ddl or --schema file that
 * does not exist, a --schema catalog that does not parse. The same kind as `restore plan` without
 * --as (refused after every backup was read). Now they are refused before any log file is opened:
 * shown with a --trn that is not a backup (REAL AngularJs_CRUD Database1_log.ldf given as --trn),
 * whose refusal FORMAT_NOT_A_BACKUP came first when the files were opened first. SYNTHETIC: the
 * script and the catalog text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-metadata-up-front-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan: the metadata options refused before the log files are opened', () => {
  const notABackup = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

  it('a --ddl file that does not exist: named, before the --trn is read', async () => {
    const e = expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', join(dir, 'no-such.sql')), 'INPUT_FILE_UNREADABLE');
    expect(e).toContain(`--ddl ${join(dir, 'no-such.sql')}`);
  });

  it('a --schema catalog that does not parse, --schema with --ddl, a bad --type-alias: each before the --trn is read', async () => {
    const bad = join(dir, 'catalog.json');
    writeFileSync(bad, '{"tables": [');
    const e = expectOneLineError(await cli('scan', '--trn', notABackup(), '--schema', bad), 'INPUT_BAD_JSON');
    expect(e).not.toContain('FORMAT_NOT_A_BACKUP');
    const ddl = join(dir, 't.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (id int NOT NULL);\n');
    expect(expectOneLineError(await cli('scan', '--trn', notABackup(), '--schema', bad, '--ddl', ddl), 'INPUT_BAD_OPTION')).toContain('give --schema or --ddl, not both');
    expect(expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl, '--type-alias', 'NoEquals'), 'INPUT_BAD_OPTION')).toContain("--type-alias 'NoEquals' is not NAME=TYPE");
  });

  it('options that are fine: the --trn is read and refused as before', async () => {
    const ddl = join(dir, 't.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (id int NOT NULL);\n');
    expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl), 'FORMAT_NOT_A_BACKUP');
  });

  it('a --type-alias whose type holds a comma is one alias (as decode takes it): the --trn is read', async () => {
    // it was cut at the comma, and `2)` refused: INPUT_BAD_OPTION --type-alias '2)' is not NAME=TYPE
    const ddl = join(dir, 'money.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (id int NOT NULL, Amt [dbo].[Money2] NULL);\n');
    const e = expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl, '--type-alias', 'Money2=decimal(18,2)'), 'FORMAT_NOT_A_BACKUP');
    expect(e).not.toContain('--type-alias');
  });

  it('--type-alias split at its first = only, and one alias given two types refused up front (the last one won, unsaid)', async () => {
    const ddl = join(dir, 'flag.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (id int NOT NULL, f dbo.Flag NULL);\n');
    const e = expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl, '--type-alias', 'Flag=bit', '--type-alias', 'Flag=int'), 'INPUT_BAD_OPTION');
    expect(e).toContain('--type-alias gives Flag twice, as bit and as int: give each alias type once');
    expect(e).not.toContain('(file ');
    // a name of three parts and a type that does not parse: the option's fault, before the --trn is read
    const parts = expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl, '--type-alias', 'a.b.c=int'), 'INPUT_BAD_OPTION');
    expect(parts).toContain("--type-alias 'a.b.c=int': 'a.b.c' is not a one- or two-part type name");
    expect(parts).not.toContain('(file ');
    expect(expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl, '--type-alias', 'Flag=int=x'), 'INPUT_BAD_OPTION')).toContain("--type-alias 'Flag=int=x': unexpected '='");
    // the same alias twice is one alias: the --trn is read
    expectOneLineError(await cli('scan', '--trn', notABackup(), '--ddl', ddl, '--type-alias', 'Flag=bit', '--type-alias', 'Flag = bit'), 'FORMAT_NOT_A_BACKUP');
  });

  it('decode: the same refusal, said of the option, not of the --ddl file; a type holding = refused as the option\'s (scan dropped `=x`)', async () => {
    const ddl = join(dir, 'flag.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (id int NOT NULL, f dbo.Flag NULL);\n');
    const hex = ['--hex', '300008000100000002000000'];
    const twice = expectOneLineError(await cli('decode', '--ddl', ddl, '--table', 'dbo.T', '--type-alias', 'Flag=bit', '--type-alias', 'Flag=int', ...hex), 'INPUT_BAD_OPTION');
    expect(twice).toContain('--type-alias gives Flag twice');
    expect(twice).not.toContain(`(file ${ddl})`);
    const eq = expectOneLineError(await cli('decode', '--ddl', ddl, '--table', 'dbo.T', '--type-alias', 'Flag=int=x', ...hex), 'INPUT_BAD_OPTION');
    expect(eq).toContain("--type-alias 'Flag=int=x': unexpected '=' after the type in 'int=x'");
    expect(eq).not.toContain(`(file ${ddl})`);
  });
});
