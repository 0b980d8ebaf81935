import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../src/errors.js';
import { namingFile, readTextFile } from '../../src/util/files.js';
import { captureCli, expectOneLineError } from '../support/cli.js';

/**
 * Scripts and catalog JSON as Windows tools save them: SSMS "Generate Scripts" and Windows
 * PowerShell 5.1 (`Out-File`, `>`) write UTF-16LE with a byte-order mark. Read as UTF-8, a CREATE
 * TABLE script failed `SCHEMA_DDL_PARSE: line 1, column 4: unexpected character` (its NUL bytes)
 * and named no file. SYNTHETIC scripts; the row image is the README's (examples/contact.sql).
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rowback-textfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = captureCli();

const DDL = 'CREATE TABLE [dbo].[Contact] ([Id] INT NOT NULL PRIMARY KEY, [Name] NVARCHAR(50) NULL) -- Größe\r\n';
const HEX = '0x30000800010000000200000100130068006900';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

const encodings: Array<[string, Buffer]> = [
  ['utf-8', Buffer.from(DDL, 'utf8')],
  ['utf-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DDL, 'utf8')])],
  ['utf-16le with BOM (SSMS, PowerShell 5.1)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DDL, 'utf16le')])],
  ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(DDL)])],
];

describe('readTextFile', () => {
  it.each(encodings)('%s: the same text, without its BOM', (name, bytes) => {
    const f = join(dir, `${name.replace(/\W+/g, '-')}.sql`);
    writeFileSync(f, bytes);
    expect(readTextFile(f)).toBe(DDL);
  });

  it('a missing file is INPUT_FILE_UNREADABLE naming it', () => {
    const f = join(dir, 'nope.sql');
    expect(() => readTextFile(f)).toThrow(expect.objectContaining({ code: 'INPUT_FILE_UNREADABLE', location: { file: f } }));
  });
});

describe('namingFile', () => {
  it('adds the file to an error that names none; keeps one that does; passes other errors through', () => {
    const thrown = (fn: () => unknown) => { try { fn(); } catch (e) { return e; } return undefined; };
    const e1 = thrown(() => namingFile('a.sql', () => { throw new SchemaError('SCHEMA_DDL_PARSE', 'line 1, column 4: x', { line: 1 }); })) as SchemaError;
    expect(e1.describe()).toBe('SCHEMA_DDL_PARSE: line 1, column 4: x (file a.sql, line 1)');
    const e2 = thrown(() => namingFile('a.sql', () => { throw new SchemaError('SCHEMA_BAD_CATALOG', 'x', { file: 'b.json' }); })) as SchemaError;
    expect(e2.location.file).toBe('b.json');
    expect(thrown(() => namingFile('a.sql', () => { throw new TypeError('t'); }))).toBeInstanceOf(TypeError);
    expect(namingFile('a.sql', () => 42)).toBe(42);
  });
});

describe('decode --ddl and scan --ddl', () => {
  it.each(encodings)('decode reads a %s script', async (name, bytes) => {
    const f = join(dir, `decode-${name.replace(/\W+/g, '-')}.sql`);
    writeFileSync(f, bytes);
    const r = await cli('decode', '--ddl', f, '--hex', HEX);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ table: 'dbo.Contact', values: { Id: 1, Name: 'hi' } });
  });

  it('a script that does not parse names its file, with the line (decode and scan)', async () => {
    const f = join(dir, 'bad.sql');
    writeFileSync(f, 'CREATE TABLE dbo.X (a INT, b FOO)\n');
    expect(expectOneLineError(await cli('decode', '--ddl', f, '--hex', HEX), 'SCHEMA_UNKNOWN_TYPE')).toContain(`(file ${f}, line 1)`);
    const ldf = join(dir, 'x.ldf');
    writeFileSync(ldf, Buffer.alloc(16384));
    const scan = await cli('scan', '--ldf', ldf, '--ddl', f, '--alloc-unit', '72057594043629568');
    expect(scan.stderr).toContain(`(file ${f}, line 1)`);
    const g = join(dir, 'backtick.sql');
    writeFileSync(g, 'CREATE TABLE `x` (a INT)\n');
    expect(expectOneLineError(await cli('decode', '--ddl', g, '--hex', HEX), 'SCHEMA_DDL_PARSE')).toContain(`(file ${g}, line 1)`);
  });

  it('decode --schema reads a UTF-16LE catalog JSON (PowerShell 5.1 Out-File)', async () => {
    const { readFileSync } = await import('node:fs');
    const json = readFileSync(join(repo, 'examples', 'decimal-test-dropped-column.catalog.json'), 'utf8');
    const f = join(dir, 'catalog-utf16.json');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    const r = await cli('decode', '--schema', f, '--hex', '1000160001000000013930000001C0BA8A3CD5620400030000');
    // read whole: no error; the row predates two columns (their defaults taken, with warnings), which
    // decode says as INCOMPLETE (exit 3 under --strict)
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback decode: INCOMPLETE: the row of dbo\.DecimalTest \(25-byte row image\) was decoded with 2 warning\(s\)[^\n]*\n$/);
    expect(JSON.parse(r.stdout).values).toEqual({ Id: 1, Big: '123456789012.3456', Added: 7, Label: null });
  });
});
