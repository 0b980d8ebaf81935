/**
 * Off-row values of DELETED rows read from the pages (dump --include-ghosts, --include-remnants): a
 * deleted row's LOB fragments may have been freed and reused by another value since, so, as for a
 * logged row image (resolveLoggedRowLobs), every fragment reached must still carry the pointer's blob
 * id (an in-row root's: 0000 + its timestamp + 0000, checked on FinancialCrm's real fragments in
 * test/recover/offrow-lobs.test.ts). The page path checked nothing for in-row roots and only the root
 * for text pointers (the remnant docstring said otherwise): a ghost's varbinary(max) value was read
 * from fragments that were no longer its own, silently. A live row's pointer is the page's current
 * one and is read as before.
 *
 * Real pages: FinancialCrm's dbo.sysdiagrams (varbinary(max) definition, an in-row root to 18,948
 * bytes). SYNTHETIC: the row's status made a ghost, and its LOB root's blob id changed (a reused slot).
 */
import { expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { OverlayPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import { slotOffset } from '../../src/datafile/page.js';
import { readTableRows } from '../../src/datafile/table-rows.js';
import { pageRecords } from '../../src/datafile/walk.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { editedPage, offRowOf } from '../support/edited-page.js';

describeCorpus('deleted rows: LOB fragments must carry the pointer\'s blob id', () => {
  it('FinancialCrm dbo.sysdiagrams: a ghost row whose LOB root now carries another blob id is unavailable; the same row live is read', () => {
    const base = openBackupPageSource(corpusPath('FinancialCrm/FinancialCrmDb/FinancialCrmDb202501190233.bak'));
    try {
      const md = readDataFileMetadata(base);
      const d = md.details.get('dbo.sysdiagrams')!;
      const dataPage = d.partitions[0]!.allocUnits.find((a) => a.type === 'IN_ROW_DATA')!.firstPage;
      const key = `${dataPage.fileId}:${dataPage.pageId}`;
      const liveRow = [...readTableRows(base, md, 'dbo.sysdiagrams')][0]!;
      expect(String(liveRow.values.definition).length).toBe(2 + 2 * 18948);
      // the in-row root's LOB root: the marker of the record decoded without its LOB
      const vp = new PageReader(base).get(dataPage)!;
      const rec = [...pageRecords(vp, () => {})][0]!;
      const m = offRowOf(decodeRow(new Uint8Array(rec.bytes), d.layout).values.definition!);
      const [lf, lp] = m.page.split(':').map(Number) as [number, number];
      const reused = editedPage(base, lf, lp, (pg) => { pg[slotOffset(pg, m.slot) + 6] ^= 0x01; }); // another blob id
      const ghost = editedPage(base, dataPage.fileId, dataPage.pageId, (pg) => {
        const o = slotOffset(pg, rec.slot);
        pg[o] = (pg[o]! & ~0x0e) | (6 << 1); // record type 6: ghost data
      });
      // the ghost with its fragments intact: its value
      const intact = [...readTableRows(new OverlayPageSource(base, new Map([[key, ghost]])), md, 'dbo.sysdiagrams', { includeGhosts: true })];
      expect(intact.find((r) => r.ghost)!.values.definition).toBe(liveRow.values.definition);
      // the ghost whose LOB root was reused: unavailable, said why
      const skipped: Array<{ reason: string }> = [];
      const gone = [...readTableRows(new OverlayPageSource(base, new Map([[key, ghost], [m.page, reused]])), md, 'dbo.sysdiagrams', { includeGhosts: true, skipped } as never)];
      const g = gone.find((r) => r.ghost)!;
      expect(offRowOf(g.values.definition!).unavailable).toMatch(/^FORMAT_LOB_OVERWRITTEN: .*now belongs to another value/);
      expect(g.warnings.join('\n')).toMatch(/definition: off-row value at .* could not be read/);
      // the live row (not deleted): its pointer is the page's current one, read as before
      const live = [...readTableRows(new OverlayPageSource(base, new Map([[m.page, reused]])), md, 'dbo.sysdiagrams')];
      expect(live[0]!.values.definition).toBe(liveRow.values.definition);
    } finally {
      base.close();
    }
  });
});
