/**
 * decodeRow's error contract: only DecodeError, with a code and a location naming the byte offset
 * inside the row image, the column when one is concerned, and the LSN/file/table from the caller.
 * Row images here are real ones (lc-trailnull-omitted, lc-decimal-positive) cut or altered on purpose.
 */
import { expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { parseHex } from '../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';
import { EXAMPLE_LAYOUTS } from './record/example-layouts.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { describeFieldCases, readFieldCase } from '../support/field-cases.js';
import { decodeErrorOf } from '../support/decode-error.js';

const error = decodeErrorOf;

describeCorpus('decodeRow errors', () => {
  const trail = parseHex(readCorpusJson<{ hex: string }>('text-examples', 'lc-trailnull-omitted.json').hex);

  it('a truncated variable column: DECODE_TRUNCATED at the image end, with LSN, file, table and the column by name', () => {
    const layout = EXAMPLE_LAYOUTS['lc-trailnull-omitted'];
    const e = error(() => decodeRow(trail.subarray(0, trail.length - 3), layout, { lsn: '0000002a:00000150:0002', file: 'x.ldf', offset: 4096 }));
    expect(e.code).toBe('DECODE_TRUNCATED');
    // one variable column in the record (ColB, a trailing NULL, has no entry): ColA, cut 3 bytes short
    expect(e.location.column).toBe('ColA');
    expect(e.message).toContain(`row image ends inside variable column 1 (ColA) (ends at ${trail.length})`);
    expect(e.location).toMatchObject({ offset: trail.length - 3, lsn: '0000002a:00000150:0002', file: 'x.ldf', table: 'dbo.LogTestTrailNull' });
    expect(e.message).toMatch(/file offset 4096/);
    expect(e.describe()).toMatch(/^DECODE_TRUNCATED: .*LSN 0000002a:00000150:0002/);
  });

  it('an impossible value names its column and offset: decimal sign byte 7', () => {
    const dec = parseHex(readCorpusJson<{ hex: string }>('text-examples', 'lc-decimal-positive.json').hex).slice();
    dec[8] = 7; // sign byte of Small decimal(5,2) at leaf offset 8
    const e = error(() => decodeRow(dec, EXAMPLE_LAYOUTS['lc-decimal-positive']));
    expect(e.code).toBe('DECODE_BAD_VALUE');
    expect(e.location).toMatchObject({ offset: 8, column: 'Small' });
  });

  it('a record that does not fit the layout: DECODE_SCHEMA_MISMATCH naming the column', () => {
    // lc-trailnull-omitted's fixed part ends at 8; a layout putting an int at 8 does not fit.
    const layout = structuredClone(EXAMPLE_LAYOUTS['lc-trailnull-omitted']);
    layout.columns.push({ ...layout.columns[0], name: 'Extra', columnId: 9, partitionColumnId: 4, leafOffset: 8, leafNullBit: 2 });
    layout.columns[1].leafNullBit = 3;
    layout.columns[2].leafNullBit = 4;
    const e = error(() => decodeRow(trail, layout));
    expect(e.code).toBe('DECODE_SCHEMA_MISMATCH');
    expect(e.location.column).toBe('Extra');
  });

  it('offsets going backwards: DECODE_BAD_RECORD at the offset entry', () => {
    const bad = trail.slice();
    bad[13] = 0x05; // var offset entry (bytes 13-14) → 5, before the data start
    bad[14] = 0x00;
    const e = error(() => decodeRow(bad, EXAMPLE_LAYOUTS['lc-trailnull-omitted']));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.location.offset).toBe(13);
  });

  it('index and blob-fragment records are DECODE_UNSUPPORTED; a forwarding stub gives no values and a warning', () => {
    const idx = trail.slice();
    idx[0] = (idx[0] & ~0x0e) | (3 << 1);
    expect(error(() => decodeRow(idx, EXAMPLE_LAYOUTS['lc-trailnull-omitted'])).code).toBe('DECODE_UNSUPPORTED');
    // SYNTHETIC forwarding stub built from the documented layout: status 0x04, page 0x1234, file 1, slot 2.
    const stub = parseHex('04 34120000 0100 0200');
    const row = decodeRow(stub, EXAMPLE_LAYOUTS['lc-trailnull-omitted']);
    expect(row.recordType).toBe('forwarding-stub');
    expect(row.values).toEqual({});
    expect(row.warnings[0]).toMatch(/1:4660:2/);
  });
});

describeFieldCases('decodeRow: a record of the other format than the layout says', () => {
  const fc = readFieldCase('bc-sourcecodesetup-base-cd7.json');
  const cd = parseHex(fc.hex!.replace(/^0x/, ''));

  it('a REAL row-compressed (CD) record under a layout without DATA_COMPRESSION: DECODE_SCHEMA_MISMATCH at offset 0, not FixedVar values', () => {
    const [compressed] = layoutsFromDdl(fc.ddl!);
    expect(compressed!.compression).toBe('PAGE');
    expect(decodeRow(cd, compressed!).format).toBe('cd'); // the case's own layout reads it
    const [plain] = layoutsFromDdl(fc.ddl!.replace(/WITH \(DATA_COMPRESSION = PAGE\)/, ''));
    expect(plain!.compression).toBe('NONE');
    const e = error(() => decodeRow(cd, plain!, { lsn: '00000021:00000010:0001' }));
    expect(e.code).toBe('DECODE_SCHEMA_MISMATCH');
    expect(e.location).toMatchObject({ offset: 0, lsn: '00000021:00000010:0001', table: 'dbo.SourceCodeSetupBase' });
    expect(e.message).toMatch(/header 0x21 has the CD-format bit .*DATA_COMPRESSION NONE/);
  });
});

describeCorpus('decodeRow: a FixedVar record under a compressed layout', () => {
  it('a REAL FixedVar record (lc-trailnull-omitted) under a ROW layout: DECODE_BAD_RECORD (no CD-format bit)', () => {
    const trail = parseHex(readCorpusJson<{ hex: string }>('text-examples', 'lc-trailnull-omitted.json').hex);
    const e = error(() => decodeRow(trail, { ...EXAMPLE_LAYOUTS['lc-trailnull-omitted'], compression: 'ROW' }));
    expect(e.code).toBe('DECODE_BAD_RECORD');
    expect(e.message).toMatch(/lacks the CD-format bit/);
  });
});
