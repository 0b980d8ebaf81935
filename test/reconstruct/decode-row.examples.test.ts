/**
 * Every real row image in ../shared/corpus/text-examples decoded against a hand-built layout
 * (leaf offsets/null bits worked out from each example's DDL and notes), compared with the
 * values the example states, in rowback's output forms.
 */
import { expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';
import { EXAMPLE_LAYOUTS, exampleImages } from './record/example-layouts.js';

interface Example {
  id: string;
  hex: string | string[];
  values: unknown;
}

function ex(id: string): Example {
  return readCorpusJson<Example>('text-examples', `${id}.json`);
}

const EXPECTED: Record<string, Record<string, unknown>[]> = {
  'improvedk-deciphering-heap-int': [{ ID: 1 }, { ID: 2 }],
  'lc-char-nchar': [{ Id: 1, C: 'ab   ', NC: 'xy   ' }],
  'lc-datetime2-scale0-7': [{ Id: 1, D0: '2026-09-30T12:34:56', D7: '2026-09-30T12:34:56.1234567', D7default: '2026-09-30T12:34:56.1234567' }],
  'lc-decimal-38-10-positive': [{ Id: 2, Val: '999999999999999999999999999.9999999999' }],
  'lc-decimal-negative': [{ Id: 2, Small: '-123.45', Big: '-123456789012.3456' }],
  'lc-decimal-positive': [{ Id: 1, Small: '123.45', Big: '123456789012.3456' }],
  'lc-fixed-types': [{
    Id: 1, TinyIntCol: 200, SmallIntCol: -12345, BitCol1: true, BitCol2: false, GuidCol: '12345678-1234-5678-9ABC-123456789ABC',
    MoneyCol: '123456.7890', SmallMoneyCol: '-321.1200', DateTimeCol: '2026-05-17T13:45:30.123', SmallDateTimeCol: '2026-05-17T13:45:00',
    FloatCol: 3.14159265358979, RealCol: 2.71828,
  }],
  'lc-geography': [{ Id: 1, Loc: '0xE6100000010C48E17A14AE073940A4703D0AD7635E40' }],
  'lc-jobrun-bigint-null-datetime2': [{
    JobID: '1', JobName: '1', StartTime: '2026-09-09T00:00:00.0000000', EndTime: null, Status: 'RUNNING', CreateDate: '2026-09-30T20:19:45.3810173',
  }],
  'lc-lob-offrow-not-last': [{ Id: 1, Note: { offRow: { page: '1:664', slot: 0, kind: 'text-pointer', timestamp: '0000946500000000' } }, Tag: 'tag-value' }],
  'lc-lob-offrow-textpointer': [{ Id: 1, Note: { offRow: { page: '1:648', slot: 0, kind: 'text-pointer', timestamp: '0000916500000000' } } }],
  'lc-lob-two-offrow': [{
    Id: 1,
    NoteA: { offRow: { page: '1:680', slot: 0, kind: 'text-pointer', timestamp: '0000956500000000' } },
    NoteB: { offRow: { page: '1:680', slot: 1, kind: 'text-pointer', timestamp: '0000966500000000' } },
  }],
  'lc-nonunique-clustered-uniquifier-slot': [{ Id: 1, ColA: 'XYZ', Sortable: '2026-01-01T00:00:00.0000000', ColB: null }],
  'lc-nvarchar': [{ Id: 1, Name: 'hi' }],
  'lc-trailnull-omitted': [{ Id: 2, ColA: 'trailing-null', ColB: null }],
  'lc-varbinary-max': [{ Id: 1, Blob: '0x0102030405FF' }],
  'sqlmaestros-modify-row-contents1': [{ id: 1, firstname: 'amit  ', lastname: 'bansal' }],
};

function imagesOf(e: Example): Uint8Array[] {
  return exampleImages(e.hex);
}

describeCorpus('decodeRow on real row images (text-examples)', () => {
  for (const [id, expected] of Object.entries(EXPECTED)) {
    it(id, () => {
      const e = ex(id);
      const images = imagesOf(e);
      expect(images.length).toBe(expected.length);
      images.forEach((img, i) => {
        const row = decodeRow(img, EXAMPLE_LAYOUTS[id]);
        expect(row.values).toEqual(expected[i]);
        expect(Object.keys(row.values)).toEqual(Object.keys(expected[i]));
        expect(row.format).toBe('fixedvar');
        expect(row.recordType).toBe('primary');
      });
    });
  }

  it('lc-logtest-datetime2-3-varchar: values given; CreatedAt only known to be in 2026', () => {
    const row = decodeRow(imagesOf(ex('lc-logtest-datetime2-3-varchar'))[0], EXAMPLE_LAYOUTS['lc-logtest-datetime2-3-varchar']);
    expect(row.values).toMatchObject({ Id: 1, Amount: 1001, Note: 'note-1', Sentinel: 'LPT-baa1ca93794943ecab68ab77d8dced63' });
    expect(row.values.CreatedAt).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('masks garbage in unused null-bitmap bits without a warning (0xfe, 0xBC: SQL Server leaves them so in ordinary rows)', () => {
    const img = imagesOf(ex('improvedk-deciphering-heap-int'))[0];
    const heap = decodeRow(img, EXAMPLE_LAYOUTS['improvedk-deciphering-heap-int']);
    // the bitmap byte really has its unused bits set, and they do not make the column NULL
    const bitmapAt = img[2] | (img[3] << 8);
    expect(img[bitmapAt + 2]).toBe(0xfe);
    expect(Object.values(heap.values).every((v) => v !== null)).toBe(true);
    expect(heap.warnings).toEqual([]);
    const lob = decodeRow(imagesOf(ex('lc-lob-offrow-textpointer'))[0], EXAMPLE_LAYOUTS['lc-lob-offrow-textpointer']);
    expect(lob.warnings.join(' ')).not.toMatch(/unused bits/);
  });

  it('ignores the garbage in a NULL fixed column slot (lc-jobrun EndTime)', () => {
    const row = decodeRow(imagesOf(ex('lc-jobrun-bigint-null-datetime2'))[0], EXAMPLE_LAYOUTS['lc-jobrun-bigint-null-datetime2']);
    expect(row.values.EndTime).toBeNull();
    expect(row.columnCount).toBe(6);
  });

  it('reads the empty uniquifier of a non-unique clustered index as 0 and hides it', () => {
    const row = decodeRow(imagesOf(ex('lc-nonunique-clustered-uniquifier-slot'))[0], EXAMPLE_LAYOUTS['lc-nonunique-clustered-uniquifier-slot']);
    expect(row.uniquifier).toBe(0);
    expect(row.values).not.toHaveProperty('UNIQUIFIER');
    expect(row.columnCount).toBe(5);
  });
});
