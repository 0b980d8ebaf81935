/**
 * A sql_variant value its own base type's properties cannot hold is refused, not printed
 * (types/variant.ts decodeSqlVariant, VARIANT_FAULT):
 *  - a decimal(p,s) value with more than p − s integer digits (SQL Server refuses it on every write:
 *    arithmetic overflow): `6a 01 05 02` + 01 80969800 printed {decimal(5,2), "100000.00"}, exit 0;
 *  - a decimal(p,s) value of another length than decimal(p)'s storage (5/9/13/17 bytes by precision,
 *    MS Learn "decimal and numeric"): 9 bytes under precision 5 printed "720575940379279.36";
 *  - a bit value other than 0x00/0x01: the byte 0x02 printed false (its low bit), with no word.
 * Every record here is SYNTHETIC (built from the layout facts in docs/decoder.md), FixedVar and CD.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { decodeErrorOf } from '../../support/decode-error.js';

const [V] = layoutsFromDdl('CREATE TABLE dbo.V (Id INT NOT NULL, v SQL_VARIANT NULL)');
const [VC] = layoutsFromDdl('CREATE TABLE dbo.VC (Id INT NOT NULL, v SQL_VARIANT NULL) WITH (DATA_COMPRESSION = ROW)');

/** SYNTHETIC FixedVar record: Id = 1, then the variant's bytes as the only variable column. */
function fixedVar(variantHex: string): Buffer {
  const v = Buffer.from(variantHex, 'hex');
  const head = Buffer.from('30000800' + '01000000' + '0200' + '00' + '0100', 'hex');
  const end = Buffer.alloc(2);
  end.writeUInt16LE(head.length + 2 + v.length);
  return Buffer.concat([head, end, v]);
}

/** SYNTHETIC CD record: 2 columns, Id = 1 (1 short byte 0x81), the variant in the long-data region. */
function cd(variantHex: string): Buffer {
  const v = Buffer.from(variantHex, 'hex');
  const end = Buffer.alloc(2);
  end.writeUInt16LE(v.length);
  // header 0x21 (CD, long data), 2 columns, CD nibbles: Id = 2 (1 byte), v = 10 (long) → 0xA2; short data 0x81;
  // long data: flags 0x01, 1 entry, its end offset
  return Buffer.concat([Buffer.from('2102a281' + '01' + '0100', 'hex'), end, v]);
}

const cases: Array<[string, string, RegExp]> = [
  ['decimal(5,2) holding 100000.00 (8 digits)', '6a010502' + '01' + '80969800', /100000\.00 has 6 integer digits, more than its own decimal\(5,2\) holds \(3\)/],
  ['decimal(5,2) in 9 bytes', '6a010502' + '01' + '0000000000000001', /decimal\(5,2\) value has 9 bytes; decimal\(5\) is stored in 5/],
  ['decimal(38,0) of 2^128 − 1 (39 digits)', '6a012600' + '01' + 'ff'.repeat(16), /more than its own decimal\(38,0\) holds \(38\)/],
  ['bit 0x02', '680102', /its bit value is the byte 0x02, neither 0x00 nor 0x01/],
];

describe('sql_variant values beyond their own base type (SYNTHETIC)', () => {
  it.each(cases)('FixedVar: %s is refused, naming the column', (_what, hex, why) => {
    const e = decodeErrorOf(() => decodeRow(fixedVar(hex), V));
    expect(e.code).toBe('DECODE_BAD_VALUE');
    expect(e.location.column).toBe('v');
    expect(e.message).toMatch(why);
  });

  it.each(cases)('CD: %s is refused, naming the column', (_what, hex, why) => {
    const e = decodeErrorOf(() => decodeRow(cd(hex), VC));
    expect(e.code).toBe('DECODE_BAD_VALUE');
    expect(e.location.column).toBe('v');
    expect(e.message).toMatch(why);
  });

  it('values within their base type still decode (the edges: 999.99, decimal(38,0) 10^38 − 1, bit 0/1, decimal(10,4) in 9 bytes)', () => {
    const table: Array<[string, unknown]> = [
      ['6a010502' + '01' + '9f860100', { baseType: 'decimal', precision: 5, scale: 2, value: '999.99' }],
      ['6a010502' + '00' + '9f860100', { baseType: 'decimal', precision: 5, scale: 2, value: '-999.99' }],
      ['6a012600' + '01' + 'ffffffff3f228a097ac4865aa84c3b4b', { baseType: 'decimal', precision: 38, scale: 0, value: '9'.repeat(38) }],
      ['6a010a04' + '01' + '87d6120000000000', { baseType: 'decimal', precision: 10, scale: 4, value: '123.4567' }],
      ['680100', { baseType: 'bit', value: false }],
      ['680101', { baseType: 'bit', value: true }],
    ];
    for (const [hex, value] of table) {
      expect(decodeRow(fixedVar(hex), V).values).toEqual({ Id: 1, v: value });
      expect(decodeRow(cd(hex), VC).values).toEqual({ Id: 1, v: value });
    }
  });
});
