import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { PAGE_HAS_COMPRESSION_INFO } from '../../src/datafile/page.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('PAGE-compressed pages with a compression-information record', () => {
  it('a data page flagged 0x80 (SYNTHETIC: real Orders page with the flag set in memory) is refused as a whole, naming the page; the other pages still read', () => {
    const base = new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
    try {
      const md = readDataFileMetadata(base);
      const first = md.details.get('dbo.Orders')!.partitions[0].allocUnits[0].firstPage;
      const vp = new PageReader(base).get(first)!;
      const copy = new Uint8Array(vp.bytes);
      copy[2] |= PAGE_HAS_COMPRESSION_INFO;
      // the page was torn-bit protected: mark it unprotected so the edited copy verifies as it is
      new DataView(copy.buffer).setUint16(4, vp.header.flagBits & ~0x0300, true);
      new DataView(copy.buffer).setUint32(60, 0, true); // m_tornBits 0: unprotected (a value there with no flag reads as a damaged flag)
      const src = new OverlayPageSource(base, new Map([[`${first.fileId}:${first.pageId}`, copy]]));
      const skipped: SkippedItem[] = [];
      const rows = [...readTableRows(src, md, 'dbo.Orders', { skipped, includeRemnants: true })];
      const page = `${first.fileId}:${first.pageId}`;
      expect(rows.some((r) => r.page === page)).toBe(false);
      expect(rows.length).toBe(830 - vp.header.slotCount);
      expect(skipped.map((s) => [s.code, s.location.page])).toEqual([['FORMAT_PAGE_COMPRESSED', page]]);
      expect(skipped[0].reason).toMatch(/anchor|dictionary/);
    } finally {
      base.close();
    }
  });
});
