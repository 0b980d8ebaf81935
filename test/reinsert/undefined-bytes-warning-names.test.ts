/**
 * reinsert/service.ts undefinedBytesWarned takes a row warning naming bytes printed as U+FFFD back to
 * its column: the name as the warning writes it now (identifierText: `column [Unit Price]: …`), and
 * bare as rowback wrote it before 2026-12-07 (`column Unit Price: …`), which rows already in a staging
 * store keep. The column is the row's own (its values' names), the longest that fits. SYNTHETIC row
 * images (test/support/synthetic-encoder.ts, Greek_CI_AS varchar: 0xAA is a byte code page 1253 does
 * not define) decoded by decodeRow, and warnings typed as older rowback versions wrote them; `Unit
 * Price` after Northwind's dbo.Order Details (corpus SessionShoppingCart).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { undefinedBytesWarned } from '../../src/reinsert/service.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';

const layout = buildLayout('T', [
  { name: 'Id', type: 'int' },
  { name: 'Unit', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' },
  { name: 'Unit Price', type: 'varchar', maxLength: 10, collation: 'Greek_CI_AS' },
]);

function decoded(hex: string): { values: Record<string, unknown>; warnings: string[] } {
  const image = Buffer.from(encodeRow(layout, { Id: 1, Unit: 'u', 'Unit Price': 'QQ' }));
  Buffer.from(hex, 'hex').copy(image, image.indexOf(Buffer.from('QQ', 'latin1')));
  const r = decodeRow(image, layout);
  return { values: r.values, warnings: r.warnings };
}

describe('undefinedBytesWarned: the warning\'s column, in both forms', () => {
  it('written now: `column [Unit Price]: 0xAA at offset 1 …` is Unit Price\'s (it was taken as a column named `[Unit Price]`, which the target has not)', () => {
    const r = decoded('c1aa');
    expect(r.warnings).toEqual([expect.stringMatching(/^column \[Unit Price\]: 0xAA at offset 1 of its 2-byte value is not defined in code page 1253 /)]);
    expect(undefinedBytesWarned([{ id: 1, ...r }]).map((x) => [x.column, x.codePage])).toEqual([['Unit Price', 1253]]);
    // a row without its values: the bracketed name read back
    expect(undefinedBytesWarned([{ id: 1, warnings: r.warnings }]).map((x) => x.column)).toEqual(['Unit Price']);
  });

  it('staged by an older rowback: `column Unit Price: …` is Unit Price\'s, not Unit\'s', () => {
    const old = decoded('c1aa').warnings[0]!.replace('column [Unit Price]: ', 'column Unit Price: ');
    expect(old).toMatch(/^column Unit Price: 0xAA at offset 1 /);
    expect(undefinedBytesWarned([{ id: 1, values: decoded('c1aa').values, warnings: [old] }]).map((x) => [x.column, x.codePage])).toEqual([['Unit Price', 1253]]);
    expect(undefinedBytesWarned([{ id: 1, warnings: [old] }]).map((x) => x.column)).toEqual(['Unit Price']);
  });

  it('text inside a sql_variant stays REINSERT_VARIANT_TEXT\'s, in both forms', () => {
    const tail = ": 0xAA at offset 1 of its 2-byte value is not defined in code page 1253 (SQL Server stores such bytes unchecked): printed as U+FFFD '\ufffd', which is not the stored byte; a re-insert would write '?' there, so rowback holds this row back from re-insert (REINSERT_VARIANT_TEXT): re-insert it by hand with the original bytes";
    const values = { Id: 1, 'Unit Price': null };
    for (const name of ['[Unit Price]', 'Unit Price']) {
      expect(undefinedBytesWarned([{ id: 1, values, warnings: [`column ${name} (a varchar value inside the sql_variant)${tail}`] }])).toEqual([]);
    }
  });
});
