import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { openBackupPages } from '../../src/backup/open.js';
import { parseFileHeaderPage } from '../../src/datafile/file-header.js';

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
