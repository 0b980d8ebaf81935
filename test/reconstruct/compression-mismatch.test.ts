/**
 * A record whose format is not the one the layout's compression says. CD records (ROW/PAGE
 * partitions) always carry bit 0 of their header byte; FixedVar records of SQL Server 2005+ never do
 * (record/status.ts). A partition's compression can differ from the table's other partitions
 * (`DATA_COMPRESSION = ROW ON PARTITIONS (2)`, `REBUILD PARTITION = 2 WITH (DATA_COMPRESSION = …)`),
 * so a layout of the wrong compression reaches the decoder; its rows must be refused, never read
 * from the wrong bytes. Rows here are SYNTHETIC (test/support/synthetic-encoder.ts).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { buildLayout, encodeCd, encodeFixedVar } from '../support/synthetic-encoder.js';

const COLS = [
  { name: 'id', type: 'int' as const },
  { name: 'qty', type: 'smallint' as const },
  { name: 'note', type: 'varchar' as const, maxLength: 200 },
];
const ROW = buildLayout('Orders', COLS, 'ROW');
const NONE = buildLayout('Orders', COLS, 'NONE');

function refused(image: Uint8Array, layout: typeof ROW): DecodeError {
  try {
    const d = decodeRow(image, layout);
    throw new Error(`decoded as ${JSON.stringify(d.values)}`);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
}

describe('record format vs the layout compression (SYNTHETIC rows)', () => {
  it('a CD record against an uncompressed layout is refused (it read as a row of NULLs: id 70000 lost)', () => {
    const cd = encodeCd(ROW, { id: 70000, qty: null, note: null });
    expect(Buffer.from(cd).toString('hex')).toBe('01030400811170');
    const e = refused(cd, NONE);
    expect(e.code).toBe('DECODE_SCHEMA_MISMATCH');
    expect(e.message).toMatch(/CD-format bit.*uncompressed/);
    expect(e.location).toMatchObject({ offset: 0, table: 'dbo.Orders' });
  });

  it('every CD record of a small table is refused against the uncompressed layout, and decodes against its own', () => {
    for (const id of [1, 7, 300, 70000, null]) for (const qty of [0, 1, 300, null]) for (const note of ['', 'abc', 'x'.repeat(40), 'y'.repeat(150), null]) {
      const v = { id, qty, note };
      const cd = encodeCd(ROW, v);
      expect(refused(cd, NONE).code, JSON.stringify(v)).toBe('DECODE_SCHEMA_MISMATCH');
      expect(decodeRow(cd, ROW).values).toEqual(v);
    }
  });

  it('a FixedVar record against a ROW layout is refused (the CD decoder already did)', () => {
    const fv = encodeFixedVar(NONE, { id: 1, qty: 2, note: 'abc' });
    expect(refused(fv, ROW).code).toBe('DECODE_BAD_RECORD');
    expect(decodeRow(fv, NONE).values).toEqual({ id: 1, qty: 2, note: 'abc' });
  });
});
