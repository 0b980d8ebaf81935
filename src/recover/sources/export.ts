import { unknownTableHint } from '../../reconstruct/metadata/names.js';
import { stagedTableName } from '../../util/tsql.js';
import { SchemaError, InputError } from '../../errors.js';
import { openExportStream, type ExportStream } from '../../logreader/export/export-stream.js';
import type { ExportHeader, ExportOutsideWindow } from '../../logreader/export/export-file.js';
import { SEASON_CAVEAT } from '../../logreader/begin-time.js';
import { driftExplanation, transactionDrift } from '../../logreader/live/drift.js';
import type { LogRecord } from '../../logreader/log-record.js';
import { lsnToDecimal, parseLsn } from '../../logreader/lsn.js';
import { catalogFromJson, layoutsFromCatalog } from '../../reconstruct/metadata/catalog-json.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import type { SourceFileIdentity } from '../source-identity.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { toHex } from '../../util/hex.js';
import { exportTimeIso } from '../log-local-time.js';
import { catalogModifyDates, columnstoreTables, type CatalogChanges } from '../rebuilt-tables.js';
import { committedCandidates, emptyStats, type CommittedScanStats } from '../committed.js';
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource, type RowCandidate, type ScanFilter, type SkippedItem, type SourceProgress } from '../source.js';

export interface ExportSourceOptions {
  logger?: Logger;
  /** Decode rows of tables altered after the delete anyway (the user supplied the old layout). */
  acceptSchemaDrift?: boolean;
  /** As FileSourceInputs: memory (bytes) for rows of open transactions, and the folder of the temporary files beyond it. */
  holdBudgetBytes?: number;
  spillDir?: string;
}

/**
 * `rowback scan --export FILE`: the records and catalog a DBA exported with
 * sql/export-log-records.sql. The committed-transaction filter is the shared one-pass one
 * (committed.ts) over the file's records; the login comes from the export's LOP_BEGIN_XACT
 * rows (SUSER_SNAME on the server that wrote it).
 */
export class ExportSource implements RecoverySource {
  private loaded: ExportStream | null = null;
  /** Transaction ID → login, from the LOP_BEGIN_XACT records seen (bounded by the number of transactions). */
  private readonly logins = new Map<string, string>();
  private bytesRead = 0;
  private catalog: MetadataCatalog | null = null;
  private readonly skippedItems: SkippedItem[] = [];
  private readonly log: Logger;
  readonly stats: CommittedScanStats = emptyStats();
  readonly notes: string[] = [];
  /** Of the notes, those said even with --quiet: what could not be checked of the file (an older export's cut). */
  readonly loudNotes: string[] = [];
  /** Progress of the running candidates(): records read in the current pass over the file's records. */
  private recordsRead = 0;
  private pass = 0;
  /** The tables the last candidates() read rows of (its --table ones, else the whole catalog) with their modify_date (rebuilt-tables.ts). */
  private readTables: CatalogChanges['tables'] | null = null;
  /** Of the tables the last candidates() read, the clustered columnstore ones (rebuilt-tables.ts columnstoreTablesClause). */
  private readColumnstore: string[] = [];
  /** The header of the file the last candidates() read (kept past close()). */
  private readHeader: ExportHeader | null = null;

  constructor(private readonly file: string, private readonly o: ExportSourceOptions = {}) {
    this.log = (o.logger ?? silentLogger).child({ export: file });
  }

  /** Header and catalog (one streaming pass); the records are streamed by each scan pass, never held. */
  private async load(): Promise<ExportStream> {
    if (!this.loaded) {
      this.loaded = await openExportStream(this.file);
      const h = this.loaded.header;
      if (h.serverTimeZone) this.notes.push(exportTimeZoneNote(h.serverTimeZone, h.exportedAt));
      else this.notes.push('the export does not state the server time zone: times are the server\'s local time, zone unknown');
      // the transactions the script read but left out, begun outside its window (a mass delete begun
      // a second before @From): said beside the rows, as a scan of the log itself says them
      if (h.outsideWindow && h.outsideWindow.rowOps > 0) this.notes.push(exportOutsideWindowNote(this.file, h, h.outsideWindow));
      for (const n of exportVersionNotes(this.file, this.loaded.format, h)) {
        this.notes.push(n);
        this.loudNotes.push(n);
      }
      this.log.info({ format: this.loaded.format, bytes: this.loaded.bytes, catalogRows: this.loaded.catalog.length }, 'export file header and catalog read');
    }
    return this.loaded;
  }

  /** The export header's window, tables and operations once the file was opened (what it holds: window-past-log.ts exportScopeClauses), else null. */
  get header(): ExportHeader | null {
    return this.loaded?.header ?? null;
  }

  /** The export's catalog rows (sql/export-log-records.sql's, of the database it read) are what metadata() reads. */
  readonly catalogOwner = "the export's";

  get description(): string {
    const h = this.loaded?.header;
    const from = h ? ` (${[h.server, h.database].filter(Boolean).join('/') || 'unknown server'}${h.serverTimeZone ? `, UTC${h.serverTimeZone}` : ''})` : '';
    return `export ${this.file}${from}`;
  }

  /**
   * The database's default collation as the export's header names it (databaseCollation, written by
   * sql/export-log-records.sql since it was added) and where it was read (`the header of FILE
   * (databaseCollation)`), for a `--ddl` script's char/varchar/text columns without COLLATE; null
   * when the header has none, said in a note (an older export: the columns are then read as the
   * assumed default, which the caller says). Reads the header (one pass over the file, once); throws
   * as the file's reading.
   */
  async databaseDefaultCollation(): Promise<{ collation: string; from: string } | null> {
    const h = (await this.load()).header;
    if (h.databaseCollation) return { collation: h.databaseCollation, from: `the header of ${this.file} (databaseCollation)` };
    const why = h.databaseCollation === null ? 'names none (the server gave NULL)' : 'does not name it (written by sql/export-log-records.sql before databaseCollation was added)';
    const note = `${this.file}: the database's default collation, which a --ddl script's char/varchar/text columns without COLLATE take, is not known: the export's header ${why}; SELECT DATABASEPROPERTYEX(N'${(h.database ?? 'the database').replace(/'/g, "''")}', 'Collation') on its server gives it for --collation, or export again with the current script`;
    if (!this.notes.includes(note)) this.notes.push(note);
    return null;
  }

  async metadata(): Promise<MetadataCatalog> {
    if (this.catalog) return this.catalog;
    const f = await this.load();
    if (f.catalog.length === 0) {
      // INPUT_NO_METADATA, as a files source without metadata: --schema/--ddl (metadata-override.ts)
      // then stand in for it. As SCHEMA_BAD_CATALOG it was thrown through them too, so the advice
      // to give --schema was refused again with --schema given.
      throw new InputError('INPUT_NO_METADATA', `${this.file} holds no catalog rows: give the table layout with --schema or --ddl`, { file: this.file });
    }
    this.catalog = catalogFromLayouts(layoutsFromCatalog(f.catalog, { file: this.file }));
    return this.catalog;
  }

  /**
   * The export's database as a `--schema` catalog is checked against (source-identity.ts
   * checkCatalogDatabase): the database_guid and family_guid its own catalog rows name (the same
   * sys.database_recovery_status row sql/table-metadata.sql reads), and its header's database. The
   * binding id is null when its catalog names none (no catalog rows, or an older export).
   */
  async fileIdentities(): Promise<SourceFileIdentity[]> {
    const f = await this.load();
    const id = f.catalog.length ? catalogFromJson(f.catalog, { file: this.file }).identity : null;
    return [{ file: this.file, role: 'export', bindingId: id?.databaseGuid ?? null, databaseName: f.header.database ?? id?.databaseName ?? null, familyGuid: id?.familyGuid ?? null }];
  }

  async *candidates(filter: ScanFilter, signal?: AbortSignal, catalogOverride?: MetadataCatalog): AsyncIterable<RowCandidate> {
    const f = await this.load();
    // the export's own catalog when it has one tells a table altered since (its modify_date), even
    // with an older --schema layout given: the drift check and the verdict's "altered since" read it.
    // The rows are chosen by the catalog they are decoded with, the --schema/--ddl one when given:
    // chosen by the export's own, a table it does not hold (dropped since, or given with --ddl and
    // --alloc-unit) had every row left out as on a unit "no table names", its mapping said unused.
    const own = f.catalog.length || !catalogOverride ? await this.metadata() : catalogOverride;
    const catalog = catalogOverride ?? own;
    const named = (filter.tables ?? []).map((t) => {
      const layout = catalog.byName(t);
      if (!layout) throw new InputError('INPUT_UNKNOWN_TABLE', `table ${t} is not in ${catalogOverride ? 'the table metadata given' : this.file}${unknownTableHint(t, catalog.tables().map(stagedTableName))}`, { table: t, file: this.file });
      return own.byName(t) ?? layout;
    });
    // the tables whose rows are read, for the verdict's "altered or rebuilt since" (rebuilt-tables.ts):
    // those of the catalog the rows are chosen by (--table's, else every table of the layout given,
    // else of the export's), each with the export's own catalog's modify_date (the one its records
    // were chosen by), a --schema one's when the export's catalog does not hold the table. The
    // export's whole catalog named, with --ddl of one table, another table's ALTER as INCOMPLETE
    // while that table's rows were not read at all.
    const ownOf = (t: TableLayout): TableLayout => own.byName(stagedTableName(t)) ?? t;
    this.readTables = catalogModifyDates(named.length ? named : catalog.tables().map(ownOf));
    this.readColumnstore = columnstoreTables(named.length ? named : catalog.tables().map(ownOf));
    this.readHeader = f.header;
    this.pass = 0;
    this.recordsRead = 0;
    const self = this;
    const open = async function* (): AsyncIterable<LogRecord> {
      self.pass++;
      self.recordsRead = 0;
      self.bytesRead = 0;
      // The committed filter reads the log in LSN order, as the export script writes it (ORDER BY
      // [Current LSN]). Records out of that order (a file sorted by hand, two exports pasted into one)
      // gave 0 rows unsaid when a commit came before its deletes, and one row twice when records
      // repeated: refused, naming both records.
      let prev: { lsn: bigint; text: string } | null = null;
      for await (const r of f.records({ signal, onLogin: (t, l) => self.logins.set(t, l), onBytes: (n) => (self.bytesRead = n) })) {
        self.recordsRead++;
        const text = r['Current LSN'];
        const lsn = BigInt(lsnToDecimal(parseLsn(text)));
        if (prev && lsn <= prev.lsn) {
          throw new InputError('INPUT_BAD_EXPORT', `${self.file}: record ${self.recordsRead} (LSN ${text}) ${lsn === prev.lsn ? 'repeats' : 'comes after'} LSN ${prev.text}: the records are not in rising LSN order, as sql/export-log-records.sql writes them (${lsn === prev.lsn ? 'the same record twice: two exports put into one file?' : 'a file sorted or edited by hand? or written by a script older than its binary ORDER BY of [Current LSN], on a server whose collation sorts the hex pair "aa" as "å", after "z" (Danish_Norwegian): then export again with the current script'}); use the file as the script wrote it`, { file: self.file, lsn: text });
        }
        prev = { lsn, text };
        yield r;
      }
    };
    for await (const c of committedCandidates(open, filter, catalog, { stats: this.stats, holdBudgetBytes: this.o.holdBudgetBytes, spillDir: this.o.spillDir })) {
      const login = this.logins.get(c.txn.transactionId) ?? null;
      const candidate: RowCandidate = { record: c.record, txn: { ...c.txn, login } };
      const drift = this.o.acceptSchemaDrift ? null : this.drift(candidate, own);
      if (drift) {
        this.stats.schemaDriftRowOps = (this.stats.schemaDriftRowOps ?? 0) + 1;
        this.skippedItems.push({
          code: 'SOURCE_SCHEMA_DRIFT',
          reason: drift.reason,
          location: { file: this.file, lsn: c.record['Current LSN'], table: drift.table },
          ...(c.record['RowLog Contents 0'] ? { raw: toHex(c.record['RowLog Contents 0']) } : {}),
        });
        continue;
      }
      yield candidate;
    }
  }

  /** The exported catalog is the layout at export time; a table altered after the row's transaction began may not fit it. */
  private drift(c: RowCandidate, catalog: MetadataCatalog): { table: string; reason: string } | null {
    const t = c.record.AllocUnitId ? catalog.byAllocUnit(c.record.AllocUnitId) : undefined;
    if (!t) return null;
    // its begin not read: by its commit's End Time (drift.ts transactionDrift)
    const d = transactionDrift(t, c.txn.beginTime, c.txn.endTime);
    return d ? { table: stagedTableName(t), reason: driftExplanation(t, d.modified, d.since) } : null;
  }

  committedStats(): CommittedScanStats {
    return this.stats;
  }

  /**
   * RecoverySource.catalogChanges: after candidates(), the tables it read rows of with their
   * sys.objects.modify_date (the export's #catalog, as the server had it when the file was written),
   * and where what the export holds begins: the earliest of its header's logRead (first Begin Time,
   * first End Time: version 2) and the first transaction read (Begin Time, or a commit's End Time),
   * or its own window's start (@From) when that is later (transactions begun before it are not in
   * the file); null before a scan.
   */
  catalogChanges(): CatalogChanges | null {
    if (!this.readTables) return null;
    const h = this.readHeader;
    const starts = [exportTimeIso(h?.logRead?.firstBeginTime ?? null), exportTimeIso(h?.logRead?.firstEndTime ?? null), exportTimeIso(this.stats.firstBeginTime), exportTimeIso(this.stats.firstCommitTime ?? null)].filter((x): x is string => x !== null);
    let from = starts.length ? starts.reduce((a, b) => (b < a ? b : a)) : null;
    const windowFrom = exportTimeIso(h?.window.from ?? null);
    if (windowFrom !== null && (from === null || windowFrom > from)) from = windowFrom;
    return { tables: this.readTables, logReadFrom: from, ...(this.readColumnstore.length ? { columnstore: this.readColumnstore } : {}) };
  }

  skipped(): SkippedItem[] {
    return this.skippedItems;
  }

  /** The bytes and records of the file read by the (one-pass) committed filter. */
  progress(): SourceProgress {
    return { bytesRead: this.bytesRead, ...(this.loaded?.bytes !== undefined ? { bytesTotal: this.loaded.bytes } : {}), recordsRead: this.recordsRead, pass: this.pass, passes: 1 };
  }

  async close(): Promise<void> {
    this.loaded = null;
  }
}

/**
 * The note on an export's times: the exporting server's local time, at the offset `timeZone` it had
 * when the file was written (`exportedAt`, the header's SYSDATETIMEOFFSET() text, named when known),
 * which a time from the other season of daylight saving did not have (SEASON_CAVEAT).
 */
export function exportTimeZoneNote(timeZone: string, exportedAt: string | null): string {
  return `times are the exporting server's local time, UTC${timeZone} when it was exported${exportedAt ? ` (${exportedAt})` : ''}${SEASON_CAVEAT}`;
}

/**
 * The note on an export's `outsideWindow` (export-file.ts ExportOutsideWindow): its row operations of
 * committed transactions the script read begun outside its window (`header.window`), when they
 * began, and that they are not in `file`. Pure.
 */
export function exportOutsideWindowNote(file: string, header: Pick<ExportHeader, 'window' | 'operations'>, o: ExportOutsideWindow): string {
  const a = o.firstBeginTime;
  const b = o.lastBeginTime;
  const span = a && b ? (a === b ? `; it began at ${a}` : `; they began from ${a} to ${b}`) : '';
  const window = `${header.window.from ?? 'the start of the log read'} to ${header.window.to ?? 'its end'}`;
  return `${o.rowOps.toLocaleString('en-US')} more row operation(s) (${header.operations ?? 'of the operations exported'}) on the exported tables are in committed transactions begun outside the export's window (${window}${span}, the SQL Server's local time): sql/export-log-records.sql counted them but did not write them, so they are not in ${file} nor in this result; export again with @From/@To around them to see them`;
}

export function openExportSource(file: string, o: ExportSourceOptions = {}): ExportSource {
  return new ExportSource(file, o);
}

/**
 * What an export of an older version (ExportHeader.version 1, before sql/export-log-records.sql wrote
 * its closing #end section and `logRead`) lets no one check, as notes said even with --quiet:
 * - a CSV cut at a line end inside its last section (#catalog) reads as whole, the last tables'
 *   columns missing (a JSON export cut anywhere fails to parse: nothing to say);
 * - for an export of a log backup (`logSource` fn_dump_dblog; a version 1 CSV does not say), where
 *   that backup's log ends is not recorded, so a window past it cannot be told (exportLogReadClauses
 *   says it of version 2).
 * `file` is named in the notes; `format` the file's form. Pure; [] for the current version.
 */
export function exportVersionNotes(file: string, format: 'json' | 'csv', header: Pick<ExportHeader, 'version' | 'logSource' | 'logBackup'>): string[] {
  if (header.version >= 2) return [];
  const out: string[] = [];
  if (format === 'csv') out.push(`${file} is a version 1 export (written by an sql/export-log-records.sql older than its closing #end section): a copy cut short at a line end inside its last section, #catalog, cannot be detected, and the last tables' columns would then be missing without a word; check that the file ends with the catalog rows of every table exported, or export again with the current script, whose files are checked`);
  const again = 'export again with the current script, which records it, to have the window checked';
  if (header.logSource === 'fn_dump_dblog') out.push(`${file} is a version 1 export of the log backup ${header.logBackup ?? '(not named)'} (@LogBackup): where that backup's log ends is not recorded, so a window running past it (transactions begun after the backup, in later log) cannot be told from one it holds whole; ${again}`);
  else if (header.logSource === null) out.push(`${file} is a version 1 export whose header does not say whether it read a log backup (@LogBackup): if it did, where that backup's log ends is not recorded, so a window running past it cannot be told from one it holds whole; ${again}`);
  return out;
}
