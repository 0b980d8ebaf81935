/**
 * Pure parsers for the on-disk log structures: VLF header, log block header, the sector
 * fix-up, the record slot array and the 2005+ log record. Byte positions: FORMAT-NOTES §3
 * (checked on the corpus LDFs), iatmakdotcx/logreader `p_structDefine.pas` (TVLFHeader,
 * TlogBlock, TRawLog, TRawLog_DataOpt, TRawLog_BEGIN_XACT, TRawLog_COMMIT_XACT) and
 * aarsakian/SQLServerForensics `ldf/ldf.go`, `ldf/lop.go` — facts only, re-derived on real bytes.
 */
import type { Lsn } from '../lsn.js';
import type { LogRecord, LogRecordSource } from '../log-record.js';
import {
  BLOCK_CHECKSUM_OFFSET, BLOCK_STATUS_CHECKSUM, BLOCK_STATUS_OFFSET, LOP, MAX_BLOCK_SIZE, SECTOR,
  SECTOR_FIRST, SECTOR_LAST, SECTOR_PARITY_MASK, VLF_HEADER_MARKER, contextName, operationName,
} from './constants.js';
import { formatSqlDateTime } from './datetime.js';
import { sectorChecksum } from '../../util/sector-checksum.js';

// ---------------------------------------------------------------------------------------------
// VLF header (first bytes of every VLF): 0xAB, parity, u16 log format version, u32 sequence
// number, u64 VLF size @16, u64 VLF file offset @24, create LSN @32 (FORMAT-NOTES §3).

export interface VlfHeader {
  parity: number;
  /** Log format version: 2 = SQL 2000, 4 = 2008/2008 R2, 5 = 2012+ in the corpus. */
  version: number;
  seq: number;
  size: number;
  /** The VLF's own file offset as the header records it. */
  startOffset: number;
  createLsn: Lsn;
}

export const VLF_HEADER_SIZE = 42;

/** The VLF header at `offset`, or null when the marker byte is not 0xAB. */
export function parseVlfHeader(b: Uint8Array, offset: number): VlfHeader | null {
  if (b.length < offset + VLF_HEADER_SIZE || b[offset] !== VLF_HEADER_MARKER) return null;
  const v = view(b);
  return {
    parity: b[offset + 1],
    version: v.getUint16(offset + 2, true),
    seq: v.getUint32(offset + 4, true),
    size: Number(v.getBigUint64(offset + 16, true)),
    startOffset: Number(v.getBigUint64(offset + 24, true)),
    createLsn: readLsn(v, offset + 32),
  };
}

// ---------------------------------------------------------------------------------------------
// Log block header: u16 flags @0 (its low byte is the sector fix-up byte until restored),
// u16 record count @2, u16 end of the slot array @4, u16 block size @6, u16 status @8 (bit
// 0x0002: a checksum is present), u16 @10, LSN of the first record @12 (u32 VLF seq, u32 block
// id, u16 slot), u32 checksum @24 when present (constants.ts BLOCK_STATUS_CHECKSUM). The block
// id is the block's offset from its VLF start in 512-byte units (bobsql insidetlog).

export const BLOCK_HEADER_SIZE = 22;

export interface BlockHeader {
  flags: number;
  recordCount: number;
  slotArrayEnd: number;
  size: number;
  /** u16 @8; bit BLOCK_STATUS_CHECKSUM says the block carries a log block checksum. */
  status: number;
  firstLsn: Lsn;
}

export function parseBlockHeader(b: Uint8Array, offset: number): BlockHeader {
  // byte reads (no DataView per call: the block scanner asks once per block and per sector passed over)
  return {
    flags: u16(b, offset),
    recordCount: u16(b, offset + 2),
    slotArrayEnd: u16(b, offset + 4),
    size: u16(b, offset + 6),
    status: u16(b, offset + BLOCK_STATUS_OFFSET),
    firstLsn: { vlf: u32(b, offset + 12), block: u32(b, offset + 16), slot: u16(b, offset + 20) },
  };
}

/** Why a block header is not a plausible block, or null when it is. Needs only the first sector. */
export function blockHeaderProblem(b: Uint8Array, offset: number): string | null {
  if (b.length < offset + SECTOR) return 'fewer than 512 bytes';
  const first = b[offset];
  if ((first & SECTOR_FIRST) === 0 || (first & SECTOR_PARITY_MASK) === 0) return `first sector byte 0x${hex2(first)} lacks the parity/first-sector bits`;
  // the fields parseBlockHeader reads, without building the header
  const size = u16(b, offset + 6);
  const recordCount = u16(b, offset + 2);
  const slotArrayEnd = u16(b, offset + 4);
  if (size === 0 || size % SECTOR !== 0 || size > MAX_BLOCK_SIZE) return `block size ${size} is not a multiple of 512 up to 60 KiB`;
  if (slotArrayEnd > size || slotArrayEnd < BLOCK_HEADER_SIZE + 2 * recordCount) return `slot array end ${slotArrayEnd} outside the block`;
  return null;
}

/**
 * Checks every sector's fix-up byte (same parity; 0x10 on the first sector only, 0x08 on the
 * last only) and, when the block header says it carries one, the log block checksum; returns a
 * copy with the original bytes restored: the original first byte of sector i is stored at
 * block[size - 1 - i] (FORMAT-NOTES §3; iatmakdotcx RepairLogBlockAppendData).
 * Returns a string naming the problem when the sectors do not agree (a torn or stale block) or
 * the checksum does not match (a damaged block: one changed bit is enough).
 */
export function fixupBlock(b: Uint8Array, offset: number, size: number): Uint8Array | string {
  const torn = blockSectorProblem(b, offset, size);
  if (torn !== null) return torn;
  const damaged = blockChecksumProblem(b, offset, size);
  if (damaged !== null) return damaged;
  const out = new Uint8Array(size);
  out.set(b.subarray(offset, offset + size));
  for (let i = 0; i < size / SECTOR; i++) out[i * SECTOR] = out[size - 1 - i];
  return out;
}

/**
 * The log block checksum check of the `size`-byte block at `offset` as stored (sector fix-up
 * bytes not restored): the problem, or null when it holds or the block has none. A block without
 * the checksum bit holds 0 at @24 (all 286 such blocks of the corpus's 2005+ files): a value there
 * means the bit itself was changed, and the checksum still tells (the bit cleared and a row byte
 * changed printed the changed value with no word).
 */
export function blockChecksumProblem(b: Uint8Array, offset: number, size: number): string | null {
  if (!blockHoldsChecksum(b, offset)) return null;
  const stored = u32(b, offset + BLOCK_CHECKSUM_OFFSET);
  const flagged = (u16(b, offset + BLOCK_STATUS_OFFSET) & BLOCK_STATUS_CHECKSUM) !== 0;
  const computed = logBlockChecksum(b, offset, size);
  if (stored === computed) return null;
  return `log block checksum 0x${hex8(stored)} stored, 0x${hex8(computed)} computed (damaged block${flagged ? '' : '; its header\'s checksum bit is clear, though a checksum is there'})`;
}

/**
 * Whether the block at `offset` is checked by its log block checksum: its header's checksum bit
 * (status 0x2) is set, or the checksum word @24 is not 0 (a block without the bit holds 0 there;
 * a value means the bit was changed, and the word is checked all the same: blockChecksumProblem).
 * A block for which this is false is the unchecked kind the scan notes name.
 */
export function blockHoldsChecksum(b: Uint8Array, offset: number): boolean {
  return (u16(b, offset + BLOCK_STATUS_OFFSET) & BLOCK_STATUS_CHECKSUM) !== 0 || u32(b, offset + BLOCK_CHECKSUM_OFFSET) !== 0;
}

/**
 * fixupBlock's sector check alone, in place (no copy, no checksum): the problem it would name for
 * the sectors' fix-up bytes, or null. For walks that only need where blocks are and what their
 * headers say (ldfStaleRuns); the blocks they keep are read again with fixupBlock.
 */
export function blockSectorProblem(b: Uint8Array, offset: number, size: number): string | null {
  const sectors = size / SECTOR;
  const parity = b[offset] & SECTOR_PARITY_MASK;
  for (let i = 0; i < sectors; i++) {
    const s = b[offset + i * SECTOR];
    const want = parity | (i === 0 ? SECTOR_FIRST : 0) | (i === sectors - 1 ? SECTOR_LAST : 0);
    if (s !== want) return `sector ${i} fix-up byte 0x${hex2(s)}, expected 0x${hex2(want)} (torn or stale block)`;
  }
  return null;
}

/**
 * The log block checksum of the `size` bytes (a multiple of 512) at `offset`, as stored (sector
 * fix-up bytes not restored): SQL Server's sector checksum (util/sector-checksum.ts) without the
 * checksum word @24. Source: found on the corpus's real blocks (constants.ts BLOCK_STATUS_CHECKSUM).
 */
export function logBlockChecksum(b: Uint8Array, offset: number, size: number): number {
  return sectorChecksum(b, offset, size, BLOCK_CHECKSUM_OFFSET);
}

/** Parity bits (0x40 or 0x80) of a block, from its first sector byte. */
export function blockParity(b: Uint8Array, offset: number): number {
  return b[offset] & SECTOR_PARITY_MASK;
}

/**
 * Record start offsets inside a fixed-up block: u16 values stored backwards from the end of
 * the slot array (slot 0 at slotArrayEnd-2). Returns [start, end) pairs; a record ends where
 * the next begins, the last one at the start of the slot array.
 */
export function recordSpans(block: Uint8Array, h: BlockHeader): Array<[number, number]> {
  const b = recordSpanBounds(block, h);
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < b.length; i += 2) spans.push([b[i], b[i + 1]]);
  return spans;
}

/**
 * {@link recordSpans} as one flat array, start and end of record i at [2i] and [2i + 1]: one
 * allocation per block rather than one per record (a log of small records has ~10 per KB).
 */
export function recordSpanBounds(block: Uint8Array, h: BlockHeader): Int32Array {
  const n = h.recordCount;
  const out = new Int32Array(2 * n);
  const end = h.slotArrayEnd;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const at = end - 2 * (i + 1);
    out[2 * i] = block[at] | (block[at + 1] << 8);
    if (i > 0 && out[2 * i] <= out[2 * i - 2]) ordered = false;
  }
  const slotStart = end - 2 * n;
  if (ordered) {
    for (let i = 0; i < n; i++) out[2 * i + 1] = i + 1 < n ? out[2 * i + 2] : slotStart;
    return out;
  }
  // Records are normally stored in slot order; if a slot points backwards, its record still ends
  // at the next record start above it (or at the slot array).
  const sorted = Array.from({ length: n }, (_, i) => out[2 * i]).sort((a, b) => a - b);
  for (let i = 0; i < n; i++) {
    const s = out[2 * i];
    const inOrder = i + 1 < n && out[2 * i + 2] > s;
    let e = inOrder ? out[2 * i + 2] : slotStart;
    if (!inOrder) for (const x of sorted) if (x > s) { e = x; break; }
    out[2 * i + 1] = e;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Log record (2005+ format). Common header:
//   u16 @0 (unknown), u16 @2 fixed-part length, previous LSN @4, u16 flag bits @14,
//   transaction id @16 (u32, u16), op code u8 @22, context u8 @23.
// Page operations (fixed length ≥ 0x3E): page id u32 @24, file id u16 @28, slot u16 @30,
//   allocation unit "object" part u32 @32, previous page LSN @36, allocation unit "index"
//   part u16 @46, partition id u64 @48, offset in row u16 @56, modify size u16 @58,
//   row flags u16 @60 (iatmakdotcx TRawLog_DataOpt; aarsakian Generic_LOP).
// At the fixed length: u16 element count, u16 length per element, padding to 4 bytes, then the
//   elements, each 4-byte aligned (FORMAT-NOTES §3). Element i = RowLog Contents i.
// LOP_BEGIN_XACT: SPID u16 @24 (@28 in SQL Server 2005's layout: beginXactSpidOffset), begin
//   time (SQL datetime) @40; elements: transaction name (UTF-16LE), transaction SID.
//   LOP_COMMIT_XACT / LOP_ABORT_XACT: end time @24.
//   (iatmakdotcx TRawLog_BEGIN_XACT / TRawLog_COMMIT_XACT; aarsakian LOP_BEGIN / LOP_COMMIT;
//   checked on every corpus LDF: begin times fall between the databases' creation and backup dates.)

/**
 * Where a LOP_BEGIN_XACT's SPID (u16) is, by the record's fixed-part length (u16 @2); null for a
 * length no real log showed, whose SPID is then not printed rather than read from a guessed place.
 *  - 64 (SQL Server 2008 / 2008 R2: NORTHWND_log.ldf) and 76 (2012 and later: Database1_log.ldf,
 *    School_Log.ldf, the CRUD-.NET logs): @24, 51–59 for user sessions, 10–21 for system ones;
 *  - 48 (SQL Server 2005: aspnetdb_log.ldf, log format version 2): @28. Its @24 holds 0xFFFF in
 *    every one of the file's 118 (read as the SPID before: 65535 for every 2005 transaction), and
 *    @28 holds 52 for its StartupDB transaction and 53 for every transaction of the aspnet_regsql
 *    session (CREATE TABLE, GRANT, INSERT …), as one session's work is.
 * The begin time is @40 in all three (the last 8 bytes of the 2005 record).
 */
export function beginXactSpidOffset(fixedLen: number): number | null {
  if (fixedLen === 48) return 28;
  return fixedLen >= 64 ? 24 : null;
}

export const RECORD_HEADER_SIZE = 24;
export const ROW_OP_FIXED_SIZE = 0x3e;

/**
 * Flag bits @14. In the corpus logs only 0x0002 (on nearly every record) and 0x0020 (two
 * index-leaf records of an upgrade transaction) occur. The corpus holds no rolled-back row
 * operation, so the bit that marks a compensation log record (fn_dblog's "COMPENSATION") could
 * not be confirmed on real bytes and is NOT decoded: `compensation` is left unset by this
 * reader (see docs/offline-log.md). The raw value is exposed as `extra.flags`.
 */
export const LOG_FLAG_SEEN_COMMON = 0x0002;

export interface ParsedRecordExtra {
  opCode: number;
  contextCode: number;
  flags: number;
  /** True when the element array could not be read (lengths run past the record). */
  badElements: boolean;
}

// Hot-path hex: a byte → two lower-case digits table instead of toString(16).padStart per field.
const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex8(n: number): string {
  return HEX2[(n >>> 24) & 0xff] + HEX2[(n >>> 16) & 0xff] + HEX2[(n >>> 8) & 0xff] + HEX2[n & 0xff];
}

/**
 * Hot-path text of LSNs, transaction and page ids: one String.fromCharCode of the digits' codes
 * (a `+` chain of hex pairs builds a rope of ~10 strings per LSN, flattened again when the text is
 * used as a Map key; measured 1.5–2× slower). Same text as hex8 and its 4-digit form.
 */
const HEX_CODES = new Uint16Array(512);
for (let i = 0; i < 256; i++) {
  HEX_CODES[2 * i] = HEX2[i].charCodeAt(0);
  HEX_CODES[2 * i + 1] = HEX2[i].charCodeAt(1);
}
const COLON = 0x3a;

/** fn_dblog's LSN form `0000002a:000001f0:0003` (same as lsn.ts formatLsn, without per-call padding). */
export function formatLsnFast(vlf: number, block: number, slot: number): string {
  const h = HEX_CODES;
  const a0 = 2 * ((vlf >>> 24) & 0xff), a1 = 2 * ((vlf >>> 16) & 0xff), a2 = 2 * ((vlf >>> 8) & 0xff), a3 = 2 * (vlf & 0xff);
  const b0 = 2 * ((block >>> 24) & 0xff), b1 = 2 * ((block >>> 16) & 0xff), b2 = 2 * ((block >>> 8) & 0xff), b3 = 2 * (block & 0xff);
  const c0 = 2 * ((slot >>> 8) & 0xff), c1 = 2 * (slot & 0xff);
  return String.fromCharCode(
    h[a0], h[a0 + 1], h[a1], h[a1 + 1], h[a2], h[a2 + 1], h[a3], h[a3 + 1], COLON,
    h[b0], h[b0 + 1], h[b1], h[b1 + 1], h[b2], h[b2 + 1], h[b3], h[b3 + 1], COLON,
    h[c0], h[c0 + 1], h[c1], h[c1 + 1],
  );
}

/** `hhhh:hhhhhhhh` of a u16 then a u32: fn_dblog's transaction id (id2 first) and page id (file first). */
function hex4Colon8(x: number, y: number): string {
  const h = HEX_CODES;
  const a0 = 2 * ((x >>> 8) & 0xff), a1 = 2 * (x & 0xff);
  const b0 = 2 * ((y >>> 24) & 0xff), b1 = 2 * ((y >>> 16) & 0xff), b2 = 2 * ((y >>> 8) & 0xff), b3 = 2 * (y & 0xff);
  return String.fromCharCode(h[a0], h[a0 + 1], h[a1], h[a1 + 1], COLON, h[b0], h[b0 + 1], h[b1], h[b1 + 1], h[b2], h[b2 + 1], h[b3], h[b3 + 1]);
}

/** fn_dblog's `0000:000003e8` (id2, then id1). */
export function formatTransactionId(id1: number, id2: number): string {
  return hex4Colon8(id2, id1);
}

/** fn_dblog's `0001:0000011e` (file, then page). */
export function formatPageId(file: number, page: number): string {
  return hex4Colon8(file, page);
}

/**
 * One log record from a fixed-up block: `rec` = block bytes, [start, end) its span.
 * Throws nothing: a record whose element array does not fit gets no RowLog Contents and
 * `badElements` = true so the caller can report it.
 */
export function parseLogRecord(
  block: Uint8Array,
  start: number,
  end: number,
  lsn: Lsn,
  source: LogRecordSource,
  v: DataView = view(block),
): { record: LogRecord; extra: ParsedRecordExtra } | string {
  if (end - start < RECORD_HEADER_SIZE || end > block.length) return `record span ${start}..${end} too short for a log record header`;
  const fixedLen = v.getUint16(start + 2, true);
  if (fixedLen < RECORD_HEADER_SIZE || start + fixedLen > end) return `fixed length ${fixedLen} does not fit the record (${end - start} bytes)`;
  const flags = v.getUint16(start + 14, true);
  const op = block[start + 22];
  const ctx = block[start + 23];
  const record: LogRecord = {
    'Current LSN': formatLsnFast(lsn.vlf, lsn.block, lsn.slot),
    'Previous LSN': formatLsnFast(v.getUint32(start + 4, true), v.getUint32(start + 8, true), v.getUint16(start + 12, true)),
    Operation: operationName(op),
    Context: contextName(ctx),
    'Transaction ID': formatTransactionId(v.getUint32(start + 16, true), v.getUint16(start + 20, true)),
    source,
  };
  const extra: ParsedRecordExtra = { opCode: op, contextCode: ctx, flags, badElements: false };

  if (op < 0x80 && fixedLen >= ROW_OP_FIXED_SIZE) {
    const page = v.getUint32(start + 24, true);
    const file = v.getUint16(start + 28, true);
    record['Page ID'] = formatPageId(file, page);
    record['Slot ID'] = v.getUint16(start + 30, true);
    // Previous page LSN @36: the page's m_lsn before this change (checked on Database1_log.ldf:
    // each tblDept page-0x121 record points at the LSN of the previous record on that page).
    record['Previous Page LSN'] = formatLsnFast(v.getUint32(start + 36, true), v.getUint32(start + 40, true), v.getUint16(start + 44, true));
    // AllocUnitId = idInd << 48 | idObj << 16, the same packing as a page header's m_objId/m_indexId
    // (e.g. idObj 99, idInd 0 → 6488064, the "Unknown Alloc Unit" fn_dblog prints for pages 1:6/1:9;
    // idObj 0x4c, idInd 1 → 281474981691392 = sys.sysdbfiles.clst in a published fn_dblog listing;
    // user tables match sysallocunits of the corpus data files, e.g. RestoreTimeClean dbo.steps).
    const idObj = v.getUint32(start + 32, true);
    const idInd = v.getUint16(start + 46, true);
    record.AllocUnitId = allocUnitIdText(idObj, idInd);
    record['Offset in Row'] = v.getUint16(start + 56, true);
    record['Modify Size'] = v.getUint16(start + 58, true);
  }

  // Only the record kinds whose element array rowback reads; other ops lay out their variable
  // part differently (e.g. LOP_HOBT_DDL, LOP_BP_DBVER) and are left alone.
  const wantsElements = op === LOP.BEGIN_XACT || op === LOP.INSERT_ROWS || op === LOP.DELETE_ROWS || op === LOP.MODIFY_ROW || op === LOP.MODIFY_COLUMNS;
  const elements = wantsElements ? readElements(block, start, start + fixedLen, end, v) : [];
  if (elements === null) extra.badElements = true;
  else if (wantsElements) {
    if (op === LOP.BEGIN_XACT) {
      if (fixedLen >= 48) {
        const at = beginXactSpidOffset(fixedLen);
        record.SPID = at === null ? null : v.getUint16(start + at, true);
        record['Begin Time'] = formatSqlDateTime(block, start + 40);
      }
      const name = elements[0];
      record['Transaction Name'] = name && name.length ? transactionName(name) : null;
      record['Transaction SID'] = elements[1] && elements[1].length ? elements[1] : null;
    } else {
      const names = ['RowLog Contents 0', 'RowLog Contents 1', 'RowLog Contents 2', 'RowLog Contents 3', 'RowLog Contents 4'] as const;
      for (let i = 0; i < elements.length && i < names.length; i++) record[names[i]] = elements[i];
    }
  }
  if ((op === LOP.COMMIT_XACT || op === LOP.ABORT_XACT) && fixedLen >= 32) record['End Time'] = formatSqlDateTime(block, start + 24);
  if (op === LOP.MODIFY_COLUMNS) record['Log Record'] = block.slice(start, end);
  // LOP_FORMAT_PAGE: its length tells a page formatted empty (a header's worth) from one logged with
  // its whole image, rows included (fn_dblog's Log Record Length: 84 vs 8,276 bytes, the latter a bulk
  // load logged by pages: sqlfascination.com, "A Strange Case of a Very Large LOP_FORMAT_PAGE", 2010)
  if (op === LOP.FORMAT_PAGE) record['Log Record Length'] = end - start;
  return { record, extra };
}

/**
 * What parseLogRecord would find wrong with the record in [start, end) of a block, without
 * building it: its refusal (a string), `'elements'` when it would be kept but flagged
 * `badElements` (an element array that runs past the record, on the ops whose elements are read),
 * or null when it parses cleanly.
 */
export function recordProblem(block: Uint8Array, start: number, end: number, v: DataView = view(block)): string | 'elements' | null {
  if (end - start < RECORD_HEADER_SIZE || end > block.length) return `record span ${start}..${end} too short for a log record header`;
  const fixedLen = v.getUint16(start + 2, true);
  if (fixedLen < RECORD_HEADER_SIZE || start + fixedLen > end) return `fixed length ${fixedLen} does not fit the record (${end - start} bytes)`;
  const op = block[start + 22];
  const wantsElements = op === LOP.BEGIN_XACT || op === LOP.INSERT_ROWS || op === LOP.DELETE_ROWS || op === LOP.MODIFY_ROW || op === LOP.MODIFY_COLUMNS;
  if (wantsElements && !elementsFit(start, start + fixedLen, end, v)) return 'elements';
  return null;
}

/** readElements' checks without the views: does the element array at `at` fit the record? */
function elementsFit(recStart: number, at: number, end: number, v: DataView): boolean {
  if (at === end) return true;
  if (at + 2 > end) return false;
  const n = v.getUint16(at, true);
  if (n > 1024) return false;
  let p = at + 2 + 2 * n;
  if (p > end) return false;
  p = recStart + align4(p - recStart);
  for (let i = 0; i < n; i++) {
    const len = v.getUint16(at + 2 + 2 * i, true);
    if (p + len > end) return false;
    p = recStart + align4(p + len - recStart);
  }
  return true;
}

/**
 * A LOP_BEGIN_XACT's name element (UTF-16LE) without its trailing NULs, code unit by code unit: an
 * unpaired surrogate (nvarchar(32) holds a name cut between the halves of a pair) is kept as it is,
 * as fn_dblog's nvarchar column and the export-file reader keep it (the TextDecoder it went through
 * for surrogates wrote U+FFFD, and every output, NDJSON too, showed a character the log does not
 * hold). As the decoder did: a leading byte-order mark is dropped, an odd last byte is U+FFFD.
 */
function transactionName(name: Uint8Array): string {
  const n = name.length;
  const odd = (n & 1) === 1;
  let end = n - (odd ? 1 : 0);
  if (!odd) while (end >= 2 && name[end - 2] === 0 && name[end - 1] === 0) end -= 2;
  const start = end >= 2 && name[0] === 0xff && name[1] === 0xfe ? 2 : 0;
  let out = '';
  if (end - start <= 128) {
    for (let i = start; i < end; i += 2) out += String.fromCharCode(name[i] | (name[i + 1] << 8));
  } else {
    // Node's utf16le keeps each unit as it is, a lone surrogate included
    out = Buffer.from(name.buffer, name.byteOffset + start, end - start).toString('utf16le');
  }
  return odd ? out + '\ufffd' : out;
}

/** AllocUnitId text by idInd·2^32 + idObj (exact: < 2^48): a log names few allocation units, each many times. */
const allocUnitIds = new Map<number, string>();

/** `idInd << 48 | idObj << 16` as decimal text (parseLogRecord), from a small cache. */
function allocUnitIdText(idObj: number, idInd: number): string {
  const key = idInd * 0x1_0000_0000 + idObj;
  let t = allocUnitIds.get(key);
  if (t === undefined) {
    t = ((BigInt(idInd) << 48n) | (BigInt(idObj) << 16n)).toString();
    if (allocUnitIds.size >= 65536) allocUnitIds.clear();
    allocUnitIds.set(key, t);
  }
  return t;
}

/** The element array at `at` (u16 count, u16 lengths, 4-byte aligned data); null when it does not fit. */
export function readElements(b: Uint8Array, recStart: number, at: number, end: number, v: DataView = view(b)): Uint8Array[] | null {
  if (at === end) return [];
  if (at + 2 > end) return null;
  const n = v.getUint16(at, true);
  if (n > 1024) return null;
  let p = at + 2 + 2 * n;
  if (p > end) return null;
  const out: Uint8Array[] = [];
  p = recStart + align4(p - recStart);
  for (let i = 0; i < n; i++) {
    const len = v.getUint16(at + 2 + 2 * i, true);
    if (p + len > end) return null;
    // A view into the fixed-up block copy (one allocation per block, not per element); the
    // constructor rather than subarray(), which looks up the species constructor on every call.
    out.push(new Uint8Array(b.buffer, b.byteOffset + p, len));
    p = recStart + align4(p + len - recStart);
  }
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function readLsn(v: DataView, at: number): Lsn {
  return { vlf: v.getUint32(at, true), block: v.getUint32(at + 4, true), slot: v.getUint16(at + 8, true) };
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
