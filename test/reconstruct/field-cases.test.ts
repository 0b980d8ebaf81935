/**
 * Every file of the field-cases folder (`../shared/field-cases` or `$ROWBACK_FIELD_CASES`, read at
 * test time, never copied here), each through the handler for its id: CD cells, row images with
 * their DDL (and variants), structural assertions, catalog layouts. A file without a handler fails,
 * and the number of files covered is asserted, so a new case cannot be silently ignored.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { layoutsFromCatalog } from '../../src/reconstruct/metadata/catalog-json.js';
import { visibleColumns } from '../../src/reconstruct/metadata/table-layout.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { encodeFixedVar } from '../support/synthetic-encoder.js';
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
  it(`${fc.id}: every truncation of every record is a DecodeError or a decode, never a crash`, () => {
    for (const r of all) expectOnlyDecodeErrors(h(r.hex), ddlTable(r.ddl, fc.table));
  });
}

/** Every proper prefix of a real image: decodeRow returns or throws a DecodeError other than DECODE_INTERNAL. */
function expectOnlyDecodeErrors(image: Uint8Array, layout: TableLayout): void {
  let errors = 0;
  for (let n = 0; n < image.length; n++) {
    try {
      decodeRow(image.subarray(0, n), layout);
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).code).not.toBe('DECODE_INTERNAL');
      errors++;
    }
  }
  expect(errors).toBeGreaterThan(0); // at least the empty image fails
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
  it(`${fc.id}: every truncation is a DecodeError, never a crash`, () => expectOnlyDecodeErrors(image, ddlTable(fc.ddl!, fc.table)));
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
    // The key column (CD index 0) decodes as an nvarchar(10) string. Its value is not stated by the source (and on a
    // page with an anchor record an empty CD would mean "equal to the anchor"), so only its type is checked.
    expect(typeof row.values['Primary Key']).toBe('string');
  });
}

type CatalogRowJson = { column_name: string | null; column_id: number | null; is_uniqueifier: number | boolean; partition_column_id: number; type_name: string };

/**
 * rusanu-2011-change-tracking-hidden-column: catalog rows with change tracking's hidden in-row bigint
 * (no name, no column_id). The catalog must stay usable: every other column is laid out, the hidden one
 * is never output and is named in a warning. A SYNTHETIC FixedVar record (test encoder) proves the
 * hidden column's bytes are skipped.
 */
function changeTracking(fc: FieldCase): void {
  const rows = (Array.isArray(fc.catalog_rows) ? fc.catalog_rows : fc.catalog_rows!.rows) as CatalogRowJson[];
  const hiddenRows = rows.filter((r) => r.column_name === null && !r.is_uniqueifier);
  const named = rows.filter((r) => r.column_name !== null).sort((a, b) => a.column_id! - b.column_id!);
  it(`${fc.id}: the catalog gives a layout; the hidden column is kept in place, never output, named in a warning`, () => {
    expect(hiddenRows.length).toBe(1);
    const layouts = layoutsFromCatalog(fc.catalog_rows);
    expect(layouts.length).toBe(1);
    const t = layouts[0]!;
    expect(t.columns.length).toBe(rows.length);
    expect(visibleColumns(t).map((c) => c.name)).toEqual(named.map((r) => r.column_name));
    const hidden = t.columns.filter((c) => c.isHidden);
    expect(hidden.map((c) => c.partitionColumnId)).toEqual(hiddenRows.map((r) => r.partition_column_id));
    expect(t.warnings?.join('\n')).toContain(hidden[0]!.name);
    // SYNTHETIC row through the real layout: values for the named columns, a value in the hidden slot too.
    const values: Record<string, SqlValue> = { user_id: 42, first_name: 'Ada', last_name: null, birth_date: '1815-12-10T00:00:00.000', [hidden[0]!.name]: '123456789' };
    const row = decodeRow(encodeFixedVar(t, values), t);
    const { [hidden[0]!.name]: _hidden, ...visible } = values;
    expect(row.values).toEqual(visible);
    expect(Object.keys(row.values)).toEqual(named.map((r) => r.column_name));
    expect(row.warnings.some((w) => w.includes(hidden[0]!.name))).toBe(true);
  });
}

/**
 * One expected physical column as the case's text states it, e.g. `birth_date nb2 pcid4 off 4 key1`,
 * `dropped old first_name nb2 pcid 67108866 off 8 len 100`, `birth_date nb4 pcid4 off 208 NOT NULL`, or
 * change tracking's `leaf_null_bit 6, partition_column_id 134217730 (…), max_length 8, leaf_offset 16`.
 */
interface ExpectedColumn { text: string; name?: string; dropped: boolean; hidden: boolean; nb?: number; pcid?: number; off?: number; len?: number; key?: number; notNull: boolean }

function parseExpectedColumns(text: string): ExpectedColumn[] {
  // Entries are separated by ';' outside parentheses (a parenthetical remark may hold one).
  return text.split(/;(?![^()]*\))/).map((raw) => {
    const t = raw.trim();
    const num = (re: RegExp) => { const m = re.exec(t); return m ? Number(m[1]) : undefined; };
    const hidden = /hidden column/.test(t);
    const e: ExpectedColumn = {
      text: t, dropped: /^dropped\b/.test(t), hidden, notNull: /NOT NULL/.test(t),
      nb: num(/\b(?:nb|leaf_null_bit)\s*(\d+)/), pcid: num(/\b(?:pcid|partition_column_id)\s*(\d+)/),
      off: num(/\b(?:off|leaf_offset)\s*(-?\d+)/), len: num(/\b(?:len|max_length)\s*(\d+)/), key: num(/\bkey(\d+)/),
    };
    if (!hidden) e.name = /^(?:dropped (?:old )?)?([A-Za-z_][\w$]*)\s+nb/.exec(t)?.[1];
    return e;
  });
}

/**
 * The scripts that produced each layout of rusanu-2011-table-columns-under-the-hood-layouts, keyed by the
 * start of its `expected_catalog` key: the case's own `ddl` for the clustered-index layout (plus the post's
 * `ENABLE CHANGE_TRACKING` for the hidden column), and the post's second table with its ALTER COLUMN
 * statements (rusanu.com 2011-10-20, section "Table structure changes") for fixed-2 and fixed-3.
 */
function rusanuScripts(fc: FieldCase): Record<string, string> {
  const fixed = 'create table users (user_id int not null identity(1,1) primary key, first_name char(100) null, last_name char(100) null, birth_date datetime null);\ngo\n' +
    'alter table users alter column birth_date datetime not null;\nalter table users alter column first_name char(75);\ngo\n';
  return {
    cdx: fc.ddl!,
    'change tracking': `${fc.ddl!}\nalter table users ENABLE CHANGE_TRACKING;\n`,
    'fixed-2': fixed,
    'fixed-3': `${fixed}alter table users alter column birth_date date not null;\nalter table users alter column first_name char(100);\ngo\n`,
  };
}

function rusanuLayouts(fc: FieldCase): void {
  const scripts = rusanuScripts(fc);
  const entries = Object.entries(fc.expected_catalog!);
  it(`${fc.id}: every stated layout has its script`, () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [k] of entries) expect(Object.keys(scripts).filter((p) => k.startsWith(p)), k).toHaveLength(1);
  });
  for (const [k, text] of entries) {
    const script = Object.entries(scripts).find(([p]) => k.startsWith(p))?.[1];
    it(`${fc.id}: ${k}`, () => {
      expect(script).toBeDefined();
      const layout = ddlTable(script!, fc.table);
      const expected = parseExpectedColumns(text);
      expect(expected.length).toBeGreaterThan(0);
      for (const e of expected) {
        const candidates = layout.columns.filter((c) =>
          e.hidden ? c.isHidden
            : e.name === 'UNIQUIFIER' ? c.isUniquifier
              : e.dropped ? c.isDropped && (e.pcid === undefined || c.partitionColumnId === e.pcid) && c.leafNullBit === e.nb
                : !c.isDropped && c.name === e.name);
        expect(candidates, e.text).toHaveLength(1);
        const c = candidates[0]!;
        if (e.nb !== undefined) expect(c.leafNullBit, `${e.text}: null bit`).toBe(e.nb);
        if (e.pcid !== undefined) expect(c.partitionColumnId, `${e.text}: partition_column_id`).toBe(e.pcid);
        if (e.off !== undefined) expect(c.leafOffset, `${e.text}: leaf_offset`).toBe(e.off);
        if (e.len !== undefined) expect(c.maxLength, `${e.text}: length`).toBe(e.len);
        if (e.key !== undefined) expect(c.keyOrdinal, `${e.text}: key ordinal`).toBe(e.key);
        if (e.notNull) expect(c.nullable, `${e.text}: NOT NULL`).toBe(false);
      }
    });
  }
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
  'rusanu-2011-change-tracking-hidden-column': changeTracking,
  'rusanu-2011-table-columns-under-the-hood-layouts': rusanuLayouts,
};

describeFieldCases('field cases: every file has a handler and passes', () => {
  const files = listFieldCases();
  it('the folder holds field cases, and every one of them has a handler', () => {
    expect(files.length).toBeGreaterThan(0);
    const missing = files.filter((f) => !HANDLERS[readFieldCase(f).id]);
    expect(missing).toEqual([]);
    // Covered = handled: one handler per file, no handler left over for a file that went away.
    const covered = files.filter((f) => HANDLERS[readFieldCase(f).id] !== undefined).length;
    expect(covered).toBe(files.length);
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
