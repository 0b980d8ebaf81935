/**
 * catalogFromLayouts over the partitions of one table: a row operation's allocation unit is matched to
 * its own partition's layout, so partitions compressed differently (`ALTER TABLE … REBUILD PARTITION =
 * 2 WITH (DATA_COMPRESSION = PAGE)`) each decode with their own compression; the table is listed once,
 * naming every partition's allocation units.
 * The record is REAL (field case bc-sourcecodesetup-base-cd7, a PAGE-compressed table's CD record);
 * the two-partition split of its table is SYNTHETIC (no corpus file holds a partitioned table).
 */
import { expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { parseHex } from '../../src/util/hex.js';
import { describeFieldCases, readFieldCase } from '../support/field-cases.js';

describeFieldCases('catalogFromLayouts: partitions of one table', () => {
  const fc = readFieldCase('bc-sourcecodesetup-base-cd7.json');
  const record = parseHex(fc.hex!.replace(/^0x/, ''));
  const [paged] = layoutsFromDdl(fc.ddl!);
  const partition = (n: number, compression: TableLayout['compression'], au: string): TableLayout => ({
    ...paged!, compression, partitionNumber: n, partitionId: String(7000 + n), allocUnits: [{ allocUnitId: au, type: 'IN_ROW_DATA' }],
  });
  // As the data-file reader and catalog JSON give them: one layout per partition, the first uncompressed.
  const catalog = catalogFromLayouts([partition(1, 'NONE', '72057594039238656'), partition(2, 'PAGE', '72057594039304192')]);

  it('a row of partition 2 decodes with partition 2\'s compression, not the first partition\'s', () => {
    const own = catalog.byAllocUnit('72057594039304192')!;
    expect(own.partitionNumber).toBe(2);
    const row = decodeRow(record, own);
    expect(row.format).toBe('cd');
    expect(row.values['Primary Key']).toBe('');
    // The first partition's layout would have refused it (CD-format bit under NONE):
    expect(() => decodeRow(record, catalog.byAllocUnit('72057594039238656')!)).toThrow(DecodeError);
  });

  it('the table is listed once, naming both partitions\' allocation units; byName gives that entry', () => {
    expect(catalog.tables()).toHaveLength(1);
    expect(catalog.tables()[0]!.allocUnits!.map((a) => a.allocUnitId)).toEqual(['72057594039238656', '72057594039304192']);
    expect(catalog.byName('dbo.sourcecodesetupbase')).toBe(catalog.tables()[0]);
    expect(catalog.byName('SourceCodeSetupBase')).toBe(catalog.tables()[0]);
    expect(catalog.byAllocUnit('72057594039238656')!.allocUnits).toHaveLength(1); // its own partition's, not the merged entry
  });
});
