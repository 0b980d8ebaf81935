/**
 * SYNTHETIC, from REAL bytes: a copy of an uncompressed backup (or data file) in which one page's
 * m_lsn (page header @40: VLF u32, block u32, slot u16; datafile/page.ts) is set to another LSN,
 * its page checksum (@60, when m_flagBits has 0x200) computed again so the copy verifies. The
 * page's rows are unchanged: only the LSN of its last change is made up, e.g. to place the copy of
 * the page inside the backup's own log (a page copied while the database changed it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { pageChecksum, parsePageHeader } from '../../src/datafile/page.js';
import { parseLsn } from '../../src/logreader/lsn.js';

/** Writes `to`: `from` with page `fileId:pageId` (found once, 512-aligned, its m_lsn `was`) given m_lsn `now` (fn_dblog form). Returns `to`. */
export function pageLsnCopy(from: string, to: string, fileId: number, pageId: number, was: string, now: string): string {
  const b = Buffer.from(readFileSync(from));
  const at: number[] = [];
  for (let o = 0; o + 8192 <= b.length; o += 512) {
    if (b[o] !== 1) continue; // m_headerVersion
    const h = parsePageHeader(b.subarray(o, o + 8192));
    if (h.pageId.fileId === fileId && h.pageId.pageId === pageId && h.lsn === was) at.push(o);
  }
  expect(at).toHaveLength(1);
  const page = b.subarray(at[0]!, at[0]! + 8192);
  const l = parseLsn(now);
  page.writeUInt32LE(l.vlf, 40);
  page.writeUInt32LE(l.block, 44);
  page.writeUInt16LE(l.slot, 48);
  const flags = page.readUInt16LE(4);
  expect(flags & 0x200).toBe(0x200); // checksummed (the corpus's 2008 R2 backups are)
  page.writeUInt32LE(pageChecksum(page), 60);
  writeFileSync(to, b);
  return to;
}
