/**
 * A table's pages are found from its partitions' allocation units (sysallocunits). A partition that
 * sysrowsets counts rows in but whose in-row unit sysallocunits does not name (its page damaged
 * where no check sees it, or another database's, checksum intact) was read as empty with no word:
 * FinancialCrm's 2019 backup with pubs.bak's sysallocunits page 1:143 in place of its own gave
 * dbo.sysdiagrams 0 rows of 1, exit 0, "complete". It is
 * now a FORMAT_CATALOG_MISMATCH item of the table naming the count and the rowset.
 *
 * SYNTHETIC: real pages of two corpus backups, one placed over the other in memory
 * (OverlayPageSource); neither file is changed.
 */
import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { parsePageHeader } from '../../src/datafile/page.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('a partition with rows whose allocation unit the catalog does not name (FinancialCrm, sysallocunits 1:143 of pubs.bak)', () => {
  it('is said, not read as an empty table', () => {
    const crm = openBackupPageSource(corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak'));
    const pubs = openBackupPageSource(corpusPath('pubs-2012', 'pubs.bak'));
    try {
      const asItIs: SkippedItem[] = [];
      expect([...readTableRows(crm, readDataFileMetadata(crm), 'dbo.sysdiagrams', { skipped: asItIs })]).toHaveLength(1);
      expect(asItIs).toEqual([]);

      const foreign = pubs.readPage(1, 143)!;
      // both are sysallocunits pages (m_objId 7), so no header check tells them apart
      expect([parsePageHeader(foreign).allocUnitId, parsePageHeader(foreign).pageId.pageId]).toEqual([parsePageHeader(crm.readPage(1, 143)!).allocUnitId, 143]);
      const src = new OverlayPageSource(crm, new Map([['1:143', foreign]]));
      const md = readDataFileMetadata(src);
      const skipped: SkippedItem[] = [];
      expect([...readTableRows(src, md, 'dbo.sysdiagrams', { skipped })]).toEqual([]);
      expect(skipped.map((s) => [s.code, s.location.table])).toEqual([['FORMAT_CATALOG_MISMATCH', 'dbo.sysdiagrams']]);
      expect(skipped[0].reason).toMatch(/^dbo\.sysdiagrams: sys\.sysrowsets counts 1 row\(s\) in partition 1 \(rowset \d+\), but sys\.sysallocunits names no in-row allocation unit of it/);
    } finally {
      crm.close();
      pubs.close();
    }
  });
});
