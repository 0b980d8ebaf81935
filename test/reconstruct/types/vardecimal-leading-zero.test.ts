/**
 * A vardecimal (decimal/numeric under ROW compression) whose mantissa starts with a zero digit is
 * refused. SQL Server writes the value in scientific notation — the exponent is the first significant
 * digit's, and the mantissa starts with it (improve.dk "The Anatomy of Vardecimals": the decimal point
 * goes after the mantissa's first digit) — and every real vardecimal of field case
 * bcdb-typeprobe-cd-cells starts with a non-zero digit (tested in field-cases.test.ts). Before, the
 * leading zero digits were skipped and the exponent applied to the first non-zero one: `C8 00 19`
 * (exponent 8, chunks 000 400) printed 400000000 where the documented rule reads 0.00400 × 10^8 =
 * 400000, and `C1 06 40` (exponent 1, chunk 025) printed 25 for decimal(5,0) where the rule reads
 * 0.25 × 10^1 = 2.5; SQL Server writes neither, so no value of these bytes is known.
 * Bytes SYNTHETIC, in one-column CD records (short data and, for 9+ bytes, the long-data region).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { decodeVardecimal } from '../../../src/reconstruct/types/vardecimal.js';
import { decodeErrorOf } from '../../support/decode-error.js';

/** SYNTHETIC one-column CD record holding `hex` (1–8 bytes short data, else one long value). */
function record(hex: string): Buffer {
  const v = Buffer.from(hex, 'hex');
  if (v.length <= 8) return Buffer.concat([Buffer.from([0x01, 0x01, 1 + v.length]), v]);
  const end = Buffer.alloc(2);
  end.writeUInt16LE(v.length);
  return Buffer.concat([Buffer.from('21010a' + '01' + '0100', 'hex'), end, v]);
}

describe('vardecimal mantissa starting with a zero digit (SYNTHETIC)', () => {
  const [D] = layoutsFromDdl('CREATE TABLE dbo.D (c decimal(38,10) NULL) WITH (DATA_COMPRESSION = ROW)');
  const cases: Array<[string, string]> = [
    ['C80019', 'exponent 8, chunks 000 400'],
    ['C10640', 'exponent 1, chunk 025'],
    ['C002', 'exponent 0, chunk 008'],
    ['C0' + '00'.repeat(8) + '19', 'exponent 0, six zero chunks then 400 (long-data region, the digit-string path)'],
  ];
  it.each(cases)('%s (%s) is refused, naming the column', (hex) => {
    const e = decodeErrorOf(() => decodeRow(record(hex), D));
    expect(e.code).toBe('DECODE_BAD_VALUE');
    expect(e.location.column).toBe('c');
    expect(e.message).toMatch(/mantissa starting with a zero digit \(first chunk 0\d\d\)/);
  });

  it('the same digits normalised still decode (first chunk 100–999)', () => {
    for (const [hex, value] of [
      ['C519', '100000.0000000000'], // 1 × 10^5
      ['C03E80', '2.5000000000'], // chunk 250 (0011111010), exponent 0
      ['C3' + '1e' + 'dc' + '20', '1234.5000000000'],
    ] as const) {
      expect(decodeRow(record(hex), D).values).toEqual({ c: value });
      const b = Buffer.from(hex, 'hex');
      expect(decodeVardecimal(b, 0, b.length, 38, 10)).toEqual({ value });
    }
  });
});
