import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import type { PageSource } from '../../src/datafile/page-source.js';
import { slotOffset } from '../../src/datafile/page.js';
import { resolveLoggedRowLobs, readTableRows } from '../../src/datafile/table-rows.js';
import { leafChain, pageRecords } from '../../src/datafile/walk.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { isPagedOffRow, type PagedOffRow, type SqlValue } from '../../src/reconstruct/values.js';
import { recoverRows } from '../../src/recover/recover-rows.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { openFileSource } from '../../src/recover/sources/files.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { editedPage } from '../support/edited-page.js';

/**
 * Off-row values of rows that only the log still holds: the logged row image carries a pointer; the
 * value is read from the data-file/backup pages only while every LOB fragment carries the pointer's
 * blob id. The corpus has no deleted row with a LOB whose log rowback can read (NORTHWND's and
 * School's logs hold no user rows, AngularJs_CRUD's deletes have no LOB column, Tractis' 2005 log is
 * not read yet), so the real-bytes proofs use logged INSERT images (same record format and pointers)
 * and real live records treated as logged images; "gone" cases damage real pages in memory (SYNTHETIC).
 */

function markerOf(v: SqlValue): PagedOffRow {
  expect(isPagedOffRow(v)).toBe(true);
  return (v as { offRow: PagedOffRow }).offRow;
}

/** The first record of a table's first data page, decoded (the row image a delete of it would log). */
function firstRecord(src: PageSource, layout: TableLayout, first: { fileId: number; pageId: number }): { image: Uint8Array; values: Record<string, SqlValue> } {
  // no unit check: pages of 2000-created files carry 2000-style header ids
  for (const vp of leafChain(new PageReader(src), first, undefined, () => {})) {
    for (const r of pageRecords(vp, () => {})) {
      const image = new Uint8Array(r.bytes);
      return { image, values: decodeRow(image, layout).values };
    }
  }
  throw new Error('no record');
}

describeCorpus('off-row values of logged rows, from data-file/backup pages', () => {
  it('Database2: every logged INSERT of dbo.Product_mstr gets its text value from the .mdf, equal to the live row on the pages', async () => {
    const mdf = corpusPath('CRUD-.NET/App_Data/Database2.mdf');
    const src = openFileSource({ mdf, ldf: corpusPath('CRUD-.NET/App_Data/Database2_log.ldf') });
    const rows: RecoveredRow[] = [];
    for await (const ev of recoverRows(src, { operations: ['insert'] })) if (ev.kind === 'row') rows.push(ev.row);
    await src.close();
    expect(rows.length).toBeGreaterThan(0);
    const pages = new MdfPageSource(mdf);
    try {
      const md = readDataFileMetadata(pages);
      const live = new Map([...readTableRows(pages, md, 'dbo.Product_mstr')].map((r) => [r.values.pid, r.values.pimage]));
      for (const r of rows) {
        expect(typeof r.values.pimage, r.lsn).toBe('string');
        expect(r.values.pimage, r.lsn).toBe(live.get(r.values.pid));
        expect(r.warnings.some((w) => /pimage: off-row value .* read from the pages of Database2\.mdf at 1:279 slot \d+: every LOB fragment still carries/.test(w))).toBe(true);
      }
    } finally {
      pages.close();
    }
  });

  it('Database2 (SYNTHETIC damage of page 1:279): overwritten root, emptied slot, missing page → marker kept with the reason', () => {
    const base = new MdfPageSource(corpusPath('CRUD-.NET/App_Data/Database2.mdf'));
    try {
      const md = readDataFileMetadata(base);
      const layout = md.details.get('dbo.Product_mstr')!.layout;
      const au = md.details.get('dbo.Product_mstr')!.partitions[0].allocUnits[0];
      const { image, values } = firstRecord(base, layout, au.firstPage);
      const m = markerOf(values.pimage);
      const [fileId, pageId] = m.page.split(':').map(Number);
      const resolve = (src: PageSource) => {
        const warnings: string[] = [];
        const out = resolveLoggedRowLobs(new PageReader(src), image, layout, values, warnings, 'test pages');
        return { out, warnings };
      };
      // intact: the value
      expect(typeof resolve(base).out.pimage).toBe('string');
      // a log record later than the LOB root page's m_lsn: the warning says an in-place change would not show
      const late: string[] = [];
      resolveLoggedRowLobs(new PageReader(base), image, layout, values, late, 'p', 'ffffffff:ffffffff:ffff');
      expect(late.join('\n')).toMatch(new RegExp(`pimage: its LOB root page ${m.page} was last written at [0-9a-f:]+, before this log record \\(ffffffff:ffffffff:ffff\\)`));
      const early: string[] = [];
      resolveLoggedRowLobs(new PageReader(base), image, layout, values, early, 'p', '00000000:00000000:0000');
      expect(early.join('\n')).not.toMatch(/last written at/);
      const cases: Array<[string, (p: Uint8Array) => void, RegExp]> = [
        ['root carries another blob id', (p) => { p[slotOffset(p, m.slot) + 6] ^= 0xff; }, /^FORMAT_LOB_OVERWRITTEN: .*now belongs to another value/],
        ['slot emptied', (p) => { new DataView(p.buffer).setUint16(8192 - 2 - 2 * m.slot, 0, true); }, /^FORMAT_BAD_LOB: slot \d+ is empty/],
      ];
      for (const [what, edit, re] of cases) {
        const src = new OverlayPageSource(base, new Map([[m.page, editedPage(base, fileId, pageId, edit)]]));
        const { out, warnings } = resolve(src);
        const after = markerOf(out.pimage);
        expect(after.unavailable, what).toMatch(re);
        expect([after.page, after.slot]).toEqual([m.page, m.slot]);
        expect(warnings.join('\n'), what).toContain(`pimage: off-row value at ${m.page} slot ${m.slot} not recovered`);
      }
      const gone = new OverlayPageSource(base, new Map([[m.page, new Uint8Array(8192)]]));
      expect(markerOf(resolve(gone).out.pimage).unavailable).toMatch(/^FORMAT_BAD_LOB: LOB page .* missing or damaged/);
    } finally {
      base.close();
    }
  });

  it('NORTHWND Employees.Photo (3 DATA fragments): read through the pointer; a DATA fragment (not the root) reused by another value (SYNTHETIC) is refused', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'));
    try {
      const md = readDataFileMetadata(base);
      const d = md.details.get('dbo.Employees')!;
      const { image, values } = firstRecord(base, d.layout, d.partitions[0].allocUnits[0].firstPage);
      const live = [...readTableRows(base, md, 'dbo.Employees')].find((r) => r.values.EmployeeID === values.EmployeeID)!;
      const warnings: string[] = [];
      const out = resolveLoggedRowLobs(new PageReader(base), image, d.layout, values, warnings, 'NORTHWND.MDF');
      expect(out.Photo).toBe(live.values.Photo);
      expect(out.Notes).toBe(live.values.Notes);
      expect(String(out.Photo).length).toBeGreaterThan(2 * 16000);
      // the root's first link → a DATA fragment on another page; change that fragment's blob id
      const m = markerOf(values.Photo);
      const [rf, rp] = m.page.split(':').map(Number);
      const root = new PageReader(base).get({ fileId: rf, pageId: rp })!;
      const ro = slotOffset(root.bytes, m.slot);
      const linkPage = new DataView(root.bytes.buffer, root.bytes.byteOffset).getUint32(ro + 24 + 4, true);
      expect(linkPage).not.toBe(rp);
      const src = new OverlayPageSource(base, new Map([[`1:${linkPage}`, editedPage(base, 1, linkPage, (p) => { p[slotOffset(p, 0) + 7] ^= 0x01; })]]));
      const w2: string[] = [];
      const out2 = resolveLoggedRowLobs(new PageReader(src), image, d.layout, values, w2, 'NORTHWND.MDF');
      expect(markerOf(out2.Photo).unavailable).toMatch(new RegExp(`^FORMAT_LOB_OVERWRITTEN: the LOB root at 1:${linkPage} slot 0 now belongs to another value`));
      expect(out2.Notes).toBe(live.values.Notes);
    } finally {
      base.close();
    }
  });

  it('FinancialCrm sysdiagrams.definition (varbinary(max), in-row LOB root, 18,948 bytes): fragments carry 0000+root timestamp+0000; a changed one is refused (SYNTHETIC)', () => {
    const base = openBackupPageSource(corpusPath('FinancialCrm/FinancialCrmDb/FinancialCrmDb202501190233.bak'));
    try {
      const md = readDataFileMetadata(base);
      const d = md.details.get('dbo.sysdiagrams')!;
      const { image, values } = firstRecord(base, d.layout, d.partitions[0].allocUnits[0].firstPage);
      expect(markerOf(values.definition).kind).toBe('lob-root');
      const live = [...readTableRows(base, md, 'dbo.sysdiagrams')][0];
      const out = resolveLoggedRowLobs(new PageReader(base), image, d.layout, values, [], 'FinancialCrm.bak');
      expect(out.definition).toBe(live.values.definition);
      expect(String(out.definition).length).toBe(2 + 2 * 18948);
      const m = markerOf(values.definition);
      const [f, p] = m.page.split(':').map(Number);
      const src = new OverlayPageSource(base, new Map([[m.page, editedPage(base, f, p, (pg) => { pg[slotOffset(pg, m.slot) + 6] ^= 0x01; })]]));
      expect(markerOf(resolveLoggedRowLobs(new PageReader(src), image, d.layout, values, [], 'x').definition).unavailable).toMatch(/^FORMAT_LOB_OVERWRITTEN/);
    } finally {
      base.close();
    }
  });

  it('dump of live rows (SYNTHETIC: the LOB page 1:279 of Database2 zeroed): the marker stays, says why, and the skipped item names the column', () => {
    const base = new MdfPageSource(corpusPath('CRUD-.NET/App_Data/Database2.mdf'));
    try {
      const md = readDataFileMetadata(base);
      const src = new OverlayPageSource(base, new Map([['1:279', new Uint8Array(8192)]]));
      const skipped: import('../../src/recover/source.js').SkippedItem[] = [];
      const rows = [...readTableRows(src, md, 'dbo.Product_mstr', { skipped })];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        const m = markerOf(r.values.pimage);
        expect(m.page).toBe('1:279');
        expect(m.unavailable).toMatch(/^FORMAT_BAD_LOB: LOB page 1:279 is missing or damaged/);
      }
      expect(skipped.filter((s) => s.location.column === 'pimage').length).toBe(rows.length);
    } finally {
      base.close();
    }
  });
});
