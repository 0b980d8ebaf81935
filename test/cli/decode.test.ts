import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { hexFromDump } from '../../src/cli/commands/decode.js';
import { captureCli, expectOneLineError } from '../support/cli.js';

/**
 * `rowback decode` end to end through main(): exit code, stdout (one JSON document or nothing),
 * stderr (nothing, or exactly one line naming the code and the location).
 * The row images are real ones from the corpus text-examples (lc-nvarchar, lc-char-nchar,
 * lc-nonunique-clustered-uniquifier-slot, lc-decimal-positive), inlined as hex.
 */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NVARCHAR_ROW = '30000800010000000200000100130068006900'; // lc-nvarchar: dbo.T (1, N'hi')
const CHAR_ROW = '1000170001000000616220202078007900200020002000030000'; // lc-char-nchar
const SIMPLE2_ROW = '30001000000000000020490B01000000050010020019001F00580059005A00'; // lc-nonunique-clustered-uniquifier-slot
const DECIMAL_ROW = '1000160001000000013930000001C0BA8A3CD5620400030000'; // lc-decimal-positive

let dir: string;
const cli = captureCli();

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const run = (...args: string[]) => cli('decode', ...args);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-decode-'));
});

describe('rowback decode: success', () => {
  it('the README quick-start command works as written', async () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const m = /npx rowback decode (--ddl (\S+) --hex (\S+))/.exec(readme);
    expect(m, 'README shows a decode command').not.toBeNull();
    const r = await run('--ddl', join(repo, m![2]!), '--hex', m![3]!);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.Contact', values: { Id: 1, Name: 'hi' } });
  });

  it('--ddl + --hex prints one JSON document with the table and the values', async () => {
    const ddl = file('t.sql', 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    const r = await run('--ddl', ddl, '--hex', `0x${NVARCHAR_ROW}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.T', values: { Id: 1, Name: 'hi' } });
  });

  it('bytes after the record end (two row images pasted together) are refused, not silently dropped: a row image is the record exactly, and the same bytes from a damaged end offset would cut a value short', async () => {
    const ddl = file('t.sql', 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    const r = await run('--ddl', ddl, '--hex', `0x${NVARCHAR_ROW}${NVARCHAR_ROW}`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('DECODE_BAD_RECORD: the record ends at offset 19 (variable column 1, Name, ends at 19) but the image holds 19 more byte(s)');
    expect(r.stderr).toContain('if these bytes are another record, give only the first');
  });

  it('hex may carry spaces and lower case; the example DDL with a non-unique clustered index decodes', async () => {
    const spaced = SIMPLE2_ROW.toLowerCase().replace(/(.{8})/g, '$1 ');
    const r = await run('--ddl', join(repo, 'examples', 'simple2.sql'), '--hex', spaced);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.Simple2', values: { Id: 1, ColA: 'XYZ', Sortable: '2026-01-01T00:00:00.0000000', ColB: null } });
  });

  it('--schema CATALOG.json decodes through the catalog, warnings included only when there are some', async () => {
    const r = await run('--schema', join(repo, 'examples', 'decimal-test-dropped-column.catalog.json'), '--hex', DECIMAL_ROW);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.table).toBe('dbo.DecimalTest');
    expect(doc.values).toEqual({ Id: 1, Big: '123456789012.3456', Added: 7, Label: null });
    expect(doc.warnings.length).toBeGreaterThan(0);
    const plain = await run('--ddl', file('d.sql', 'CREATE TABLE dbo.DecimalTest (Id INT, Small DECIMAL(5,2), Big DECIMAL(18,4))'), '--hex', DECIMAL_ROW);
    expect(Object.keys(JSON.parse(plain.stdout))).toEqual(['table', 'values']);
  });

  it('--table chooses among several tables (schema.name, bracketed, or a unique bare name)', async () => {
    const shop = join(repo, 'examples', 'shop.sql');
    for (const t of ['dbo.T', '[dbo].[T]', 't']) {
      const r = await run('--ddl', shop, '--table', t, '--hex', NVARCHAR_ROW);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).table).toBe('dbo.T');
    }
  });

  it('--type-alias gives the base type of a user-defined alias type', async () => {
    const ddl = file('a.sql', 'CREATE TABLE dbo.T2 (Id Ident, C Code5, NC NCHAR(5))');
    const r = await run('--ddl', ddl, '--type-alias', 'Ident=int', '--type-alias', 'Code5=char(5)', '--hex', CHAR_ROW);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).values).toEqual({ Id: 1, C: 'ab   ', NC: 'xy   ' });
  });
});

describe('hexFromDump: DBCC PAGE lines as pasted', () => {
  it.each([
    ['Slot 0: 0000000000000000:   10000800 01000000 0100fe', '10000800 01000000 0100fe'],
    [
      'Memory Dump @0x000000000D52A060\n\n000000000D52A060:   30001000 00000000 0020490b 01000000  0.........I.....\n000000000D52A070:   05001002 0019001f 00580059 005a00    .........X.Y.Z.',
      '30001000 00000000 0020490b 01000000 05001002 0019001f 00580059 005a00',
    ],
    ['0x3000080001000000', '0x3000080001000000'],
  ])('%s', (text, want) => {
    expect(hexFromDump(text)).toBe(want);
  });

  it('the improve.dk DBCC PAGE line decodes through the CLI', async () => {
    const ddl = file('tmp.sql', 'CREATE TABLE tmp (ID int identity(1,1))');
    const r = await run('--ddl', ddl, '--hex', 'Slot 1: 0000000000000000:   10000800 02000000 0100fe');
    // the decoder notes the non-zero unused bitmap bits (0xfe) as a warning
    expect(JSON.parse(r.stdout)).toMatchObject({ table: 'dbo.tmp', values: { ID: 2 } });
  });
});

describe('rowback decode: failures are one stderr line, exit ≠ 0, no stdout', () => {
  it('bad hex: INPUT_BAD_HEX with the offset, exit 2', async () => {
    const ddl = file('t.sql', 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    const r = await run('--ddl', ddl, '--hex', '30000800zz');
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'INPUT_BAD_HEX')).toMatch(/offset 4/);
  });

  it('truncated row: DECODE_TRUNCATED naming the byte offset, exit 2 (bad input)', async () => {
    const ddl = file('t.sql', 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    const r = await run('--ddl', ddl, '--hex', NVARCHAR_ROW.slice(0, 12));
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'DECODE_TRUNCATED')).toMatch(/offset \d+/);
  });

  it('a row that does not fit the schema names the byte offset and the column', async () => {
    const ddl = file('t2.sql', 'CREATE TABLE dbo.T2 (Id INT, C CHAR(50), NC NCHAR(5))');
    const r = await run('--ddl', ddl, '--hex', CHAR_ROW);
    const line = expectOneLineError(r, 'DECODE_SCHEMA_MISMATCH');
    expect(line).toMatch(/offset \d+/);
    expect(line).toMatch(/column C\b/);
  });

  it('several tables without --table: INPUT_TABLE_REQUIRED listing them', async () => {
    const r = await run('--ddl', join(repo, 'examples', 'shop.sql'), '--hex', NVARCHAR_ROW);
    const line = expectOneLineError(r, 'INPUT_TABLE_REQUIRED');
    expect(line).toContain('dbo.T');
    expect(line).toContain('sales.Orders');
  });

  it('an unknown --table: INPUT_UNKNOWN_TABLE listing the known ones', async () => {
    const r = await run('--ddl', join(repo, 'examples', 'shop.sql'), '--table', 'dbo.Nope', '--hex', NVARCHAR_ROW);
    expect(expectOneLineError(r, 'INPUT_UNKNOWN_TABLE')).toContain('known tables: dbo.T, sales.Orders');
  });

  it('DDL that does not parse: SCHEMA_DDL_PARSE with file line, exit 2', async () => {
    const ddl = file('bad.sql', 'CREATE TABLE t (\n  a int,\n  b int FROB\n)');
    const r = await run('--ddl', ddl, '--hex', NVARCHAR_ROW);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r, 'SCHEMA_DDL_PARSE')).toContain('line 3');
  });

  it('an alias type without --type-alias: SCHEMA_UNKNOWN_TYPE', async () => {
    const ddl = file('a.sql', 'CREATE TABLE t (a Flag)');
    expectOneLineError(await run('--ddl', ddl, '--hex', NVARCHAR_ROW), 'SCHEMA_UNKNOWN_TYPE');
  });

  it('bad catalog JSON: SCHEMA_BAD_CATALOG naming the row and field', async () => {
    const cat = file('c.json', JSON.stringify([{ schema_name: 'dbo', table_name: 't' }]));
    expect(expectOneLineError(await run('--schema', cat, '--hex', NVARCHAR_ROW), 'SCHEMA_BAD_CATALOG')).toContain('catalog row 0: field');
  });

  it('metadata options: neither or both of --ddl/--schema, a malformed --type-alias, an unreadable file', async () => {
    expectOneLineError(await run('--hex', NVARCHAR_ROW), 'INPUT_BAD_OPTION');
    const ddl = file('t.sql', 'CREATE TABLE dbo.T (Id INT)');
    expectOneLineError(await run('--ddl', ddl, '--schema', ddl, '--hex', NVARCHAR_ROW), 'INPUT_BAD_OPTION');
    expectOneLineError(await run('--ddl', ddl, '--type-alias', 'Flag', '--hex', NVARCHAR_ROW), 'INPUT_BAD_OPTION');
    expectOneLineError(await run('--ddl', join(dir, 'missing.sql'), '--hex', NVARCHAR_ROW), 'INPUT_FILE_UNREADABLE');
  });

  it('--lsn is validated and named in decode errors', async () => {
    const ddl = file('t.sql', 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    expectOneLineError(await run('--ddl', ddl, '--lsn', 'nope', '--hex', NVARCHAR_ROW), 'INPUT_BAD_LSN');
    const r = await run('--ddl', ddl, '--lsn', '0000002A:000001F0:0003', '--hex', NVARCHAR_ROW.slice(0, 12));
    expect(expectOneLineError(r, 'DECODE_TRUNCATED')).toContain('LSN 0000002a:000001f0:0003');
  });

  it('a DDL file without tables: INPUT_NO_TABLE', async () => {
    const ddl = file('empty.sql', 'SET NOCOUNT ON;');
    expectOneLineError(await run('--ddl', ddl, '--hex', NVARCHAR_ROW), 'INPUT_NO_TABLE');
  });
});

describe('rowback decode as a process (bin/rowback.js)', () => {
  it('--hex - reads the row image from stdin', () => {
    const ddl = join(mkdtempSync(join(tmpdir(), 'rowback-bin-')), 't.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'decode', '--ddl', ddl, '--hex', '-'], {
      input: `0x${NVARCHAR_ROW}\n`, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.T', values: { Id: 1, Name: 'hi' } });
  });

  it('a truncated row exits non-zero with one stderr line and an empty stdout', () => {
    const ddl = join(mkdtempSync(join(tmpdir(), 'rowback-bin-')), 't.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'rowback.js'), 'decode', '--ddl', ddl, '--hex', NVARCHAR_ROW.slice(0, 30)], {
      encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^rowback: DECODE_TRUNCATED: .*offset \d+/);
  });
});

describe('rowback decode: catalog JSON with partitions of different layouts', () => {
  // SYNTHETIC catalog rows: dbo.P (id int, name varchar(20)); partition 1 uncompressed, partition 2
  // ROW-compressed. The row is partition 2's CD record of (70000, NULL) (synthetic-encoder encodeCd).
  const col = (partition: number, compression: string, id: number, name: string, type: string, max: number, offset: number) => ({
    schema_name: 'dbo', table_name: 'P', index_id: 1, partition_id: String(72057594050000000 + partition), partition_number: partition, data_compression_desc: compression,
    in_row_alloc_unit_id: String(72057594040000000 + partition), partition_column_id: id, column_id: id, column_name: name, type_name: type, max_length: max,
    precision: type === 'int' ? 10 : 0, scale: 0, collation_name: type === 'int' ? null : 'SQL_Latin1_General_CP1_CI_AS', leaf_offset: offset, leaf_null_bit: id, leaf_bit_position: 0,
    is_dropped: false, is_sparse: false, is_uniqueifier: false,
  });
  const catalog = () => file('p.json', JSON.stringify([
    col(1, 'NONE', 1, 'id', 'int', 4, 4), col(1, 'NONE', 2, 'name', 'varchar', 20, -1),
    col(2, 'ROW', 1, 'id', 'int', 4, 4), col(2, 'ROW', 2, 'name', 'varchar', 20, -1),
  ]));
  const CD_ROW = '010204811170';

  it('without --partition: refused naming the partitions (partition 1 was used silently)', async () => {
    expectOneLineError(await run('--schema', catalog(), '--hex', CD_ROW), 'INPUT_PARTITION_REQUIRED');
  });
  it('--partition 2 decodes with that partition\'s layout; an unknown partition is refused', async () => {
    const r = await run('--schema', catalog(), '--partition', '2', '--hex', CD_ROW);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.P', values: { id: 70000, name: null } });
    expectOneLineError(await run('--schema', catalog(), '--partition', '3', '--hex', CD_ROW), 'INPUT_UNKNOWN_PARTITION');
    expectOneLineError(await run('--schema', catalog(), '--partition', 'two', '--hex', CD_ROW), 'INPUT_BAD_OPTION');
  });
});
