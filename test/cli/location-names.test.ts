/**
 * The `(…)` location of a one-line error or a skipped item names a table and a column as one name
 * each (errors.ts formatLocation / locationPartText: nameText and identifierText): it wrote them bare,
 * `(table dbo.Order Details, LSN …, offset 12, column Unit Price)`, where a reader cannot tell where
 * a name ends, and a column named `a, column b` wrote a second column part of its own. The JSON of
 * the location (a `--report`'s `failed`, the API's `location`) keeps the raw name.
 *
 * The row image is REAL: record slot 1 of NORTHWND.MDF's page 1:148 (corpus SessionShoppingCart), a
 * row of dbo.Order Details (10248, 42, 9.80, 10, 0), read from the file at test time. The CREATE
 * TABLE scripts are SYNTHETIC: Order Details with its third column named `Unit Price` (or `a, column
 * b`) and typed char(20), wider than the money the row holds, so the column lies past the row's fixed
 * part and the decode is refused naming it.
 */
import { closeSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const LSN = '00000019:0000003e:0001';

/** Record `slot` of page `page` of a data file, its bytes as hex (the slot array at the page's end). */
function recordHex(file: string, page: number, slot: number, length: number): string {
  const b = Buffer.alloc(8192);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, b, 0, 8192, page * 8192);
  } finally {
    closeSync(fd);
  }
  const at = b.readUInt16LE(8192 - 2 - 2 * slot);
  return b.subarray(at, at + length).toString('hex');
}

/** A location's parts, split at each `, ` outside [brackets] (`]]` inside is the bracket itself). */
function locationParts(where: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inBracket = false;
  for (let i = 0; i < where.length; i++) {
    const c = where[i]!;
    if (inBracket && c === ']' && where[i + 1] === ']') {
      cur += ']]';
      i++;
    } else if (c === '[' && !inBracket) (inBracket = true), (cur += c);
    else if (c === ']' && inBracket) (inBracket = false), (cur += c);
    else if (!inBracket && where.startsWith(', ', i)) {
      parts.push(cur);
      cur = '';
      i++;
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function script(dir: string, name: string, third: string): string {
  const f = join(dir, name);
  writeFileSync(f, `CREATE TABLE [dbo].[Order Details] ([OrderID] int NOT NULL, [ProductID] int NOT NULL, ${third} char(20) NOT NULL, [Quantity] smallint NOT NULL, [Discount] real NOT NULL, CONSTRAINT [PK_Order_Details] PRIMARY KEY CLUSTERED ([OrderID], [ProductID]));\n`);
  return f;
}

describeCorpus('decode of a REAL Order Details row against a layout that does not fit it: the location names each name as one', () => {
  let hex: string;
  let dir: string;
  beforeAll(() => {
    // 29 bytes: header 4, fixed part 22 (OrderID, ProductID, UnitPrice money, Quantity, Discount), column count 2, null bitmap 1
    hex = recordHex(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'), 148, 1, 29);
    expect(hex).toBe('10001a00082800002a000000d07e0100000000000a0000000000050000');
    dir = mkdtempSync(join(tmpdir(), 'rowback-location-names-'));
  });

  it('(table dbo.[Order Details], …, column [Unit Price]): it was (table dbo.Order Details, …, column Unit Price)', async () => {
    const ddl = script(dir, 'unit-price.sql', '[Unit Price]');
    const line = expectOneLineError(await cli('decode', '--ddl', ddl, '--table', 'dbo.[Order Details]', '--hex', hex, '--lsn', LSN), 'DECODE_SCHEMA_MISMATCH').trimEnd();
    expect(line).toMatch(/ \(table dbo\.\[Order Details\], LSN 00000019:0000003e:0001, offset 12, column \[Unit Price\]\)$/);
    // and the message names it so too (it said `fixed column Unit Price (leaf offset 12, …)`)
    expect(line).toContain("DECODE_SCHEMA_MISMATCH: fixed column [Unit Price] (leaf offset 12, 20 bytes) lies past the fixed part's end 26 (");
  });

  it('a column named `a, column b` is one column part, not two', async () => {
    const ddl = script(dir, 'forged.sql', '[a, column b]');
    const line = expectOneLineError(await cli('decode', '--ddl', ddl, '--table', 'dbo.[Order Details]', '--hex', hex, '--lsn', LSN), 'DECODE_SCHEMA_MISMATCH').trimEnd();
    expect(line).toMatch(/, offset 12, column \[a, column b\]\)$/);
    expect(line).toContain('fixed column [a, column b] (leaf offset 12,');
    // read back at each `, ` outside brackets: one `column` part (bare, `column a, column b` read as two)
    const parts = locationParts(line.slice(line.lastIndexOf(' (table ') + 2, -1));
    expect(parts.filter((p) => p.startsWith('column '))).toEqual(['column [a, column b]']);
  });

});
