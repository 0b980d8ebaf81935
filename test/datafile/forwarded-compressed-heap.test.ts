/**
 * A ROW/PAGE-compressed heap's forwarding stub, followed to its forwarded record (table-rows.ts
 * recordAt). Two faults of the old code, both SYNTHETIC (no compressed table is in the corpus): the
 * forwarded record was cut by FixedVar's header rules though it is a CD record, and a forwarded
 * record on a page carrying a compression-information record (m_typeFlagBits 0x80: anchor prefixes
 * and a page dictionary) was decoded as it stood, its prefix-encoded values printed as values with
 * no word, while that page's own records are refused (FORMAT_PAGE_COMPRESSED). Built on NORTHWND.MDF's
 * dbo.Shippers page, its records rewritten in memory as CD records, the table read as a ROW-compressed heap.
 * Third: a CD forwarded record no stub points at was left out of that check when its column count
 * (byte 1, read as FixedVar's status byte B) was odd.
 */
import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { PAGE_HAS_COMPRESSION_INFO } from '../../src/datafile/page.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/** A CD record (header 0x01 | type << 2) of (ShipperID, CompanyName, Phone): int 1 byte, two 3-character nvarchar (Latin, odd length: one byte a character). */
function cdRow(type: number, id: number, name: string, phone: string): number[] {
  return [0x01 | (type << 2), 3, 0x42, 0x04, 0x80 | id, ...Buffer.from(name, 'latin1'), ...Buffer.from(phone, 'latin1')];
}

/** The Shippers page `model` rewritten: page id `at`, its records `records` in slots 0.. (stale 0xff bytes in the free space after them), unprotected (no checksum, no torn bits), `typeFlagBits` set. */
function pageWith(model: Uint8Array, at: { fileId: number; pageId: number }, records: number[][], typeFlagBits = 0): Uint8Array {
  const p = new Uint8Array(model);
  const dv = new DataView(p.buffer);
  // the free space holds stale bytes, as after deleted or moved rows
  p.fill(0xff, 96, 8000);
  let off = 96;
  records.forEach((r, i) => {
    p.set(r, off);
    dv.setUint16(8192 - 2 - 2 * i, off, true);
    off += r.length;
  });
  p[2] = typeFlagBits;
  dv.setUint16(22, records.length, true); // m_slotCnt
  dv.setUint16(30, off, true); // m_freeData
  dv.setUint16(28, 8192 - off - 2 * records.length, true); // m_freeCnt
  dv.setUint32(32, at.pageId, true);
  dv.setUint16(36, at.fileId, true);
  dv.setUint16(4, dv.getUint16(4, true) & ~0x0300, true);
  dv.setUint32(60, 0, true); // m_tornBits 0: unprotected
  return p;
}

describeCorpus('a compressed heap: forwarding stub to a forwarded CD record', () => {
  function read(targetFlags: number, forwarded: number[], homeRecords?: number[][]) {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    try {
      const md = readDataFileMetadata(base);
      const part = md.details.get('dbo.Shippers')!.partitions[0];
      part.layout.indexId = 0;
      part.layout.compression = 'ROW';
      const first = part.allocUnits[0].firstPage;
      const model = new PageReader(base).get(first)!.bytes;
      const target = { fileId: first.fileId, pageId: first.pageId + 1 };
      const s = Buffer.alloc(9);
      s[0] = 0x01 | (2 << 2); // CD forwarding stub
      s.writeUInt32LE(target.pageId, 1);
      s.writeUInt16LE(target.fileId, 5);
      s.writeUInt16LE(0, 7);
      const home = pageWith(model, first, homeRecords ?? [[...s], cdRow(0, 2, 'Two', '222'), cdRow(0, 3, 'Thr', '333')]);
      const away = pageWith(model, target, [forwarded], targetFlags);
      const src = new OverlayPageSource(base, new Map([[`${first.fileId}:${first.pageId}`, home], [`${target.fileId}:${target.pageId}`, away]]));
      const skipped: SkippedItem[] = [];
      const rows = [...readTableRows(src, md, 'dbo.Shippers', { skipped })];
      return { rows, skipped, target: `${target.fileId}:${target.pageId}`, home: `${first.fileId}:${first.pageId}` };
    } finally {
      base.close();
    }
  }

  it('a forwarded record on a page-compressed page (CI flag 0x80) is refused, naming that page, not printed with its prefixes read as values', () => {
    // 'One' stored as an anchor prefix: [prefix length 2]['e'] would read as '\u0002e' without the anchor
    const fwd = [0x01 | (4 << 2), 3, 0x32, 0x04, 0x81, 0x02, 0x65, ...Buffer.from('111', 'latin1')];
    const { rows, skipped, target } = read(PAGE_HAS_COMPRESSION_INFO, fwd);
    expect(rows.map((r) => r.values.ShipperID)).toEqual([2, 3]);
    const pc = skipped.filter((s) => s.code === 'FORMAT_PAGE_COMPRESSED');
    expect(pc.map((s) => s.location.page)).toEqual([target]);
    expect(pc[0]!.reason).toMatch(/anchor prefixes and dictionary symbols are not applied/);
  });

  it('a forwarded CD record is read to the next record or the free space, not cut by FixedVar rules', () => {
    // 'Federal Shipping' in the long-data region (16 Latin characters + the 0x10 marker). Its header
    // 0x31 read as a FixedVar status byte has a null bitmap and variable columns, and its "fixed end"
    // u16 @2 is the CD array (0x04a2): the old FixedVar length ran into the free space's stale 0xff
    // bytes and threw, and the row was skipped as a stub pointing at a record that "cannot be read"
    const name = [...Buffer.from('Federal Shipping', 'latin1'), 0x10];
    const fwd = [0x01 | (4 << 2) | 0x20, 3, 0xa2, 0x04, 0x81, ...Buffer.from('111', 'latin1'), 0x01, 0x01, 0x00, name.length, 0x00, ...name];
    const { rows, skipped } = read(0, fwd);
    expect(rows.map((r) => [r.values.ShipperID, r.values.CompanyName, r.values.Phone, r.forwardedFrom !== undefined])).toEqual([
      [1, 'Federal Shipping', '111', true],
      [2, 'Two', '222', false],
      [3, 'Thr', '333', false],
    ]);
    expect(skipped.filter((s) => s.code !== 'FORMAT_ROW_COUNT_MISMATCH')).toEqual([]);
  });

  it('a forwarded CD record no stub points at is reported (FORMAT_BAD_FORWARD), whatever its column count', () => {
    // CD type 4 (forwarded) in slot 2, 3 columns: byte 1 (the column count, 3) was read as FixedVar's
    // status byte B, whose 0x01 (ghost forwarded) kept the record out of the stub check
    const { rows, skipped, home } = read(0, cdRow(0, 9, 'Nin', '999'), [cdRow(0, 1, 'One', '111'), cdRow(0, 2, 'Two', '222'), cdRow(4, 3, 'Thr', '333')]);
    expect(rows.map((r) => r.values.ShipperID)).toEqual([1, 2]);
    expect(skipped.filter((s) => s.code === 'FORMAT_BAD_FORWARD').map((s) => s.reason)).toEqual([
      `forwarded record ${home}:2 has no forwarding stub of dbo.Shippers pointing at it, so its row is not printed: the stub, or this record's status byte, is damaged`,
    ]);
  });
});
