/**
 * A text/ntext/image column of a ROW/PAGE-compressed table with 'text in row' OFF (the default): the
 * row holds only the value's 16-byte text pointer (8-byte timestamp, page id, file id, slot; MS Learn
 * "sp_tableoption": without 'text in row' the strings are stored off-row, the row keeping a 16-byte
 * text pointer). A FixedVar record keeps that pointer without the complex bit (0x8000): the pubs and
 * Northwind rows of the corpus, read as text pointers by fixedvar.ts. No source says whether a CD
 * record's long-data entry flags it, so both forms must give the pointer (the off-row marker).
 * Before, the unflagged form was read as the column's type: an image column printed its pointer as a
 * plausible 16-byte value (0x0000B9E2…), text/ntext as 16 / 8 characters of binary, no warning, and a
 * re-insert would have written those bytes as the value.
 *
 * The record framing is SYNTHETIC (a one-column CD record, header 0x21, one long-data entry); the
 * pointer bytes are the real text pointer of text-examples/lc-lob-offrow-textpointer.json (timestamp
 * 0000916500000000, page 0x288, file 1, slot 0).
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';

const POINTER = parseHex('00009165000000008802000001000000');
const MARKER = { offRow: { page: '1:648', slot: 0, kind: 'text-pointer', timestamp: '0000916500000000' } };

function layout(declared: string, compression = 'ROW'): TableLayout {
  const [t] = layoutsFromDdl(`CREATE TABLE dbo.lob (id int NOT NULL, c ${declared} NULL) WITH (DATA_COMPRESSION = ${compression});`);
  return t!;
}

/** CD record: id = 1 (short, 0x81), c = the pointer in the long-data region, its entry flagged complex or not. */
function cdRecord(flagged: boolean): Uint8Array {
  const end = POINTER.length | (flagged ? 0x8000 : 0);
  return new Uint8Array([0x21, 0x02, 0xa2, 0x81, 0x01, 0x01, 0x00, end & 0xff, end >> 8, ...POINTER]);
}

describe('CD text/ntext/image text pointer (text in row OFF)', () => {
  for (const declared of ['text', 'ntext', 'image']) {
    for (const compression of ['ROW', 'PAGE']) {
      for (const flagged of [false, true]) {
        it(`${declared}, ${compression}, long-data entry ${flagged ? 'flagged' : 'not flagged'} complex: the off-row marker`, () => {
          const t = layout(declared, compression);
          // twice: the first decode builds the generated reader (cd-fast.ts), the second runs it
          for (let k = 0; k < 2; k++) {
            const row = decodeRow(cdRecord(flagged), t);
            expect(row.format).toBe('cd');
            expect(row.values).toEqual({ id: 1, c: MARKER });
          }
        });
      }
    }
  }

  it('the FixedVar record of the same value gives the same marker (the rule the CD reader follows)', () => {
    const t = layout('image', 'NONE');
    // status 0x30, fixed end 8, id = 1, 2 columns, bitmap 0, 1 variable column ending at 31
    const rec = new Uint8Array([0x30, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x1f, 0x00, ...POINTER]);
    expect(decodeRow(rec, t).values).toEqual({ id: 1, c: MARKER });
  });

  it('a varchar(max) value of 16 bytes in a CD record is still the value (only text/ntext/image hold an unflagged pointer)', () => {
    const t = layout('varchar(max)');
    const text = new TextEncoder().encode('sixteen chars ok');
    const rec = new Uint8Array([0x21, 0x02, 0xa2, 0x81, 0x01, 0x01, 0x00, 0x10, 0x00, ...text]);
    expect(decodeRow(rec, t).values).toEqual({ id: 1, c: 'sixteen chars ok' });
  });

  it('text with text in row ON (max_length > 16) reads its in-row 16 bytes as the value', () => {
    const t = layout('text');
    const col = t.columns.find((c) => c.name === 'c')!;
    const on: TableLayout = { ...t, columns: t.columns.map((c) => (c === col ? { ...c, maxLength: 256 } : c)) };
    const text = new TextEncoder().encode('sixteen chars ok');
    const rec = new Uint8Array([0x21, 0x02, 0xa2, 0x81, 0x01, 0x01, 0x00, 0x10, 0x00, ...text]);
    expect(decodeRow(rec, on).values).toEqual({ id: 1, c: 'sixteen chars ok' });
  });
});
