import { describe, expect, it } from 'vitest';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource } from '../../src/recover/source.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { findTable } from '../../src/datafile/table-rows.js';
import type { DataFileMetadata } from '../../src/datafile/metadata.js';

/**
 * A case-sensitive database (collation *_CS_* or *_BIN2) may hold tables dbo.Contact and dbo.contact
 * and columns Name and name side by side. Names were matched lowercased: the two tables became one
 * table's partitions (--table dbo.contact read dbo.Contact's rows too, a --ddl layout was laid on both),
 * dump --table picked the first, and a --ddl giving Name and name in their right order was refused as
 * reordered. SYNTHETIC layouts (no corpus database is case-sensitive).
 */
/**
 * A layout from DDL whose columns `x_<name>` are renamed `<name>`: the DDL parser refuses two columns
 * differing only in case (it cannot know the script's collation: a clear refusal; catalog JSON
 * carries such a table), so the case-sensitive names are set on the layout.
 */
const fromDdl = (ddl: string): TableLayout => {
  const t = layoutsFromDdl(ddl)[0]!;
  return { ...t, columns: t.columns.map((c) => ({ ...c, name: c.name.replace(/^x_/, '') })) };
};
const table = (ddl: string, objectId: number, au: string): TableLayout => ({ ...fromDdl(ddl), objectId, allocUnits: [{ allocUnitId: au, type: 'IN_ROW_DATA' }] });
const upper = () => table('CREATE TABLE dbo.Contact (Id int NOT NULL, Name varchar(20), x_name int)', 101, '111');
const lower = () => table('CREATE TABLE dbo.contact (Id int NOT NULL, Email varchar(50))', 102, '222');

function source(catalog: MetadataCatalog): RecoverySource {
  return { description: 'SYNTHETIC', catalogOwner: "the data file's", metadata: async () => catalog, candidates: () => (async function* () {})(), skipped: () => [], close: async () => {} };
}

describe('catalogFromLayouts: tables differing only in case', () => {
  it('two tables, each with its own allocation units; byName exact first; a name matching both only by case is refused', () => {
    const c = catalogFromLayouts([upper(), lower()]);
    expect(c.tables().map((t) => `${t.schema}.${t.name}`)).toEqual(['dbo.Contact', 'dbo.contact']);
    expect(c.byName('dbo.contact')!.allocUnits!.map((a) => a.allocUnitId)).toEqual(['222']);
    expect(c.byName('dbo.Contact')!.allocUnits!.map((a) => a.allocUnitId)).toEqual(['111']);
    expect(c.byName('contact')!.name).toBe('contact');
    expect(() => c.byName('dbo.CONTACT')).toThrow(/INPUT_AMBIGUOUS_NAME|differ only in letter case/);
  });

  it('partitions of one table (same object id) are still one entry naming both units', () => {
    const p1 = { ...upper(), partitionNumber: 1 };
    const p2 = { ...upper(), partitionNumber: 2, allocUnits: [{ allocUnitId: '333', type: 'IN_ROW_DATA' as const }] };
    const c = catalogFromLayouts([p1, p2]);
    expect(c.tables()).toHaveLength(1);
    expect(c.byName('dbo.Contact')!.allocUnits!.map((a) => a.allocUnitId)).toEqual(['111', '333']);
    // another case, one table: found
    expect(c.byName('DBO.CONTACT')!.name).toBe('Contact');
  });
});

describe('--ddl/--schema against a catalog with columns Name and name', () => {
  it('the table\'s own order and types: used, no difference named (it was refused as reordered)', async () => {
    const given = fromDdl('CREATE TABLE dbo.Contact (Id int NOT NULL, Name varchar(20), x_name int)');
    const cat = await withMetadata(source(catalogFromLayouts([upper(), lower()])), [given]).metadata();
    const t = cat.byAllocUnit('111')!;
    expect(t.name).toBe('Contact');
    expect(t.warnings ?? []).toEqual([]);
  });

  it('Name and name swapped: refused (INPUT_LAYOUT_CONTRADICTS_CATALOG)', async () => {
    const given = fromDdl('CREATE TABLE dbo.Contact (Id int NOT NULL, x_name int, Name varchar(20))');
    await expect(withMetadata(source(catalogFromLayouts([upper(), lower()])), [given]).metadata()).rejects.toThrow(/lists dbo\.Contact's column Name after name/);
  });

  it('a column named in a case neither has, matching both: said in the differences', async () => {
    const given = fromDdl('CREATE TABLE dbo.Contact (Id int NOT NULL, NAME varchar(20), x_name int)');
    const cat = await withMetadata(source(catalogFromLayouts([upper(), lower()])), [given]).metadata();
    expect(cat.byAllocUnit('111')!.warnings!.join()).toMatch(/NAME matches the data file's Name and name only by letter case/);
  });

  it('the --ddl layout of dbo.contact maps to dbo.contact\'s unit only', async () => {
    const given = layoutsFromDdl('CREATE TABLE dbo.contact (Id int NOT NULL, Email varchar(50))')[0]!;
    const cat = await withMetadata(source(catalogFromLayouts([upper(), lower()])), [given]).metadata();
    expect(cat.byAllocUnit('222')!.name).toBe('contact');
    expect(cat.byAllocUnit('111')).toBeUndefined();
  });
});

describe('findTable (dump, diff, replay)', () => {
  const md = { details: new Map([['dbo.Contact', { layout: upper(), partitions: [], rowCount: 1 }], ['dbo.contact', { layout: lower(), partitions: [], rowCount: 2 }]]) } as unknown as DataFileMetadata;
  it('exact first; another case when one table has it; both only by case: refused', () => {
    expect(findTable(md, 'dbo.contact')!.rowCount).toBe(2);
    expect(findTable(md, '[dbo].[Contact]')!.rowCount).toBe(1);
    expect(() => findTable(md, 'dbo.CONTACT')).toThrow(/differ only in letter case/);
  });
});
