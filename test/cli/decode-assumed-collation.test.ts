/**
 * `rowback decode --ddl` without --collation reads a script's char/varchar/text columns without
 * COLLATE as SQL_Latin1_General_CP1_CI_AS (code page 1252), the database default a script does not
 * carry. It did so without a word: a Turkish database's varchar byte 0xFE ('ş', code page 1254)
 * printed 'þ' on stdout and nothing on stderr, where `scan --ddl` names the assumption and the
 * option that gives another. Now decode says it too (a note on stderr, the row's table only); with
 * --collation, or a table without such columns, nothing. SYNTHETIC: the scripts and the row image
 * (FixedVar: UserId int = 1, Name varchar = the one byte FE), written here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

const cli = captureCli();
const ROW = '300008000100000002000001001000FE';
let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-decode-collation-'));
  script = join(dir, 'users.sql');
  writeFileSync(script, 'CREATE TABLE dbo.Users (UserId int NOT NULL, Name varchar(50) NULL);\nCREATE TABLE dbo.Notes (Id int NOT NULL, Body text NULL, Code char(3) NULL);\nCREATE TABLE dbo.Wide (Id int NOT NULL, Name nvarchar(50) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('no --collation: the value as code page 1252, and a note naming the row table\'s column and --collation', async () => {
  const r = await cli('decode', '--ddl', script, '--table', 'dbo.Users', '--hex', ROW);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).values.Name).toBe('þ');
  expect(r.stderr).toBe("rowback decode: note: --ddl: 1 char/varchar/text column(s) without COLLATE (dbo.Users.Name) are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database's default collation; if it is another, give it with --collation\n");
});

it('--collation given: its code page, no note', async () => {
  const r = await cli('decode', '--ddl', script, '--table', 'dbo.Users', '--collation', 'Turkish_CI_AS', '--hex', ROW);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).values.Name).toBe('ş');
  expect(r.stderr).toBe('');
});

it('a table of the script without such columns: no note (the other tables\' columns are not the row\'s)', async () => {
  const r = await cli('decode', '--ddl', script, '--table', 'dbo.Wide', '--hex', '30000800010000000200000100130068006900');
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).values.Name).toBe('hi');
  expect(r.stderr).toBe('');
});

it('a table whose name holds a dot is not the table before the dot: [dbo].[Users.Archive]\'s columns are not named for dbo.Users (SYNTHETIC script)', async () => {
  // the note filtered the columns by the text 'dbo.users.': dbo.Users' row named [Users.Archive]'s
  // Name, a column the decode did not read, and for a table without such columns said one it has not
  const dotted = join(dir, 'dotted.sql');
  writeFileSync(dotted, 'CREATE TABLE dbo.Users (UserId int NOT NULL, Name nvarchar(50) NULL);\nCREATE TABLE [dbo].[Users.Archive] (Id int NOT NULL, Name varchar(50) NULL);\n');
  const r = await cli('decode', '--ddl', dotted, '--table', 'dbo.Users', '--hex', '300008000100000002000001001100' + '4100');
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const a = await cli('decode', '--ddl', dotted, '--table', 'dbo.Users.Archive', '--hex', ROW);
  expect(a.code, a.stderr).toBe(0);
  expect(a.stderr).toBe("rowback decode: note: --ddl: 1 char/varchar/text column(s) without COLLATE (dbo.[Users.Archive].Name) are read as SQL_Latin1_General_CP1_CI_AS (code page 1252), assumed as the database's default collation; if it is another, give it with --collation\n");
});
