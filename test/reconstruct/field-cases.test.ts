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
import { CD_LONG, parseCdRecord } from '../../src/reconstruct/record/cd.js';
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

/** The one table of a case's DDL (its `table` when the script defines several). */
function ddlTable(ddl: string, name?: string): TableLayout {
  const all = layoutsFromDdl(ddl);
  if (all.length === 1) return all[0]!;
  const want = (name ?? '').toLowerCase().replace(/^dbo\./, '');
  const t = all.find((x) => x.name.toLowerCase() === want);
  if (!t) throw new Error(`DDL defines ${all.map((x) => x.name).join(', ')}, not ${name}`);
  return t;
}

/** Row image(s) + DDL → the values the source states: the main record and every variant. */
function rows(fc: FieldCase): void {
  const all = [
    { name: 'main record', ddl: fc.ddl!, hex: fc.hex!, expected: fc.expected as Record<string, unknown> },
    ...(fc.variants ?? []).map((v) => ({ name: v.name, ddl: v.ddl ?? fc.ddl!, hex: v.hex, expected: v.expected })),
  ];
  for (const r of all) {
    it(`${fc.id}: ${r.name}`, () => {
      const layout = ddlTable(r.ddl, fc.table);
      const row = decodeRow(h(r.hex), layout);
      expect(row.values).toEqual(r.expected);
    });
  }
}

/**
 * bc-sourcecodesetup-base-cd7: a real PAGE-compressed record whose source states only its structure
 * (no values): index 2 is a 16-byte long value, indices 3 and 5 are byte-identical 7-byte short
 * values, record length 80. The clustered key [Primary Key] (column 2) must be CD index 0.
 */
function bcSourceCodeSetup(fc: FieldCase): void {
  const image = h(fc.hex!);
  it(`${fc.id}: structure as the source states it`, () => {
    const shape = parseCdRecord(image);
    expect(shape.length).toBe(80);
    expect(shape.length).toBe(image.length);
    const len = (i: number) => shape.ends[i]! - shape.starts[i]!;
    expect(shape.cds[2]).toBe(CD_LONG);
    expect(len(2)).toBe(16);
    for (const i of [3, 5]) {
      expect(shape.cds[i]).toBe(7 + 1); // CD 2..9 = 1..8 short bytes
      expect(len(i)).toBe(7);
    }
    expect(Buffer.from(image.subarray(shape.starts[3], shape.ends[3])).equals(Buffer.from(image.subarray(shape.starts[5], shape.ends[5])))).toBe(true);
  });
  it(`${fc.id}: decodes through its DDL, clustered key first`, () => {
    const layout = ddlTable(fc.ddl!, fc.table);
    const key = layout.columns.find((c) => c.keyOrdinal === 1)!;
    expect(key.name).toBe('Primary Key');
    expect(key.leafNullBit).toBe(1); // CD index 0
    const shape = parseCdRecord(image);
    const row = decodeRow(image, layout);
    expect(Object.keys(row.values)).toEqual(layout.columns.map((c) => c.name)); // column_id order
    expect(row.warnings).toEqual([]);
    // The source's structure, seen through the values: the two equal 7-byte cells are the two datetimes …
    expect(row.values.$systemCreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(row.values.$systemModifiedAt).toBe(row.values.$systemCreatedAt);
    // … the 16-byte long value at index 2 is the SystemId, and the 3-byte cell at index 1 the timestamp.
    expect(row.values.$systemId).toMatch(/^[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}$/);
    const ts = Buffer.from(image.subarray(shape.starts[1], shape.ends[1])).toString('hex').toUpperCase();
    expect(ts.length).toBe(6);
    expect(row.values.timestamp).toBe('0x' + ts.padStart(16, '0'));
    // The key column's CD value is "empty" (CD 1): the empty string.
    expect(shape.cds[0]).toBe(1);
    expect(row.values['Primary Key']).toBe('');
  });
}

type Handler = (fc: FieldCase) => void;

export const HANDLERS: Record<string, Handler> = {
  'bcdb-typeprobe-cd-cells': cells,
  'bc-sourcecodesetup-base-cd7': bcSourceCodeSetup,
  'dbase-14774-tinyint-9byte-min-record': rows,
  'so-34496917-varchar-null-pad-garbage': rows,
  'so-4467616-versioning-tag': rows,
  'improvedk-nullbitmap-sparse-only': rows,
  'rusanu-2011-online-add-notnull-default': rows,
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
