/**
 * An exact row image (a log's RowLog Contents 0, a page record cut to its own length, a `decode --hex`)
 * holding bytes after the end its own header gives: the header is damaged, and values read through it
 * look right and are not (a variable-length column read as '' because status bit 0x20 was cleared, a
 * value cut short by a smaller end offset). Refused with DECODE_BAD_RECORD at the record's end, naming
 * the column. Every image here is a real one (corpus log, text examples, field cases), damaged at test
 * time; every undamaged one decodes as before. A buffer that may run past its record (a CD record's
 * span on its page: `exact: false`) keeps the old behaviour.
 */
import { expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { parseCdRecord } from '../../src/reconstruct/record/cd.js';
import { parseHex } from '../../src/util/hex.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readLdfRecords } from '../../src/logreader/ldf/reader.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus, readCorpusJson } from '../support/corpus.js';
import { describeFieldCases, readFieldCase } from '../support/field-cases.js';
import { decodeErrorOf } from '../support/decode-error.js';

const refusal = decodeErrorOf;

const hex = (s: string) => parseHex(s.replace(/\s+/g, '').replace(/^0x/i, ''));

describeCorpus('FixedVar: bytes after the record end in an exact image', () => {
  // lc-nvarchar: fn_dblog RowLog Contents 0 of dbo.T (1, N'hi'), SQL Server 2025
  const image = hex(readCorpusJson<{ hex: string }>('text-examples', 'lc-nvarchar.json').hex);
  const [T] = layoutsFromDdl('CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))');

  it('the real image decodes', () => {
    expect(decodeRow(image, T!)).toMatchObject({ values: { Id: 1, Name: 'hi' }, warnings: [] });
  });

  it("status bit 0x20 cleared (no variable-column block) while Name is not NULL: refused naming Name and the record's end, not Name = ''", () => {
    const damaged = image.slice();
    damaged[0] &= ~0x20; // 0x30 → 0x10
    const e = refusal(() => decodeRow(damaged, T!));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.location).toMatchObject({ offset: 11, column: 'Name' });
    expect(e.message).toBe(
      "status byte 0x10 says the record has no variable-length columns (bit 0x20 clear), yet column Name is not NULL and 8 byte(s) follow the record's end at offset 11 (they read as a variable-column block of 1 column(s) ending at the image's end): SQL Server leaves that block out only when no variable-length column holds bytes, so the status byte is damaged and Name would read as empty instead of its value (a row image (RowLog Contents 0, a DBCC PAGE record) is the record exactly; if these bytes are another record, give only the first)",
    );
  });

  it('the same damaged image as a buffer that may run past its record (exact: false): the old warning, Name read as empty', () => {
    const damaged = image.slice();
    damaged[0] &= ~0x20;
    expect(decodeRow(damaged, T!, { exact: false })).toMatchObject({ values: { Id: 1, Name: '' }, warnings: ["8 byte(s) after the record's end (offset 11) ignored"] });
  });

  it("the last end offset made smaller: refused as a value cut short, not Name = 'h'", () => {
    const damaged = image.slice();
    damaged[13] -= 2; // Name's end offset (u16 at 13) 19 → 17
    const e = refusal(() => decodeRow(damaged, T!));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.location).toMatchObject({ offset: 17, column: 'Name' });
    expect(e.message).toContain('the record ends at offset 17 (variable column 1, Name, ends at 17) but the image holds 2 more byte(s): an end offset or the record header is damaged, so the value of Name may be cut short');
  });

  it('a record of 9 bytes or less may be padded (SQL Server pads records to 9 bytes): not refused', () => {
    const [N] = layoutsFromDdl('CREATE TABLE dbo.N (Id TINYINT)');
    // SYNTHETIC: a 7-byte record (status 0x10, fixed end 5, tinyint 7, 1 column, bitmap 0) padded with two zero bytes
    expect(decodeRow(hex('1000050007010000 00'), N!).values).toEqual({ Id: 7 });
  });
});

describeCorpus('FixedVar: every DELETE row image of Database1_log.ldf, damaged at test time', () => {
  it('each decodes; with status bit 0x20 cleared each is refused naming a column that is not NULL; with its last end offset one less each is refused', async () => {
    const src = new MdfPageSource(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'));
    const md = readDataFileMetadata(src);
    src.close();
    const byAu = new Map<string, TableLayout>();
    for (const t of md.partitionLayouts) for (const au of t.allocUnits ?? []) if (au.type === 'IN_ROW_DATA') byAu.set(au.allocUnitId, t);
    let deletes = 0;
    let cleared = 0;
    for await (const r of readLdfRecords(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'))) {
      if (r.Operation !== 'LOP_DELETE_ROWS' || !r.AllocUnitId || !byAu.has(r.AllocUnitId)) continue;
      const t = byAu.get(r.AllocUnitId)!;
      const image = r['RowLog Contents 0']!;
      deletes++;
      const row = decodeRow(image, t);
      expect(row.warnings.filter((w) => /record's end/.test(w))).toEqual([]);
      if ((image[0] & 0x20) === 0) continue;
      const noBlock = image.slice();
      noBlock[0] &= ~0x20;
      const e = refusal(() => decodeRow(noBlock, t));
      expect(e.code, r['Current LSN']).toBe('DECODE_BAD_RECORD');
      expect(e.message).toMatch(/^status byte 0x[0-9a-f]{2} says the record has no variable-length columns \(bit 0x20 clear\), yet column \S+ is not NULL/);
      expect(t.columns.map((c) => c.name)).toContain(e.location.column);
      // the last end offset, one less
      const fixedEnd = image[2] | (image[3] << 8);
      const count = image[fixedEnd] | (image[fixedEnd + 1] << 8);
      const varArray = fixedEnd + 2 + ((count + 7) >> 3) + 2;
      const nVar = image[varArray - 2] | (image[varArray - 1] << 8);
      const last = varArray + 2 * (nVar - 1);
      const shorter = image.slice();
      const end = (shorter[last] | (shorter[last + 1] << 8)) - 1;
      shorter[last] = end & 0xff;
      shorter[last + 1] = end >> 8;
      const prev = nVar > 1 ? (image[last - 2] | (image[last - 1] << 8)) & 0x7fff : varArray + 2 * nVar;
      if (end < prev) continue; // an empty last value: already DECODE_BAD_RECORD (ends before its start)
      const e2 = refusal(() => decodeRow(shorter, t));
      expect(e2.code).toBe('DECODE_BAD_RECORD');
      expect(e2.message).toMatch(/^the record ends at offset \d+ \(variable column \d+, .+, ends at \d+\) but the image holds 1 more byte\(s\)/);
      cleared++;
    }
    expect(deletes).toBe(16);
    expect(cleared).toBeGreaterThan(0);
  });
});

describeFieldCases('field cases: a real image damaged at test time', () => {
  it('so-4467616-versioning-tag with status bit 0x40 cleared: the 14 tag bytes after the record are refused, with the hint', () => {
    const fc = readFieldCase('so-4467616-versioning-tag.json');
    const [t] = layoutsFromDdl(fc.ddl!);
    const image = hex(fc.hex!);
    expect(decodeRow(image, t!).values).toEqual(fc.expected);
    const damaged = image.slice();
    damaged[0] &= ~0x40;
    const e = refusal(() => decodeRow(damaged, t!));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.message).toContain("but the image holds 14 more byte(s)");
    expect(e.message).toContain("14 bytes is a versioning tag's size, and status bit 0x40 (versioning tag) is clear");
  });

  it('bc-sourcecodesetup-base-cd7 (a real CD record): a long-data end offset made smaller, or a second record after it, is refused; as a page span (exact: false) the second record is ignored as before', () => {
    const fc = readFieldCase('bc-sourcecodesetup-base-cd7.json');
    const [t] = layoutsFromDdl(fc.ddl!);
    const image = hex(fc.hex!);
    const shape = parseCdRecord(image);
    expect(shape.length).toBe(image.length);
    const good = decodeRow(image, t!);
    // two copies of the record, as two images pasted together: before, the second was silently ignored
    const twice = new Uint8Array([...image, ...image]);
    const e = refusal(() => decodeRow(twice, t!));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.location.offset).toBe(image.length);
    expect(e.message).toContain(`the column descriptors of this CD record (7 columns, with a long-data region) account for ${image.length} bytes but the image holds ${image.length} more after offset ${image.length}`);
    expect(decodeRow(twice, t!, { exact: false }).values).toEqual(good.values);
    // the last long-data end offset (the u16 just before the long data, which starts with column 3's value; 7 columns: no cluster bytes) made 16 smaller
    const longEnd = shape.starts[2]! - 2;
    expect(image[longEnd]! | (image[longEnd + 1]! << 8)).toBe(48);
    const damaged = image.slice();
    damaged[longEnd] -= 16;
    const e2 = refusal(() => decodeRow(damaged, t!));
    expect(e2.code).toBe('DECODE_BAD_RECORD');
    expect(e2.message).toContain(`account for ${image.length - 16} bytes but the image holds 16 more`);
  });
});
