import { describe, expect, it } from 'vitest';
import { withMetadata } from '../../src/recover/metadata-override.js';
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource, type ScanFilter } from '../../src/recover/source.js';
import { InputError } from '../../src/errors.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';

const layout = (name: string, au?: string): TableLayout => ({
  schema: 'dbo', name, indexId: 1, compression: 'NONE', columns: [],
  ...(au ? { allocUnits: [{ allocUnitId: au, type: 'IN_ROW_DATA' as const }] } : {}),
});

/** A source that records which catalog its candidates() was given. */
function fakeSource(own: MetadataCatalog | null): RecoverySource & { seen: MetadataCatalog[] } {
  const seen: MetadataCatalog[] = [];
  return {
    seen,
    description: 'fake',
    catalogOwner: "the data file's",
    metadata: async () => {
      if (!own) throw new InputError('INPUT_NO_METADATA', 'no table metadata');
      return own;
    },
    candidates: (_f: ScanFilter, _s?: AbortSignal, catalog?: MetadataCatalog) =>
      (async function* () {
        if (catalog) seen.push(catalog);
      })(),
    skipped: () => [],
    close: async () => {},
  };
}

async function drain(s: RecoverySource): Promise<void> {
  for await (const _ of s.candidates({ operations: ['delete'] })) void _;
}

describe('withMetadata', () => {
  it('takes allocation unit ids from the source for tables the DDL names', async () => {
    const src = fakeSource(catalogFromLayouts([layout('Customers', '111'), layout('Orders', '222')]));
    const s = withMetadata(src, [layout('Customers')]);
    const cat = await s.metadata();
    expect(cat.byAllocUnit('111')?.name).toBe('Customers');
    expect(cat.byAllocUnit('222')).toBeUndefined(); // only the user's tables
    await drain(s);
    expect(src.seen).toHaveLength(1);
    expect(src.seen[0].byAllocUnit('111')?.name).toBe('Customers');
  });

  it('keeps ids the catalog JSON already has and never asks the source', async () => {
    const src = fakeSource(null);
    const cat = await withMetadata(src, [layout('Customers', '999')]).metadata();
    expect(cat.byAllocUnit('999')?.name).toBe('Customers');
  });

  it('uses --alloc-unit for a lone table when nothing else maps it', async () => {
    const cat = await withMetadata(fakeSource(null), [layout('Customers')], { allocUnitIds: new Map([['dbo.Customers', '72057594043629568']]) }).metadata();
    expect(cat.byAllocUnit('72057594043629568')?.name).toBe('Customers');
  });

  it('maps several tables by name (--alloc-unit SCHEMA.NAME=ID), each to its own unit', async () => {
    const cat = await withMetadata(fakeSource(null), [layout('A'), layout('B')], { allocUnitIds: new Map([['dbo.A', '11'], ['dbo.B', '22']]) }).metadata();
    expect([cat.byAllocUnit('11')?.name, cat.byAllocUnit('22')?.name]).toEqual(['A', 'B']);
    // a table left unmapped is named, with the form that maps it
    await expect(withMetadata(fakeSource(null), [layout('A'), layout('B')], { allocUnitIds: new Map([['dbo.A', '11']]) }).metadata())
      .rejects.toThrow(/nothing maps dbo\.B to one: give --alloc-unit SCHEMA\.NAME=ID for each/);
  });

  it('says what to do when no table can be mapped', async () => {
    await expect(withMetadata(fakeSource(null), [layout('Customers')]).metadata()).rejects.toThrow(/INPUT_NO_ALLOC_UNIT|--alloc-unit/);
    await expect(withMetadata(fakeSource(null), [layout('A'), layout('B')]).metadata()).rejects.toThrow(/dbo\.A, dbo\.B/);
  });

  it('names a DATA_COMPRESSION that differs from one of the table\'s partitions (SYNTHETIC: partition 1 NONE, partition 2 ROW)', async () => {
    const col = layoutsFromDdl('CREATE TABLE dbo.Customers (id int NOT NULL)')[0]!.columns[0]!;
    const part = (n: number, compression: TableLayout['compression'], au: string): TableLayout => ({ ...layout('Customers', au), partitionNumber: n, compression, columns: [col] });
    const src = fakeSource(catalogFromLayouts([part(1, 'NONE', '111'), part(2, 'ROW', '222')]));
    const cat = await withMetadata(src, [{ ...layout('Customers'), columns: [col] }]).metadata();
    const t = cat.byAllocUnit('222')!;
    expect(t.compression).toBe('NONE'); // the user's layout is used for both partitions …
    expect(cat.byAllocUnit('111')).toBe(t);
    // … and every row says where it disagrees with the data file
    expect(t.warnings).toEqual(["the layout given with --ddl/--schema differs from the data file's catalog for dbo.Customers: DATA_COMPRESSION NONE vs the data file's ROW (partition 2); values are decoded with the given layout"]);
  });

  it('compares a catalog JSON partition with its own partition only (SYNTHETIC: partition 1 NONE, partition 2 ROW, given as they are)', async () => {
    const col = layoutsFromDdl('CREATE TABLE dbo.Customers (id int NOT NULL)')[0]!.columns[0]!;
    const part = (n: number, compression: TableLayout['compression'], au: string): TableLayout => ({ ...layout('Customers', au), partitionNumber: n, compression, columns: [col] });
    const src = fakeSource(catalogFromLayouts([part(1, 'NONE', '111'), part(2, 'ROW', '222')]));
    const cat = await withMetadata(src, [part(1, 'NONE', '111'), part(2, 'ROW', '222')]).metadata();
    // each matches its own partition: no row says the layout differs from the data file's
    expect(cat.byAllocUnit('111')!.warnings ?? []).toEqual([]);
    expect(cat.byAllocUnit('222')!.warnings ?? []).toEqual([]);
    // a partition given with another compression than its own is still named
    const cat2 = await withMetadata(src, [part(1, 'NONE', '111'), part(2, 'NONE', '222')]).metadata();
    expect(cat2.byAllocUnit('111')!.warnings ?? []).toEqual([]);
    expect(cat2.byAllocUnit('222')!.warnings).toEqual(["the layout given with --ddl/--schema differs from the data file's catalog for dbo.Customers: DATA_COMPRESSION NONE vs the data file's ROW (partition 2); values are decoded with the given layout"]);
  });

  it('maps catalog JSON partitions without allocation unit ids to their own partition, never the last one for all (SYNTHETIC)', async () => {
    const cols = layoutsFromDdl('CREATE TABLE dbo.Customers (id int NOT NULL, b int)')[0]!.columns;
    const part = (n: number | undefined, compression: TableLayout['compression'], au?: string): TableLayout => ({ ...layout('Customers', au), ...(n !== undefined ? { partitionNumber: n } : {}), compression, columns: cols });
    const src = fakeSource(catalogFromLayouts([part(1, 'NONE', '111'), part(2, 'PAGE', '222')]));
    const cat = await withMetadata(src, [part(1, 'NONE'), part(2, 'PAGE')]).metadata();
    // partition 1's rows were decoded with partition 2's layout (PAGE)
    expect(cat.byAllocUnit('111')!.compression).toBe('NONE');
    expect(cat.byAllocUnit('222')!.compression).toBe('PAGE');
    expect(cat.byAllocUnit('111')!.warnings ?? []).toEqual([]);
    // several layouts of one table, one without a partition number: refused
    await expect(withMetadata(src, [part(undefined, 'NONE'), part(2, 'PAGE')]).metadata()).rejects.toThrow(/INPUT_NO_ALLOC_UNIT|several times/);
    await expect(withMetadata(src, [part(1, 'NONE'), part(3, 'PAGE')]).metadata()).rejects.toThrow(/no partition 3/);
  });

  it('names a column the data file\'s partition stores elsewhere (SYNTHETIC: partition 1 keeps a dropped column\'s slot, partition 2 rebuilt alone without it; the --ddl layout is the reclaimed one)', async () => {
    const reclaimed = layoutsFromDdl('CREATE TABLE dbo.Customers (a int NOT NULL, b int NULL, c int NULL, d int NULL)\nALTER TABLE dbo.Customers DROP COLUMN b\nALTER TABLE dbo.Customers REBUILD')[0]!;
    const kept = layoutsFromDdl('CREATE TABLE dbo.Customers (a int NOT NULL, b int NULL, c int NULL, d int NULL)\nALTER TABLE dbo.Customers DROP COLUMN b')[0]!;
    expect(kept.columns.find((c) => c.name === 'c')!.leafOffset).not.toBe(reclaimed.columns.find((c) => c.name === 'c')!.leafOffset);
    const src = fakeSource(catalogFromLayouts([
      { ...kept, partitionNumber: 1, allocUnits: [{ allocUnitId: '111', type: 'IN_ROW_DATA' }] },
      { ...reclaimed, partitionNumber: 2, allocUnits: [{ allocUnitId: '222', type: 'IN_ROW_DATA' }] },
    ]));
    const cat = await withMetadata(src, [{ ...reclaimed }]).metadata();
    // partition 1's rows, read through the given places, took c from the dropped b's bytes and d from c's
    expect(cat.byAllocUnit('111')!.warnings).toEqual([
      "the layout given with --ddl/--schema differs from the data file's catalog for dbo.Customers: c is stored at leaf offset 8, null bit 2 vs the data file's 12, 3 (partition 1); d is stored at leaf offset 12, null bit 3 vs the data file's 16, 4 (partition 1); values are decoded with the given layout",
    ]);
    // the same layout as the data file's: nothing said
    const same = await withMetadata(fakeSource(catalogFromLayouts([{ ...reclaimed, allocUnits: [{ allocUnitId: '333', type: 'IN_ROW_DATA' }] }])), [{ ...reclaimed }]).metadata();
    expect(same.byAllocUnit('333')!.warnings ?? []).toEqual([]);
  });

  it('passes other source errors through', async () => {
    const broken: RecoverySource = { ...fakeSource(null), metadata: async () => { throw new Error('disk on fire'); } };
    await expect(withMetadata(broken, [layout('X')]).metadata()).rejects.toThrow('disk on fire');
  });
});

describeCorpus('a --ddl layout that contradicts the data file is never used silently', () => {
  it('every row names the differences (AngularJs Employee with Emp_Age declared real instead of int)', async () => {
    const { openFileSource } = await import('../../src/recover/sources/files.js');
    const { layoutsFromDdl } = await import('../../src/reconstruct/metadata/ddl.js');
    const { withMetadata } = await import('../../src/recover/metadata-override.js');
    const { recoverRows } = await import('../../src/recover/recover-rows.js');
    const C = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);
    const ddl = layoutsFromDdl('CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(max), Emp_City varchar(max), Emp_Age real)');
    const src = withMetadata(openFileSource({ mdf: C('Database1.mdf'), ldf: C('Database1_log.ldf') }), ddl);
    const warnings: string[][] = [];
    for await (const ev of recoverRows(src, { operations: ['delete'], tables: ['dbo.Employee'] })) if (ev.kind === 'row') warnings.push(ev.row.warnings);
    await src.close();
    expect(warnings.length).toBe(3);
    for (const w of warnings) expect(w.join('\n')).toContain("differs from the data file's catalog for dbo.Employee: Emp_Age real(4) vs int(4)");
  });

  it('types are written as T-SQL writes them: varchar(max) (it read "varchar(-1)")', async () => {
    const { openFileSource } = await import('../../src/recover/sources/files.js');
    const { recoverRows } = await import('../../src/recover/recover-rows.js');
    const C = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);
    const ddl = layoutsFromDdl('CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(200), Emp_City varchar(max), Emp_Age int)');
    const src = withMetadata(openFileSource({ mdf: C('Database1.mdf'), ldf: C('Database1_log.ldf') }), ddl);
    const warnings: string[] = [];
    for await (const ev of recoverRows(src, { operations: ['delete'], tables: ['dbo.Employee'] }, { layoutCheckRows: 0 })) if (ev.kind === 'row') warnings.push(...ev.row.warnings);
    await src.close();
    expect(warnings).toContainEqual(expect.stringContaining("differs from the data file's catalog for dbo.Employee: Emp_Name varchar(200) vs varchar(max);"));
  });
});

describeCorpus('a --ddl layout listing the table\'s columns in another order than its catalog is refused', () => {
  const C = (f: string) => corpusPath('AngularJs_CRUD/App_Data', f);
  const scan = async (ddl: string) => {
    const { openFileSource } = await import('../../src/recover/sources/files.js');
    const { recoverRows } = await import('../../src/recover/recover-rows.js');
    const src = withMetadata(openFileSource({ mdf: C('Database1.mdf'), ldf: C('Database1_log.ldf') }), layoutsFromDdl(ddl));
    const rows: Record<string, unknown>[] = [];
    try {
      for await (const ev of recoverRows(src, { operations: ['delete'], tables: ['dbo.Employee'] })) if (ev.kind === 'row') rows.push(ev.row.values);
    } finally {
      await src.close();
    }
    return rows;
  };

  it('Emp_City before Emp_Name (both varchar(max)): INPUT_LAYOUT_CONTRADICTS_CATALOG naming the pair, not 3 rows with the two swapped (newcomer trial)', async () => {
    const err = await scan('CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_City varchar(max), Emp_Name varchar(max), Emp_Age int)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INPUT_LAYOUT_CONTRADICTS_CATALOG');
    expect((err as InputError).message).toContain("lists dbo.Employee's column Emp_Name after Emp_City, and the data file's catalog has Emp_Name first (catalog order: Emp_Id, Emp_Name, Emp_City, Emp_Age)");
  });

  it('the table\'s own order decodes (Emp_Name xsass, Emp_City Bangalore among the 3 deleted rows)', async () => {
    const rows = await scan('CREATE TABLE dbo.Employee (Emp_Id int NOT NULL PRIMARY KEY, Emp_Name varchar(max), Emp_City varchar(max), Emp_Age int)');
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual(expect.objectContaining({ Emp_Name: 'xsass', Emp_City: 'Bangalore' }));
  });
});

describe('a column dropped and added again under its name (a new, last column_id) is not "another order"', () => {
  const au = (ts: TableLayout[]) => ts.map((t) => ({ ...t, allocUnits: [{ allocUnitId: '7', type: 'IN_ROW_DATA' as const }] }));
  const before = 'CREATE TABLE dbo.T (id int NOT NULL PRIMARY KEY, code int NULL, note varchar(50) NULL);';
  it('the catalog still holds the dropped column: the layout of before is used (per-row warning), not refused (breaker: an ALTER COLUMN done as DROP + ADD)', async () => {
    const own = au(layoutsFromDdl(`${before}\nALTER TABLE dbo.T DROP COLUMN code;\nALTER TABLE dbo.T ADD code varchar(20) NULL;`));
    await expect(drain(withMetadata(fakeSource(catalogFromLayouts(own)), layoutsFromDdl(before)))).resolves.toBeUndefined();
  });
  it('after a REBUILD removed the dropped column: refused, naming --accept-layout-drift, which uses it', async () => {
    const own = au(layoutsFromDdl('CREATE TABLE dbo.T (id int NOT NULL PRIMARY KEY, note varchar(50) NULL, code varchar(20) NULL);'));
    await expect(drain(withMetadata(fakeSource(catalogFromLayouts(own)), layoutsFromDdl(before)))).rejects.toMatchObject({ code: 'INPUT_LAYOUT_CONTRADICTS_CATALOG', message: expect.stringContaining('rerun with --accept-layout-drift') });
    await expect(drain(withMetadata(fakeSource(catalogFromLayouts(own)), layoutsFromDdl(before), { acceptReordered: true }))).resolves.toBeUndefined();
  });
});

describe('column order is compared in column_id order, not the layouts\' physical order', () => {
  it('a clustered key on a later column (stored first) is not "another order" (SYNTHETIC layouts from one script)', async () => {
    const ddl = 'CREATE TABLE dbo.T (A int NOT NULL, B int NOT NULL, C varchar(10) NULL);\nCREATE CLUSTERED INDEX cx ON dbo.T (B);';
    const own = layoutsFromDdl(ddl).map((t) => ({ ...t, allocUnits: [{ allocUnitId: '7', type: 'IN_ROW_DATA' as const }] }));
    const s = withMetadata(fakeSource(catalogFromLayouts(own)), layoutsFromDdl(ddl));
    await expect(drain(s)).resolves.toBeUndefined();
    const swapped = withMetadata(fakeSource(catalogFromLayouts(own)), layoutsFromDdl('CREATE TABLE dbo.T (B int NOT NULL, A int NOT NULL, C varchar(10) NULL);\nCREATE CLUSTERED INDEX cx ON dbo.T (B);'));
    await expect(drain(swapped)).rejects.toMatchObject({ code: 'INPUT_LAYOUT_CONTRADICTS_CATALOG' });
  });
});

/**
 * --ddl with a data file whose catalog is damaged (a zeroed sys.sysschobjs page: the table's
 * allocation units unknown) was refused 'nothing maps dbo.Employee to one: … or add --mdf/--bak',
 * the --mdf having been given. The refusal names the damage and the pages (SYNTHETIC skipped item).
 */
describe('withMetadata: a damaged catalog that maps nothing is named in the refusal', () => {
  it("names the damaged system table and page, not 'add --mdf/--bak'", async () => {
    const src = { ...fakeSource(catalogFromLayouts([layout('Other', '333')])), skipped: () => [{ code: 'FORMAT_BROKEN_CHAIN', reason: 'page 1:161 is missing or damaged', location: { page: '1:161', table: 'sys.sysschobjs' } }] } as unknown as RecoverySource;
    const err = await withMetadata(src, [layout('Employee')]).metadata().catch((e: unknown) => e as Error);
    expect(String((err as Error).message)).toMatch(/catalog is damaged \(sys\.sysschobjs; pages 1:161\)/);
    expect(String((err as Error).message)).not.toMatch(/add --mdf\/--bak/);
    // an undamaged data file without the table: said so, with its tables ('add --mdf/--bak' was
    // untrue there: the data file had been given; newcomer trial)
    await expect(withMetadata(fakeSource(catalogFromLayouts([layout('Other', '333')])), [layout('Employee')]).metadata()).rejects.toThrow(
      /dbo\.Employee is not in the data file's catalog \(its tables: dbo\.Other\), so nothing maps it to one: check the name in the script, give the data file of the database the table is in, or give --alloc-unit ID for a table since dropped$/,
    );
    // no data file at all: the advice to add one stays
    await expect(withMetadata(fakeSource(null), [layout('Employee')]).metadata()).rejects.toThrow(/or add --mdf\/--bak/);
  });
});
