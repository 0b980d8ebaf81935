/**
 * Where data pages come from: a .mdf/.ndf file, or the data-page stream (MQDA) of a full or
 * differential backup. The data-file layer (pages, system tables, table walk) reads only
 * through this, so it works the same on both.
 */
export const PAGE_SIZE = 8192;

export interface PageSource {
  readonly description: string;
  /** The 8 KB page, or undefined when the source does not hold it (a backup holds only allocated extents). */
  readPage(fileId: number, pageId: number): Uint8Array | undefined;
  /** Data files the source holds (file id → logical name when known). */
  fileIds(): number[];
  /** Optional: pages in file `fileId` (page ids 0 … n-1), when known; used by full-file scans. */
  pageCount?(fileId: number): number | undefined;
  close(): void;
}
