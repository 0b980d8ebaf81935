import { expect, it } from 'vitest';
import { MdfPageSource, OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { formatPageId } from '../../src/datafile/page.js';
import { unitPages } from '../../src/datafile/unit-pages.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * unitPages over real pages: NORTHWND.MDF's dbo.Territories is a heap whose one data page (1:302)
 * the IAM chain lists and PFS marks allocated. Walked from its IAM alone (as every page of a
 * multi-page heap but its first is), a zeroed copy of that page (SYNTHETIC damage, in memory) was
 * passed over as "an unused page of a uniform extent": its rows gone without a skipped item, the
 * table's result complete. A page the unit's IAM lists and PFS marks allocated is the unit's, so
 * the reader now records it as damaged.
 */
describeCorpus('unitPages: the pages of an allocation unit', () => {
  const base = () => new MdfPageSource(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF'));
  const territories = (src: MdfPageSource) => {
    const md = readDataFileMetadata(src);
    const au = md.details.get('dbo.Territories')!.partitions[0].allocUnits.find((a) => a.type === 'IN_ROW_DATA')!;
    return { allocUnitId: au.allocUnitId, firstIam: au.firstIam, firstPage: { fileId: 0, pageId: 0 }, indexId: 0 };
  };

  it('a heap read from its IAM: the data page it lists', () => {
    const src = base();
    const start = territories(src);
    const reader = new PageReader(src);
    const pages = [...unitPages(reader, src, start, new Set([start.allocUnitId]))].map((vp) => formatPageId(vp.header.pageId));
    expect(pages).toEqual(['1:302']);
    expect(reader.skipped).toEqual([]);
  });

  it('that page zeroed: no page, and the reader names it damaged (it was passed over without a word)', () => {
    const src = base();
    const start = territories(src);
    const zeroed = new OverlayPageSource(src, new Map([['1:302', new Uint8Array(8192)]]));
    const reader = new PageReader(zeroed);
    const pages = [...unitPages(reader, zeroed, start, new Set([start.allocUnitId]))];
    expect(pages).toEqual([]);
    expect(reader.skipped.map((s) => [s.code, s.location.page])).toEqual([['FORMAT_BAD_PAGE', '1:302']]);
  });

  it('the IAM of a table of several uniform extents (dbo.Orders, walked as a heap) lists pages PFS leaves unallocated: passed over, no damage said', () => {
    const src = base();
    const md = readDataFileMetadata(src);
    const au = md.details.get('dbo.Orders')!.partitions[0].allocUnits.find((a) => a.type === 'IN_ROW_DATA')!;
    const reader = new PageReader(src);
    const start = { allocUnitId: au.allocUnitId, firstIam: au.firstIam, firstPage: { fileId: 0, pageId: 0 }, indexId: 0 };
    // NORTHWND came from SQL Server 2000: its old pages' headers carry the 2000-style unit id, as the first page's does
    const headerIds = new Set([au.allocUnitId, reader.get(au.firstPage)!.header.allocUnitId]);
    const pages = [...unitPages(reader, src, start, headerIds)];
    expect(pages.length).toBe(au.dataPages);
    expect(reader.skipped).toEqual([]);
  });
});
