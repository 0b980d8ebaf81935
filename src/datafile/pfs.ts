/**
 * PFS (page free space) pages: one byte per page, for 8,088 pages each — page 1 of every file,
 * then every 8,088th page. The bytes follow the PFS record's 4-byte header (page offset 100).
 * Bits (Paul Randal, "Inside the Storage Engine: GAM, SGAM, PFS and other allocation maps";
 * checked on NORTHWND.MDF: IAM pages 1:12 and 1:17 carry 0x74 and 0x70, data page 1:16 carries 0x60):
 *   0x07 fullness (0 empty, 1 ≤50 %, 2 ≤80 %, 3 ≤95 %, 4 ≤100 %; for text/LOB pages),
 *   0x08 has ghost records, 0x10 is an IAM page, 0x20 is in a mixed extent, 0x40 is allocated.
 */
import type { PageReader } from './page-reader.js';
import { PageType, type PageId } from './page.js';

export const PFS_INTERVAL = 8088;
export const PFS_BYTES_OFFSET = 100;
export const PFS_ALLOCATED = 0x40;
export const PFS_MIXED_EXTENT = 0x20;
export const PFS_IAM = 0x10;
export const PFS_HAS_GHOSTS = 0x08;

export function pfsPageFor(page: PageId): PageId {
  return { fileId: page.fileId, pageId: page.pageId < PFS_INTERVAL ? 1 : Math.floor(page.pageId / PFS_INTERVAL) * PFS_INTERVAL };
}

/** The PFS byte of `page`, or undefined when its PFS page cannot be read. */
export function pfsByte(reader: PageReader, page: PageId): number | undefined {
  const vp = reader.get(pfsPageFor(page));
  if (!vp || vp.header.type !== PageType.PFS_PAGE) return undefined;
  return vp.bytes[PFS_BYTES_OFFSET + (page.pageId % PFS_INTERVAL)];
}

/** False only when the PFS page is readable and says the page is not allocated. */
export function isAllocated(reader: PageReader, page: PageId): boolean {
  const b = pfsByte(reader, page);
  return b === undefined || (b & PFS_ALLOCATED) !== 0;
}
