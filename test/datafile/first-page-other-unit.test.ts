/**
 * A table's pages are the pages whose header names its allocation unit (m_indexId/m_objId). Its
 * first page's own header id was taken as the table's too, whatever it was: a page of another
 * allocation unit in the first page's place (here another database's page with the same page id, a
 * valid checksum: a page of the wrong database written back, a copy assembled from two files) made
 * the walk follow that page's next-page chain through the catalog's own pages. pubs.bak's
 * dbo.stores (6 rows, first page 1:169) with FinancialCrm's page 1:169 (a sys.syscolpars page) in
 * its place printed 702 rows of dbo.stores, 696 of them syscolpars records, exit 0 (INCOMPLETE said
 * only through the row count). Now that page is a break in the chain: none of its records, nor of
 * the pages it points to, is a dbo.stores row.
 *
 * SYNTHETIC: real pages of two corpus backups (pubs-2012/pubs.bak, FinancialCrm's 2019 backup),
 * one placed over the other in memory (OverlayPageSource); neither file is changed.
 */
import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { parsePageHeader } from '../../src/datafile/page.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('a first page of another allocation unit (pubs.bak dbo.stores, 1:169 of another database)', () => {
  it('is a break in the chain, not the table\'s pages: no catalog record is printed as a dbo.stores row', () => {
    const pubs = openBackupPageSource(corpusPath('pubs-2012', 'pubs.bak'));
    const other = openBackupPageSource(corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak'));
    try {
      const md = readDataFileMetadata(pubs);
      const stores = md.details.get('dbo.stores')!.partitions[0].allocUnits.find((a) => a.type === 'IN_ROW_DATA')!;
      expect(`${stores.firstPage.fileId}:${stores.firstPage.pageId}`).toBe('1:169');
      const foreign = other.readPage(1, 169)!;
      // the page put in its place: same page id, another unit (sys.syscolpars, m_objId 41), checksum intact
      expect([parsePageHeader(foreign).pageId.pageId, parsePageHeader(foreign).objectId]).toEqual([169, 41]);
      expect(parsePageHeader(foreign).allocUnitId).not.toBe(stores.allocUnitId);

      const asItIs: SkippedItem[] = [];
      expect([...readTableRows(pubs, md, 'dbo.stores', { skipped: asItIs })]).toHaveLength(6);
      expect(asItIs).toEqual([]);

      const swapped = new OverlayPageSource(pubs, new Map([['1:169', foreign]]));
      const skipped: SkippedItem[] = [];
      const rows = [...readTableRows(swapped, md, 'dbo.stores', { skipped })];
      expect(rows).toEqual([]);
      expect(skipped.map((s) => s.code)).toEqual(['FORMAT_BROKEN_CHAIN']);
      expect(skipped[0].reason).toMatch(/^page 1:169 belongs to allocation unit 281474979397632, not /);
    } finally {
      pubs.close();
      other.close();
    }
  });
});
