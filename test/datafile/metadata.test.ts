import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { bootPageOf } from '../../src/datafile/metadata.js';
import { readSystemTables } from '../../src/datafile/system-tables.js';
import { BOOTSTRAP_LAYOUTS, SystemObjectId } from '../../src/datafile/system-row.js';
import { collationNameForId } from '../../src/reconstruct/collation-ids.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { describeDataFile } from '../../src/datafile/describe.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/** Every corpus data file, its dbi_version (corpus README: 655 = 2008, 706 = 2012, 852 = 2016) and its user tables. */
const FILES: Array<{ path: string[]; version: number; createVersion: number; tables: Record<string, number> }> = [
  {
    path: ['SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'],
    version: 655,
    createVersion: 539,
    tables: {
      'dbo.Categories': 8, 'dbo.CustomerCustomerDemo': 0, 'dbo.CustomerDemographics': 0, 'dbo.Customers': 91,
      'dbo.Employees': 9, 'dbo.EmployeeTerritories': 49, 'dbo.Order Details': 2155, 'dbo.Orders': 830,
      'dbo.Products': 77, 'dbo.Region': 4, 'dbo.Shippers': 3, 'dbo.Suppliers': 29, 'dbo.Territories': 53,
    },
  },
  { path: ['sql-practice-asp', 'App_Data', 'School.mdf'], version: 852, createVersion: 706, tables: { 'dbo.Classes': 9, 'dbo.Courses': 5, 'dbo.Instructors': 4, 'dbo.Students': 5 } },
  { path: ['AngularJs_CRUD', 'App_Data', 'Database1.mdf'], version: 706, createVersion: 706, tables: {} },
  { path: ['CRUD-.NET', 'App_Data', 'Database.mdf'], version: 706, createVersion: 706, tables: {} },
  { path: ['CRUD-.NET', 'App_Data', 'Database2.mdf'], version: 706, createVersion: 706, tables: {} },
];

describeCorpus('data-file metadata from the system base tables', () => {
  it.each(FILES)('$path.2: boot-page version, user tables, row counts = rows read from the pages', ({ path, version, createVersion, tables }) => {
    const src = new MdfPageSource(corpusPath(...path));
    try {
      const md = readDataFileMetadata(src);
      expect(md.database.version).toBe(version);
      expect(md.database.createVersion).toBe(createVersion);
      expect(md.database.collation).toBe('SQL_Latin1_General_CP1_CI_AS');
      expect(md.skipped).toEqual([]);
      expect(md.tables.length).toBeGreaterThan(0);
      if (Object.keys(tables).length) expect(md.rowCounts).toEqual(tables);
      for (const t of md.tables) {
        expect(t.schema).toBe('dbo');
        expect(t.columns.length).toBeGreaterThan(0);
        expect(t.allocUnits?.some((a) => a.type === 'IN_ROW_DATA')).toBe(true);
        // every table's pages read without a skipped item, and give the row count sysrowsets keeps
        const skipped: SkippedItem[] = [];
        const n = [...readTableRows(src, md, `${t.schema}.${t.name}`, { skipped })].length;
        expect(skipped).toEqual([]);
        expect(n, `${t.schema}.${t.name}`).toBe(md.rowCounts[`${t.schema}.${t.name}`]);
      }
      // the catalog the recovery pipeline takes: per partition (files.ts), each allocation unit to its own partition's layout
      const cat = catalogFromLayouts(md.partitionLayouts);
      expect(md.partitionLayouts.length).toBe([...md.details.values()].reduce((n, d) => n + d.partitions.length, 0));
      for (const t of md.tables) {
        expect(cat.byName(`${t.schema}.${t.name}`)?.allocUnits).toEqual(t.allocUnits);
        for (const au of t.allocUnits!) {
          const p = md.details.get(`${t.schema}.${t.name}`)!.partitions.find((x) => x.allocUnits.some((a) => a.allocUnitId === au.allocUnitId))!;
          expect(cat.byAllocUnit(au.allocUnitId)).toBe(p.layout);
        }
      }
    } finally {
      src.close();
    }
  });

  it.each(FILES)('$path.2: the hard-coded bootstrap layouts equal what sysrscols says about those tables', ({ path }) => {
    const src = new MdfPageSource(corpusPath(...path));
    try {
      const reader = new PageReader(src);
      const st = readSystemTables(reader, bootPageOf(reader), []);
      for (const [name, id] of [['sysallocunits', SystemObjectId.sysallocunits], ['sysrowsets', SystemObjectId.sysrowsets], ['sysrscols', SystemObjectId.sysrscols]] as const) {
        const fromFile = st.layoutOf(id, [], name)!;
        const hard = BOOTSTRAP_LAYOUTS[name];
        // a version may have fewer trailing columns (dbfragid is absent from 2012's sysallocunits and sysrscols)
        expect(fromFile.columns.length).toBeLessThanOrEqual(hard.columns.length);
        fromFile.columns.forEach((c, i) => {
          expect([hard.columns[i].leafOffset, hard.columns[i].leafNullBit], `${name}.${hard.columns[i].name}`).toEqual([c.leafOffset, c.leafNullBit]);
        });
      }
    } finally {
      src.close();
    }
  });

  it('School.mdf: a dropped column, a varchar column in Chinese_Taiwan_Stroke_CI_AS (code page 950)', () => {
    const src = new MdfPageSource(corpusPath('sql-practice-asp', 'App_Data', 'School.mdf'));
    try {
      const md = readDataFileMetadata(src);
      const students = md.tables.find((t) => t.name === 'Students')!;
      const name = students.columns.find((c) => c.name === 'name')!;
      expect(name).toMatchObject({ type: 'varchar', maxLength: 12, collation: 'Chinese_Taiwan_Stroke_CI_AS', codePage: 950, leafOffset: -3, leafNullBit: 5 });
      expect(students.columns.filter((c) => c.isDropped)).toHaveLength(1);
      expect(students.columns.find((c) => c.name === 'sid')).toMatchObject({ type: 'char', maxLength: 4, nullable: false, keyOrdinal: 1 });
    } finally {
      src.close();
    }
  });

  it('describeDataFile: what `rowback inspect` shows for a data file', () => {
    const d = describeDataFile(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    expect(d).toMatchObject({ kind: 'data-file', version: 655, createVersion: 539, product: 'SQL Server 2008' });
    expect(d.tables.find((t) => t.name === 'dbo.Orders')).toMatchObject({ rows: 830, indexId: 1 });
  });
});

describeCorpus('a damaged page in a table: counted, skipped, the walk goes on', () => {
  it('dbo.Orders with one torn leaf page: the other pages are read (leaf chain, then the IAM), the page is reported', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    const first = md.details.get('dbo.Orders')!.partitions[0].allocUnits[0].firstPage;
    // the second leaf page of the chain, torn in memory
    const second = new PageReader(base).get(first)!.header.nextPage;
    const copy = new Uint8Array(base.readPage(second.fileId, second.pageId)!);
    copy[3 * 512 + 511] ^= 0x03;
    const src = new OverlayPageSource(base, new Map([[`${second.fileId}:${second.pageId}`, copy]]));
    const skipped: SkippedItem[] = [];
    const rows = [...readTableRows(src, md, 'dbo.Orders', { skipped })];
    const lost = new PageReader(base).get(second)!.header.slotCount;
    expect(rows.length).toBe(830 - lost);
    expect(skipped.map((s) => s.code)).toContain('FORMAT_TORN_PAGE');
    expect(skipped.map((s) => s.code)).toContain('FORMAT_BROKEN_CHAIN');
    expect(skipped.find((s) => s.code === 'FORMAT_TORN_PAGE')!.location.page).toBe(`${second.fileId}:${second.pageId}`);
    src.close();
  });

  it('dbo.Orders with its IAM page destroyed: every page of the file is scanned for the unit instead', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    const au = md.details.get('dbo.Orders')!.partitions[0].allocUnits[0];
    const first = au.firstPage;
    const second = new PageReader(base).get(first)!.header.nextPage;
    const zero = new Uint8Array(8192);
    const src = new OverlayPageSource(
      base,
      new Map([
        [`${au.firstIam.fileId}:${au.firstIam.pageId}`, zero],
        [`${second.fileId}:${second.pageId}`, zero],
      ]),
    );
    const skipped: SkippedItem[] = [];
    const rows = [...readTableRows(src, md, 'dbo.Orders', { skipped })];
    const lost = new PageReader(base).get(second)!.header.slotCount;
    expect(rows.length).toBe(830 - lost);
    expect(skipped.map((s) => s.code)).toContain('FORMAT_BROKEN_IAM');
    // only this table's pages are reported, not the damaged pages of other units the scan passes
    expect(new Set(skipped.map((s) => s.code))).toEqual(new Set(['FORMAT_BAD_PAGE', 'FORMAT_BROKEN_CHAIN', 'FORMAT_BROKEN_IAM']));
    expect(skipped.filter((s) => s.code === 'FORMAT_BAD_PAGE').map((s) => s.location.page).sort()).toEqual(
      [`${au.firstIam.fileId}:${au.firstIam.pageId}`, `${second.fileId}:${second.pageId}`].sort(),
    );
    src.close();
  });
});

it('collation ids → names (ids as COLLATIONPROPERTY(name, \'CollationID\') reports them)', () => {
  expect(collationNameForId(872468488)).toBe('SQL_Latin1_General_CP1_CI_AS');
  expect(collationNameForId(53256)).toBe('Latin1_General_CI_AS');
  expect(collationNameForId(4104)).toBe('Latin1_General_CI_AS_KS_WS');
  expect(collationNameForId(65544)).toBe('Latin1_General_BIN');
  expect(collationNameForId(53284)).toBe('Chinese_PRC_CI_AS');
  expect(collationNameForId(53251)).toBe('Chinese_Taiwan_Stroke_CI_AS');
  expect(collationNameForId(520142856)).toBe('SQL_Latin1_General_CP437_CS_AS');
  expect(collationNameForId(0x7fffffff)).toBeNull();
});

describeCorpus('ghost records', () => {
  it('a record whose status says GHOST_DATA is left out by default and reported with ghost: true with includeGhosts (status byte changed in memory: synthetic)', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    const first = md.details.get('dbo.Shippers')!.partitions[0].allocUnits[0].firstPage;
    const vp = new PageReader(base).get(first)!;
    // the verified (torn-bits restored) page, with record 1's type changed from PRIMARY (0) to GHOST_DATA (6)
    const copy = new Uint8Array(vp.bytes);
    const off = new DataView(copy.buffer).getUint16(8192 - 2 - 2, true);
    copy[off] = (copy[off] & ~0x0e) | (6 << 1);
    // the page was torn-bit protected: mark it unprotected so the edited copy verifies as it is
    new DataView(copy.buffer).setUint16(4, vp.header.flagBits & ~0x0300, true);
    new DataView(copy.buffer).setUint32(60, 0, true); // m_tornBits 0: unprotected (a value there with no flag reads as a damaged flag)
    const src = new OverlayPageSource(base, new Map([[`${first.fileId}:${first.pageId}`, copy]]));
    const plain = [...readTableRows(src, md, 'dbo.Shippers')];
    expect(plain.map((r) => r.values.ShipperID)).toEqual([1, 3]);
    const all = [...readTableRows(src, md, 'dbo.Shippers', { includeGhosts: true })];
    expect(all.map((r) => [r.values.ShipperID, r.ghost])).toEqual([[1, false], [2, true], [3, false]]);
    expect(all[1].values.CompanyName).toBe('United Package');
    src.close();
  });
});

describeCorpus('metadata from the data pages inside a full backup', () => {
  it('RestoreTimeClean.bak (MQDA pages through openBackupPageSource): dbi_version 661, tables steps and table1', async () => {
    const { openBackupPageSource } = await import('../../src/backup/page-source.js');
    const src = openBackupPageSource(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'));
    try {
      const md = readDataFileMetadata(src);
      expect(md.database).toMatchObject({ name: 'RestoreTimeClean', version: 661, createVersion: 661, product: 'SQL Server 2008 R2' });
      expect(md.rowCounts).toEqual({ 'dbo.steps': 0, 'dbo.table1': 0 });
      expect(md.skipped).toEqual([]);
    } finally {
      src.close();
    }
  });
});

it('a source without file 1 (a secondary .ndf alone) is refused with FORMAT_NO_BOOT_PAGE naming the primary file', async () => {
  const { MemoryPageSource } = await import('../../src/datafile/mdf-source.js');
  const src = new MemoryPageSource('secondary.ndf', new Map([['3:0', new Uint8Array(8192)]]));
  expect(() => readDataFileMetadata(src)).toThrow(/primary data file \(file id 1\)/);
  try {
    readDataFileMetadata(src);
  } catch (e) {
    expect((e as { code: string }).code).toBe('FORMAT_NO_BOOT_PAGE');
  }
});

describeCorpus('forwarded records', () => {
  /** dbo.Shippers' one data page with its records rewritten in memory (SYNTHETIC), the table read as a heap or as what it is (clustered). */
  function shippers(edit: (copy: Uint8Array, slot: (i: number) => number, first: { fileId: number; pageId: number }) => void, asHeap: boolean) {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    const part = md.details.get('dbo.Shippers')!.partitions[0];
    if (asHeap) part.layout.indexId = 0;
    const first = part.allocUnits[0].firstPage;
    const vp = new PageReader(base).get(first)!;
    const copy = new Uint8Array(vp.bytes);
    const dv = new DataView(copy.buffer);
    edit(copy, (i) => dv.getUint16(8192 - 2 - 2 * i, true), first);
    dv.setUint16(4, vp.header.flagBits & ~0x0300, true);
    dv.setUint32(60, 0, true); // m_tornBits 0: unprotected (a value there with no flag reads as a damaged flag)
    const src = new OverlayPageSource(base, new Map([[`${first.fileId}:${first.pageId}`, copy]]));
    const skipped: SkippedItem[] = [];
    const rows = [...readTableRows(src, md, 'dbo.Shippers', { skipped })];
    src.close();
    return { rows, skipped, first };
  }
  const stubTo2 = (copy: Uint8Array, slot: (i: number) => number, first: { fileId: number; pageId: number }) => {
    const dv = new DataView(copy.buffer);
    copy[slot(0)] = 2 << 1; // FORWARDING_STUB
    dv.setUint32(slot(0) + 1, first.pageId, true);
    dv.setUint16(slot(0) + 5, first.fileId, true);
    dv.setUint16(slot(0) + 7, 2, true);
  };
  const forwarded2 = (copy: Uint8Array, slot: (i: number) => number) => {
    copy[slot(2)] = (copy[slot(2)] & ~0x0e) | (1 << 1); // FORWARDED
  };

  it('heap: a forwarding stub is followed to its forwarded record, which is not read twice', () => {
    const { rows, skipped, first } = shippers((c, slot, f) => { stubTo2(c, slot, f); forwarded2(c, slot); }, true);
    expect(rows.map((r) => [r.values.ShipperID, r.slot, r.forwardedFrom ?? null])).toEqual([
      [3, 2, `${first.fileId}:${first.pageId}:0`],
      [2, 1, null],
    ]);
    // the stub took the place of ShipperID 1's record: 2 rows on the page, the count (rcrows) says 3
    expect(skipped.map((s) => s.code)).toEqual(['FORMAT_ROW_COUNT_MISMATCH']);
  });

  // one changed status byte made a primary record read as forwarded (skipped: reached through a stub
  // that does not exist) or as an index record (skipped as not a data row): a row lost with no word
  it('heap: a forwarded record no stub points at is reported (FORMAT_BAD_FORWARD), not passed over', () => {
    const { rows, skipped, first } = shippers((c, slot) => forwarded2(c, slot), true);
    expect(rows.map((r) => r.values.ShipperID)).toEqual([1, 2]);
    expect(skipped.map((s) => [s.code, s.reason])).toEqual([
      ['FORMAT_BAD_FORWARD', `forwarded record ${first.fileId}:${first.pageId}:2 has no forwarding stub of dbo.Shippers pointing at it, so its row is not printed: the stub, or this record's status byte, is damaged`],
    ]);
  });

  it.each([
    ['a forwarding stub in a clustered index', (c: Uint8Array, slot: (i: number) => number, f: { fileId: number; pageId: number }) => stubTo2(c, slot, f), 'a forwarding stub (only heaps forward rows)', 0],
    ['a forwarded record in a clustered index', (c: Uint8Array, slot: (i: number) => number) => forwarded2(c, slot), 'a forwarded record (only heaps forward rows)', 2],
    ['an index record on a data page', (c: Uint8Array, slot: (i: number) => number) => { c[slot(1)] = (c[slot(1)] & ~0x0e) | (3 << 1); }, 'an index record', 1],
    ['a LOB fragment on a data page', (c: Uint8Array, slot: (i: number) => number) => { c[slot(1)] = (c[slot(1)] & ~0x0e) | (4 << 1); }, 'a LOB fragment', 1],
    ['a ghost forwarded record in a clustered index', (c: Uint8Array, slot: (i: number) => number) => { c[slot(1) + 1] |= 0x01; }, 'a ghost forwarded record (status byte B 0x01; only heaps forward rows)', 1],
  ])('%s: FORMAT_BAD_RECORD naming the slot, the row not printed', (_name, edit, what, damagedSlot) => {
    const { rows, skipped, first } = shippers(edit, false);
    expect(rows).toHaveLength(2);
    expect(skipped.map((s) => s.code)).toEqual(['FORMAT_BAD_RECORD']);
    expect(skipped[0]!.reason).toMatch(new RegExp(`^slot ${damagedSlot} of data page ${first.fileId}:${first.pageId} has the record type of ${what.replace(/[()]/g, '\\$&')} \\(status byte 0x[0-9a-f]{2}\\), which dbo.Shippers's data pages never hold: the status byte is damaged, so its row is not printed$`));
  });

  it('(the same page as it is: three rows, nothing skipped)', () => {
    const { rows, skipped } = shippers(() => {}, false);
    expect(rows.map((r) => r.values.ShipperID)).toEqual([1, 2, 3]);
    expect(skipped).toEqual([]);
  });
});

describeCorpus('pages no longer in the table', () => {
  it('a data page unlinked from the leaf chain (pointer edited in memory: synthetic) is not current, but its rows come back as remnants', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    const first = md.details.get('dbo.Orders')!.partitions[0].allocUnits[0].firstPage;
    const reader = new PageReader(base);
    const p1 = reader.get(first)!;
    const second = p1.header.nextPage;
    const p2 = reader.get(second)!;
    // page 1 now links straight to page 3, as if page 2 had been emptied and deallocated
    const copy = new Uint8Array(p1.bytes);
    const dv = new DataView(copy.buffer);
    dv.setUint32(16, p2.header.nextPage.pageId, true);
    dv.setUint16(20, p2.header.nextPage.fileId, true);
    dv.setUint16(4, p1.header.flagBits & ~0x0300, true);
    dv.setUint32(60, 0, true); // m_tornBits 0: unprotected (a value there with no flag reads as a damaged flag)
    const src = new OverlayPageSource(base, new Map([[`${first.fileId}:${first.pageId}`, copy]]));
    const current = [...readTableRows(src, md, 'dbo.Orders')];
    expect(current).toHaveLength(830 - p2.header.slotCount);
    const all = [...readTableRows(src, md, 'dbo.Orders', { includeRemnants: true })];
    const remnants = all.filter((r) => r.remnant);
    expect(remnants).toHaveLength(p2.header.slotCount);
    expect(new Set(remnants.map((r) => r.page))).toEqual(new Set([`${second.fileId}:${second.pageId}`]));
    expect(new Set([...current, ...remnants].map((r) => r.values.OrderID)).size).toBe(830);
    src.close();
  });
});
