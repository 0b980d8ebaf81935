/**
 * Hand-built layouts for the real row images in text-examples (leaf offsets and null bits worked out
 * from each example's DDL and notes; fixed end offsets checked against each image's bytes 2-3).
 */
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { parseHex } from '../../../src/util/hex.js';
import { fixed, table, variable } from './layout-builder.js';

/** example id → layout. */
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


/** Row images of an example's `hex` (DBCC dump lines carry `Slot n: <address>:` before the hex groups). */
export function exampleImages(hex: string | string[]): Uint8Array[] {
  return (Array.isArray(hex) ? hex : [hex]).map((h) => parseHex(h.replace(/^Slot \d+:\s*[0-9A-Fa-f]+:\s*/, '')));
}
