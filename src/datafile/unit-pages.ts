/**
 * The current data pages of one allocation unit, read past damage: a clustered index's leaf level
 * along m_nextPage (key order); when that chain breaks (a damaged, missing or foreign page, a loop),
 * the pages the unit's IAM chain lists that the leaf chain did not reach (allocation order); when the
 * IAM chain is broken or unknown too, every page of the file whose header names the unit. Used for
 * user tables (table-rows.ts) and the system base tables (system-tables.ts) alike, so one damaged
 * catalog page costs the rows on that page, not every row after it.
 * Facts: OrcaMDF `Engine/Pages/IamPage.cs`, Paul Randal "Inside the Storage Engine: IAM pages, IAM
 * chains and allocation units" (IAM = the unit's pages; PFS allocated bit = the page is in use).
 */
import type { SkippedItem } from '../util/skipped-item.js';
import { iamChainPages, PageSet } from './iam.js';
import type { PageReader } from './page-reader.js';
import type { PageSource } from './page-source.js';
import { PageType, parsePageHeader, type PageId, type VerifiedPage } from './page.js';
import { isAllocated } from './pfs.js';
import { leafChain } from './walk.js';

export interface UnitPagesStart {
  /** 1 for a clustered index (the leaf chain is walked first), else a heap (IAM order only). */
  indexId: number;
  /** First leaf page (sysallocunits.pgfirst); 0:0 for none. */
  firstPage: PageId;
  /** First IAM page (sysallocunits.pgfirstiam); 0:0 when unknown (then a file scan is the fallback). */
  firstIam: PageId;
  /** The unit's id, as named in `FORMAT_BROKEN_IAM` reasons. */
  allocUnitId: string;
}

export interface UnitPagesReport {
  /** The leaf chain broke at `at` (a page id) for `reason`; the IAM chain's pages are read next. */
  chainBroken?(at: PageId, reason: string): void;
  /** The IAM chain is broken or unknown; the file is scanned for pages whose header names the unit. */
  iamBroken?(reason: string): void;
}

/**
 * Verified leaf data pages (type 1, level 0) of the unit, each once. `headerIds`: the allocation
 * unit ids a page header of this unit may carry (more than one for pre-2005-upgraded objects). Pages
 * the IAM lists that are zero, of another unit, not data leaf pages, or unallocated in PFS (rows of an
 * earlier life of the page) are passed over without a word; damaged pages are recorded by the reader.
 * Throws nothing on bad data.
 */
export function* unitPages(
  reader: PageReader,
  source: PageSource,
  start: UnitPagesStart,
  headerIds: Set<string>,
  report: UnitPagesReport = {},
): Generator<VerifiedPage> {
  const visited = new PageSet();
  if (start.indexId === 1 && start.firstPage.pageId !== 0) {
    let broken: { at: PageId; reason: string } | undefined;
    for (const vp of leafChain(reader, start.firstPage, headerIds, (at, reason) => (broken = { at, reason }))) {
      visited.add(vp.header.pageId);
      if (vp.header.type === PageType.DATA_PAGE && vp.header.level === 0) yield vp;
    }
    if (!broken) return;
    report.chainBroken?.(broken.at, broken.reason);
  }

  let iamBroken: string | undefined = start.firstIam.pageId === 0 ? 'no first IAM page' : undefined;
  const candidates = function* (): Generator<PageId> {
    if (!iamBroken) yield* iamChainPages(reader, start.firstIam, (reason) => (iamBroken = reason));
    if (iamBroken) {
      report.iamBroken?.(iamBroken);
      yield* scanForAllocUnit(source, headerIds);
    }
  };
  for (const id of candidates()) {
    if (visited.has(id)) continue;
    visited.add(id);
    const raw = source.readPage(id.fileId, id.pageId);
    // Pages of a uniform extent that are not yet used are zero or hold another unit's old data: not
    // ours, not an error. One PFS marks allocated is in use by this unit (the IAM lists it): zero,
    // missing or unreadable, it is damage, recorded by the reader (its rows are lost, not absent).
    if (!raw || raw[0] !== 1) {
      if (isAllocated(reader, id)) reader.get(id);
      continue;
    }
    const vp = reader.get(id);
    if (!vp || !headerIds.has(vp.header.allocUnitId) || vp.header.type !== PageType.DATA_PAGE || vp.header.level !== 0) continue;
    // A page of one of the unit's extents that PFS says is not allocated holds rows of an earlier
    // life of the page: not current rows.
    if (!isAllocated(reader, id)) continue;
    yield vp;
  }
}

/**
 * Every page of every file of the source whose (unverified) header names one of `headerIds`, in
 * file order. Without a page count (a backup holds only allocated extents) the scan of a file stops
 * after 1 Mi absent pages in a row (an 8 GB gap).
 */
export function* scanForAllocUnit(source: PageSource, headerIds: Set<string>): Generator<PageId> {
  for (const fileId of source.fileIds()) {
    const count = source.pageCount?.(fileId);
    let misses = 0;
    for (let p = 0; count === undefined ? misses < 1 << 20 : p < count; p++) {
      const raw = source.readPage(fileId, p);
      if (!raw) {
        misses++;
        continue;
      }
      misses = 0;
      // only pages whose header names the unit: damage on other units' pages is not this table's
      if (raw[0] !== 1 || !headerIds.has(parsePageHeader(raw).allocUnitId)) continue;
      yield { fileId, pageId: p };
    }
  }
}
