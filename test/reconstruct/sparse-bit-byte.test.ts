/**
 * A sparse bit column's value is its own byte in the sparse vector (improve.dk "Sparse column storage
 * – the sparse vector": values back to back in their uncompressed storage form), 0x00 or 0x01; any
 * other byte is refused (DECODE_BAD_VALUE naming the column), not read by its low bit: before, 0x02
 * printed false and 0xFF true, with no word. (Bits packed in a FixedVar record's shared byte are
 * read by their leaf_bit_position and are not concerned.)
 * Records SYNTHETIC: status 0x30, ID int, a 1-column null bitmap, one complex variable column holding
 * the sparse vector (id 5, 1 entry: column id 2, end 9) and the bit's byte.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { decodeErrorOf } from '../support/decode-error.js';

const [S] = layoutsFromDdl('CREATE TABLE dbo.S (ID int, A bit SPARSE NULL, B int SPARSE NULL)');

function record(bitByte: number): Buffer {
  return Buffer.concat([Buffer.from('30000800' + '01000000' + '0100' + '00' + '0100' + '1880' + '0500' + '0100' + '0200' + '0900', 'hex'), Buffer.from([bitByte])]);
}

describe('sparse bit value byte (SYNTHETIC)', () => {
  it('0x00 and 0x01 read false and true', () => {
    expect(decodeRow(record(0), S).values).toEqual({ ID: 1, A: false, B: null });
    expect(decodeRow(record(1), S).values).toEqual({ ID: 1, A: true, B: null });
  });
  it.each([0x02, 0x80, 0xff])('0x%s is refused naming the column', (byte) => {
    const e = decodeErrorOf(() => decodeRow(record(byte), S));
    expect(e.code).toBe('DECODE_BAD_VALUE');
    expect(e.location.column).toBe('A');
    expect(e.message).toMatch(/bit value of column A is out of range/);
  });
});
