/**
 * The CD record type of a page record (datafile/record.ts cdRecordTypeOf, which the page walk and
 * dump use) and of the row decoder (reconstruct/record/status.ts CD_RECORD_TYPES) must agree on what
 * a record is: a data row, a ghost of one, a forwarding stub, an index record. Code 1 (ghost empty,
 * OrcaMDF CompressedRecordType) was a ghost data record to the decoder and a ghost index record to
 * the page walk, which a data page never holds, so dump named the status byte damaged
 * (FORMAT_BAD_RECORD) and the result INCOMPLETE (breaker, wt-B). SYNTHETIC header bytes: no
 * compressed table is in the corpus.
 */
import { expect, it } from 'vitest';
import { cdRecordTypeOf, RecordType } from '../../src/datafile/record.js';
import { CD_RECORD_TYPES, isCdGhostCode, RECORD_TYPES } from '../../src/reconstruct/record/status.js';

it('every CD record type code: the page walk and the row decoder read the same kind of record', () => {
  for (let code = 0; code < 8; code++) {
    const header = 0x01 | (code << 2); // CD format bit + the type code
    const walk = RECORD_TYPES[cdRecordTypeOf(header)];
    const decoder = CD_RECORD_TYPES[code];
    if (code === 5) {
      // ghost forwarded: a ghost data record to the walk (its stub is gone), forwarded + ghost to the decoder
      expect(walk).toBe('ghost-data');
      expect(decoder === 'forwarded' && isCdGhostCode(code)).toBe(true);
    } else {
      expect(walk, `code ${code}`).toBe(decoder);
    }
  }
  expect(cdRecordTypeOf(0x05)).toBe(RecordType.GHOST_DATA); // ghost empty
});
