/**
 * A refusal's list of the tables read names each as one name (util/tsql.ts tableListText): a table
 * holding a space, a comma or a dot, or named by a reserved keyword, in brackets. They were listed as
 * `${schema}.${name}`: NORTHWND.MDF's `dbo.Order Details` (REAL: corpus SessionShoppingCart), which
 * `--table dbo.Order Details` does not take as given on a command line unquoted, and a table `a,b` as
 * `dbo.a,b`, which a list of tables reads, and `--table` splits, as two (`dbo.a` and `b`). The
 * scripts here are SYNTHETIC test input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitTableList } from '../../src/util/table-list.js';
import { splitQualifiedName } from '../../src/util/tsql.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const NVARCHAR_ROW = '30000800010000000200000100130068006900'; // corpus text-examples lc-nvarchar: (1, N'hi')

/** The tables a refusal lists after `known tables: ` (or `--table: `), as --table would read them. */
function listed(line: string, after: string): Array<{ schema: string; name: string }> {
  const from = line.indexOf(after);
  expect(from).toBeGreaterThan(-1);
  const rest = line.slice(from + after.length).trimEnd();
  // the list ends at the first `;` (a hint follows it) or ` (` (the line's location) outside brackets
  let end = rest.length;
  let inBracket = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '[') inBracket = true;
    else if (rest[i] === ']') inBracket = rest[i + 1] === ']' ? (i++, true) : false;
    else if (!inBracket && (rest[i] === ';' || rest.startsWith(' (', i))) {
      end = i;
      break;
    }
  }
  return splitTableList(rest.slice(0, end)).map((n) => splitQualifiedName(n));
}

describe('decode --ddl: the tables a script defines, listed', () => {
  let ddl: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-names-'));
    ddl = join(dir, 'names.sql');
    writeFileSync(ddl, ['CREATE TABLE dbo.[a,b] (Id int NOT NULL, Name nvarchar(50) NULL);', 'CREATE TABLE dbo.c (Id int NOT NULL, Name nvarchar(50) NULL);', 'CREATE TABLE dbo.[User] (Id int NOT NULL, [Key] nvarchar(50) NULL);', 'CREATE TABLE dbo.[Order.Items] (Id int NOT NULL, Name nvarchar(50) NULL);'].join('\n'));
  });
  const tables = [{ schema: 'dbo', name: 'a,b' }, { schema: 'dbo', name: 'c' }, { schema: 'dbo', name: 'User' }, { schema: 'dbo', name: 'Order.Items' }];

  it('without --table: INPUT_TABLE_REQUIRED lists four tables, each in brackets where it needs them', async () => {
    const line = expectOneLineError(await cli('decode', '--ddl', ddl, '--hex', NVARCHAR_ROW), 'INPUT_TABLE_REQUIRED');
    expect(line).toContain('choose one with --table: dbo.[a,b], dbo.c, dbo.[User], dbo.[Order.Items]');
    expect(listed(line, 'choose one with --table: ')).toEqual(tables);
  });

  it('an unknown --table: INPUT_UNKNOWN_TABLE lists the same four', async () => {
    const line = expectOneLineError(await cli('decode', '--ddl', ddl, '--table', 'dbo.Nope', '--hex', NVARCHAR_ROW), 'INPUT_UNKNOWN_TABLE');
    expect(line).toContain('known tables: dbo.[a,b], dbo.c, dbo.[User], dbo.[Order.Items]');
    expect(listed(line, 'known tables: ')).toEqual(tables);
  });

  it('a table whose name holds a line break is listed on the refusal\'s one line, the break as \\u{a}', async () => {
    // SYNTHETIC script: `known tables: dbo.[a` and `b], dbo.c` were two lines of stderr
    const nl = join(mkdtempSync(join(tmpdir(), 'rowback-names-')), 'nl.sql');
    writeFileSync(nl, 'CREATE TABLE dbo.[a\nb] (Id int NOT NULL, Name nvarchar(50) NULL);\nCREATE TABLE dbo.c (Id int NOT NULL);\n');
    const line = expectOneLineError(await cli('decode', '--ddl', nl, '--table', 'dbo.Nope', '--hex', NVARCHAR_ROW), 'INPUT_UNKNOWN_TABLE');
    expect(line).toContain('known tables: dbo.[a\\u{a}b], dbo.c');
  });

  it('a name from the list, given back to --table, is the table listed', async () => {
    const r = await cli('decode', '--ddl', ddl, '--table', 'dbo.[a,b]', '--hex', NVARCHAR_ROW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"hi"');
  });
});

describeCorpus('dump on NORTHWND.MDF (REAL): an unknown --table lists Order Details as one name', () => {
  it('known tables: … dbo.[Order Details] …, and the list reads as the file\'s tables', async () => {
    const line = expectOneLineError(await cli('dump', '--mdf', corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), '--table', 'dbo.Nope'), 'INPUT_UNKNOWN_TABLE');
    expect(line).toContain('dbo.[Order Details]');
    expect(line).not.toContain('dbo.Order Details');
    const names = listed(line, 'known tables: ');
    expect(names).toContainEqual({ schema: 'dbo', name: 'Order Details' });
    // regular names as before
    expect(line).toContain('dbo.Customers');
    expect(names).toContainEqual({ schema: 'dbo', name: 'Customers' });
  }, 60_000);

  it('the dump header names the table as --table takes it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-names-')), 'od.csv');
    const r = await cli('dump', '--mdf', corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), '--table', 'dbo.[Order Details]', '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rowback dump: dbo.[Order Details]: 2155 row(s)\n');
  }, 60_000);

  it('scan --table dbo.a,b (a list: dbo.a and b) against a table a,b: refused naming dbo.[a,b] as the table to give', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-names-'));
    const ddl = join(dir, 'comma.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.[a,b] (Id int NOT NULL);\nCREATE TABLE dbo.c (Id int NOT NULL);\n');
    const ldf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
    const line = expectOneLineError(await cli('scan', '--ldf', ldf, '--ddl', ddl, '--table', 'dbo.a,b', '--alloc-unit', 'dbo.[a,b]=1', '--alloc-unit', 'dbo.c=2'), 'INPUT_UNKNOWN_TABLE');
    expect(line).toContain("known tables: dbo.[a,b], dbo.c; dbo.[a,b] has a name holding a comma, which splits a list of tables (--table dbo.A,dbo.B) unless the name is in brackets: give it as dbo.[a,b]");
  }, 60_000);

  it("scan --ddl's note of the tables left out lists Order Details as one name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-names-'));
    const ddl = join(dir, 'shippers.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.Shippers (ShipperID int IDENTITY(1,1) NOT NULL, CompanyName nvarchar(40) NOT NULL, Phone nvarchar(24) NULL);\n');
    const app = (f: string) => corpusPath('SessionShoppingCart', 'App_Data', f);
    const r = await cli('scan', '--mdf', app('NORTHWND.MDF'), '--ldf', app('NORTHWND_log.ldf'), '--ddl', ddl, '--out', join(dir, 'rows.ndjson'));
    const note = r.stderr.split('\n').find((l) => l.includes('are not scanned'));
    expect(note).toContain('dbo.EmployeeTerritories, dbo.[Order Details], dbo.Orders');
    expect(listed(note!, 'does not know): ')).toContainEqual({ schema: 'dbo', name: 'Order Details' });
  }, 60_000);
});
