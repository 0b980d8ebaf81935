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
  /**
   * Optional: true when the source holds the page's place but no image of it (a backup frame slot
   * written back as it is: empty, never formatted or stale). A layered source does not look for
   * the page in older layers then: RESTORE would have written this slot over them.
   */
  holdsNoImage?(fileId: number, pageId: number): boolean;
  /** Optional: pages in file `fileId` (page ids 0 … n-1), when known; used by full-file scans. */
  pageCount?(fileId: number): number | undefined;
  /**
   * Optional: which of the source's files holds the page's image (a layered source: the layer it
   * is read from), to name it when the page cannot be read. Without it, `description` names them all.
   */
  pageOrigin?(fileId: number, pageId: number): string | undefined;
  /**
   * Optional: the backup set (RESTORE … WITH FILE = n) the page is read from, when its file holds
   * several (a full and a differential that are two sets of one file, `--bak F F --position 1,2`:
   * both layers' origin is `backup F`); undefined for a file of one set, or when no layer holds it.
   */
  pageSet?(fileId: number, pageId: number): number | undefined;
  /**
   * Optional: why the source does not hold a page, when it knows more than that it is absent (a
   * data file cut short: its file header page says how many pages it has), as a clause to append to
   * "… does not hold page F:P" saying what is wrong and what to do; undefined otherwise.
   */
  whyMissing?(fileId: number, pageId: number): string | undefined;
  /**
   * Optional: one note per file of the source that is cut short (a data file holding fewer pages
   * than its file header page gives), said whether or not a page past the cut is read: a result
   * that needed none is whole, but it came from a copy that is not. [] when every file is whole.
   * `use` 'comparison' words it for `diff`, which refuses a state missing a page it needs
   * (data-file-cut.ts, the `note` ending); 'result' (the default) for scan, dump and log.
   */
  cutShortNotes?(use?: 'result' | 'comparison'): string[];
  close(): void;
}
