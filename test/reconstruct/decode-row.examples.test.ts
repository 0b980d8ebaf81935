/**
 * Every real row image in ../shared/corpus/text-examples decoded against a hand-built layout
 * (leaf offsets/null bits worked out from each example's DDL and notes), compared with the
 * values the example states, in rowback's output forms.
 */
import { expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../support/corpus.js';
import { fixed, table, variable } from './record/layout-builder.js';

interface Example {
  id: string;
  hex: string | string[];
  values: unknown;
}

function ex(id: string): Example {
  return readCorpusJson<Example>('text-examples', `${id}.json`);
}

/** id → [layout, expected values in rowback's output form (derived from the example's `values`)]. */
export const EXAMPLE_LAYOUTS: Record<string, TableLayout> = {
  'improvedk-deciphering-heap-int': table('tmp', [fixed('ID', 'int', 4)]),
  'lc-char-nchar': table('T2', [fixed('Id', 'int', 4), fixed('C', 'char', 8, { maxLength: 5 }), fixed('NC', 'nchar', 13, { maxLength: 10 })]),
  'lc-datetime2-scale0-7': table('Dt2ScaleTest', [
    fixed('Id', 'int', 4), fixed('D0', 'datetime2', 8, { scale: 0 }), fixed('D7', 'datetime2', 14, { scale: 7 }), fixed('D7default', 'datetime2', 22),
  ]),
  'lc-decimal-38-10-positive': table('DecPrecisionProbe', [fixed('Id', 'int', 4), fixed('Val', 'decimal', 8, { precision: 38, scale: 10 })]),
  'lc-decimal-negative': table('DecimalTest', [
    fixed('Id', 'int', 4), fixed('Small', 'decimal', 8, { precision: 5, scale: 2 }), fixed('Big', 'decimal', 13, { precision: 18, scale: 4 }),
  ]),
  'lc-fixed-types': table('NewTypesTest', [
    fixed('Id', 'int', 4), fixed('TinyIntCol', 'tinyint', 8), fixed('SmallIntCol', 'smallint', 9),
    fixed('BitCol1', 'bit', 11, { bitPosition: 0 }), fixed('BitCol2', 'bit', 11, { bitPosition: 1 }),
    fixed('GuidCol', 'uniqueidentifier', 12), fixed('MoneyCol', 'money', 28), fixed('SmallMoneyCol', 'smallmoney', 36),
    fixed('DateTimeCol', 'datetime', 40), fixed('SmallDateTimeCol', 'smalldatetime', 48), fixed('FloatCol', 'float', 52),
    fixed('RealCol', 'real', 60),
  ]),
  'lc-geography': table('CrossCheck_Geo', [fixed('Id', 'int', 4), variable('Loc', 'geography', 1)]),
  'lc-jobrun-bigint-null-datetime2': table('JobRun', [
    fixed('JobID', 'bigint', 4), variable('JobName', 'varchar', 1, { maxLength: 100 }), fixed('StartTime', 'datetime2', 12),
    fixed('EndTime', 'datetime2', 20), variable('Status', 'varchar', 2, { maxLength: 20 }), fixed('CreateDate', 'datetime2', 28),
  ]),
  'lc-lob-offrow-not-last': table('LobNotLastTest', [fixed('Id', 'int', 4), variable('Note', 'nvarchar', 1, { maxLength: -1 }), variable('Tag', 'nvarchar', 2, { maxLength: 40 })]),
  'lc-lob-offrow-textpointer': table('LobOffRowTest', [fixed('Id', 'int', 4), variable('Note', 'nvarchar', 1, { maxLength: -1 })]),
  'lc-lob-two-offrow': table('LobTwoOffRowTest', [fixed('Id', 'int', 4), variable('NoteA', 'nvarchar', 1, { maxLength: -1 }), variable('NoteB', 'nvarchar', 2, { maxLength: -1 })]),
  'lc-logtest-datetime2-3-varchar': table('LogTest', [
    fixed('Id', 'int', 4), fixed('CreatedAt', 'datetime2', 8, { scale: 3 }), fixed('Amount', 'int', 15),
    variable('Note', 'varchar', 1, { maxLength: 200 }), variable('Sentinel', 'varchar', 2, { maxLength: 100 }),
  ]),
  // Clustered on Sortable (non-unique): physical order = uniquifier, Sortable, then the rest.
  'lc-nonunique-clustered-uniquifier-slot': table('Simple2', [
    variable('UNIQUIFIER', 'int', 1, { isUniquifier: true }),
    fixed('Sortable', 'datetime2', 4, { columnId: 3 }),
    fixed('Id', 'int', 12, { columnId: 1 }),
    variable('ColA', 'nvarchar', 2, { maxLength: 40, columnId: 2 }),
    variable('ColB', 'nvarchar', 3, { maxLength: 40, columnId: 4 }),
  ]),
  'lc-nvarchar': table('T', [fixed('Id', 'int', 4), variable('Name', 'nvarchar', 1, { maxLength: 100 })]),
  'lc-trailnull-omitted': table('LogTestTrailNull', [fixed('Id', 'int', 4), variable('ColA', 'varchar', 1, { maxLength: 50 }), variable('ColB', 'varchar', 2, { maxLength: 50 })]),
  'lc-varbinary-max': table('CrossCheck_Blob2', [fixed('Id', 'int', 4), variable('Blob', 'varbinary', 1, { maxLength: -1 })]),
  'sqlmaestros-modify-row-contents1': table('sqlservergeeks', [fixed('id', 'int', 4), fixed('firstname', 'char', 8, { maxLength: 6 }), variable('lastname', 'varchar', 1, { maxLength: 6 })]),
};
EXAMPLE_LAYOUTS['lc-decimal-positive'] = EXAMPLE_LAYOUTS['lc-decimal-negative'];

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

/** Row images of an example (DBCC dumps give one line per slot). */
export function imagesOf(e: Example): Uint8Array[] {
  // DBCC PAGE dump lines carry `Slot n: <address>:` before the hex groups: keep only what follows.
  return (Array.isArray(e.hex) ? e.hex : [e.hex]).map((h) => parseHex(h.replace(/^Slot \d+:\s*[0-9A-Fa-f]+:\s*/, '')));
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

  it('masks garbage in unused null-bitmap bits and says so (0xfe, 0xBC)', () => {
    const heap = decodeRow(imagesOf(ex('improvedk-deciphering-heap-int'))[0], EXAMPLE_LAYOUTS['improvedk-deciphering-heap-int']);
    expect(heap.warnings.join(' ')).toMatch(/unused bits set.*0xfe/);
    const lob = decodeRow(imagesOf(ex('lc-lob-offrow-textpointer'))[0], EXAMPLE_LAYOUTS['lc-lob-offrow-textpointer']);
    expect(lob.warnings.join(' ')).toMatch(/0xbc/);
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
