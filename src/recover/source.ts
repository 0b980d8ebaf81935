import type { RecoveredRow } from './recovered-row.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { TableNameIndex, unknownTableHint } from '../reconstruct/metadata/names.js';
import { stagedTableName, tableListText } from '../util/tsql.js';
import type { LogRecord } from '../logreader/log-record.js';
import { compareLsn, parseLsn } from '../logreader/lsn.js';
import type { CommittedScanStats } from './committed.js';
import type { CatalogChanges } from './rebuilt-tables.js';

/**
 * What every recovery source provides: table metadata and the row operations of committed
 * transactions, with their transaction facts. Files (.ldf/.trn/.bak/.mdf), the live server
 * and exported fn_dblog results all implement it; `recoverRows` turns candidates into rows.
 */
export interface MetadataCatalog {
  /** One entry per table (catalogFromLayouts: a partitioned table's first partition, naming every partition's allocation units). */
  tables(): TableLayout[];
  /** By the AllocUnitId fn_dblog prints (decimal string): the layout of that allocation unit's own partition, the one to decode its rows with. */
  byAllocUnit(allocUnitId: string): TableLayout | undefined;
  /**
   * By a name as a user gives it (`schema.name`, `name` for dbo, `[schema].[name]`, `dbo.[Order.Items]`):
   * the table's entry of tables(), matched by parts, exact case first (names.ts findTableName).
   * Throws InputError INPUT_AMBIGUOUS_NAME for a name that several tables match (only by case, or
   * plain dotted text that is two tables' `schema.name`).
   */
  byName(qualified: string): TableLayout | undefined;
  /**
   * Whether the data file's or backup's catalog names this allocation unit as no user table's data
   * (a nonclustered, XML or columnstore index's, an internal table's: DataFileMetadata.otherAllocUnits).
   * Absent when the metadata does not say (--ddl/--schema, live, export).
   */
  namesOtherUnit?(allocUnitId: string): boolean;
}

export interface TransactionInfo {
  transactionId: string;
  /** As fn_dblog prints it: `yyyy/MM/dd HH:mm:ss:fff`, server local time. */
  beginTime: string | null;
  endTime: string | null;
  name: string | null;
  sid: Uint8Array | null;
  /** Resolved login name, when the source can resolve SIDs (live: SUSER_SNAME). */
  login: string | null;
  spid: number | null;
  /** Host and program of the session that ran it, when a live source could still see that session (logreader/live/sessions.ts). */
  host?: string | null;
  program?: string | null;
  /**
   * File sources, a scan for deletes (or for inserts) only: the row operations of the other kind
   * this transaction logged on each allocation unit (committed.ts pairing), before pairing. Rows of
   * such a table get a warning: an UPDATE that changes the clustered key, or a MERGE, logs a delete
   * and an insert, so a deleted row may live on under a new key.
   */
  opposite?: { operation: 'insert' | 'delete'; perAllocUnit: ReadonlyMap<string, number> };
}

export interface RowCandidate {
  /** A LOP_INSERT_ROWS / LOP_DELETE_ROWS / LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS record on a heap or clustered index. */
  record: LogRecord;
  txn: TransactionInfo;
}

export { SCAN_OPERATIONS, scanOperationOf, type ScanOperation } from '../logreader/scan-operations.js';
import type { ScanOperation } from '../logreader/scan-operations.js';

export interface ScanFilter {
  /** Inclusive, server local time, `YYYY-MM-DDTHH:MM:SS[.fff]`. */
  from?: string;
  /** Inclusive, same form. */
  to?: string;
  /** `schema.name` list; empty = every table. */
  tables?: string[];
  operations: ScanOperation[];
}

export type { SkippedItem } from '../util/skipped-item.js';
import type { SkippedItem } from '../util/skipped-item.js';

/**
 * How far a source has read, for progress displays while a long scan runs (a multi-GB log may
 * yield few rows). A snapshot of counters the source keeps anyway; cheap to call.
 */
export interface SourceProgress {
  /** Bytes of log read so far in the current pass (0 when the source does not read bytes itself). */
  bytesRead: number;
  /** Bytes the current pass will read in all, when known beforehand (file sizes / log layout). */
  bytesTotal?: number;
  /** Log records (or server rows) read so far in the current pass. */
  recordsRead: number;
  /** 1-based number of the pass running, for sources that read their input more than once. */
  pass?: number;
  /** How many passes the scan makes (may grow, e.g. the file source's anchor pass). */
  passes?: number;
}

export interface RecoverySource {
  readonly description: string;
  /**
   * Whose catalog `metadata()` reads, as a sentence names it, possessive: `the data file's` (--mdf),
   * `the backup's` (--bak), `the export's` (an exported fn_dblog result's catalog rows), `the
   * server's` (a live database's sys.* catalog, sql/table-metadata.sql); absent when the source has
   * no catalog of its own (a log alone). Refusals and notes about the source's catalog name it so:
   * "the data file's catalog" was said of all four.
   */
  readonly catalogOwner?: string;
  metadata(): Promise<MetadataCatalog>;
  /**
   * `catalog`: the metadata to match row operations to tables with, when the user replaced the
   * source's own (`--schema`/`--ddl`); sources that filter tables server-side may ignore it.
   */
  candidates(filter: ScanFilter, signal?: AbortSignal, catalog?: MetadataCatalog): AsyncIterable<RowCandidate>;
  /**
   * Optional: the same candidates as {@link candidates}, in the same order, in non-empty arrays (the
   * files source: the commits of one log block at a time). recoverRowBatches uses it when present,
   * saving one async step per candidate.
   */
  candidateBatches?(filter: ScanFilter, signal?: AbortSignal, catalog?: MetadataCatalog): AsyncIterable<RowCandidate[]>;
  /** Items the source itself skipped (torn pages, bad blocks, unknown records). */
  skipped(): SkippedItem[];
  /**
   * Optional: how far the running `candidates()` scan has read (see SourceProgress). Called by
   * the worker at most once a second while a job runs; must only read counters (no I/O, no
   * per-record work). Before a scan starts it may report zeros.
   */
  progress?(): SourceProgress;
  /**
   * Optional (the live source): after `candidates()`, the Begin Time (ISO local time to the
   * millisecond) of the online log's first transaction when its window probe found it after the
   * filter's `from` and no log backup was read beside the online log, else null: the window's start
   * is in no log read (window-before-log.ts onlineLogStartClause).
   */
  logStartsAfterWindow?(): string | null;
  /**
   * Optional (the live and export sources, which read the log records of the allocation units their
   * catalog names now): after `candidates()`, the tables it read rows of with their
   * sys.objects.modify_date, and where its log read begins (rebuilt-tables.ts CatalogChanges); null
   * before a scan. A table altered or rebuilt inside the stretch asked for is INCOMPLETE
   * (rebuiltTablesClause). Files sources give only `columnstore` (their catalog is a snapshot of the
   * data file's or the script's).
   */
  catalogChanges?(): CatalogChanges | null;
  /**
   * Optional: the committed filter's counts from the last `candidates()` run (sources that read
   * the log themselves: files, export), so that a scan finding no rows can say why.
   */
  committedStats?(): CommittedScanStats;
  /**
   * Optional: read the off-row values (text/ntext/image, (max), row-overflow) a recovered row only
   * points at from the data-file or backup pages the source holds (files source with --mdf/--bak).
   * `table` is the layout the row was decoded with. Returns the row with each marker replaced by its
   * value when every LOB fragment still carries the pointer's blob id, or marked `unavailable` (why
   * it is gone) otherwise; synchronous, never throws for a bad value.
   */
  resolveOffRow?(row: RecoveredRow, table: TableLayout): RecoveredRow;
  /**
   * Optional: the database principal (user or role name and sysowners type) whose SID this is, from
   * the scanned database's own sysowners (files source with --mdf/--bak), after metadata() ran.
   * A database user name, not a server login; null when no principal has the SID.
   */
  databasePrincipalOf?(sid: Uint8Array): { name: string; type: string } | null;
  /**
   * Optional: the name of the database whose tables metadata() gives (a data file's or backup's boot
   * page, dbi_dbname; a live source's database), after metadata() ran; null when not known. A
   * `--table` naming another database (`Northwind.dbo.Customers` against TSQLV4's files) is said to
   * (names.ts unknownTableHint), not advised as `dbo.Customers`.
   */
  databaseName?(): string | null;
  close(): Promise<void>;
}

/**
 * `source.catalogOwner` (possessive: `the data file's`, `the backup's`, `the export's`, `the
 * server's`), or `the source's` for a source that does not say; for sentences about the catalog the
 * source read (`${catalogOwnerOf(s)} catalog`). Pure.
 */
export function catalogOwnerOf(source: Pick<RecoverySource, 'catalogOwner'> | undefined): string {
  return source?.catalogOwner ?? "the source's";
}

/**
 * The catalog of a list of layouts, which may hold several partitions of one table (catalog JSON and
 * the data-file reader give one layout per partition: sys.partitions / sysrowsets). Partitions of one
 * table can differ in DATA_COMPRESSION (`REBUILD PARTITION = n WITH (DATA_COMPRESSION = …)`), so a
 * row operation's allocation unit is matched to **its own partition's** layout (`byAllocUnit`), never
 * to another partition's. `tables()` and `byName` give one entry per table: the first partition's
 * layout with the allocation units of every partition, for listing tables, filtering by name and
 * mapping a `--ddl` layout onto all of the table's allocation units. Partitions are told apart from
 * tables by object id when the layouts carry one, else by the exact `schema.name` (a case-sensitive
 * database may hold `dbo.T` and `dbo.t`: two tables, never one table's partitions). `byName` matches
 * the exact name first, then the one table named so in another case (reconstruct/metadata/names.ts);
 * a name that matches several tables only by case throws InputError INPUT_AMBIGUOUS_NAME naming them.
 */
export function catalogFromLayouts(layouts: TableLayout[]): MetadataCatalog {
  const byAu = new Map<string, TableLayout>();
  const byKey = new Map<string, number>();
  const tables: TableLayout[] = [];
  for (const t of layouts) {
    for (const au of t.allocUnits ?? []) byAu.set(au.allocUnitId, t);
    // by parts (stagedTableName): dbo.[Order.Items] and [dbo.Order].Items are two tables, not one's partitions
    const key = t.objectId !== undefined ? `#${t.objectId}` : `=${stagedTableName(t)}`;
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, tables.length);
      tables.push(t);
    } else if (t.allocUnits?.length) {
      // Another partition of a table listed already: the table's entry names its allocation units too.
      const first = tables[at]!;
      tables[at] = { ...first, allocUnits: [...(first.allocUnits ?? []), ...t.allocUnits] };
    }
  }
  // a name by its parts, then as plain schema.name text (names.ts findTableName: one table, or refused naming both)
  const byKey2 = new Map(tables.map((t) => [stagedTableName(t), t]));
  // built once, at the first look-up (export and live sources ask it for every table)
  let index: TableNameIndex | undefined;
  return {
    tables: () => tables,
    byAllocUnit: (id) => byAu.get(id),
    byName: (q) => {
      index ??= new TableNameIndex(byKey2.keys());
      const k = index.find(q);
      return k === undefined ? undefined : byKey2.get(k);
    },
  };
}

/**
 * Codes of skipped items that mean log records could not be read (so rows may be missing from a
 * result, not merely undecodable): damaged or torn blocks, LSN gaps, cut files and streams,
 * broken VLF chains, broken log-backup chains, damaged backup containers.
 */
export const LOG_LOSS_CODES: ReadonlySet<string> = new Set([
  'FORMAT_BAD_LOG_BLOCK',
  'FORMAT_BAD_LOG_RECORD',
  'FORMAT_LOG_GAP',
  'FORMAT_LOG_FILE_CUT',
  'FORMAT_BAD_VLF_HEADER',
  'FORMAT_LOG_STREAM_MISSING',
  'FORMAT_LOG_STREAM_SHORT',
  'FORMAT_LOG_CHAIN_GAP',
  'FORMAT_LOG_SOURCES_DISAGREE',
  'FORMAT_BAD_MTF',
]);

/**
 * The skipped items that say the data file's (or backup's) own catalog is damaged: a system
 * table's page missing or unreadable (`sys.sysschobjs`, `sys.sysrowsets`, …). The tables those
 * pages named are unknown, so row operations on allocation units the metadata does not know may
 * be rows of such a table rather than of a system table or an index.
 */
export function catalogDamage(items: SkippedItem[]): SkippedItem[] {
  return items.filter((s) => /^sys\./i.test(String(s.location?.table ?? '')));
}

/**
 * The damaged system tables of `damage` (catalogDamage's items) and, unless `pages` is false, their
 * pages (at most 10, then ' …'), as every message about a damaged catalog names them:
 * `sys.sysschobjs, sys.sysidxstats; pages 1:184, 1:273`.
 */
export function catalogDamageSubject(damage: SkippedItem[], pages = true): string {
  const tables = [...new Set(damage.map((d) => String(d.location.table)))].join(', ');
  const ps = pages ? [...new Set(damage.map((d) => d.location.page).filter((p) => p !== undefined))] : [];
  return ps.length ? `${tables}; pages ${ps.slice(0, 10).join(', ')}${ps.length > 10 ? ' …' : ''}` : tables;
}

/**
 * What a damaged catalog (catalogDamage of the source's skipped items) cost a scan, or null when it
 * cost nothing the scan can see: `unknownAllocUnitRowOps` row operations on allocation units it no
 * longer names, and `undecoded`: row operations of tables it does name that came out as skipped
 * items (a lost sys.syscolpars or sys.sysrscols page leaves a table without its columns:
 * DECODE_NO_COLUMNS). Either makes the result INCOMPLETE: with only the first counted, a zeroed
 * syscolpars page gave 0 rows, exit 0 and "complete": true, and nothing at all with --quiet.
 * `clause`: the sentence after "the data file's catalog is damaged (…): " (or the backup's: the
 * source's catalogOwner), `ops` naming the operations.
 */
export function catalogDamageLoss(sourceSkipped: SkippedItem[], undecoded: number, unknownAllocUnitRowOps: number, ops: string): { damage: SkippedItem[]; clause: string } | null {
  const damage = catalogDamage(sourceSkipped);
  if (damage.length === 0 || (undecoded === 0 && unknownAllocUnitRowOps === 0)) return null;
  const parts: string[] = [];
  if (unknownAllocUnitRowOps) parts.push(`${unknownAllocUnitRowOps} ${ops}(s) on allocation units it does not name may be rows of tables it lost`);
  if (undecoded) parts.push(`${undecoded} row operation(s) of tables it names could not be decoded (their skipped items)`);
  return { damage, clause: parts.join('; ') };
}

/** Skipped items of row operations (a table and an LSN, not a system table's): rows not decoded. */
export function isUndecodedRowOp(s: SkippedItem): boolean {
  return s.location.table !== undefined && s.location.lsn !== undefined && !/^sys\./i.test(String(s.location.table));
}

/**
 * The INPUT_UNKNOWN_TABLE message for a table the metadata does not name: with a damaged catalog
 * (`catalogDamage(skipped)`), 'is not in the metadata; known tables: (none)' was untrue — the
 * table may be there, named on the pages that were lost. `database`: the name of the database read
 * (RecoverySource.databaseName), so a database part naming another one is said (unknownTableHint).
 * `known`: the tables read, each in a form splitQualifiedName reads (stagedTableName's, tableText's),
 * listed each as tableNameText writes it: `dbo.[a,b]`, not `dbo.a,b`, which read as two tables.
 */
export function unknownTableMessage(table: string, known: string[], skipped: SkippedItem[], database?: string | null): string {
  const damage = catalogDamage(skipped);
  // each as one name, bracketed where it must be (dbo.[a,b] is one table of the list, dbo.a,b two)
  const listed = tableListText(known);
  return damage.length
    ? `table ${table} is not named in the metadata; known tables: ${listed || '(none)'}; the catalog is damaged (${catalogDamageSubject(damage)}), so ${table} may be there, unnamed: read an undamaged copy (a backup), or give the table with --ddl/--schema${unknownTableHint(table, known, database)}`
    : `table ${table} is not in the metadata; known tables: ${listed || '(none)'}${unknownTableHint(table, known, database)}`;
}

/** The skipped items that mean the log was not read whole (see LOG_LOSS_CODES). */
export function logLoss(items: SkippedItem[]): SkippedItem[] {
  return items.filter((s) => LOG_LOSS_CODES.has(s.code));
}

/**
 * What an INCOMPLETE line says of the log lost (`lost`: logLoss's items, at least one), in two
 * kinds: log that was there but could not be read (a cut file, damaged blocks: their codes) and log
 * that is in no file given (FORMAT_LOG_CHAIN_GAP: a log backup missing from a chain, or the stretch
 * between a full and a differential backup scanned without their log backups), which is no damage
 * and is put right by giving more files. E.g. `parts of the log could not be read (FORMAT_LOG_FILE_CUT)`,
 * `parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP)`, or both joined by `, and `.
 */
export function logLossClause(lost: readonly SkippedItem[]): string {
  const codes = (items: readonly SkippedItem[]) => [...new Set(items.map((s) => s.code))].join(', ');
  const unread = lost.filter((s) => s.code !== 'FORMAT_LOG_CHAIN_GAP');
  const notGiven = lost.filter((s) => s.code === 'FORMAT_LOG_CHAIN_GAP' && !isChainOverlap(s));
  const overlaps = lost.filter(isChainOverlap);
  const parts = unread.length + notGiven.length ? 'parts' : 'parts of the log';
  return [
    unread.length ? `parts of the log could not be read (${codes(unread)})` : '',
    notGiven.length ? `${unread.length ? 'parts' : 'parts of the log'} are in no file given (${codes(notGiven)})` : '',
    // two log backups whose LSN ranges overlap: no log is missing between them, but they are not
    // one chain (two branches of the database's history, or damaged headers: log-chain.ts)
    overlaps.length ? `${parts} are in log backups that overlap instead of chaining (${codes(overlaps)})` : '',
  ].filter(Boolean).join(', and ');
}

/**
 * A FORMAT_LOG_CHAIN_GAP item of two log backups that overlap (backup/log-chain.ts: the later one
 * starts before the earlier one ends): its `lsnRange` runs backwards, from the earlier one's last LSN
 * down to the later one's first.
 */
export function isChainOverlap(s: SkippedItem): boolean {
  if (s.code !== 'FORMAT_LOG_CHAIN_GAP' || !s.lsnRange) return false;
  try {
    return compareLsn(parseLsn(s.lsnRange.first), parseLsn(s.lsnRange.last)) > 0;
  } catch {
    return false;
  }
}

/**
 * Where one lost item's loss is: its LSN range (`lsnRange`, where the reader knows it: "LSNs A up to
 * B of FILE", "…, in no file given" for a chain gap), else its file and offset; '' when it names
 * neither. (`log` parsed the range out of the reason's words, which missed the ldf reader's gaps.)
 */
export function lossPlace(s: SkippedItem): string {
  const file = s.location.file ?? '';
  if (s.lsnRange && isChainOverlap(s)) return `LSNs ${s.lsnRange.last} up to ${s.lsnRange.first}, held by two log backups that overlap${file ? ` (the later: ${file})` : ''}`;
  if (s.lsnRange) return `LSNs ${s.lsnRange.first} up to ${s.lsnRange.last}${s.code === 'FORMAT_LOG_CHAIN_GAP' ? ', in no file given' : file ? ` of ${file}` : ''}`;
  if (file && s.location.offset !== undefined) return `${file} from offset ${s.location.offset}`;
  return file;
}

/**
 * The places of the log lost (`lost`: logLoss's items), for an INCOMPLETE line, said even with
 * --quiet (`log`, `scan`, the worker's job note): ` (P1; P2; P3; N more)` of lossPlace's distinct
 * non-empty places, at most three named; '' when none names a place. `tail`: text closing the
 * parenthesis (e.g. `see its skipped items`), kept even when no place is named.
 */
export function lossPlaces(lost: readonly SkippedItem[], tail?: string): string {
  const where = lost.map(lossPlace).filter((w, i, all) => w && all.indexOf(w) === i);
  const parts = [...where.slice(0, 3), ...(where.length > 3 ? [`${where.length - 3} more`] : []), ...(tail ? [tail] : [])];
  return parts.length ? ` (${parts.join('; ')})` : '';
}
