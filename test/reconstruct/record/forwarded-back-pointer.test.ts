import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';

/**
 * A heap's forwarded record (status A type 1) carries a back pointer to its forwarding stub as its
 * LAST variable-length entry: complex column id 1024, then page u32, file u16, slot u16 (OrcaMDF
 * Record.cs: "For the forwarded record, the last varlength column is a backpointer"; complex.ts).
 * SQL Server leaves trailing NULL and empty variable columns out of the offset array, so the pointer
 * can take the slot of such a column. Read as that column's entry, a valid row was called damaged
 * (b NULL: "the bitmap or the offset array is damaged, its value may be lost") or refused (b '':
 * DECODE_BAD_RECORD "column b holds a back-pointer").
 *
 * Images SYNTHETIC, by the FixedVar rules: heap h (id int, a varchar(10), b varchar(10)), row
 * (1, 'x', b), forwarded (status 0x32), back pointer to the stub at 1:200 slot 3.
 */
const layout = layoutsFromDdl('create table h (id int not null, a varchar(10) null, b varchar(10) null);')[0]!;

function forwarded(bNull: boolean, withB: boolean): Buffer {
  const head = [0x32, 0x00, 8, 0, 1, 0, 0, 0, 3, 0, bNull ? 0x04 : 0x00];
  const entries = withB ? 3 : 2;
  const dataStart = head.length + 2 + 2 * entries;
  const aEnd = dataStart + 1;
  const ends = withB ? [aEnd, aEnd, (aEnd + 10) | 0x8000] : [aEnd, (aEnd + 10) | 0x8000];
  const b = Buffer.alloc(dataStart + 11);
  Buffer.from(head).copy(b, 0);
  b.writeUInt16LE(entries, head.length);
  ends.forEach((e, i) => b.writeUInt16LE(e, head.length + 2 + 2 * i));
  b.write('x', dataStart, 'latin1');
  b.writeUInt16LE(0x0400, aEnd);
  b.writeUInt32LE(200, aEnd + 2);
  b.writeUInt16LE(1, aEnd + 6);
  b.writeUInt16LE(3, aEnd + 8);
  return b;
}

describe('a forwarded record\'s back pointer is not a column (SYNTHETIC images)', () => {
  it('b NULL, left out of the offset array: the pointer in its slot is not called damage', () => {
    const row = decodeRow(forwarded(true, false), layout);
    expect(row.recordType).toBe('forwarded');
    expect(row.values).toEqual({ id: 1, a: 'x', b: null });
    expect(row.warnings).toEqual([]);
  });

  it('b empty, left out of the offset array: read as \'\', not refused as holding a back-pointer', () => {
    const row = decodeRow(forwarded(false, false), layout);
    expect(row.values).toEqual({ id: 1, a: 'x', b: '' });
    expect(row.warnings).toEqual([]);
  });

  it('every column in the offset array, the pointer after them: unchanged', () => {
    const row = decodeRow(forwarded(true, true), layout);
    expect(row.values).toEqual({ id: 1, a: 'x', b: null });
    expect(row.warnings).toEqual([]);
  });

  it('a primary record (not forwarded) holding a back pointer in b\'s slot is still refused', () => {
    const img = forwarded(false, false);
    img[0] = 0x30;
    expect(() => decodeRow(img, layout)).toThrow(/column b holds a back-pointer/);
  });
});
