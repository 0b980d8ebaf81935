/**
 * A table's current rows, read from its pages:
 *  - clustered index: the leaf level in key order from the first page (m_nextPage); pages the
 *    IAM chain lists but the leaf chain did not reach (a broken chain) are read afterwards;
 *  - heap: the pages the IAM chain lists, in allocation order;
 *  - a damaged IAM chain: every page of the file whose header names the allocation unit (with a warning).
 * Each record is decoded with `decodeRow`; forwarding stubs are followed to the forwarded record;
 * off-row values (text/ntext/image, row-overflow, (max) LOB roots) are read from the LOB pages and
 * decoded per type. Ghost records (deleted, not yet cleaned up) are yielded only with
 * `includeGhosts`, flagged `ghost: true`. Nothing here throws on bad data: bad pages and
 * undecodable records become SkippedItems.
 */
import { isRowbackError } from '../errors.js';
import { FormatError, InputError } from '../errors.js';
import { decodeRow, type DecodedRow } from '../reconstruct/decode-row.js';
import type { ColumnLayout, TableLayout } from '../reconstruct/metadata/table-layout.js';
import { findTableName, unknownTableHint } from '../reconstruct/metadata/names.js';
import { identifierText, stagedTableName, tableListText, tableText } from '../util/tsql.js';
import { isPagedOffRow, type SqlValue } from '../reconstruct/values.js';
import { decodeBinary, decodeNvarchar, ROW_TEXT_NOTES, undefinedBytesWarning } from '../reconstruct/types/string.js';
import { decodeSqlVariant, variantFaultClause } from '../reconstruct/types/variant.js';
import { checkVariantText } from '../reconstruct/record/plan.js';
import { charDecoder, columnCodePage } from '../reconstruct/types/index.js';
import { cdColumnBytes } from '../reconstruct/record/cd.js';
import { NOTE_UNDEFINED } from '../reconstruct/collation.js';
import type { SkippedItem } from '../util/skipped-item.js';
import { PageSet } from './iam.js';
import { scanForAllocUnit, unitPages } from './unit-pages.js';
import { inRowRootBlobId, readLobLinks, textPointerValue } from './lob.js';
import type { DataFileMetadata, DataFileTable, PartitionInfo } from './metadata.js';
import { PageReader } from './page-reader.js';
import { PAGE_SIZE, type PageSource } from './page-source.js';
import { allocUnitIdOf, formatPageId, PAGE_HAS_COMPRESSION_INFO, PageType, parsePageHeader, slotOffset, type PageId, type VerifiedPage } from './page.js';
import {
  fixedVarRecordLength,
  parseForwardingStub,
  parseInRowLobPointer,
  parseTextPointer,
  RecordType,
  recordTypeOf,
  cdRecordTypeOf,
  STATUS_B_GHOST_FORWARDED,
  variableColumnBytes,
} from './record.js';
import { cdRecordSpan, leafChain, pageRecords } from './walk.js';
import { appendAll } from '../util/append-all.js';

export { variableColumnBytes };

export interface TableRow {
  values: Record<string, SqlValue>;
  ghost: boolean;
  /** `file:page` of the record (for a forwarded row: where the row lives, not the stub). */
  page: string;
  slot: number;
  warnings: string[];
  /** Set when the row was reached through a forwarding stub at this `file:page:slot`. */
  forwardedFrom?: string;
  /**
   * A deleted (or superseded) record found in the page body outside the slot array — its slot was
   * removed (ghost cleanup, or an update that moved the row) but its bytes were not yet overwritten.
   * `slot` is -1; `offset` is where the record starts in the page.
   */
  remnant?: true;
  offset?: number;
}

export interface ReadTableOptions {
  includeGhosts?: boolean;
  /** Also carve deleted records from the page bodies (see TableRow.remnant). */
  includeRemnants?: boolean;
  /** Collects items passed over (bad pages, undecodable records); read it after iterating. */
  skipped?: SkippedItem[];
  /** A reader to share (page cache, skipped bad pages) — one is made per call otherwise. */
  reader?: PageReader;
  /**
   * Check each partition's live rows against its sysrowsets.rcrows (FORMAT_ROW_COUNT_MISMATCH when
   * they differ and nothing was skipped); default true. The point-in-time replay leaves it out: it reads
   * a backup's pages as they were copied and brings them to one point with the backup's own log (page
   * LSNs), so pages copied during the backup may disagree with the count and still replay exactly.
   */
  checkRowCount?: boolean;
}

/**
 * The table `qualified` (`schema.name` or `name` for dbo; brackets and double quotes dropped) of a data
 * file: the exact name first, then the one table named so in another case (reconstruct/metadata/names.ts).
 * Undefined when none. Throws InputError INPUT_AMBIGUOUS_NAME when several tables of a case-sensitive
 * database match it only by case (`dbo.T` and `dbo.t`: a lowercased lookup dumped the first of them).
 */
export function findTable(metadata: DataFileMetadata, qualified: string): DataFileTable | undefined {
  // by parts (findTableName reads brackets and quotes): dropping them made [dbo].[Order.Items] the text dbo.Order.Items
  const name = findTableName(metadata.details.keys(), qualified);
  return name === undefined ? undefined : metadata.details.get(name);
}

/**
 * The rows of `schema.name`. Throws InputError INPUT_UNKNOWN_TABLE for an unknown table (a usage
 * error); everything else goes to `opts.skipped`.
 */
export function* readTableRows(
  source: PageSource,
  metadata: DataFileMetadata,
  qualified: string,
  opts: ReadTableOptions = {},
): Generator<TableRow> {
  const table = findTable(metadata, qualified);
  if (!table) {
    const names = metadata.tables.map((t) => stagedTableName(t));
    throw new InputError('INPUT_UNKNOWN_TABLE', `table ${qualified} is not in the data file; known tables: ${tableListText(names) || '(none)'}${unknownTableHint(qualified, names)}`, { table: qualified });
  }
  const reader = opts.reader ?? new PageReader(source);
  const skipped = opts.skipped ?? [];
  const skippedBefore = reader.skipped.length;
  try {
    const legacy = metadata.database.createVersion < 611;
    for (const p of table.partitions) yield* partitionRows(reader, p, source, { includeGhosts: opts.includeGhosts ?? false, includeRemnants: opts.includeRemnants ?? false, checkRowCount: opts.checkRowCount ?? true }, skipped, legacy);
  } finally {
    appendAll(skipped, reader.skipped.slice(skippedBefore));
  }
}

/**
 * The m_indexId/m_objId pair on a page normally *is* its allocation unit id (page.ts
 * allocUnitIdOf). Databases created on SQL Server 2000 and upgraded keep the 2000 header ids on
 * pages written before the upgrade: m_objId = object id, m_indexId = 0 on data pages, while
 * sysallocunits gives the unit id (index_id << 48 | object_id << 16). Seen on NORTHWND.MDF
 * (dbi_createVersion 539): dbo.Employees' unit 411043454976000, its pages 129568478265344.
 * So a unit's pages are recognised by its own id, and for upgraded databases by the 2000 form
 * (m_objId the table's object id), also with the m_indexId its first page carries.
 * The id of a first page was taken whatever it was: a first page of another unit (another
 * database's page 1:169 in pubs.bak, a syscolpars page, its checksum intact) made the walk follow
 * that page's chain through the catalog's pages, 696 of its records printed as dbo.stores rows.
 */
function headerIdsOf(reader: PageReader, part: PartitionInfo, au: string, firstPage: PageId, legacy: boolean): Set<string> {
  const ids = new Set([au]);
  if (legacy && part.layout.objectId !== undefined) {
    ids.add(allocUnitIdOf(0, part.layout.objectId));
    if (firstPage.pageId !== 0) {
      const vp = reader.get(firstPage);
      if (vp && vp.header.type === PageType.DATA_PAGE && vp.header.objectId === part.layout.objectId) ids.add(vp.header.allocUnitId);
    }
  }
  return ids;
}

function* partitionRows(
  reader: PageReader,
  part: PartitionInfo,
  source: PageSource,
  flags: { includeGhosts: boolean; includeRemnants: boolean; checkRowCount: boolean },
  skipped: SkippedItem[],
  legacy: boolean,
): Generator<TableRow> {
  const { includeGhosts, includeRemnants } = flags;
  const layout = part.layout;
  // the table as locations keep it (stagedTableName, as a row's `table`), and as reasons name it (tableText)
  const tableName = stagedTableName(layout);
  const shown = tableText(layout);
  const inRow = part.allocUnits.find((a) => a.type === 'IN_ROW_DATA');
  if (!inRow) {
    // A partition sysrowsets counts rows in but sysallocunits names no in-row unit of: its pages
    // cannot be found. It was read as empty with no word (FinancialCrm's backup with pubs.bak's
    // sysallocunits page 1:143 in place of its own, checksum intact: dbo.sysdiagrams 0 rows of 1, exit 0).
    if (part.rows > 0) {
      skipped.push({
        code: 'FORMAT_CATALOG_MISMATCH',
        reason: `${shown}: sys.sysrowsets counts ${part.rows} row(s) in partition ${part.partitionNumber} (rowset ${part.partitionId}), but sys.sysallocunits names no in-row allocation unit of it, so none of its pages can be found: a sysallocunits page is damaged or another database's (its checksum may hold); its rows are not printed`,
        location: { table: tableName },
      });
    }
    return;
  }
  if (layout.compression === 'COLUMNSTORE') {
    skipped.push({ code: 'FORMAT_UNSUPPORTED', reason: 'columnstore partitions are not read', location: { table: tableName } });
    return;
  }
  const headerIds = headerIdsOf(reader, part, inRow.allocUnitId, inRow.firstPage, legacy);
  /** Pages whose rows were given as current rows. */
  const served = new PageSet();
  const forwards: ForwardTally | undefined = layout.indexId === 0 ? { seen: new Map(), targeted: new Set() } : undefined;
  /** Items skipped before this partition's walk, and its live rows: checked against rcrows at its end. */
  const itemsBefore = skipped.length + reader.skipped.length;
  let live = 0;
  const rowsOf = function* (vp: VerifiedPage): Generator<TableRow> {
    served.add(vp.header.pageId);
    for (const r of pageRows(reader, vp, layout, includeGhosts, skipped, tableName, forwards)) {
      if (!r.ghost) live++;
      yield r;
    }
    if (includeRemnants) yield* remnantRows(reader, vp, layout, tableName);
  };
  if (inRow.firstPage.pageId !== 0 || inRow.firstIam.pageId !== 0) {
    const pages = unitPages(reader, source, { ...inRow, indexId: layout.indexId }, headerIds, {
      chainBroken: (_at, reason) =>
        skipped.push({ code: 'FORMAT_BROKEN_CHAIN', reason: `${reason}; reading the remaining pages from the IAM chain`, location: { table: tableName } }),
      iamBroken: (reason) =>
        skipped.push({
          code: 'FORMAT_BROKEN_IAM',
          reason: `${reason}; scanning every page of the file for allocation unit ${inRow.allocUnitId}`,
          location: { table: tableName },
        }),
    });
    for (const vp of pages) yield* rowsOf(vp);
  }
  if (forwards) {
    for (const [key, at] of forwards.seen) {
      if (forwards.targeted.has(key)) continue;
      skipped.push({ code: 'FORMAT_BAD_FORWARD', reason: `forwarded record ${key} has no forwarding stub of ${shown} pointing at it, so its row is not printed: the stub, or this record's status byte, is damaged`, location: { page: at.page, table: tableName, offset: at.offset } });
    }
  }
  // The partition's rows against the count SQL Server keeps for it (sysrowsets.rcrows), when the walk
  // skipped nothing (a skipped page or record already says the rows are not all there). Every data
  // file and backup of the corpus agrees with it table by table. A page or record whose damage no
  // check sees (no page checksum: torn-page bits only, or none) loses rows silently: a data page's
  // type or level byte changed skips the page as a non-leaf one, a record's status byte changed to
  // ghost hides it, a slot count one short leaves its last row out (breaker: NORTHWND.MDF dbo.Orders,
  // page 1:205's m_type 1 → 2: 788 of 830 rows, exit 0, not a word; a diff then names the 42 rows as
  // missing from the later state). Said as an item, so the result is INCOMPLETE.
  if (flags.checkRowCount && skipped.length + reader.skipped.length === itemsBefore && live !== part.rows) {
    const fewer = live < part.rows;
    skipped.push({
      code: 'FORMAT_ROW_COUNT_MISMATCH',
      reason: `${shown}${part.partitionNumber > 1 ? ` partition ${part.partitionNumber}` : ''}: ${live} row(s) read from its pages, but the database counts ${part.rows} (sysrowsets.rcrows, kept by SQL Server for the partition): ${fewer ? `${part.rows - live} row(s) are on no page or in no slot read as a live data row (a page header, slot array or record status byte damaged where no checksum tells, or rows deleted since the count was written)` : `${live - part.rows} row(s) more than the count (damage that made a record read as a row, or rows inserted since the count was written)`}: the rows printed may not be the table's; compare them with another copy (a backup, the database)`,
      location: { table: tableName },
    });
  }
  if (!includeRemnants) return;
  // Pages of the file whose header still names this unit but that are no longer part of it (the
  // leaf chain, IAM and PFS do not count them): pages emptied and deallocated by a mass delete, or
  // left behind by a page split. Every record on them, in the slot array or not, is a remnant.
  for (const id of scanForAllocUnit(source, headerIds)) {
    if (served.has(id)) continue;
    const vp = reader.get(id);
    if (!vp || vp.header.type !== PageType.DATA_PAGE || vp.header.level !== 0) continue;
    for (const r of pageRows(reader, vp, layout, true, [], tableName)) {
      yield { ...r, remnant: true, offset: slotOffset(vp.bytes, r.slot), slot: -1 };
    }
    yield* remnantRows(reader, vp, layout, tableName);
  }
}

/**
 * A heap's forwarded records against the stubs that point at them, over one walk of its pages: a
 * forwarded record is printed only through its stub, so one no stub points at is a row lost unseen
 * (its own status byte changed from primary, or its stub damaged). Keys `file:page:slot`.
 */
interface ForwardTally {
  /** Live forwarded records met on the pages: key → where. */
  seen: Map<string, { page: string; offset: number }>;
  /** Records the stubs pointed at. */
  targeted: Set<string>;
}

/** Record types a data page of a heap or clustered leaf never holds (index rows, LOB fragments): a damaged status byte. */
const NOT_ON_DATA_PAGE = new Map<number, string>([
  [RecordType.INDEX, 'an index record'],
  [RecordType.BLOB_FRAGMENT, 'a LOB fragment'],
  [RecordType.GHOST_INDEX, 'a ghost index record'],
]);

function* pageRows(
  reader: PageReader,
  vp: VerifiedPage,
  layout: TableLayout,
  includeGhosts: boolean,
  skipped: SkippedItem[],
  tableName: string,
  forwards?: ForwardTally,
): Generator<TableRow> {
  const pageKey = formatPageId(vp.header.pageId);
  const compressed = layout.compression === 'ROW' || layout.compression === 'PAGE';
  if (vp.header.typeFlagBits & PAGE_HAS_COMPRESSION_INFO) {
    // A PAGE-compressed page with a compression-information record: its rows' values are prefixes
    // against the anchor record and symbols of the page dictionary. Neither is applied here, and a
    // row decoded without them would look right and be wrong (a prefix-encoded string loses its
    // prefix silently), so the whole page is refused, naming it.
    skipped.push({
      code: 'FORMAT_PAGE_COMPRESSED',
      reason: `page ${pageKey} is PAGE-compressed with a compression-information record (anchor/dictionary, m_typeFlagBits 0x${vp.header.typeFlagBits.toString(16)}); its ${vp.header.slotCount} record(s) are not decoded: the anchor prefixes and dictionary symbols are not applied`,
      location: { page: pageKey, table: tableName },
    });
    return;
  }
  for (const r of pageRecords(
    vp,
    (slot, offset, reason, code) => skipped.push({ code, reason, location: { page: pageKey, offset, table: tableName } }),
    compressed,
  )) {
    let rec = r.bytes;
    let where = { page: pageKey, slot: r.slot };
    let forwardedFrom: string | undefined;
    const damagedType = (what: string) =>
      skipped.push({ code: 'FORMAT_BAD_RECORD', reason: `slot ${r.slot} of data page ${pageKey} has the record type of ${what} (status byte 0x${rec[0].toString(16).padStart(2, '0')}), which ${tableText(layout)}'s data pages never hold: the status byte is damaged, so its row is not printed`, location: { page: pageKey, table: tableName, offset: r.offset }, raw: Buffer.from(rec).toString('hex') });
    if (r.type === RecordType.FORWARDED) {
      // reached through its forwarding stub; a clustered index has neither
      if (layout.indexId !== 0) damagedType('a forwarded record (only heaps forward rows)');
      // a live one must be pointed at by a stub; a FixedVar ghost forwarded record says so in status
      // byte B (0x01), a CD one by its own type code (5, read as ghost data): a CD record's byte 1 is
      // its column count, whose low bit left every compressed heap's forwarded record of an odd column
      // count out of the check, a row lost with its stub unsaid
      else if (forwards && (compressed || (rec[1] & STATUS_B_GHOST_FORWARDED) === 0)) forwards.seen.set(`${pageKey}:${r.slot}`, { page: pageKey, offset: r.offset });
      continue;
    }
    if (r.type === RecordType.FORWARDING_STUB) {
      if (layout.indexId !== 0) {
        damagedType('a forwarding stub (only heaps forward rows)');
        continue;
      }
      const target = parseForwardingStub(rec);
      forwards?.targeted.add(`${formatPageId(target)}:${target.slot}`);
      const fwd = recordAt(reader, target, compressed);
      if (!fwd) {
        skipped.push({ code: 'FORMAT_BAD_FORWARD', reason: `forwarding stub points at ${formatPageId(target)} slot ${target.slot}, which cannot be read`, location: { page: pageKey, table: tableName, offset: r.offset } });
        continue;
      }
      if (fwd === PAGE_COMPRESSED_TARGET) {
        // the forwarded record sits on a PAGE-compressed page (a compression-information record):
        // its values may be anchor prefixes and dictionary symbols of that page, which are not
        // applied, so it is refused as that page's own rows are (above)
        const at = formatPageId(target);
        skipped.push({ code: 'FORMAT_PAGE_COMPRESSED', reason: `forwarding stub in slot ${r.slot} of page ${pageKey} points at ${at} slot ${target.slot}, a page that is PAGE-compressed with a compression-information record (anchor/dictionary): the forwarded record is not decoded, as the anchor prefixes and dictionary symbols are not applied`, location: { page: at, table: tableName, offset: r.offset } });
        continue;
      }
      forwardedFrom = `${pageKey}:${r.slot}`;
      rec = fwd;
      where = { page: formatPageId(target), slot: target.slot };
    }
    const type = compressed ? cdRecordTypeOf(rec[0]) : recordTypeOf(rec[0]);
    const impossible = NOT_ON_DATA_PAGE.get(type);
    if (impossible !== undefined && !forwardedFrom) {
      damagedType(impossible);
      continue;
    }
    // status byte B's ghost-forwarded bit marks a heap's deleted forwarded record; in a clustered
    // index it is a changed bit that would hide the row as a ghost
    if (!compressed && layout.indexId !== 0 && (rec[1] & STATUS_B_GHOST_FORWARDED) !== 0) {
      damagedType('a ghost forwarded record (status byte B 0x01; only heaps forward rows)');
      continue;
    }
    if (type !== RecordType.PRIMARY && type !== RecordType.FORWARDED && type !== RecordType.GHOST_DATA) continue;
    let decoded: DecodedRow;
    try {
      // a CD record's bytes run to the next record's start (walk.ts pageRecords), which may leave
      // stale bytes after it; a FixedVar record is cut to its own length
      decoded = decodeRow(rec, layout, compressed ? SPAN : undefined);
    } catch (e) {
      if (!isRowbackError(e)) throw e;
      skipped.push({ code: e.code, reason: e.message, location: { page: where.page, table: tableName, column: e.location.column, offset: r.offset }, raw: Buffer.from(rec).toString('hex') });
      continue;
    }
    if (decoded.ghost && !includeGhosts) continue;
    const warnings = [...decoded.warnings];
    if (!compressed && !forwardedFrom) {
      const w = varBlockAfterRecord(vp, r.offset, rec, layout, decoded.values) ?? varEntriesAfterRecord(vp, r.offset, rec, layout, decoded.values);
      if (w !== null) warnings.push(w);
    }
    const values = resolveOffRow(reader, rec, layout, decoded.values, warnings, skipped, where, tableName, decoded.ghost);
    const row: TableRow = { values, ghost: decoded.ghost, page: where.page, slot: where.slot, warnings };
    if (forwardedFrom) row.forwardedFrom = forwardedFrom;
    yield row;
  }
}

const SPAN = { exact: false } as const;

/**
 * A FixedVar record on a page whose status byte says it has no variable-length columns (bit 0x20
 * clear) while a variable-length column reads as empty ('' or 0x), and whose next bytes on the page
 * read as a variable-column block (count 1..the layout's variable columns, end offsets from the
 * record's start, non-decreasing, past the block, within the record area before the next record):
 * the warning naming those columns, else null. One changed bit of the status byte on a page without
 * a checksum printed every variable-length column of the row as '' with no word (breaker:
 * NORTHWND.MDF dbo.Orders 10253, 'Hanari Carnes', 'Rua do Paço, 67', … all ''). Not refused: a row
 * updated in place to empty values leaves its old variable-column block right after the shorter
 * record, which reads the same way.
 */
function varBlockAfterRecord(vp: VerifiedPage, off: number, rec: Uint8Array, layout: TableLayout, values: Record<string, SqlValue>): string | null {
  if ((rec[0] & 0x20) !== 0 || (rec[0] & 0x10) === 0) return null;
  const empty = layout.columns.filter((c) => c.leafOffset < 0 && !c.isDropped && (values[c.name] === '' || values[c.name] === '0x')).map((c) => c.name);
  if (empty.length === 0) return null;
  const page = vp.bytes;
  const at = off + rec.length;
  // the record area this record may span: up to the next record's start or the free-data offset
  let limit = vp.header.freeData > off ? vp.header.freeData : PAGE_SIZE - 2 * vp.header.slotCount;
  for (let slot = 0; slot < vp.header.slotCount; slot++) {
    const o = slotOffset(page, slot);
    if (o > off && o < limit) limit = o;
  }
  if (at + 2 > limit) return null;
  const count = page[at] | (page[at + 1] << 8);
  const varColumns = layout.columns.filter((c) => c.leafOffset < 0).length;
  if (count < 1 || count > varColumns) return null;
  const dataStart = at + 2 + 2 * count - off;
  let prev = dataStart;
  for (let k = 0; k < count; k++) {
    const end = (page[at + 2 + 2 * k] | (page[at + 3 + 2 * k] << 8)) & 0x7fff;
    if (end < prev || off + end > limit) return null;
    prev = end;
  }
  if (prev === dataStart) return null;
  return `status byte 0x${rec[0].toString(16).padStart(2, '0')} says the record has no variable-length columns (bit 0x20 clear), so ${empty.join(', ')} read as empty, yet the bytes after it on the page read as a variable-column block of ${count} column(s) ending at offset ${prev} of the record: either the status byte is damaged and those are the row's values (a page without a checksum cannot tell), or the row was updated in place to empty values and they are the old ones; check these columns against another copy before re-inserting the row`;
}

/**
 * A FixedVar record with a variable-column block (status bits 0x10 and 0x20) whose variable-column
 * count is below the layout's, a variable-length column reading as empty ('' or 0x: no entry for
 * it), and whose next bytes on the page continue its offset array: one or more further end offsets,
 * non-decreasing, past themselves, within the record area before the next record or m_freeData.
 * The warning naming those columns, else null. On a page without a checksum one changed bit of the
 * count (4 to 0 in StDb2Sql.bak's dbo.Students) printed FirstName, LastName, Address and Major all
 * as '' with no word. Not refused: SQL Server leaves trailing empty columns out of the array.
 */
function varEntriesAfterRecord(vp: VerifiedPage, off: number, rec: Uint8Array, layout: TableLayout, values: Record<string, SqlValue>): string | null {
  if ((rec[0] & 0x30) !== 0x30 || rec.length < 4) return null;
  const empty = layout.columns.filter((c) => c.leafOffset < 0 && !c.isDropped && (values[c.name] === '' || values[c.name] === '0x')).map((c) => c.name);
  if (empty.length === 0) return null;
  const page = vp.bytes;
  const u16 = (at: number) => page[at] | (page[at + 1] << 8);
  const fixedEnd = u16(off + 2);
  const ncolsAt = off + fixedEnd;
  if (ncolsAt + 2 > PAGE_SIZE) return null;
  const nvarAt = ncolsAt + 2 + ((u16(ncolsAt) + 7) >> 3);
  if (nvarAt + 2 > PAGE_SIZE) return null;
  const nvar = u16(nvarAt);
  const varColumns = layout.columns.filter((c) => c.leafOffset < 0 && !c.isDropped).length;
  if (nvar >= varColumns) return null;
  let limit = vp.header.freeData > off && vp.header.freeData <= PAGE_SIZE - 2 * vp.header.slotCount ? vp.header.freeData : PAGE_SIZE - 2 * vp.header.slotCount;
  for (let slot = 0; slot < vp.header.slotCount; slot++) {
    const o = slotOffset(page, slot);
    if (o > off && o < limit) limit = o;
  }
  const arrayEnd = nvarAt + 2 + 2 * nvar;
  let prev = nvar > 0 ? u16(arrayEnd - 2) & 0x7fff : arrayEnd - off;
  let more = 0;
  for (let k = nvar; k < varColumns; k++) {
    const at = nvarAt + 2 + 2 * k;
    if (at + 2 > limit) break;
    const end = u16(at) & 0x7fff;
    // each further entry must end past the entries themselves, in order, inside the record area
    if (end < prev || end < at + 2 - off || off + end > limit) break;
    prev = end;
    more++;
  }
  if (more === 0 || prev <= nvarAt + 2 + 2 * (nvar + more) - off) return null;
  return `the record's variable-column count is ${nvar}, so ${empty.join(', ')} read as empty (no entry), yet the ${more} u16 value(s) after its offset array on the page read as further end offsets, in order, ending at offset ${prev} of the record inside the record area: either the count is damaged and those are the row's values (a page without a checksum cannot tell), or the columns are empty; check these columns against another copy before re-inserting the row`;
}

/**
 * Deleted records still in a page body: candidates start outside every live record, carry a
 * data-record status (primary or ghost data, no unknown bits), the page's fixed length (m_pminlen)
 * and the partition's column count, fit before the slot array, and decode. Off-row values are read
 * only when the LOB root still carries the pointer's blob id (FORMAT_LOB_OVERWRITTEN otherwise); a
 * remnant's unreadable LOB is a row warning, not a skipped item (remnants are best effort).
 * Only uncompressed (FixedVar) pages.
 */
function* remnantRows(reader: PageReader, vp: VerifiedPage, layout: TableLayout, tableName: string): Generator<TableRow> {
  if (layout.compression !== 'NONE' || vp.header.typeFlagBits & PAGE_HAS_COMPRESSION_INFO) return;
  const page = vp.bytes;
  const v = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const end = 8192 - vp.header.slotCount * 2;
  const live: Array<[number, number]> = [];
  for (let s = 0; s < vp.header.slotCount; s++) {
    const off = slotOffset(page, s);
    if (off < 96 || off >= end) continue;
    try {
      live.push([off, off + fixedVarRecordLength(page, off, end)]);
    } catch {
      live.push([off, off + 1]);
    }
  }
  live.sort((a, b) => a[0] - b[0]);
  const pmin = vp.header.pminlen;
  const ncols = layout.columns.length;
  const pageKey = formatPageId(vp.header.pageId);
  let li = 0;
  for (let o = 96; o + 4 <= end; o++) {
    while (li < live.length && live[li][1] <= o) li++;
    if (li < live.length && live[li][0] <= o) {
      o = live[li][1] - 1;
      continue;
    }
    const st = page[o];
    const type = recordTypeOf(st);
    if ((type !== RecordType.PRIMARY && type !== RecordType.GHOST_DATA) || st & 0x81) continue;
    if (pmin < 4 || o + pmin + 2 > end || v.getUint16(o + 2, true) !== pmin || v.getUint16(o + pmin, true) !== ncols) continue;
    let len: number;
    let decoded: DecodedRow;
    try {
      len = fixedVarRecordLength(page, o, end);
      // a candidate may not run into a live record
      if (li < live.length && o + len > live[li][0]) continue;
      decoded = decodeRow(page.subarray(o, o + len), layout);
    } catch {
      continue;
    }
    const warnings = [...decoded.warnings];
    const rec = page.subarray(o, o + len);
    const values = resolveOffRow(reader, rec, layout, decoded.values, warnings, [], { page: pageKey, slot: -1 }, tableName, true);
    yield { values, ghost: decoded.ghost, page: pageKey, slot: -1, warnings, remnant: true, offset: o };
    o += len - 1;
  }
}

/** recordAt's answer for a record on a page carrying a compression-information record (PAGE compression). */
const PAGE_COMPRESSED_TARGET = Symbol('page-compressed target');

/**
 * The record at a RID (a forwarded record), or undefined when it cannot be read. `compressed` (a
 * ROW/PAGE-compressed heap): the record is a CD record, whose bytes run to the next record's start
 * (walk.ts cdRecordSpan), not as FixedVar's header says; on a page flagged with a
 * compression-information record (m_typeFlagBits 0x80) its values may be anchor prefixes and
 * dictionary symbols of that page, so PAGE_COMPRESSED_TARGET is returned instead of its bytes, as
 * pageRows refuses that page's own records (before, the forwarded record was decoded as it stood: a
 * prefix-encoded value printed as a value, with no word).
 */
function recordAt(reader: PageReader, rid: { fileId: number; pageId: number; slot: number }, compressed = false): Uint8Array | typeof PAGE_COMPRESSED_TARGET | undefined {
  const vp = reader.get(rid);
  if (!vp || rid.slot >= vp.header.slotCount) return undefined;
  const off = slotOffset(vp.bytes, rid.slot);
  if (off < 96 || off >= 8192 - vp.header.slotCount * 2) return undefined;
  if (vp.header.typeFlagBits & PAGE_HAS_COMPRESSION_INFO) return PAGE_COMPRESSED_TARGET;
  if (compressed) return cdRecordSpan(vp, off);
  try {
    const len = fixedVarRecordLength(vp.bytes, off, 8192 - vp.header.slotCount * 2);
    return vp.bytes.subarray(off, off + len);
  } catch {
    return undefined;
  }
}

function isCdLayout(layout: TableLayout): boolean {
  return layout.compression === 'ROW' || layout.compression === 'PAGE';
}

/**
 * The bytes of an off-row value's pointer in its record: a FixedVar record's variable column, or a
 * CD record's column at its CD index (leaf_null_bit − 1). A CD record read as FixedVar gave bytes
 * from its CD array and short data (or none): its (max) and text/ntext/image values were unavailable,
 * or followed through a pointer that was not theirs.
 */
function pointerBytes(rec: Uint8Array, layout: TableLayout, col: ColumnLayout): Uint8Array | undefined {
  if (isCdLayout(layout)) return col.leafNullBit > 0 ? cdColumnBytes(rec, col.leafNullBit - 1) : undefined;
  return col.leafOffset < 0 ? variableColumnBytes(rec, -col.leafOffset - 1) : undefined;
}

function resolveOffRow(
  reader: PageReader,
  rec: Uint8Array,
  layout: TableLayout,
  values: Record<string, SqlValue>,
  warnings: string[],
  skipped: SkippedItem[],
  where: { page: string; slot: number },
  tableName: string,
  deleted = false,
): Record<string, SqlValue> {
  let out = values;
  for (const col of layout.columns) {
    const v = values[col.name];
    // a FILESTREAM file is on no page (values.ts FilestreamOffRow): left as its marker
    if (!isPagedOffRow(v) || (!isCdLayout(layout) && col.leafOffset >= 0)) continue;
    try {
      const raw = pointerBytes(rec, layout, col);
      if (!raw) throw new Error('pointer bytes not found in the record');
      let bytes: Uint8Array;
      if (v.offRow.kind === 'text-pointer') {
        const tp = parseTextPointer(raw);
        // a deleted row's (ghost, remnant) fragments may have been freed and reused since: every one
        // must still carry the pointer's blob id, as for a logged row image (resolveLoggedRowLobs)
        const value = textPointerValue(reader, tp.rid, tp.timestamp, deleted);
        if (value === null) {
          // a live row's value set to NULL (SQL Server keeps the pointer, rewrites the root as type 8);
          // a deleted row's root may have been rewritten after it was deleted: not said NULL
          if (deleted) throw new FormatError('FORMAT_BAD_LOB', `the LOB root at ${formatPageId(tp.rid)} slot ${tp.rid.slot} is a NULL root (type 8) now, and this row is deleted (a ghost or a remnant): whether its value was NULL when it was deleted is not known`);
          if (out === values) out = { ...values };
          out[col.name] = null;
          warnings.push(`${identifierText(col.name)}: NULL: its text pointer leads to a NULL root (LOB type 8) at ${formatPageId(tp.rid)} slot ${tp.rid.slot}, which SQL Server writes when a text/ntext/image value is set to NULL and keeps the pointer`);
          continue;
        }
        bytes = value;
      } else {
        // a deleted row's: every fragment must carry the blob id of its in-row root (inRowRootBlobId),
        // else a value freed with the row and its pages reused printed another value's bytes
        bytes = readLobLinks(reader, parseInRowLobPointer(raw).links, 0, deleted ? inRowRootBlobId(raw) : undefined);
      }
      if (out === values) out = { ...values };
      out[col.name] = decodeLob(bytes, col, warnings);
    } catch (e) {
      const code = isRowbackError(e) ? e.code : 'FORMAT_BAD_LOB';
      const reason = `${col.name}: off-row value at ${v.offRow.page} slot ${v.offRow.slot} could not be read: ${(e as Error).message}`;
      if (out === values) out = { ...values };
      out[col.name] = { offRow: { ...v.offRow, unavailable: `${code}: ${(e as Error).message}` } };
      warnings.push(reason);
      skipped.push({ code, reason, location: { page: where.page, table: tableName, column: col.name } });
    }
  }
  return out;
}

/**
 * Off-row values of a row image from the LOG (a deleted row, or an update's before/after image):
 * the row is gone from its page, but its LOB fragments may still be on the data-file or backup pages
 * `reader` reads. Each off-row marker in `values` (text pointer, (max) in-row root, row-overflow
 * pointer) is followed only while the value is provably the same one: EVERY fragment reached must
 * still carry the pointer's blob id (text pointer: its 8-byte timestamp; in-row root / row-overflow:
 * `inRowRootBlobId`). Then the value is decoded as the column's type and a warning names the pages it
 * came from (it is the value as of those pages — the data file's last write or the backup's time).
 * Otherwise the marker stays and gains `unavailable`: the code and why the value is gone (LOB page
 * missing from the file/backup, slot emptied, fragment reused by another value: FORMAT_LOB_OVERWRITTEN,
 * not a LOB fragment any more, …), and a warning says the same. Never throws for a bad value.
 *
 * `image`: the FixedVar row image the markers were decoded from (`RowLog Contents 0`); `layout`: the
 * layout it was decoded with; `pagesName`: how the warnings name the page source (e.g. the file name);
 * `rowLsn`: the log record's LSN (fn_dblog form): when the LOB root's page was last written before it
 * (page m_lsn < rowLsn), the warning says so — an in-place change of the value between the two
 * (UPDATETEXT/WRITETEXT/.WRITE keep the blob id) would not show in the pages.
 * Returns `values` itself when nothing changed, else a copy.
 */
export function resolveLoggedRowLobs(
  reader: PageReader,
  image: Uint8Array,
  layout: TableLayout,
  values: Record<string, SqlValue>,
  warnings: string[],
  pagesName: string,
  rowLsn?: string,
): Record<string, SqlValue> {
  let out = values;
  for (const col of layout.columns) {
    const v = values[col.name];
    // a FILESTREAM file is on no page (values.ts FilestreamOffRow): left as its marker
    if (!isPagedOffRow(v) || (!isCdLayout(layout) && col.leafOffset >= 0)) continue;
    const at = `${v.offRow.page} slot ${v.offRow.slot}`;
    if (out === values) out = { ...values };
    try {
      let raw: Uint8Array | undefined;
      try {
        raw = pointerBytes(image, layout, col);
      } catch {
        raw = undefined;
      }
      if (!raw) throw new FormatError('FORMAT_BAD_LOB', 'the pointer bytes are not in the row image');
      let bytes: Uint8Array;
      let blobId: string;
      if (v.offRow.kind === 'text-pointer') {
        const tp = parseTextPointer(raw);
        blobId = tp.timestamp;
        const value = textPointerValue(reader, tp.rid, tp.timestamp, true);
        // the value was set to NULL by the time of these pages (SQL Server keeps the pointer and
        // rewrites the root as type 8): whether it was NULL already when this row was logged is not known
        if (value === null) throw new FormatError('FORMAT_BAD_LOB', `the LOB root is a NULL root (type 8) in these pages: the value was set to NULL by then, and whether it was NULL already when this row was logged is not known`);
        bytes = value;
      } else {
        blobId = inRowRootBlobId(raw);
        bytes = readLobLinks(reader, parseInRowLobPointer(raw).links, 0, blobId);
      }
      out[col.name] = decodeLob(bytes, col, warnings);
      warnings.push(
        `${identifierText(col.name)}: off-row value (${bytes.length} bytes) read from the pages of ${pagesName} at ${at}: every LOB fragment still carries the pointer's blob id ${blobId.toLowerCase()}; it is the value as of those pages`,
      );
      const [f, p] = v.offRow.page.split(':').map(Number);
      const rootLsn = reader.get({ fileId: f, pageId: p })?.header.lsn;
      if (rowLsn && rootLsn && rootLsn.toLowerCase() < rowLsn.toLowerCase()) {
        warnings.push(
          `${identifierText(col.name)}: its LOB root page ${v.offRow.page} was last written at ${rootLsn}, before this log record (${rowLsn}): a change of the value in place between the two (UPDATETEXT/WRITETEXT/.WRITE keep the blob id) would not show`,
        );
      }
    } catch (e) {
      const code = isRowbackError(e) ? e.code : 'FORMAT_BAD_LOB';
      const why = `${code}: ${(e as Error).message}`;
      out[col.name] = { offRow: { ...v.offRow, unavailable: why } };
      warnings.push(`${identifierText(col.name)}: off-row value at ${at} not recovered from ${pagesName}: ${why}`);
    }
  }
  return out;
}

/** A text/varchar(max)/char LOB value in its column's code page; bytes the code page does not define are named in a warning (types/string.ts undefinedBytesWarning). */
function decodeLobChars(bytes: Uint8Array, col: ColumnLayout, warnings: string[]): string {
  const d = charDecoder(col);
  const v = d.decodeNoting(bytes, 0, bytes.length);
  if ((d.nul & NOTE_UNDEFINED) !== 0) warnings.push(undefinedBytesWarning(col.name, d, bytes, 0, bytes.length));
  return v;
}

/** Decode assembled LOB bytes as the column's type (per-type decoders of src/reconstruct/types). */
export function decodeLob(bytes: Uint8Array, col: ColumnLayout, warnings: string[]): SqlValue {
  switch (col.type) {
    case 'text':
    case 'varchar':
    case 'char':
      return decodeLobChars(bytes, col, warnings);
    case 'ntext':
    case 'nvarchar':
    case 'nchar':
    case 'sysname':
      if (bytes.length % 2) warnings.push(`${identifierText(col.name)}: odd byte count ${bytes.length} in Unicode data`);
      return decodeNvarchar(bytes, 0, bytes.length - (bytes.length % 2));
    case 'xml':
      warnings.push(`${identifierText(col.name)}: xml is stored in SQL Server's binary XML format; shown as hex`);
      return decodeBinary(bytes, 0, bytes.length);
    case 'sql_variant': {
      // A sql_variant of more than the row's room goes row-overflow like varchar/varbinary (MS Learn
      // "Row-overflow data exceeding 8 KB": varchar, nvarchar, varbinary, sql_variant, CLR types); its
      // bytes are the in-row form (base type, version, properties, value). As hex it read as a
      // varbinary value, which a re-insert would store as a variant of base type varbinary.
      const codePage = columnCodePage(col);
      const noted = ROW_TEXT_NOTES.length;
      const v = decodeSqlVariant(bytes, 0, bytes.length, codePage, col.name);
      appendAll(warnings, ROW_TEXT_NOTES.splice(noted));
      if (v === null) throw new FormatError('FORMAT_BAD_LOB', `the ${bytes.length} off-row bytes of ${col.name} are not a valid sql_variant${variantFaultClause()}`);
      checkVariantText({ [col.name]: v }, [{ name: col.name, codePage }], warnings);
      return v;
    }
    default:
      return decodeBinary(bytes, 0, bytes.length);
  }
}
