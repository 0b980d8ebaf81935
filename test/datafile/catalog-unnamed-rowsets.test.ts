/**
 * Tables are listed from sys.sysschobjs. A sysschobjs page of another database in its place (same
 * page id and allocation unit, checksum intact: a page written back from another database, a copy
 * assembled from two files) named none of pubs.bak's tables: `dump --bak --all` printed "no user
 * table with readable columns", 0 rows, exit 0, and `--table dbo.authors` "not in the file" with
 * no word of damage. The partitions sysrowsets keeps for those objects (with their row counts) say
 * the catalog lost them: one FORMAT_CATALOG_MISMATCH item of sys.sysschobjs, a damaged catalog
 * (INCOMPLETE; a table asked for "may be in it, unnamed").
 *
 * SYNTHETIC: FinancialCrm's 2019 backup's page 1:186 placed over pubs.bak's (both real corpus
 * pages, overlaid in memory: OverlayPageSource); neither file is changed.
 */
import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { parsePageHeader } from '../../src/datafile/page.js';
import { catalogDamage } from '../../src/recover/source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

describeCorpus('sysrowsets partitions of objects sysschobjs does not name (pubs.bak, 1:186 of another database)', () => {
  it('are said as catalog damage, naming the partitions, rows and object ids', () => {
    const pubs = openBackupPageSource(corpusPath('pubs-2012', 'pubs.bak'));
    const other = openBackupPageSource(corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak'));
    try {
      const asItIs = readDataFileMetadata(pubs);
      expect(asItIs.tables).toHaveLength(15);
      expect(asItIs.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH')).toEqual([]);

      const foreign = other.readPage(1, 186)!;
      // both pages are sysschobjs's (m_objId 34, m_indexId 1), so no header check tells them apart
      expect([parsePageHeader(foreign).allocUnitId, parsePageHeader(foreign).pageId.pageId]).toEqual([parsePageHeader(pubs.readPage(1, 186)!).allocUnitId, 186]);
      const md = readDataFileMetadata(new OverlayPageSource(pubs, new Map([['1:186', foreign]])));
      expect(md.tables).toEqual([]);
      const said = md.skipped.filter((s) => s.code === 'FORMAT_CATALOG_MISMATCH');
      expect(said).toHaveLength(1);
      expect(said[0].reason).toMatch(/^sys\.sysrowsets names 14 partition\(s\) holding 403 row\(s\) of 14 object\(s\) that sys\.sysschobjs does not name \(object id\(s\) 245575913, /);
      expect(catalogDamage(md.skipped)).toContain(said[0]);
    } finally {
      pubs.close();
      other.close();
    }
  });
});
