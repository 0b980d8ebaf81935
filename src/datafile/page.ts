/**
 * The 8 KB data-file page: its 96-byte header, the slot array, torn-page and checksum
 * verification. Every field offset below was checked against the real pages of the corpus
 * (NORTHWND.MDF 655, School.mdf 852, Database1.mdf 706); names are the ones DBCC PAGE prints.
 *
 * Sources (facts only): Paul Randal, "Inside the Storage Engine: Anatomy of a page" (SQLskills);
 * Mark Rasmussen's OrcaMDF `Engine/Pages/PageHeader.cs` and improve.dk posts; the Internals
 * Viewer (danny-sg/internals-viewer) page-header reference.
 */
import { FormatError } from '../errors.js';
import { PAGE_SIZE } from './page-source.js';
import { sectorChecksum } from '../util/sector-checksum.js';

export const PAGE_HEADER_SIZE = 96;

/** m_type values (DBCC PAGE names). Source: Paul Randal "Anatomy of a page"; OrcaMDF PageType. */
export const PageType = {
  /** Data page: heap rows or the leaf level of a clustered index. */
  DATA_PAGE: 1,
  /** Index page: non-leaf levels of a clustered index, every level of a nonclustered index. */
  INDEX_PAGE: 2,
  /** Text-mix page: small LOB fragments of several values, and LOB internal nodes. */
  TEXT_MIX_PAGE: 3,
  /** Text-tree page: one large LOB value's data (a whole page of one value). */
  TEXT_TREE_PAGE: 4,
  SORT_PAGE: 7,
  /** Global allocation map: 1 bit per extent in a 4 GB interval, 1 = free. */
  GAM_PAGE: 8,
  /** Shared GAM: 1 bit per extent, 1 = mixed extent with a free page. */
  SGAM_PAGE: 9,
  /** Index allocation map: one allocation unit's extents in one GAM interval. */
  IAM_PAGE: 10,
  /** Page free space: one byte per page (allocated, IAM, mixed extent, ghost records, fullness). */
  PFS_PAGE: 11,
  /** Boot page, 1:9: database-wide facts (dbi_*). */
  BOOT_PAGE: 13,
  /** File header, page 0 of every file. */
  FILE_HEADER_PAGE: 15,
  /** Differential changed map: extents changed since the last full backup. */
  DIFF_MAP_PAGE: 16,
  /** Minimally-logged changed map: extents changed by bulk operations since the last log backup. */
  ML_MAP_PAGE: 17,
  /** A page deallocated by DBCC CHECKDB during a repair. */
  DEALLOCATED_PAGE: 18,
  /** Temporary page used by ALTER INDEX … REORGANIZE (or DBCC INDEXDEFRAG). */
  REORG_PAGE: 19,
  /** Page preallocated as part of a bulk load, later formatted as a real page. */
  BULK_PREALLOCATED_PAGE: 20,
} as const;

const PAGE_TYPE_NAMES = new Map<number, string>(Object.entries(PageType).map(([k, v]) => [v, k]));

export function pageTypeName(type: number): string {
  return PAGE_TYPE_NAMES.get(type) ?? `UNKNOWN_${type}`;
}

/**
 * m_flagBits. Only the protection bits are known from public sources; the others are named
 * by what they were observed to mean and stay uninterpreted.
 * - 0x0100 (PAGE_FLAG_TORN_BITS): the page was written with TORN_PAGE_DETECTION; m_tornBits holds
 *   the saved low 2 bits of the last byte of sectors 1..15 and, in its own low 2 bits, the
 *   pattern written over them. Checked against every 0x100 page of NORTHWND.MDF.
 * - 0x0200 (PAGE_FLAG_CHECKSUM): the page was written with PAGE_VERIFY CHECKSUM; m_tornBits holds
 *   the checksum (algorithm in `pageChecksum`). Checked against 586 pages of School.mdf/Database1.mdf.
 * Pages with neither bit (e.g. 0x0002, 0x8000 alone) were written with no protection (PAGE_VERIFY NONE,
 * or never flushed since protection was enabled): nothing can be verified.
 */
export const PAGE_FLAG_TORN_BITS = 0x0100;
export const PAGE_FLAG_CHECKSUM = 0x0200;

/** A page id the way SQL Server prints it: `file:page`. */
export interface PageId {
  fileId: number;
  pageId: number;
}

export function formatPageId(p: PageId): string {
  return `${p.fileId}:${p.pageId}`;
}

/** The 6-byte page pointer used everywhere (u32 page, u16 file). */
export function readPagePointer(bytes: Uint8Array, offset: number): PageId {
  const v = view(bytes);
  return { pageId: v.getUint32(offset, true), fileId: v.getUint16(offset + 4, true) };
}

/** The 10-byte LSN stored on pages and in the boot page: u32 VLF sequence, u32 block, u16 slot. */
export function readPageLsn(bytes: Uint8Array, offset: number): string {
  const v = view(bytes);
  const a = v.getUint32(offset, true);
  const b = v.getUint32(offset + 4, true);
  const c = v.getUint16(offset + 8, true);
  return `${hex(a, 8)}:${hex(b, 8)}:${hex(c, 4)}`;
}

function hex(n: number, w: number): string {
  return n.toString(16).padStart(w, '0');
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * m_typeFlagBits 0x80: the page carries a compression-information (CI) record right after the header
 * (offset 96, outside the slot array): header, page modification count, size/length, the anchor record
 * (a CD record of per-column prefixes) and the dictionary. Sources: danny-sg/internals-viewer
 * `Compression/CompressionInfo.cs` (structure, offset 96); the 0x80 flag as the brief of issue 9 and
 * Paul Randal's page-compression notes name it. No page of the corpus has it.
 */
export const PAGE_HAS_COMPRESSION_INFO = 0x80;

export interface PageHeader {
  /** @0 u8 m_headerVersion: always 1 on 2005+. */
  headerVersion: number;
  /** @1 u8 m_type (PageType). */
  type: number;
  /**
   * @2 u8 m_typeFlagBits: on data/index pages 4 = page holds … (observed 0/4 on every corpus page); on
   * PFS/IAM varies. `PAGE_HAS_COMPRESSION_INFO` (0x80): a PAGE-compressed page carrying a
   * compression-information record (no corpus page has it).
   */
  typeFlagBits: number;
  /** @3 u8 m_level: B-tree level, 0 = leaf (data pages, LOB pages). */
  level: number;
  /** @4 u16 m_flagBits: see PAGE_FLAG_*. */
  flagBits: number;
  /** @6 u16 m_indexId: the allocation unit's index part (AllocUnitId >> 48), not sys.indexes.index_id. */
  indexId: number;
  /** @8 u32 + @12 u16: m_prevPage (0:0 = none). */
  prevPage: PageId;
  /** @14 u16 m_pminlen: size of the fixed part of the records (status bytes + fixed columns). */
  pminlen: number;
  /** @16 u32 + @20 u16: m_nextPage (0:0 = none). */
  nextPage: PageId;
  /** @22 u16 m_slotCnt: entries in the slot array. */
  slotCount: number;
  /** @24 u32 m_objId: the allocation unit's object part ((AllocUnitId >> 16) & 0xFFFFFFFF), not sys.objects.object_id. */
  objectId: number;
  /** @28 u16 m_freeCnt: free bytes on the page. */
  freeCount: number;
  /** @30 u16 m_freeData: offset of the first free byte after the records. */
  freeData: number;
  /** @32 u32 + @36 u16: m_pageId (the page's own id: a mismatch means a misplaced page). */
  pageId: PageId;
  /** @38 u16 m_reservedCnt: bytes reserved by open transactions. */
  reservedCount: number;
  /** @40 10 bytes m_lsn: LSN of the last change to the page. */
  lsn: string;
  /** @50 u16 m_xactReserved: bytes reserved by the most recent transaction. */
  xactReserved: number;
  /** @52 u32 + @56 u16: m_xdesId, the transaction that last reserved space (printed `(56:52)`). */
  xdesId: string;
  /** @58 u16 m_ghostRecCnt: ghost records on the page. */
  ghostRecordCount: number;
  /** @60 u32 m_tornBits: the checksum (flag 0x200) or the torn-page bits (flag 0x100). */
  tornBits: number;
  /** AllocUnitId this page belongs to, as the decimal string fn_dblog prints: m_indexId << 48 | m_objId << 16. */
  allocUnitId: string;
}

/** Parse the 96-byte header. Pure; no validation (see `verifyPage`). */
export function parsePageHeader(page: Uint8Array): PageHeader {
  const v = view(page);
  const objectId = v.getUint32(24, true);
  const indexId = v.getUint16(6, true);
  return {
    headerVersion: page[0],
    type: page[1],
    typeFlagBits: page[2],
    level: page[3],
    flagBits: v.getUint16(4, true),
    indexId,
    prevPage: { pageId: v.getUint32(8, true), fileId: v.getUint16(12, true) },
    pminlen: v.getUint16(14, true),
    nextPage: { pageId: v.getUint32(16, true), fileId: v.getUint16(20, true) },
    slotCount: v.getUint16(22, true),
    objectId,
    freeCount: v.getUint16(28, true),
    freeData: v.getUint16(30, true),
    pageId: { pageId: v.getUint32(32, true), fileId: v.getUint16(36, true) },
    reservedCount: v.getUint16(38, true),
    lsn: readPageLsn(page, 40),
    xactReserved: v.getUint16(50, true),
    xdesId: `${v.getUint16(56, true)}:${v.getUint32(52, true)}`,
    ghostRecordCount: v.getUint16(58, true),
    tornBits: v.getUint32(60, true),
    allocUnitId: allocUnitIdOf(indexId, objectId),
  };
}

/** AllocUnitId from a page header's m_indexId and m_objId (Paul Randal, "Inside the Storage Engine: how are allocation unit IDs calculated?"). */
export function allocUnitIdOf(indexId: number, objectId: number): string {
  return ((BigInt(indexId) << 48n) | (BigInt(objectId) << 16n)).toString();
}

/** The inverse: m_indexId and m_objId the pages of an allocation unit carry. */
export function pageIdsOfAllocUnit(allocUnitId: string | bigint): { indexId: number; objectId: number } {
  const au = BigInt(allocUnitId);
  return { indexId: Number((au >> 48n) & 0xffffn), objectId: Number((au >> 16n) & 0xffffffffn) };
}

/**
 * The page checksum (PAGE_VERIFY CHECKSUM): SQL Server's sector checksum over the 16 sectors of the
 * page, without m_tornBits (the word at offset 60) — for each 512-byte sector i, XOR its 128
 * little-endian u32 words, rotate left by 15 - i, XOR the sixteen together (util/sector-checksum.ts).
 * Verified against every checksummed page of School.mdf and Database1.mdf (586 pages, 0 mismatches).
 */
export function pageChecksum(page: Uint8Array): number {
  return sectorChecksum(page, 0, PAGE_SIZE, 60);
}

/**
 * Torn-page detection: when flag 0x100 is set, the low 2 bits of the last byte of sectors 1..15
 * hold the pattern in m_tornBits' low 2 bits; a sector written by a different I/O shows another
 * pattern. Returns the first torn sector, or -1.
 */
export function findTornSector(page: Uint8Array): number {
  const pattern = view(page).getUint32(60, true) & 3;
  for (let i = 1; i < 16; i++) {
    if ((page[i * 512 + 511] & 3) !== pattern) return i;
  }
  return -1;
}

/**
 * Undo the torn-page substitution: put back the saved 2 bits of each sector's last byte
 * (m_tornBits bits 2i..2i+1 for sector i). SQL Server does this on read; records that span a
 * sector boundary are wrong without it. Returns a copy; the input is not changed.
 */
export function restoreTornBits(page: Uint8Array): Uint8Array {
  const out = new Uint8Array(page);
  const torn = view(page).getUint32(60, true);
  for (let i = 1; i < 16; i++) {
    const saved = (torn >>> (2 * i)) & 3;
    const at = i * 512 + 511;
    out[at] = (out[at] & 0xfc) | saved;
  }
  return out;
}

export type PageCheck = 'checksum-ok' | 'torn-bits-ok' | 'unprotected';

export interface VerifiedPage {
  header: PageHeader;
  /** The page with torn bits restored when needed: read records from this, not the raw bytes. */
  bytes: Uint8Array;
  check: PageCheck;
}

/**
 * For a page whose m_flagBits were damaged: the protection its bytes show. The checksum is taken
 * with m_flagBits set to `checksumFlags` (the checksum covers them, so it matches only with the
 * flags it was written with); else the torn pattern on all 15 sector ends (its saved bits then put
 * back). Null when neither verifies the page.
 */
function protectionShown(raw: Uint8Array, header: PageHeader, checksumFlags: number): { bytes: Uint8Array; check: PageCheck } | null {
  const asWritten = new Uint8Array(raw);
  new DataView(asWritten.buffer).setUint16(4, checksumFlags, true);
  if (pageChecksum(asWritten) === header.tornBits) return { bytes: raw, check: 'checksum-ok' };
  if ((header.tornBits & 3) !== 0 && findTornSector(raw) < 0) return { bytes: restoreTornBits(raw), check: 'torn-bits-ok' };
  return null;
}

/**
 * Verify a page read from `where` at the address `expected`: header sanity, self-address,
 * checksum or torn bits. Throws FormatError FORMAT_BAD_PAGE / FORMAT_BAD_CHECKSUM / FORMAT_TORN_PAGE.
 * `expected.pageId` is checked against m_pageId unless the page is all zero (never written).
 */
export function verifyPage(raw: Uint8Array, expected: PageId, file?: string): VerifiedPage {
  const page = formatPageId(expected);
  if (raw.length !== PAGE_SIZE) {
    throw new FormatError('FORMAT_BAD_PAGE', `page is ${raw.length} bytes, not ${PAGE_SIZE}`, { file, page });
  }
  const header = parsePageHeader(raw);
  if (header.headerVersion !== 1) {
    throw new FormatError('FORMAT_BAD_PAGE', `m_headerVersion is ${header.headerVersion}, not 1 (unallocated or overwritten page)`, { file, page });
  }
  if (header.pageId.pageId !== expected.pageId || (header.pageId.fileId !== expected.fileId && header.pageId.fileId !== 0)) {
    throw new FormatError('FORMAT_BAD_PAGE', `page header says it is ${formatPageId(header.pageId)}`, { file, page });
  }
  let check: PageCheck = 'unprotected';
  let bytes = raw;
  // Both bits set is no state SQL Server writes (a page has one protection): a flag bit was set by
  // damage. The torn pattern, when it holds, says which (a torn page with 0x0200 set was refused as
  // a bad checksum and the 32 rows after it lost with it).
  const bothFlags = (header.flagBits & PAGE_FLAG_CHECKSUM) !== 0 && (header.flagBits & PAGE_FLAG_TORN_BITS) !== 0;
  if (bothFlags) {
    // the checksum as written (with 0x0100 clear: the checksum covers m_flagBits), else the torn pattern
    const shown = protectionShown(raw, header, header.flagBits & ~PAGE_FLAG_TORN_BITS);
    if (shown) ({ bytes, check } = shown);
    else {
      throw new FormatError('FORMAT_BAD_CHECKSUM', `m_flagBits 0x${hex(header.flagBits, 4)} name both a checksum and torn bits, and neither verifies the page (m_tornBits 0x${hex(header.tornBits, 8)}): a flag bit or the page's contents are damaged`, { file, page });
    }
  } else if (header.flagBits & PAGE_FLAG_CHECKSUM) {
    const sum = pageChecksum(raw);
    if (sum !== header.tornBits) {
      throw new FormatError(
        'FORMAT_BAD_CHECKSUM',
        `checksum mismatch: stored 0x${hex(header.tornBits, 8)}, computed 0x${hex(sum, 8)}`,
        { file, page },
      );
    }
    check = 'checksum-ok';
  } else if (header.flagBits & PAGE_FLAG_TORN_BITS) {
    const sector = findTornSector(raw);
    if (sector >= 0) {
      throw new FormatError('FORMAT_TORN_PAGE', `torn page: sector ${sector} does not carry the torn-bit pattern`, {
        file,
        page,
        offset: sector * 512 + 511,
      });
    }
    bytes = restoreTornBits(raw);
    check = 'torn-bits-ok';
  } else if (header.tornBits !== 0) {
    // Neither flag, yet m_tornBits is set: every unprotected page of the corpus's six .mdf files
    // (21) holds 0 there, so a flag bit was changed by damage. Read the page by the protection its
    // bytes show: the checksum it would have with the flag set (the checksum covers m_flagBits), or
    // the torn pattern on all 15 sector ends (a NORTHWND.MDF page with 0x0100 cleared was read
    // without its torn bits put back: 14 values of dbo.Orders changed and a row was lost, with no
    // word). Neither: the page cannot be verified though it was written protected, so it is refused.
    const shown = protectionShown(raw, header, header.flagBits | PAGE_FLAG_CHECKSUM);
    if (shown) ({ bytes, check } = shown);
    else {
      throw new FormatError(
        'FORMAT_BAD_PAGE',
        `m_flagBits 0x${hex(header.flagBits, 4)} name no protection, yet m_tornBits holds 0x${hex(header.tornBits, 8)}, which neither the page checksum nor a torn-bit pattern matches: a flag bit or the page's contents are damaged`,
        { file, page },
      );
    }
  }
  if (header.slotCount * 2 > PAGE_SIZE - PAGE_HEADER_SIZE) {
    throw new FormatError('FORMAT_BAD_PAGE', `m_slotCnt ${header.slotCount} cannot fit on a page`, { file, page });
  }
  return { header, bytes, check };
}

/** Offset of slot `slot`'s record: the slot array grows backwards from the page end, u16 each. */
export function slotOffset(page: Uint8Array, slot: number): number {
  return view(page).getUint16(PAGE_SIZE - 2 - slot * 2, true);
}

/** Every slot's record offset; 0 marks an empty slot (a deleted record whose slot is kept). */
export function slotOffsets(page: Uint8Array, slotCount: number): number[] {
  const out: number[] = new Array(slotCount);
  for (let i = 0; i < slotCount; i++) out[i] = slotOffset(page, i);
  return out;
}
