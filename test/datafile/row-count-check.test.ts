/**
 * A table's rows read from its pages against the count SQL Server keeps for each partition
 * (sysrowsets.rcrows). Pages of a database not on PAGE_VERIFY CHECKSUM carry no checksum, so a
 * changed page header, slot array or record status byte loses rows with no check seeing it: before
 * this check `rowback dump --table dbo.Orders` printed 788 of NORTHWND.MDF's 830 orders, exit 0, not a
 * word, when page 1:205's m_type read 2 (index page) instead of 1 (a diff would have named those 42
 * rows missing from the later state, to be re-inserted while they are in the table).
 *
 * A slot array entry repeating another slot's offset (the count holds, a row is printed twice and one
 * lost) is refused by the page walk (datafile/walk.ts pageRecords).
 *
 * Real NORTHWND.MDF (torn-page protection only), one data page of dbo.Orders changed in memory at
 * run time (OverlayPageSource), its protection flags cleared as the forwarded-record tests do.
 */
import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('rows read against the partition row count (NORTHWND.MDF dbo.Orders)', () => {
  /** dbo.Orders read with its first data page changed by `edit` (null: as it is). */
  function orders(edit: ((copy: Uint8Array, dv: DataView, slot: (i: number) => number) => void) | null) {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    const md = readDataFileMetadata(base);
    let src: MdfPageSource | OverlayPageSource = base;
    if (edit) {
      const first = md.details.get('dbo.Orders')!.partitions[0].allocUnits[0].firstPage;
      const vp = new PageReader(base).get(first)!;
      const copy = new Uint8Array(vp.bytes);
      const dv = new DataView(copy.buffer);
      edit(copy, dv, (i) => dv.getUint16(8192 - 2 - 2 * i, true));
      dv.setUint16(4, dv.getUint16(4, true) & ~0x0300, true);
      dv.setUint32(60, 0, true);
      src = new OverlayPageSource(base, new Map([[`${first.fileId}:${first.pageId}`, copy]]));
    }
    const skipped: SkippedItem[] = [];
    const rows = [...readTableRows(src, md, 'dbo.Orders', { skipped })];
    src.close();
    return { rows, skipped };
  }

  it('as it is: 830 rows, the count, no item', () => {
    const { rows, skipped } = orders(null);
    expect(rows).toHaveLength(830);
    expect(skipped).toEqual([]);
  });

  it.each([
    ['its m_type read as an index page', (c: Uint8Array) => { c[1] = 2; }, 788],
    ['its m_level read as 1', (c: Uint8Array) => { c[3] = 1; }, 788],
    ['its slot count one short', (_c: Uint8Array, dv: DataView) => dv.setUint16(22, dv.getUint16(22, true) - 1, true), 829],
    ['a record status byte read as ghost data', (c: Uint8Array, _dv: DataView, slot: (i: number) => number) => { c[slot(5)] = (c[slot(5)] & ~0x0e) | (6 << 1); }, 829],
  ])('a data page with %s: the rows left out are said (FORMAT_ROW_COUNT_MISMATCH naming both counts)', (_name, edit, read) => {
    const { rows, skipped } = orders(edit);
    expect(rows).toHaveLength(read);
    expect(skipped.map((s) => s.code)).toEqual(['FORMAT_ROW_COUNT_MISMATCH']);
    expect(skipped[0].location.table).toBe('dbo.Orders');
    expect(skipped[0].reason).toMatch(new RegExp(`^dbo\\.Orders: ${read} row\\(s\\) read from its pages, but the database counts 830 \\(sysrowsets\\.rcrows`));
  });

  // Nor this one: status byte A's bit 0x20 (variable-length columns) cleared printed order 10253's six
  // variable-length columns ('Hanari Carnes', 'Rua do Paço, 67', …) as '' with no word.
  it('a record whose status byte lost bit 0x20 while a variable-column block follows it: a row warning naming the columns read as empty', () => {
    const { rows, skipped } = orders((c, _dv, slot) => { c[slot(5)] &= ~0x20; });
    expect(rows).toHaveLength(830);
    expect(skipped).toEqual([]);
    const r = rows.find((x) => x.values.OrderID === 10253)!;
    expect(r.values.ShipName).toBe('');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^status byte 0x10 says the record has no variable-length columns \(bit 0x20 clear\), so ShipName, ShipAddress, ShipCity, ShipRegion, ShipPostalCode, ShipCountry read as empty, yet the bytes after it on the page read as a variable-column block of 6 column\(s\)/);
    expect(rows.filter((x) => x.warnings.length)).toHaveLength(1);
  });

  // The count cannot tell this one: a slot repeating another slot's offset printed that row twice and
  // lost the row its own record held (830 rows, one of them twice). A record is in one slot only.
  it('a slot pointing at the record of another slot: FORMAT_BAD_RECORD naming both slots, the row printed once', () => {
    const { rows, skipped } = orders((_c, dv, slot) => dv.setUint16(8192 - 2 - 2 * 6, slot(5), true));
    expect(rows).toHaveLength(829);
    expect(new Set(rows.map((r) => r.values.OrderID)).size).toBe(829);
    expect(skipped.map((s) => [s.code, s.location.slot ?? null])).toEqual([['FORMAT_BAD_RECORD', null]]);
    expect(skipped[0].reason).toMatch(/^slot 6 points at offset \d+, the record of slot 5: a record is in one slot only/);
  });
});
