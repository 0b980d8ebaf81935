/**
 * A char/varchar value inside a sql_variant is read in the code page of its own collation, stored
 * with it (types/variant.ts: u16 MaxLength, u32 collation id), not the column's: a sql_variant column
 * has no collation, so the column's code page is 1252 unless the layout says otherwise, and Cyrillic
 * text under Cyrillic_General_CI_AS printed as Latin-1 mojibake with a warning. When rowback cannot
 * name the collation, the column's code page is used and a value beyond ASCII says so on its row;
 * ASCII does not. SYNTHETIC rows (test/support/synthetic-encoder.ts) and SYNTHETIC variant bytes in
 * the on-disk form the corpus shows (test/reconstruct/types/variant-char-props.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { decodeSqlVariant } from '../../../src/reconstruct/types/variant.js';
import { buildLayout, encodeCd, encodeFixedVar } from '../../support/synthetic-encoder.js';

const FV = buildLayout('V', [{ name: 'id', type: 'int' }, { name: 'v', type: 'sql_variant' }]);
const CD = buildLayout('V', [{ name: 'id', type: 'int' }, { name: 'v', type: 'sql_variant' }], 'ROW');
const told = (w: string[]) => w.filter((x) => x.includes('inside a sql_variant'));

describe('sql_variant char/varchar text beyond ASCII', () => {
  for (const [format, layout, encode] of [['FixedVar', FV, encodeFixedVar], ['CD', CD, encodeCd]] as const) {
    it(`${format}: a varchar is read in its own collation's code page (Cyrillic under Cyrillic_General_CI_AS in a 1252 column), no warning`, () => {
      const ru = { baseType: 'varchar', maxLength: 30, collation: 'Cyrillic_General_CI_AS', value: 'Привет, мир' };
      const r = decodeRow(encode(layout, { id: 1, v: ru }), layout);
      expect(r.values.v).toEqual(ru);
      expect(told(r.warnings)).toEqual([]);
      const tr = { baseType: 'char', maxLength: 6, collation: 'Turkish_CI_AS', value: 'İşçiğü' };
      expect(decodeRow(encode(layout, { id: 2, v: tr }), layout).values.v).toEqual(tr);
      const fr = { baseType: 'varchar', maxLength: 8000, collation: 'SQL_Latin1_General_CP1_CI_AS', value: 'café' };
      expect(told(decodeRow(encode(layout, { id: 3, v: fr }), layout).warnings)).toEqual([]);
      expect(told(decodeRow(encode(layout, { id: 4, v: { baseType: 'int', value: 7 } }), layout).warnings)).toEqual([]);
      expect(told(decodeRow(encode(layout, { id: 5, v: null }), layout).warnings)).toEqual([]);
    });
  }

  it('a collation id rowback cannot name: the column\'s code page, warned beyond ASCII only', () => {
    // varchar, version 1, MaxLength 10, collation id 0x0000d0ff (family 0xff: none), 'café' in 1252
    const odd = Buffer.from('a701' + '0a00' + 'ffd00000' + '636166e9', 'hex');
    expect(decodeSqlVariant(odd, 0, odd.length)).toEqual({ baseType: 'varchar', maxLength: 10, value: 'café' });
    const ascii = Buffer.from('a701' + '0a00' + 'ffd00000' + '63616665', 'hex');
    expect(decodeSqlVariant(ascii, 0, ascii.length)).toEqual({ baseType: 'varchar', maxLength: 10, value: 'cafe' });
    // through a row: the variant column is the record's only variable column
    const enc = Buffer.from(encodeFixedVar(FV, { id: 1, v: { baseType: 'varchar', value: 'cafe' } }));
    const at = enc.indexOf(Buffer.from('a701', 'hex'));
    const row = Buffer.concat([enc.subarray(0, at), odd]);
    row.writeUInt16LE(row.length, at - 2);
    const r = decodeRow(row, FV);
    expect(r.values.v).toEqual({ baseType: 'varchar', maxLength: 10, value: 'café' });
    expect(told(r.warnings)).toEqual(["column v: a varchar value inside a sql_variant holds characters beyond ASCII, read as code page 1252 (the column's): its own collation, stored with it, is not one rowback can name, so they are wrong if its code page differs"]);
  });

  it('a value longer than its own MaxLength is not a valid variant (bytes misread): refused, not printed', () => {
    const long = Buffer.from('a701' + '0300' + '08d00034' + '61626364', 'hex');
    expect(decodeSqlVariant(long, 0, long.length)).toBeNull();
    const bin = Buffer.from('ad01' + '0200' + '010203', 'hex');
    expect(decodeSqlVariant(bin, 0, bin.length)).toBeNull();
  });
});
