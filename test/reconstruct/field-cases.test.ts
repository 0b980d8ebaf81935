/**
 * Every file of the field-cases folder (`../shared/field-cases` or `$ROWBACK_FIELD_CASES`, read at
 * test time, never copied here), each through the handler for its id: CD cells, row images with
 * their DDL (and variants), structural assertions, catalog layouts. A file without a handler fails,
 * and the number of files covered is asserted, so a new case cannot be silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../src/util/hex.js';
import { describeFieldCases, listFieldCases, readFieldCase, toRowbackForm, type FieldCase } from '../support/field-cases.js';

const h = (s: string) => parseHex(s.replace(/\s+/g, ''));

/** A one-column ROW-compressed table of the declared type, through the DDL path. */
function cdColumn(declared: string): TableLayout {
  const [t] = layoutsFromDdl(`CREATE TABLE dbo.cell (c ${declared} NULL) WITH (DATA_COMPRESSION = ROW);`);
  return t!;
}

/**
 * SYNTHETIC framing around a REAL cell: a one-column CD record (header 0x01, 1 column, CD nibble
 * 1 = empty or 2..9 = 1..8 short bytes), or with the cell in the long-data region when longer than
 * 8 bytes (header 0x21, flags 0x01, one entry ending at the cell's length).
 */
export function cdCellRecord(cell: Uint8Array): Uint8Array {
  if (cell.length <= 8) return new Uint8Array([0x01, 0x01, cell.length === 0 ? 1 : cell.length + 1, ...cell]);
  return new Uint8Array([0x21, 0x01, 0x0a, 0x01, 0x01, 0x00, cell.length & 0xff, cell.length >> 8, ...cell]);
}

function cells(fc: FieldCase): void {
  const expected = fc.expected as Record<string, unknown>;
  const keys = Object.keys(expected);
  it(`${fc.id}: holds cells`, () => expect(keys.length).toBeGreaterThan(0));
  for (const key of keys) {
    const at = key.lastIndexOf(' ');
    const declared = key.slice(0, at);
    const bytes = key.slice(at + 1) === '<empty>' ? new Uint8Array(0) : h(key.slice(at + 1));
    it(`${fc.id}: ${key}`, () => {
      const row = decodeRow(cdCellRecord(bytes), cdColumn(declared));
      expect(row.format).toBe('cd');
      expect(row.values).toEqual({ c: toRowbackForm(declared, expected[key]) });
    });
  }
}

type Handler = (fc: FieldCase) => void;

export const HANDLERS: Record<string, Handler> = {
  'bcdb-typeprobe-cd-cells': cells,
};

describeFieldCases('field cases: every file has a handler and passes', () => {
  const files = listFieldCases();
  it('the folder holds field cases, and every one of them has a handler', () => {
    expect(files.length).toBeGreaterThan(0);
    const missing = files.filter((f) => !HANDLERS[readFieldCase(f).id]);
    expect(missing).toEqual([]);
    // Covered = handled: one handler per file, no handler left over for a file that went away.
    expect(files.map((f) => readFieldCase(f).id).sort()).toEqual(Object.keys(HANDLERS).sort());
  });
  for (const f of files) {
    const fc = readFieldCase(f);
    const handler = HANDLERS[fc.id];
    describe(f, () => {
      if (handler) handler(fc);
      else it(`${f}: has a handler`, () => expect.fail(`no handler for field case ${fc.id} (${f})`));
    });
  }
});
