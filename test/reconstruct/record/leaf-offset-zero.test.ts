/**
 * A stored column (a leaf_null_bit, not computed) whose layout gives leaf_offset 0. In a CD record
 * (ROW/PAGE) a column is found by its null bit alone (leaf_null_bit − 1: BusinessCentral.BakReader
 * PROVENANCE.md "physical column order", field case bc-sourcecodesetup-base-cd7) and leaf_offset plays
 * no part, so such a column is read by its type; in an uncompressed record it has no place (a fixed
 * slot has leaf_offset > 0, a variable column < 0), so the layout is refused. Before, both read the
 * column as NULL on every row with no warning: a CD layout with leaf_offset 0 everywhere (as a catalog
 * may give for a compressed partition) printed every row all NULL.
 *
 * Records SYNTHETIC: FixedVar `30 00 0800 05000000 0200 00 0100 1400 'hello'` (a = 5, b = 'hello'),
 * CD `01 02 62 85 'hello'` (a: 1 short byte 0x85 = 5, b: 5 short bytes).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../../src/reconstruct/metadata/catalog-json.js';
import { parseHex } from '../../../src/util/hex.js';
import { decodeErrorOf } from '../../support/decode-error.js';

function layout(compression: string, offA: number, offB: number) {
  const row = (id: number, name: string, type: string, maxLength: number, leafOffset: number) => ({
    schema_name: 'dbo', table_name: 't', index_id: 0, data_compression_desc: compression,
    partition_column_id: id, column_id: id, column_name: name, type_name: type, max_length: maxLength,
    precision: type === 'int' ? 10 : 0, scale: 0, collation_name: type === 'varchar' ? 'SQL_Latin1_General_CP1_CI_AS' : null,
    is_nullable: true, leaf_offset: leafOffset, leaf_null_bit: id, leaf_bit_position: 0,
    is_dropped: false, is_sparse: false, is_uniqueifier: false,
  });
  return layoutsFromCatalog([row(1, 'a', 'int', 4, offA), row(2, 'b', 'varchar', 10, offB)])[0]!;
}

const FIXEDVAR = parseHex('30000800050000000200000100140068656c6c6f');
const CD = parseHex('010262856865' + '6c6c6f');

describe('stored columns with leaf_offset 0', () => {
  it('CD (ROW and PAGE): read by their null bit, as with their leaf offsets', () => {
    for (const compression of ['ROW', 'PAGE']) {
      // twice: the generated reader (cd-fast.ts) runs from the second decode on
      for (let k = 0; k < 2; k++) {
        expect(decodeRow(CD, layout(compression, 4, -1)).values).toEqual({ a: 5, b: 'hello' });
        expect(decodeRow(CD, layout(compression, 0, 0)).values).toEqual({ a: 5, b: 'hello' });
      }
    }
  });

  it('FixedVar: refused, naming the column (it read NULL, no warning)', () => {
    expect(decodeRow(FIXEDVAR, layout('NONE', 4, -1)).values).toEqual({ a: 5, b: 'hello' });
    const e = decodeErrorOf(() => decodeRow(FIXEDVAR, layout('NONE', 4, 0)));
    expect(e.code).toBe('DECODE_SCHEMA_MISMATCH');
    expect(e.location.column).toBe('b');
    expect(e.message).toMatch(/column b has a null bit \(leaf_null_bit 2\) but leaf_offset 0/);
  });
});
