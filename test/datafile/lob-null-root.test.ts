/**
 * A text/ntext/image value set to NULL: SQL Server keeps the row's 16-byte text pointer (the null
 * bitmap does not say NULL) and rewrites the LOB root record as type 8, "NULL" in DBCC PAGE, with the
 * old value's bytes left in it (StefanMaron/BusinessCentral.BakReader PROVENANCE.md, "Off-row
 * storage": validated against SELECT on a probe table and on 2,066 NULL values of one Business
 * Central table). Before, a live row's such value was refused ("unsupported LOB fragment type 8"),
 * the row counted incomplete; it is NULL. A logged row image whose root is now type 8 stays
 * unavailable (the value may have been set to NULL after the row was logged), and so does a type-8
 * record met below a root (it only ever stands for a whole value).
 *
 * Real pages: Database2.mdf dbo.Product_mstr (pimage text, roots on 1:279) and NORTHWND.MDF
 * Employees.Photo (a root linking DATA fragments); the type-8 rewrite is SYNTHETIC (the root's type
 * field at +12 set to 8 in memory, its bytes otherwise kept, as SQL Server leaves them).
 */
import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { slotOffset } from '../../src/datafile/page.js';
import { parseLobFragment } from '../../src/datafile/record.js';
import { readTableRows, resolveLoggedRowLobs } from '../../src/datafile/table-rows.js';
import { leafChain, pageRecords } from '../../src/datafile/walk.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { editedPage, offRowOf } from '../support/edited-page.js';

/** Sets the LOB record type (u16 at +12) of the record in `slot` to 8. */
const toNullRoot = (slot: number) => (p: Uint8Array) => {
  new DataView(p.buffer, p.byteOffset).setUint16(slotOffset(p, slot) + 12, 8, true);
};

describeCorpus('LOB NULL root (type 8)', () => {
  it('parseLobFragment reads type 8 as a NULL root', () => {
    const rec = new Uint8Array(30);
    rec[12] = 8;
    expect(parseLobFragment(rec)).toEqual({ kind: 'null', type: 8 });
  });

  it('Database2 dbo.Product_mstr: a live row whose pimage root is a NULL root reads NULL, with a warning; the logged image of that row stays unavailable', () => {
    const base = new MdfPageSource(corpusPath('CRUD-.NET/App_Data/Database2.mdf'));
    try {
      const md = readDataFileMetadata(base);
      const d = md.details.get('dbo.Product_mstr')!;
      const first = d.partitions[0]!.allocUnits.find((a) => a.type === 'IN_ROW_DATA')!.firstPage;
      let image: Uint8Array | undefined;
      for (const vp of leafChain(new PageReader(base), first, undefined, () => {})) {
        for (const r of pageRecords(vp, () => {})) {
          image ??= new Uint8Array(r.bytes);
        }
        break;
      }
      const values = decodeRow(image!, d.layout).values;
      const m = offRowOf(values.pimage);
      const [fileId, pageId] = m.page.split(':').map(Number) as [number, number];
      const src = new OverlayPageSource(base, new Map([[m.page, editedPage(base, fileId, pageId, toNullRoot(m.slot))]]));
      const before = [...readTableRows(base, md, 'dbo.Product_mstr')].find((r) => r.values.pid === values.pid)!;
      expect(typeof before.values.pimage).toBe('string');
      const skipped: unknown[] = [];
      const rows = [...readTableRows(src, readDataFileMetadata(src), 'dbo.Product_mstr', { skipped } as never)];
      const row = rows.find((r) => r.values.pid === values.pid)!;
      expect(row.values.pimage).toBeNull();
      expect(row.warnings.join('\n')).toContain(`pimage: NULL: its text pointer leads to a NULL root (LOB type 8) at ${m.page} slot ${m.slot}`);
      // the other rows keep their values
      expect(rows.filter((r) => r.values.pid !== values.pid).every((r) => typeof r.values.pimage === 'string' || r.values.pimage === null)).toBe(true);
      // the logged image: not said NULL
      const warnings: string[] = [];
      const out = resolveLoggedRowLobs(new PageReader(src), image!, d.layout, values, warnings, 'Database2.mdf');
      expect(offRowOf(out.pimage).unavailable).toMatch(/^FORMAT_BAD_LOB: the LOB root is a NULL root \(type 8\) in these pages/);
    } finally {
      base.close();
    }
  });

  it('NORTHWND Employees.Photo: a type-8 record below the root (a DATA fragment) is refused, not read as NULL', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart/App_Data/NORTHWND.MDF'));
    try {
      const md = readDataFileMetadata(base);
      const d = md.details.get('dbo.Employees')!;
      const first = d.partitions[0]!.allocUnits.find((a) => a.type === 'IN_ROW_DATA')!.firstPage;
      let values: Record<string, SqlValue> | undefined;
      for (const vp of leafChain(new PageReader(base), first, undefined, () => {})) {
        for (const r of pageRecords(vp, () => {})) {
          values ??= decodeRow(new Uint8Array(r.bytes), d.layout).values;
        }
        break;
      }
      const m = offRowOf(values!.Photo);
      const [rf, rp] = m.page.split(':').map(Number) as [number, number];
      const root = new PageReader(base).get({ fileId: rf, pageId: rp })!;
      const off = slotOffset(root.bytes, m.slot);
      const frag = parseLobFragment(root.bytes.subarray(off, off + (root.bytes[off + 2]! | (root.bytes[off + 3]! << 8))));
      expect(frag.kind).toBe('links');
      const link = (frag as { links: Array<{ rid: { fileId: number; pageId: number; slot: number } }> }).links[0]!.rid;
      const key = `${link.fileId}:${link.pageId}`;
      const src = new OverlayPageSource(base, new Map([[key, editedPage(base, link.fileId, link.pageId, toNullRoot(link.slot))]]));
      const skipped: Array<{ reason: string }> = [];
      const row = [...readTableRows(src, readDataFileMetadata(src), 'dbo.Employees', { skipped } as never)].find((r) => r.values.EmployeeID === values!.EmployeeID)!;
      expect(row.values.Photo).not.toBeNull();
      expect(offRowOf(row.values.Photo).unavailable).toMatch(/NULL root \(type 8\), where a part of a value was expected/);
      expect(skipped.some((x) => /Photo: off-row value/.test(x.reason))).toBe(true);
    } finally {
      base.close();
    }
  });
});
