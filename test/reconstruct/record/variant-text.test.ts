/**
 * A char/varchar value inside a sql_variant is read in the column's code page, since the variant's own
 * collation bytes are not read (types/variant.ts: their order on disk is unconfirmed). A value with
 * bytes ≥ 0x80 then says so on its row; ASCII does not. SYNTHETIC rows (test/support/synthetic-encoder.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { buildLayout, encodeCd, encodeFixedVar } from '../../support/synthetic-encoder.js';

const FV = buildLayout('V', [{ name: 'id', type: 'int' }, { name: 'v', type: 'sql_variant' }]);
const CD = buildLayout('V', [{ name: 'id', type: 'int' }, { name: 'v', type: 'sql_variant' }], 'ROW');
const told = (w: string[]) => w.filter((x) => x.includes('inside a sql_variant'));

describe('sql_variant char/varchar text beyond ASCII', () => {
  for (const [format, layout, encode] of [['FixedVar', FV, encodeFixedVar], ['CD', CD, encodeCd]] as const) {
    it(`${format}: a varchar with é is decoded and warned (code page 1252 assumed); ASCII and nvarchar are not`, () => {
      const r = decodeRow(encode(layout, { id: 1, v: { baseType: 'varchar', value: 'café' } }), layout);
      expect(r.values.v).toEqual({ baseType: 'varchar', value: 'café' });
      expect(told(r.warnings)).toEqual(["column v: a varchar value inside a sql_variant holds characters beyond ASCII, read as code page 1252 (the column's); the value's own collation, stored with it, is not read, so they are wrong if its code page differs"]);
      expect(told(decodeRow(encode(layout, { id: 2, v: { baseType: 'varchar', value: 'cafe' } }), layout).warnings)).toEqual([]);
      expect(told(decodeRow(encode(layout, { id: 3, v: { baseType: 'nvarchar', value: 'café' } }), layout).warnings)).toEqual([]);
      expect(told(decodeRow(encode(layout, { id: 4, v: { baseType: 'int', value: 7 } }), layout).warnings)).toEqual([]);
      expect(told(decodeRow(encode(layout, { id: 5, v: null }), layout).warnings)).toEqual([]);
    });
  }
});
