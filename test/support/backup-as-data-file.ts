import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { openBackupPages } from '../../src/backup/open.js';
import { parseFileHeaderPage } from '../../src/datafile/file-header.js';
import { pageChecksum, parsePageHeader, slotOffset } from '../../src/datafile/page.js';

/**
 * Writes file 1 of a database as full (and differential) backups hold it into `out`, each page at
 * its own offset (page n at n × 8,192 bytes), as RESTORE lays the pages out before recovery runs;
 * pages the backups do not hold (extents never allocated) stay zero. The bytes are SQL Server's own
 * pages from the backups (no page is made up): a data file of the database as of the last backup
 * given, for comparisons whose later state is a data file (`diff --after-mdf`), which the corpus
 * holds for no backed-up database. Size: the file header page's (page 0). Returns the page count.
 */
export function backupAsDataFile(baks: string[], out: string): number {
  const src = openBackupPages(baks);
  try {
    const header = src.readPage(1, 0);
    if (!header) throw new Error(`${baks.join(' + ')} holds no page 1:0`);
    const pages = parseFileHeaderPage(header).sizePages;
    if (!pages) throw new Error(`page 1:0 of ${baks.join(' + ')} states no file size`);
    const fd = openSync(out, 'w', 0o600);
    try {
      ftruncateSync(fd, pages * 8192);
      for (let p = 0; p < pages; p++) {
        const page = src.readPage(1, p);
        if (page) writeSync(fd, page, 0, 8192, p * 8192);
      }
    } finally {
      closeSync(fd);
    }
    return pages;
  } finally {
    src.close();
  }
}

/**
 * Copies data file `from` to `to` with the record in slot `slot` of page 1:`page` marked a ghost
 * data record, as SQL Server marks a deleted row until ghost cleanup (record status byte A, type
 * bits 1-3 = 6; m_ghostRecCnt + 1), and the page checksum recomputed when the page carries one
 * (m_flagBits 0x200). A test-time change of SQL Server's own page standing for a delete the file
 * holds, not bytes from the field; its m_lsn is left as it was.
 */
export function ghostRowInDataFile(from: string, to: string, page: number, slot: number): void {
  const bytes = readFileSync(from);
  const p = bytes.subarray(page * 8192, (page + 1) * 8192);
  const h = parsePageHeader(p);
  if (h.pageId.fileId !== 1 || h.pageId.pageId !== page) throw new Error(`${from}: page ${page} is not there`);
  if (slot >= h.slotCount) throw new Error(`${from}: page 1:${page} has ${h.slotCount} slots`);
  const at = slotOffset(p, slot);
  p[at] = (p[at]! & ~0x0e) | (6 << 1);
  p.writeUInt16LE(p.readUInt16LE(58) + 1, 58);
  if (h.flagBits & 0x200) p.writeUInt32LE(pageChecksum(p), 60);
  writeFileSync(to, bytes);
}
