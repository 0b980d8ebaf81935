import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { openBackupPages } from '../../src/backup/open.js';
import { parseFileHeaderPage } from '../../src/datafile/file-header.js';
import { pageChecksum, parsePageHeader, slotOffset } from '../../src/datafile/page.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';

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
 * Copies data file `from` to `to` with the record in slot `slot` of page 1:`page` deleted as SQL
 * Server leaves a delete in the file until ghost cleanup: the record marked a ghost data record
 * (record status byte A, type bits 1-3 = 6; m_ghostRecCnt + 1) and the partition's row count one
 * less (sysrowsets.rcrows, bigint at record offset 31: rowsetid 8, ownertype 1, idmajor 4, idminor
 * 4, numpart 4, status 4, fgidfs 2 after the 4-byte record header), each page's checksum
 * recomputed when it carries one (m_flagBits 0x200). A test-time change of SQL Server's own
 * pages standing for a delete the file holds, not bytes from the field; page LSNs are left as
 * they were. Throws when the page, slot or the partition's sysrowsets row is not there.
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
  // the partition whose allocation unit the page belongs to, and its sysrowsets row
  const src = new MdfPageSource(from);
  let partition: string | undefined;
  try {
    const meta = readDataFileMetadata(src);
    partition = [...meta.details.values()].flatMap((t) => t.partitions).find((x) => x.allocUnits.some((a) => a.allocUnitId === h.allocUnitId))?.partitionId;
  } finally {
    src.close();
  }
  if (partition === undefined) throw new Error(`${from}: no partition owns page 1:${page} (allocation unit ${h.allocUnitId})`);
  for (let n = 0; n * 8192 < bytes.length; n++) {
    const q = bytes.subarray(n * 8192, (n + 1) * 8192);
    const qh = parsePageHeader(q);
    if (qh.objectId !== 5 || qh.type !== 1) continue; // sysrowsets (object 5) data pages
    for (let s = 0; s < qh.slotCount; s++) {
      const r = slotOffset(q, s);
      if (q.readBigInt64LE(r + 4) !== BigInt(partition)) continue;
      q.writeBigInt64LE(q.readBigInt64LE(r + 31) - 1n, r + 31);
      if (qh.flagBits & 0x200) q.writeUInt32LE(pageChecksum(q), 60);
      writeFileSync(to, bytes);
      return;
    }
  }
  throw new Error(`${from}: no sysrowsets row for partition ${partition}`);
}
