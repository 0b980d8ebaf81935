/**
 * A layout whose live column has type properties no SQL Server column has (MS Learn: time, datetime2,
 * datetimeoffset scale 0–7; decimal/numeric precision 1–38, scale 0–p; char/binary 1–8000 bytes,
 * nchar 1–4000 characters) is refused, naming the column (DECODE_SCHEMA_MISMATCH), not read. Before,
 * catalog JSON (rows of sql/table-metadata.sql, hand-made or converted) with a datetime2 of scale 9
 * printed `1982-06-05Tundefined:undefined:undefined.000000NaN` and a decimal(5,7) printed
 * `0.0012345`, exit 0, no warning; a char of max_length 0 read '' on every row.
 * Catalog rows and the record SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromCatalog } from '../../src/reconstruct/metadata/catalog-json.js';
import type { ColumnLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { decodeValue } from '../../src/reconstruct/types/index.js';
import { decodeErrorOf } from '../support/decode-error.js';

const base = {
  schema_name: 'dbo', table_name: 'T', index_id: 0, data_compression_desc: 'NONE', collation_name: null,
  leaf_bit_position: 0, is_dropped: false, is_sparse: false, is_uniqueifier: false, is_nullable: true,
};
const id = { ...base, partition_column_id: 1, column_id: 1, column_name: 'Id', type_name: 'int', max_length: 4, precision: 10, scale: 0, leaf_offset: 4, leaf_null_bit: 1 };
/** Second column at leaf offset 8 of `len` bytes, and a record holding Id = 1 and `hex` there. */
function layoutAndRecord(col: Record<string, unknown>, hex: string) {
  const [t] = layoutsFromCatalog([id, { ...base, partition_column_id: 2, column_id: 2, column_name: 'X', leaf_offset: 8, leaf_null_bit: 2, ...col }]);
  const v = Buffer.from(hex, 'hex');
  const head = Buffer.alloc(4);
  head.writeUInt16LE(0x0010, 0);
  head.writeUInt16LE(8 + v.length, 2);
  return { t, image: Buffer.concat([head, Buffer.from('01000000', 'hex'), v, Buffer.from('020000', 'hex')]) };
}

describe('layouts with type properties no SQL Server column has (SYNTHETIC catalog rows)', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['datetime2 scale 9', { type_name: 'datetime2', max_length: 8, precision: 27, scale: 9 }, '0102030405f40a0b', /datetime2 with scale 9 \(0–7\)/],
    ['time scale -1', { type_name: 'time', max_length: 3, precision: 8, scale: -1 }, '010203', /time with scale -1/],
    ['datetimeoffset scale 8', { type_name: 'datetimeoffset', max_length: 10, precision: 34, scale: 8 }, '0102030405f40a0b0000', /datetimeoffset with scale 8/],
    ['decimal(5,7)', { type_name: 'decimal', max_length: 5, precision: 5, scale: 7 }, '0139300000', /decimal\(5,7\)/],
    ['numeric(40,2)', { type_name: 'numeric', max_length: 17, precision: 40, scale: 2 }, '01' + '00'.repeat(16), /numeric\(40,2\)/],
    ['decimal(0,0)', { type_name: 'decimal', max_length: 5, precision: 0, scale: 0 }, '0139300000', /decimal\(0,0\)/],
    ['char max_length 0', { type_name: 'char', max_length: 0, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS' }, '', /char with max_length 0/],
    ['bit leaf_bit_position 8', { type_name: 'bit', max_length: 1, precision: 1, scale: 0, leaf_bit_position: 8 }, 'ff', /bit with leaf_bit_position 8 \(0–7\)/],
    ['nchar max_length 3', { type_name: 'nchar', max_length: 3, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS' }, '610062', /nchar with max_length 3/],
  ];
  it.each(cases)('%s is refused naming the column', (_what, col, hex, why) => {
    const { t, image } = layoutAndRecord(col, hex);
    const e = decodeErrorOf(() => decodeRow(image, t));
    expect(e.code).toBe('DECODE_SCHEMA_MISMATCH');
    expect(e.location.column).toBe('X');
    expect(e.message).toMatch(why);
  });

  it('the edges SQL Server has still decode: datetime2(7), decimal(38,38), char(1), nchar max_length 2', () => {
    expect(decodeRow(layoutAndRecord({ type_name: 'datetime2', max_length: 8, precision: 27, scale: 7 }, '0000000000000000').image,
      layoutAndRecord({ type_name: 'datetime2', max_length: 8, precision: 27, scale: 7 }, '').t).values).toEqual({ Id: 1, X: '0001-01-01T00:00:00.0000000' });
    const d = layoutAndRecord({ type_name: 'decimal', max_length: 17, precision: 38, scale: 38 }, '01' + '01' + '00'.repeat(15));
    expect(decodeRow(d.image, d.t).values).toEqual({ Id: 1, X: '0.' + '0'.repeat(37) + '1' });
    const c = layoutAndRecord({ type_name: 'char', max_length: 1, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS' }, '41');
    expect(decodeRow(c.image, c.t).values).toEqual({ Id: 1, X: 'A' });
    const n = layoutAndRecord({ type_name: 'nchar', max_length: 2, precision: 0, scale: 0, collation_name: 'SQL_Latin1_General_CP1_CI_AS' }, '4100');
    expect(decodeRow(n.image, n.t).values).toEqual({ Id: 1, X: 'A' });
  });

  it('a dropped column is not judged (its properties come from sysrscols, its value is not printed)', () => {
    const [t] = layoutsFromCatalog([id, { ...base, partition_column_id: 2, column_id: null, column_name: null, is_dropped: true, type_name: 'decimal', max_length: 5, precision: 0, scale: 0, leaf_offset: 8, leaf_null_bit: 2 }]);
    const image = Buffer.from('10000d00' + '01000000' + '0139300000' + '020000', 'hex');
    expect(decodeRow(image, t).values).toEqual({ Id: 1 });
  });

  it('decodeValue of a column with scale 9 refuses, and leaves the shared time cache whole (a later 00:00:00 reads right)', () => {
    const col = (scale: number): ColumnLayout => ({
      name: 'X', columnId: 1, partitionColumnId: 1, type: 'datetime2', maxLength: 8, precision: 27, scale, collation: null, codePage: null,
      nullable: true, identity: false, computed: false, leafOffset: 4, leafNullBit: 1, leafBitPosition: 0, isDropped: false, isSparse: false, isUniquifier: false,
    });
    const e = decodeErrorOf(() => decodeValue(col(9), Buffer.from('0102030405f40a0b', 'hex'), 0, 8));
    expect(e.code).toBe('DECODE_BAD_VALUE');
    // before: NaN seconds were cached in slot 0 under key 0, and midnight of any table read as undefined
    expect(String(decodeValue(col(0), Buffer.from('000000f40a0b', 'hex'), 0, 6))).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
  });
});

