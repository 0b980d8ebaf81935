/**
 * IAM (index allocation map) pages: which pages an allocation unit owns.
 * Layout (checked on NORTHWND.MDF's IAM pages; OrcaMDF `Engine/Pages/IamPage.cs` and Paul Randal
 * "Inside the Storage Engine: IAM pages, IAM chains and allocation units" for the facts):
 *   slot 0 = IAM header record: @136 (page offset) start_pg, the first page of the GAM interval this
 *            IAM page maps (6-byte pointer); @142 eight single-page slots (6-byte pointers, 0:0 = unused):
 *            the pages allocated from mixed extents.
 *   slot 1 = the extent bitmap record: bitmap at record offset 4; bit i (byte i >> 3, bit i & 7) set =
 *            extent i of the interval (pages start_pg + 8i … + 7) belongs to the allocation unit.
 * IAM pages of one allocation unit are chained through m_nextPage (one per GAM interval, 4 GB).
 */
import { formatPageId, PageType, readPagePointer, slotOffset, type PageId } from './page.js';
import type { PageReader } from './page-reader.js';

export const IAM_START_PAGE_OFFSET = 136;
export const IAM_SINGLE_PAGE_SLOTS_OFFSET = 142;
export const IAM_SINGLE_PAGE_SLOT_COUNT = 8;

export interface IamContents {
  startPage: PageId;
  singlePages: PageId[];
  /** Extent numbers (0-based) inside the interval. */
  extents: number[];
}

/** Parse one IAM page (verified bytes). */
export function parseIamPage(page: Uint8Array): IamContents {
  const startPage = readPagePointer(page, IAM_START_PAGE_OFFSET);
  const singlePages: PageId[] = [];
  for (let i = 0; i < IAM_SINGLE_PAGE_SLOT_COUNT; i++) {
    const p = readPagePointer(page, IAM_SINGLE_PAGE_SLOTS_OFFSET + i * 6);
    if (p.pageId !== 0 || p.fileId !== 0) singlePages.push(p);
  }
  const extents: number[] = [];
  const bitmapRecord = slotOffset(page, 1);
  if (bitmapRecord >= 96) {
    const len = new DataView(page.buffer, page.byteOffset, page.byteLength).getUint16(bitmapRecord + 2, true);
    const start = bitmapRecord + 4;
    const end = Math.min(bitmapRecord + len, 8192 - 4);
    for (let b = start; b < end; b++) {
      const byte = page[b];
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) extents.push((b - start) * 8 + bit);
    }
  }
  return { startPage, singlePages, extents };
}

export interface IamWalk {
  /** Every page the chain says the allocation unit owns, in allocation order (single pages first, then extents). */
  pages: PageId[];
  /** IAM pages read. */
  iamPages: PageId[];
  /** Why the walk is incomplete, when it is (a missing or damaged IAM page, a loop, a page that is not an IAM page). */
  broken?: string;
}

/**
 * The pages an IAM chain lists, lazily (bounded memory: one IAM page at a time). When the chain
 * ends early, `onBroken` is told why before the generator returns.
 */
export function* iamChainPages(reader: PageReader, firstIam: PageId, onBroken?: (reason: string) => void, onIam?: (p: PageId) => void): Generator<PageId> {
  const seen = new Set<string>();
  let cur = firstIam;
  while (cur.pageId !== 0 || cur.fileId !== 0) {
    const key = formatPageId(cur);
    if (seen.has(key)) return onBroken?.(`IAM chain loops back to ${key}`);
    seen.add(key);
    const vp = reader.get(cur);
    if (!vp) return onBroken?.(`IAM page ${key} is missing or damaged`);
    if (vp.header.type !== PageType.IAM_PAGE) return onBroken?.(`page ${key} is not an IAM page (type ${vp.header.type})`);
    onIam?.(cur);
    const iam = parseIamPage(vp.bytes);
    const next = vp.header.nextPage;
    yield* iam.singlePages;
    for (const e of iam.extents) {
      for (let i = 0; i < 8; i++) yield { fileId: iam.startPage.fileId, pageId: iam.startPage.pageId + e * 8 + i };
    }
    cur = next;
  }
}

/** The whole chain at once (small units, tests). */
export function walkIamChain(reader: PageReader, firstIam: PageId): IamWalk {
  const iamPages: PageId[] = [];
  let broken: string | undefined;
  const pages = [...iamChainPages(reader, firstIam, (r) => (broken = r), (p) => iamPages.push(p))];
  return broken ? { pages, iamPages, broken } : { pages, iamPages };
}

/** A set of page ids as one bit per page per file (an 8 GB file costs 128 KB). */
export class PageSet {
  private readonly files = new Map<number, Uint8Array>();
  has(p: PageId): boolean {
    const b = this.files.get(p.fileId);
    return !!b && p.pageId >> 3 < b.length && (b[p.pageId >> 3] & (1 << (p.pageId & 7))) !== 0;
  }
  add(p: PageId): void {
    let b = this.files.get(p.fileId);
    const need = (p.pageId >> 3) + 1;
    if (!b || b.length < need) {
      const grown = new Uint8Array(Math.max(need, (b?.length ?? 0) * 2, 1024));
      if (b) grown.set(b);
      b = grown;
      this.files.set(p.fileId, b);
    }
    b[p.pageId >> 3] |= 1 << (p.pageId & 7);
  }
}
