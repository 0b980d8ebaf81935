import { unknownTableHint } from '../../reconstruct/metadata/names.js';
import { stagedTableName, tableText } from '../../util/tsql.js';
import { randomUUID } from 'node:crypto';
import { InputError, SourceError } from '../../errors.js';
import { parseBeginTime, SEASON_CAVEAT } from '../../logreader/begin-time.js';
import { findStartLsn, vlfsFromRows, type StartBound } from '../../logreader/live/bounds.js';
import { driftExplanation, driftSince, transactionDrift } from '../../logreader/live/drift.js';
import { mapScanRow } from '../../logreader/live/map-row.js';
import { LOP_ABORT_XACT, LOP_BEGIN_XACT, LOP_COMMIT_XACT, type LogRecord } from '../../logreader/log-record.js';
import { committedCandidateBatches, emptyStats, windowSide, type CommittedScanStats } from '../committed.js';
import { mapSessions, replicaStateOf, sessionOf, sessionsNotWriters, sessionsSql, type SessionFacts } from '../../logreader/live/sessions.js';
import { MssqlRunner, type SqlRunner } from '../../logreader/live/runner.js';
import { readShippedSql, withoutBatchSeparators } from '../../logreader/live/shipped-sql.js';
import { firstBeginXactOfBackupSql, firstBeginXactSql, firstCommitXactSql, headerOnlySql, LEFT_OUT, logVlfsSql, LSN_ORDER_SOURCE, scanSql, serverInfoSql, TRACE_FLAG_INACTIVE_LOG, type LogInput } from '../../logreader/live/sql.js';
import { compareLsn, formatLsn, parseLsn, type Lsn } from '../../logreader/lsn.js';
import { catalogFromJson, type CatalogIdentity } from '../../reconstruct/metadata/catalog-json.js';
import { assertOneDatabase, type SourceFileIdentity } from '../source-identity.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import type { Row } from '../../logreader/live/stream.js';
import { resolveConnection, type ConnectionSettings } from '../../util/connection.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { catalogModifyDates, columnstoreTables, type CatalogChanges } from '../rebuilt-tables.js';
import { exportTimeIso } from '../log-local-time.js';
import { catalogFromLayouts, type MetadataCatalog, type RecoverySource, type RowCandidate, type ScanFilter, type SkippedItem, type SourceProgress, type TransactionInfo } from '../source.js';
import { fileAndSet } from '../../util/backup-set-text.js';

export interface LiveSourceOptions {
  /** `--server`: a connection string or a server name (the rest from MSSQL_* variables). */
  server?: string;
  /** Already resolved settings (tests, the service). */
  connection?: ConnectionSettings;
  database: string;
  /** `--log-backup`: files the *server* can read, read through fn_dump_dblog. */
  logBackups?: string[];
  /** `--inactive-log`: DBCC TRACEON(2537) for the scan's session. */
  inactiveLog?: boolean;
  /** Read the online log too when log backups are given (default true). */
  onlineLog?: boolean;
  /** Explicit LSN bounds (override the window probe). */
  startLsn?: Lsn;
  endLsn?: Lsn;
  /** Decode rows of tables altered since the window start anyway (the user supplied the old layout). */
  acceptSchemaDrift?: boolean;
  /** Bytes of rows held for transactions whose commit is not yet read (committed.ts; default 64 MB), then spilled to `spillDir`. */
  holdBudgetBytes?: number;
  /** Folder for the spill files (default: the OS temporary folder). */
  spillDir?: string;
  queryTimeoutMs?: number;
  logger?: Logger;
  jobId?: string;
  /** Injected for tests; default: an mssql connection. */
  runner?: SqlRunner;
  env?: NodeJS.ProcessEnv;
}

export interface ServerFacts {
  productVersion: string;
  /** The server clock's UTC offset (`+08:00`): every time rowback prints for this source is in it. */
  timeZone: string;
  serverNow: string;
  database: string;
  isSysadmin: boolean;
  recoveryModel: string;
  /**
   * The database's default collation (sys.databases.collation_name: `Turkish_CI_AS`), what a
   * `--ddl` script's char/varchar/text columns without COLLATE take; null when the server gave none
   * (a database not online, or an answer without the column).
   */
  collation: string | null;
}

export const INACTIVE_LOG_WARNING =
  `--inactive-log: trace flag ${TRACE_FLAG_INACTIVE_LOG} is switched on for this scan's session only, so fn_dblog also returns records ` +
  'from the inactive part of the log — VLFs already truncated (after a log backup or checkpoint) but not yet overwritten. ' +
  'Those records are leftovers: a VLF may have been partly reused, so rows found there can be incomplete or older than they look, ' +
  'and they are no longer protected by the log chain. Treat them as leads to verify, not as evidence. Needs sysadmin.';

/**
 * The live source: a SQL Server the worker may connect to. Metadata comes from the shipped
 * catalog query, candidates from one fn_dblog / fn_dump_dblog pass (sql.ts scanSql).
 */
export class LiveSource implements RecoverySource {
  private readonly runner: SqlRunner;
  private readonly log: Logger;
  private readonly skippedItems: SkippedItem[] = [];
  private catalog: MetadataCatalog | null = null;
  /** The database the catalog rows name (sql/table-metadata.sql's database_guid …), once metadata() read them. */
  private identity: CatalogIdentity | null = null;
  private facts: ServerFacts | null = null;
  /** The --log-backup files' backup sets as the server lists them (RESTORE HEADERONLY), read once. */
  private logSets: { inputs: BackupInput[]; ids: SourceFileIdentity[] } | null = null;
  /** Rows the log scan query has streamed so far (progress). */
  private rowsStreamed = 0;
  /** Things the user must be told (printed by the CLI, kept in the report). */
  readonly notes: string[] = [];
  /** The online log's first Begin Time when the last scan's window began before it with no log backup read (startBound), else null. */
  private onlineLogStartsAt: string | null = null;
  /** The tables the last scan read rows of (its --table ones, else the whole catalog) with their modify_date (rebuilt-tables.ts). */
  private readTables: CatalogChanges['tables'] | null = null;
  /** Of the tables the last candidates() read, the clustered columnstore ones (rebuilt-tables.ts columnstoreTablesClause). */
  private readColumnstore: string[] = [];
  /** Where the last scan's log read begins (its first LOP_BEGIN_XACT, probed when no window start was given), ISO local time; null when not probed or not found. */
  private probedLogStart: string | null = null;
  /** Each --log-backup set's FirstLSN (RESTORE HEADERONLY, numeric(25,0)), by `file#position`, when the listing gave it. */
  private readonly setFirstLsn = new Map<string, bigint>();
  /** The committed filter's counts over what the scan query returned (serverFiltered). */
  private readonly stats: CommittedScanStats = { ...emptyStats(), serverFiltered: true };

  constructor(private readonly o: LiveSourceOptions) {
    if (!o.database) throw new InputError('INPUT_BAD_OPTION', '--server needs --database');
    this.runner = o.runner ?? new MssqlRunner(LiveSource.settings(o), { logger: o.logger, defaultTimeoutMs: o.queryTimeoutMs });
    this.log = (o.logger ?? silentLogger).child({ jobId: o.jobId ?? randomUUID(), database: o.database });
    if (o.inactiveLog) this.notes.push(INACTIVE_LOG_WARNING);
  }

  /** fn_dblog reads the log of the connection's database, so --database decides it. */
  static settings(o: LiveSourceOptions): ConnectionSettings {
    if (o.connection) return { ...o.connection, database: o.database };
    const fromString = resolveConnection(o.server, o.env ?? process.env);
    if (fromString.database && fromString.database.toLowerCase() !== o.database.toLowerCase()) {
      throw new InputError('INPUT_BAD_OPTION', `--database ${o.database} and the connection's database ${fromString.database} differ`);
    }
    return { ...fromString, database: o.database };
  }

  /** metadata() reads the live database's catalog, as the server gives it (sql/table-metadata.sql). */
  readonly catalogOwner = "the server's";

  get description(): string {
    const tz = this.facts ? ` (server time zone UTC${this.facts.timeZone})` : '';
    return `live ${this.runner.description}${tz}`;
  }

  async serverFacts(signal?: AbortSignal): Promise<ServerFacts> {
    if (this.facts) return this.facts;
    const [r] = await this.runner.query(serverInfoSql(), { signal, label: 'server facts' });
    if (!r) throw new SourceError('SOURCE_QUERY', `database ${this.o.database} is not visible to this login`);
    this.facts = {
      productVersion: String(r.product_version),
      timeZone: String(r.tz_offset),
      serverNow: String(r.server_now),
      database: String(r.database_name),
      isSysadmin: r.is_sysadmin === 1 || r.is_sysadmin === true,
      recoveryModel: String(r.recovery_model),
      collation: typeof r.collation_name === 'string' && r.collation_name !== '' ? r.collation_name : null,
    };
    this.notes.push(serverTimeNote(this.facts.timeZone, this.runner.description));
    if (this.facts.recoveryModel === 'SIMPLE') {
      this.notes.push('the database uses the SIMPLE recovery model: the log is truncated at every checkpoint, so deletes older than the last checkpoint may be gone from the online log');
    }
    if (!this.facts.isSysadmin) {
      this.notes.push('this login is not sysadmin: fn_dblog needs sysadmin (or db_owner of the database on recent versions); a permission error will say so');
    }
    this.log.info({ facts: this.facts }, 'server facts');
    return this.facts;
  }

  /**
   * The database's default collation as the server gives it (ServerFacts.collation, read with the
   * server facts) and where it was read (`sys.databases.collation_name of CRM on SERVER`), or null
   * when the server gave none. Throws as serverFacts().
   */
  async databaseDefaultCollation(signal?: AbortSignal): Promise<{ collation: string; from: string } | null> {
    const f = await this.serverFacts(signal);
    return f.collation ? { collation: f.collation, from: `sys.databases.collation_name of ${this.o.database} on ${this.runner.description}` } : null;
  }

  async metadata(): Promise<MetadataCatalog> {
    if (this.catalog) return this.catalog;
    await this.serverFacts();
    const text = withoutBatchSeparators(readShippedSql('table-metadata.sql'));
    const rows = await this.runner.query({ text, params: [] }, { label: 'table metadata (sql/table-metadata.sql)' });
    // bit columns arrive as booleans, ints as numbers, bigint ids as text (the query converts them).
    const read = catalogFromJson(rows.map(jsonSafe));
    const layouts = read.layouts;
    this.identity = read.identity;
    this.catalog = catalogFromLayouts(layouts);
    this.log.info({ tables: layouts.length }, 'table metadata loaded');
    return this.catalog;
  }

  /**
   * The live database as a source identity (role `server`): the database_guid, name and family_guid
   * sql/table-metadata.sql returns on every catalog row (sys.database_recovery_status), so a
   * `--schema` catalog, or a live job's metadata.catalog, is checked against the database scanned
   * (source-identity.ts checkCatalogDatabase) as it is against files: allocation unit ids repeat
   * between databases. A database without user tables returns no catalog row: bindingId null (the
   * check is then said not to have been made). Reads the catalog (metadata()) when not yet read.
   */
  async fileIdentities(): Promise<SourceFileIdentity[]> {
    await this.metadata();
    const id = this.identity;
    const server: SourceFileIdentity = { file: `${this.o.database} on ${this.runner.description}`, role: 'server', bindingId: id?.databaseGuid ? id.databaseGuid.toUpperCase() : null, databaseName: id?.databaseName ?? this.o.database, familyGuid: id?.familyGuid ?? null };
    return [server, ...(await this.logBackupSets()).ids];
  }

  /**
   * Every backup set of every --log-backup file, as the server lists them (`RESTORE HEADERONLY FROM
   * DISK = @file`, one row per set: Position, DatabaseName, BindingID, FamilyGUID), read once: each
   * set becomes one fn_dump_dblog input (@seqnum = its Position), and one identity (role `trn`,
   * `set` when the file holds several) for the check that they are of the scanned database.
   * BACKUP LOG appends to an existing file unless told WITH INIT (and any database's backups to one
   * file), so set 1 alone missed the later sets' deletes. Throws SourceError SOURCE_QUERY (a file the
   * server cannot read, or a listing without a Position) naming the file.
   */
  private async logBackupSets(signal?: AbortSignal): Promise<{ inputs: BackupInput[]; ids: SourceFileIdentity[] }> {
    if (this.logSets) return this.logSets;
    const inputs: BackupInput[] = [];
    const ids: SourceFileIdentity[] = [];
    for (const file of this.o.logBackups ?? []) {
      const rows = await this.runner.query(headerOnlySql(file), { signal, label: `backup sets of ${file} (RESTORE HEADERONLY)`, allowHeaderOnly: true });
      const all = rows.map((r) => ({ position: Number(r.Position), backupType: r.BackupType == null ? null : Number(r.BackupType), databaseName: r.DatabaseName == null ? null : String(r.DatabaseName), bindingId: guidText(r.BindingID), familyGuid: guidText(r.FamilyGUID) }));
      const bad = all.find((x) => !Number.isInteger(x.position) || x.position < 1);
      if (all.length === 0 || bad) throw new SourceError('SOURCE_QUERY', `RESTORE HEADERONLY of ${file} on ${this.runner.description} ${bad ? 'gave a backup set without a Position' : 'listed no backup set'}: it cannot be read through fn_dump_dblog`, { file });
      all.sort((a, b) => a.position - b.position);
      // Only log backup sets (BackupType 2, "Transaction log"; 1 database, 5 differential database, …:
      // Microsoft Learn, RESTORE HEADERONLY) are read, as `scan --trn` reads a file (sources/files.ts,
      // INPUT_NOT_A_LOG_BACKUP): BACKUP DATABASE and BACKUP LOG to one file (NOINIT) is common, and
      // fn_dump_dblog was given the full backup's set too, whose log part (the stretch the backup ran
      // over) the log backup after it holds as well (a full backup does not break the log chain).
      const sets = all.filter((x) => x.backupType === LOG_BACKUP_TYPE);
      const other = all.filter((x) => x.backupType !== LOG_BACKUP_TYPE);
      if (sets.length === 0) throw new InputError('INPUT_NOT_A_LOG_BACKUP', `${file} holds no log backup (RESTORE HEADERONLY on ${this.runner.description} lists ${other.map((x) => `set ${x.position}: ${backupTypeName(x.backupType)}`).join(', ')}): --log-backup reads log backups only`, { file });
      if (other.length) this.notes.push(`${file}: backup set${other.length > 1 ? 's' : ''} ${other.map((x) => `${x.position} (${backupTypeName(x.backupType)})`).join(', ')} not read: not a log backup (--log-backup reads the file's log backup sets, ${sets.map((x) => x.position).join(', ')})`);
      for (const r of rows) {
        const first = r.FirstLSN;
        if ((typeof first === 'string' && /^\d{1,25}$/.test(first)) || (typeof first === 'number' && Number.isSafeInteger(first))) this.setFirstLsn.set(`${file}#${Number(r.Position)}`, BigInt(first));
      }
      for (const x of sets) {
        // sets: all the file holds (a row's source names its set whenever there are several, a full backup's included)
        inputs.push({ kind: 'backup', file, position: x.position, sets: all.length });
        ids.push({ file, role: 'trn', bindingId: x.bindingId, databaseName: x.databaseName, familyGuid: x.familyGuid, ...(all.length > 1 ? { set: x.position } : {}) });
      }
      if (sets.length > 1) this.notes.push(`${file} holds ${sets.length} log backup sets (BACKUP … WITH NOINIT appends them): each is read (fn_dump_dblog, sets ${sets.map((x) => x.position).join(', ')})`);
    }
    this.logSets = { inputs, ids };
    return this.logSets;
  }

  /**
   * RecoverySource.candidates. `catalogOverride`: the layout given (--ddl/--schema with --alloc-unit,
   * a job's metadata; metadata-override.ts withMetadata), by which the rows are chosen and decoded,
   * as a scan of files does: the scan query reads exactly its tables' in-row AllocUnitIds (sql.ts
   * scanSql `units`), those of a table the server's catalog no longer holds (DROPPED after the
   * delete) among them. Before, the query chose the units through the server's catalog (sys.partitions,
   * OBJECT_ID) and the filter by the server's catalog too: a dropped table's rows were never returned,
   * and the scan said its --alloc-unit unused beside rows "on units no table names" on that very unit.
   * The server's own catalog still gives the drift check and the verdict's modify_date.
   */
  async *candidates(filter: ScanFilter, signal?: AbortSignal, catalogOverride?: MetadataCatalog): AsyncIterable<RowCandidate> {
    const own = await this.metadata();
    const catalog = catalogOverride ?? own;
    // the layouts read (the override's, when given) and, for the drift check, the server's of the same name
    const chosen: TableLayout[] = [];
    const named: TableLayout[] = [];
    for (const t of filter.tables ?? []) {
      const layout = catalog.byName(t);
      if (!layout) throw new InputError('INPUT_UNKNOWN_TABLE', `table ${t} is not in ${catalogOverride ? 'the table metadata given' : this.o.database}${unknownTableHint(t, catalog.tables().map(stagedTableName), catalogOverride ? null : this.o.database)}`, { table: t });
      chosen.push(layout);
      named.push(own.byName(t) ?? layout);
    }
    const ownOf = (t: TableLayout): TableLayout => own.byName(stagedTableName(t)) ?? t;
    // the tables whose rows are read, for the verdict's "altered or rebuilt since" (rebuilt-tables.ts)
    this.readTables = catalogModifyDates(named.length ? named : catalog.tables().map(ownOf));
    this.readColumnstore = columnstoreTables(named.length ? named : catalog.tables().map(ownOf));
    // with a layout given, its tables' in-row units, read by id (a dropped table's are in no catalog)
    const units = catalogOverride ? [...new Set((chosen.length ? chosen : catalog.tables()).flatMap((t) => (t.allocUnits ?? []).filter((a) => a.type === 'IN_ROW_DATA').map((a) => a.allocUnitId)))] : undefined;
    if (units && units.length === 0) throw new InputError('INPUT_NO_ALLOC_UNIT', `the layout given maps ${(chosen.length ? chosen : catalog.tables()).map((t) => tableText(t)).join(', ') || 'no table'} to no in-row allocation unit: give --alloc-unit SCHEMA.NAME=ID (a job's metadata.allocUnits), or leave out --ddl/--schema to read ${this.o.database}'s catalog`);
    this.probedLogStart = null;
    if (filter.from && !this.o.acceptSchemaDrift) {
      for (const t of named) {
        const modified = driftSince(t, filter.from);
        if (modified) throw new SourceError('SOURCE_SCHEMA_DRIFT', driftExplanation(t, modified, filter.from), { table: stagedTableName(t) });
      }
    }

    if (!this.o.logBackups?.length && this.o.onlineLog === false) throw new InputError('INPUT_BAD_OPTION', 'nothing to read: give --log-backup files or keep the online log');
    // every set of every log backup file (fn_dump_dblog reads the one its @seqnum names), each of
    // the scanned database: allocation unit ids repeat between databases, so another database's log
    // backup (a file of appended backups of several databases, or a file mixed up) would print its
    // rows as this database's tables
    const sets = await this.logBackupSets(signal);
    if (sets.ids.length) {
      const [server] = await this.fileIdentities();
      const check = assertOneDatabase([server!, ...sets.ids]);
      if (check.unchecked.length) {
        this.notes.push(`${check.unchecked.map((u) => (u.role === 'server' ? `the database ${this.o.database} (its database_guid could not be read: VIEW ANY DATABASE shows sys.database_recovery_status)` : `${fileAndSet(u.file, u.set)} (no BindingID in its header)`)).join('; ')}: rowback could not check that the log backups are of ${this.o.database}`);
      }
    }
    const inputs: LogInput[] = [...sets.inputs, ...(this.o.onlineLog === false ? [] : [{ kind: 'online' } as LogInput])];
    const bound = this.o.startLsn ? { start: this.o.startLsn, probes: 0 } : await this.startBound(filter, inputs, signal);
    const end = this.o.endLsn ?? null;
    const scanLog = this.log.child({ lsnFrom: bound.start ? formatLsn(bound.start) : null, lsnTo: end ? formatLsn(end) : null });

    const stmt = scanSql({
      inputs,
      start: bound.start,
      end,
      from: filter.from,
      to: filter.to,
      operations: filter.operations,
      tables: units ? [] : named.map((t) => ({ schema: t.schema, name: t.name })),
      ...(units ? { units } : {}),
      inactiveLog: this.o.inactiveLog,
    });
    const sessions = await this.sessionSnapshot(signal);
    // without a window start, where the log read begins decides which tables' rebuilds it may span
    if (!filter.from) this.probedLogStart = await this.logReadBegins(inputs, bound.start, signal);
    scanLog.info({ inputs: inputs.length, probes: bound.probes }, 'log scan started');
    const driftReported = new Set<string>();
    // The query returns each committed transaction's begin, commit, wanted row operations and
    // opposite ones (sql.ts scanSql), in LSN order; the same one-pass filter as a scan of files
    // (committed.ts) pairs the rows a transaction took back itself — a statement or savepoint rolled
    // back inside it (its compensation records), or the same row inserted again — and leaves them
    // out, with their count in a note. Its candidates come in commit order.
    // The counts describe what the server returned (stats.serverFiltered): the rows the pairing
    // left out, TRUNCATE/DROP transactions and "why no rows" are said from them as for files.
    const stats = this.stats;
    Object.assign(stats, emptyStats(), { serverFiltered: true });
    delete stats.schemaDriftRowOps;
    const logins = new Map<string, string | null>();
    let ended: string | undefined;
    const self = this;
    this.rowsStreamed = 0;
    const records = async function* (): AsyncIterable<LogRecord> {
      const order = new LsnOrder(self.runner.description);
      for await (const row of self.runner.stream(stmt, { signal, label: 'log scan', allowInactiveLogTraceFlag: self.o.inactiveLog })) {
        self.rowsStreamed++;
        if (row.left_out !== null && row.left_out !== undefined) {
          // one transaction the query does not return, with its count (sql.ts LEFT_OUT)
          const item = countLeftOut(row, stats, filter);
          if (item) self.skippedItems.push(item);
          else order.check(String(row['Current LSN']));
          continue;
        }
        const m = mapScanRow(row, inputs);
        if (m.kind === 'skipped') {
          self.skippedItems.push(m.item);
          continue;
        }
        const r = m.candidate.record;
        order.check(r['Current LSN']);
        // SUSER_SNAME of the transaction's SID: every row carries it, kept once per transaction,
        // until the record after its commit or abort: the filter hands out what a commit released
        // before it asks for the next record, so a transaction that yielded no row (rolled back,
        // paired, TRUNCATE) leaves no entry behind
        if (ended !== undefined) {
          logins.delete(ended);
          ended = undefined;
        }
        if (r.Operation === LOP_BEGIN_XACT) logins.set(r['Transaction ID'], m.candidate.txn.login);
        else if (r.Operation === LOP_COMMIT_XACT || r.Operation === LOP_ABORT_XACT) ended = r['Transaction ID'];
        yield r;
      }
    };
    // one TransactionInfo per commit (committed.ts): its login and session looked up once
    const seen = new WeakMap<TransactionInfo, TransactionInfo>();
    for await (const batch of committedCandidateBatches(() => records(), filter, catalog, { stats, holdBudgetBytes: this.o.holdBudgetBytes, spillDir: this.o.spillDir })) {
      for (const c0 of batch) {
        let txn = seen.get(c0.txn);
        if (!txn) {
          const id = c0.txn.transactionId;
          txn = { ...c0.txn, login: logins.get(id) ?? null };
          logins.delete(id);
          if (sessions.length) {
            const s = sessionOf(sessions, txn.spid, txn.sid, txn.beginTime ? parseBeginTime(txn.beginTime) : null);
            if (s) { txn.host = s.hostName; txn.program = s.programName; }
          }
          seen.set(c0.txn, txn);
        }
        const c: RowCandidate = { record: c0.record, txn };
        // Per row too: covers every table when none is named, and named tables scanned without --from.
        if (!this.o.acceptSchemaDrift) {
          const drift = this.rowDrift(c, own);
          if (drift) {
            if (!driftReported.has(drift.table)) scanLog.warn({ table: drift.table }, 'schema drift: rows skipped');
            driftReported.add(drift.table);
            stats.schemaDriftRowOps = (stats.schemaDriftRowOps ?? 0) + 1;
            this.skippedItems.push({
              code: 'SOURCE_SCHEMA_DRIFT',
              reason: drift.reason,
              location: { lsn: c.record['Current LSN'], table: drift.table },
              ...(c.record['RowLog Contents 0'] ? { raw: Buffer.from(c.record['RowLog Contents 0']).toString('hex').toUpperCase() } : {}),
            });
            continue;
          }
        }
        yield c;
      }
    }
    scanLog.info('log scan finished');
  }

  /**
   * The user sessions the server still has (host, program), to name where a transaction came
   * from; a login without VIEW SERVER STATE sees only its own, and a failure only costs the
   * host names (a note says so), never the scan.
   */
  private async sessionSnapshot(signal?: AbortSignal): Promise<SessionFacts[]> {
    try {
      const rows = await this.runner.query(sessionsSql(this.facts?.productVersion), { signal, label: 'sessions (sys.dm_exec_sessions)' });
      this.replica = replicaStateOf(rows);
      if (this.replica && this.replica.role !== 'PRIMARY') this.notes.push(secondaryClockNote(this.o.database, this.facts?.timeZone ?? null));
      // on a secondary replica (or a STANDBY log shipping secondary) the sessions are not the writers'
      const elsewhere = sessionsNotWriters(rows, this.o.database);
      if (elsewhere) {
        this.notes.push(`host and program names are not shown: ${elsewhere}`);
        return [];
      }
      return mapSessions(rows);
    } catch (e) {
      if (signal?.aborted) throw e;
      this.notes.push(`host and program names are not shown: sys.dm_exec_sessions could not be read (${(e as Error).message.slice(0, 200)})`);
      return [];
    }
  }

  /** The local availability group replica's state for the database, as the sessions read gave it (null: none, or not read). */
  private replica: ReturnType<typeof replicaStateOf> = null;

  /**
   * The INCOMPLETE sentence of a scan read on an availability group's secondary replica that is not
   * SYNCHRONIZED, when the window runs past the last commit it holds; [] otherwise (also before a scan,
   * and where the sessions read failed: the state is read with it). rowback's default
   * ApplicationIntent=ReadOnly is routed to a readable secondary behind a listener, and a secondary's
   * log is the primary's as far as it has received it: an asynchronous one lags, one whose data
   * movement is suspended or disconnected (NOT SYNCHRONIZING) stops where it was, hours before now, and
   * the scan printed the deletes up to there as the whole window. A SYNCHRONIZED (synchronous-commit)
   * secondary hardens every commit before the primary acknowledges it: whole. `filter`: the window
   * (`to` ISO local; none: up to now). The times are the primary's clock (last_commit_time, Begin Time).
   */
  secondaryLogEndClauses(filter: { from?: string; to?: string }): string[] {
    const r = this.replica;
    if (!r || r.role === 'PRIMARY' || r.syncState === 'SYNCHRONIZED') return [];
    if (filter.to !== undefined && r.lastCommitTime !== null && filter.to <= r.lastCommitTime) return [];
    const upTo = filter.to !== undefined ? `the window runs to ${filter.to}` : 'the window is open to now';
    const held = r.lastCommitTime !== null ? `its log holds the primary's commits up to ${r.lastCommitTime} (sys.dm_hadr_database_replica_states last_commit_time, the primary's clock)` : 'when its last commit was cannot be read (sys.dm_hadr_database_replica_states last_commit_time is NULL)';
    return [`this server holds database ${this.o.database} as ${r.role === 'SECONDARY' ? 'a secondary replica' : `a replica in role ${r.role}`} of an availability group that is not synchronized (${r.syncState ?? 'state unknown'}): ${held}, and ${upTo}: transactions the primary committed after that are not in this result; scan the primary (ApplicationIntent=ReadWrite in the connection string) or a SYNCHRONIZED replica`];
  }

  /** The per-row drift check: the row's table was altered after the row's transaction began. */
  private rowDrift(c: RowCandidate, catalog: MetadataCatalog): { table: string; reason: string } | null {
    const t = c.record.AllocUnitId ? catalog.byAllocUnit(c.record.AllocUnitId) : undefined;
    if (!t) return null;
    // its begin not read: by its commit's End Time (drift.ts transactionDrift)
    const d = transactionDrift(t, c.txn.beginTime, c.txn.endTime);
    return d ? { table: stagedTableName(t), reason: driftExplanation(t, d.modified, d.since) } : null;
  }

  private async startBound(filter: ScanFilter, inputs: LogInput[], signal?: AbortSignal): Promise<StartBound> {
    if (!filter.from || !inputs.some((i) => i.kind === 'online')) return { start: null, probes: 0 };
    if (this.o.inactiveLog) {
      // Probes run without the trace flag and cannot see inactive VLFs: read from the start.
      return { start: null, probes: 0 };
    }
    let vlfRows;
    try {
      vlfRows = await this.runner.query(logVlfsSql(), { signal, label: 'VLF list (sys.dm_db_log_info)' });
    } catch (e) {
      // sys.dm_db_log_info arrived in SQL Server 2016 SP2; older servers are scanned unbounded.
      if (e instanceof SourceError && e.code === 'SOURCE_QUERY') {
        this.notes.push('sys.dm_db_log_info is not available (SQL Server before 2016 SP2): the whole online log is read to find the window');
        return { start: null, probes: 0 };
      }
      throw e;
    }
    const vlfs = vlfsFromRows(vlfRows, false);
    if (vlfRows.length > 0 && vlfs.length === 0) {
      this.notes.push('sys.dm_db_log_info gave no readable vlf_first_lsn: the whole online log is read to find the window');
      return { start: null, probes: 0 };
    }
    // the first commit's End Time at a VLF (commits are logged in time order, begins are not:
    // bounds.ts), and the first begin's Begin Time of the oldest VLF (a log beginning after the window)
    const probe = (sql: (lsn: Lsn) => ReturnType<typeof firstCommitXactSql>, column: 'End Time' | 'Begin Time') => async (lsn: Lsn): Promise<string | null> => {
      const [r] = await this.runner.query(sql(lsn), { signal, label: 'window probe', allowInactiveLogTraceFlag: false });
      return r && typeof r[column] === 'string' ? parseBeginTime(r[column], column) : null;
    };
    let bound: StartBound;
    try {
      bound = await findStartLsn(vlfs, { commit: probe(firstCommitXactSql, 'End Time'), begin: probe(firstBeginXactSql, 'Begin Time') }, filter.from);
    } catch (e) {
      // A probe the server refuses (an LSN it will not start at) only costs the bound.
      if (e instanceof SourceError && e.code === 'SOURCE_QUERY') {
        this.notes.push(`the window probe failed (${e.message}); the whole online log is read instead`);
        this.log.warn({ err: e.message }, 'window probe failed; scanning unbounded');
        return { start: null, probes: 0 };
      }
      throw e;
    }
    if (bound.logStartsAfterWindow) {
      // with no log backup read beside it, the window's start is in no log read: INCOMPLETE
      // (logStartsAfterWindow, said by scan and the worker); with log backups, they may hold it: a note
      if (this.o.logBackups?.length) {
        this.notes.push(
          `the online log begins with a transaction at ${bound.logStartsAfterWindow}, after --from ${filter.from}: ` +
            'deletes before that are only in log backups — add them with --log-backup',
        );
      } else this.onlineLogStartsAt = bound.logStartsAfterWindow;
    }
    return bound;
  }

  skipped(): SkippedItem[] {
    return this.skippedItems;
  }

  /**
   * The first LOP_BEGIN_XACT's Begin Time (ISO local time) of the log the scan reads: of the online
   * log from `start` (the scan's bound; null: its start) and of the --log-backup set with the lowest
   * FirstLSN (every set when a listing gave none), the earliest found. Each probe is a TOP (1) that
   * stops at the first begin (sql.ts firstBeginXactSql, firstBeginXactOfBackupSql). A probe that fails
   * only costs this fact (null: the verdict then compares with the transactions returned), never the
   * scan; an abort is rethrown. Without --inactive-log's trace flag: with it, the read may begin earlier.
   */
  private async logReadBegins(inputs: LogInput[], start: Lsn | null, signal?: AbortSignal): Promise<string | null> {
    const backups = inputs.filter((i): i is BackupInput => i.kind === 'backup');
    const known = backups.map((b) => this.setFirstLsn.get(`${b.file}#${b.position}`));
    const lowest = known.every((x) => x !== undefined) && backups.length
      ? [backups.reduce((a, b) => (this.setFirstLsn.get(`${b.file}#${b.position}`)! < this.setFirstLsn.get(`${a.file}#${a.position}`)! ? b : a))]
      : backups;
    const probes = [
      ...(inputs.some((i) => i.kind === 'online') ? [{ stmt: firstBeginXactSql(start), label: 'log read start probe (online log)' }] : []),
      ...lowest.map((b) => ({ stmt: firstBeginXactOfBackupSql(b.file, b.position), label: `log read start probe (${b.file}, set ${b.position})` })),
    ];
    let first: string | null = null;
    for (const p of probes) {
      try {
        const [r] = await this.runner.query(p.stmt, { signal, label: p.label, allowInactiveLogTraceFlag: false });
        const at = r && typeof r['Begin Time'] === 'string' ? exportTimeIso(r['Begin Time']) : null;
        if (at && (first === null || at < first)) first = at;
      } catch (e) {
        if (signal?.aborted) throw e;
        this.log.warn({ err: (e as Error).message, probe: p.label }, 'log read start probe failed');
      }
    }
    return first;
  }

  /**
   * RecoverySource.catalogChanges: after candidates(), the tables it read rows of with their
   * sys.objects.modify_date, and where its log read begins: the earliest of the probe's first
   * transaction (logReadBegins, made when no window start was given) and the first transaction the
   * server returned (its Begin Time, or a commit's End Time when read before any begin); null before a scan.
   */
  catalogChanges(): CatalogChanges | null {
    if (!this.readTables) return null;
    const starts = [this.probedLogStart, exportTimeIso(this.stats.firstBeginTime), exportTimeIso(this.stats.firstCommitTime ?? null)].filter((x): x is string => x !== null);
    return { tables: this.readTables, logReadFrom: starts.length ? starts.reduce((a, b) => (b < a ? b : a)) : null, ...(this.readColumnstore.length ? { columnstore: this.readColumnstore } : {}) };
  }

  /** RecoverySource.logStartsAfterWindow: the online log's first Begin Time when the window starts before it (no log backup read), else null. */
  logStartsAfterWindow(): string | null {
    return this.onlineLogStartsAt;
  }

  /**
   * The committed filter's counts over the rows the scan query returned (CommittedScanStats.serverFiltered:
   * the server kept only committed transactions in the window with rows of the tables, or a
   * TRUNCATE TABLE / DROP TABLE): rows taken back by their own transaction, TRUNCATE/DROP seen,
   * and the sentence for "why no rows" (explainNoRows), as the scan and the worker say them for files.
   */
  committedStats(): CommittedScanStats {
    return this.stats;
  }

  /** Rows streamed from the server by the log scan query; one pass, total unknown (the server filters). */
  progress(): SourceProgress {
    return { bytesRead: 0, recordsRead: this.rowsStreamed };
  }

  async close(): Promise<void> {
    await this.runner.close();
  }
}

type BackupInput = Extract<LogInput, { kind: 'backup' }>;

/**
 * A scan row carrying `left_out` (sql.ts LEFT_OUT: one transaction the query does not return) added to
 * `stats` as a scan of files counts it (committed.ts): its `xact_row_ops` row operations into rowOps and
 * outsideWindowRowOps (with its Begin Time `xact_began`, fn_dblog's form, into the span said, and into
 * the side of the window it is on, `window`'s `from`/`to` in ISO local time as the scan query took
 * them: outsideWindowBeforeRowOps or outsideWindowAfterRowOps and their spans), or
 * uncommittedRowOps (and rolledBackRowOps for one rolled back). Returns null, or a SOURCE_BAD_ROW
 * skipped item naming the LSN and column for a row not of that shape (nothing counted).
 */
export function countLeftOut(row: Row, stats: CommittedScanStats, window: { from?: string; to?: string } = {}): SkippedItem | null {
  const lsn = typeof row['Current LSN'] === 'string' ? row['Current LSN'] : '(none)';
  const bad = (column: string, reason: string): SkippedItem => ({ code: 'SOURCE_BAD_ROW', reason: `fn_dblog row field ${column}: ${reason}`, location: { lsn, column } });
  const kind = row.left_out;
  const n = typeof row.xact_row_ops === 'number' ? row.xact_row_ops : Number(row.xact_row_ops);
  if (!Number.isSafeInteger(n) || n < 1) return bad('xact_row_ops', `'${String(row.xact_row_ops)}' is not a count of row operations`);
  const began = typeof row.xact_began === 'string' ? row.xact_began : null;
  let beganIso: string | null = null;
  if (began !== null) {
    try {
      beganIso = parseBeginTime(began, 'Begin Time');
    } catch (e) {
      if (e instanceof InputError) return bad('xact_began', e.message);
      throw e;
    }
  }
  if (kind === LEFT_OUT.outsideWindow) {
    stats.outsideWindowRowOps += n;
    if (began !== null) {
      if (stats.outsideWindowFirstBegin === undefined || began < stats.outsideWindowFirstBegin) stats.outsideWindowFirstBegin = began;
      if (stats.outsideWindowLastBegin === undefined || began > stats.outsideWindowLastBegin) stats.outsideWindowLastBegin = began;
    }
    // the side of the window it began on (fn_dblog's fixed-width form orders as text, as above)
    const side = beganIso === null ? null : windowSide(beganIso, window.from, window.to);
    if (side !== null && began !== null) {
      const k = side === 'before' ? 'Before' : 'After';
      stats[`outsideWindow${k}RowOps`] = (stats[`outsideWindow${k}RowOps`] ?? 0) + n;
      const first = stats[`outsideWindow${k}FirstBegin`];
      const last = stats[`outsideWindow${k}LastBegin`];
      if (first === undefined || began < first) stats[`outsideWindow${k}FirstBegin`] = began;
      if (last === undefined || began > last) stats[`outsideWindow${k}LastBegin`] = began;
    }
  } else if (kind === LEFT_OUT.uncommitted || kind === LEFT_OUT.rolledBack) {
    stats.uncommittedRowOps += n;
    if (kind === LEFT_OUT.rolledBack) stats.rolledBackRowOps += n;
  } else return bad('left_out', `'${String(kind)}' is none of ${Object.values(LEFT_OUT).join(', ')}`);
  stats.rowOps += n;
  return null;
}

/**
 * The scan query's rows are read in rising LSN order or refused: the committed filter (committed.ts)
 * reads the log in that order, and a commit handed over before its transaction's rows left them
 * "never committed", dropped unsaid (0 rows, exit 0); a record handed over twice was a row printed
 * twice. The query orders [Current LSN] in a binary collation (sql.ts scanSql, LSN_ORDER_SOURCE: in
 * a Danish_Norwegian collation "aa" sorts after "z"); anything else out of order (a server or driver
 * of its own mind) is SourceError SOURCE_QUERY naming both LSNs and the server. `check` throws it
 * too for a [Current LSN] that is not fn_dblog's printed form.
 */
export class LsnOrder {
  private prev: { lsn: Lsn; text: string } | null = null;

  constructor(private readonly server: string) {}

  check(text: string): void {
    let lsn: Lsn;
    try {
      lsn = parseLsn(text);
    } catch {
      throw new SourceError('SOURCE_QUERY', `the log scan on ${this.server} returned a row whose [Current LSN] '${text.slice(0, 40)}' is not an LSN of the form 0000002a:000001f0:0003`, { lsn: text.slice(0, 40) });
    }
    const p = this.prev;
    if (p) {
      const c = compareLsn(lsn, p.lsn);
      if (c === 0) throw new SourceError('SOURCE_QUERY', `the log scan on ${this.server} returned the record at LSN ${text} twice (rows must come once each, in rising LSN order): its rows would be counted twice; nothing was read past it`, { lsn: text });
      if (c < 0) throw new SourceError('SOURCE_QUERY', `the log scan on ${this.server} returned LSN ${text} after LSN ${p.text}: its rows are not in LSN order (the query orders [Current LSN] in a binary collation; ${LSN_ORDER_SOURCE}), and read out of order a transaction's commit can come before its rows, which would be left out as never committed; nothing was read past it`, { lsn: text });
    }
    this.prev = { lsn, text };
  }
}

/** RESTORE HEADERONLY's BackupType of a transaction log backup (Microsoft Learn, RESTORE HEADERONLY: smallint; 2 = Transaction log). */
const LOG_BACKUP_TYPE = 2;

/** RESTORE HEADERONLY's BackupType in words (Microsoft Learn, RESTORE HEADERONLY). */
function backupTypeName(t: number | null): string {
  const names: Record<number, string> = { 1: 'database', 2: 'transaction log', 4: 'file', 5: 'differential database', 6: 'differential file', 7: 'partial', 8: 'differential partial' };
  return t !== null && names[t] ? `${names[t]} backup, BackupType ${t}` : `BackupType ${t ?? 'NULL'}`;
}

/** A uniqueidentifier as mssql gives it (text; any case) → upper-case GUID text, null when absent. */
function guidText(v: unknown): string | null {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v.toUpperCase() : null;
}

/** mssql rows carry Buffers and Dates; the catalog query returns neither, but stay JSON-clean. */
function jsonSafe(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}


export function openLiveSource(o: LiveSourceOptions): LiveSource {
  return new LiveSource(o);
}

/**
 * The note of a live or log-backup scan on the times it prints: the server's zone, and on which
 * connection it was read (`description`: util/connection.ts describeConnection, host, port, database
 * and login; no secret). The API shows a job's notes to every role with the host and login hidden
 * from all but operators: by the values the job recorded when it ran (StagingStore.jobConnections,
 * routes/jobs.ts hideServer), so a note may name them in any words.
 */
/**
 * The note on times read on an availability group replica that is not the primary: the log's Begin
 * and End Times are written by the primary (its local wall clock, fn_dblog's times carry no zone), so
 * serverTimeNote's offset, this server's SYSDATETIMEOFFSET(), is theirs only when both run in one time
 * zone; a disaster-recovery replica in another region does not, and a --from/--to given in this
 * server's local time picked another stretch of the log. `timeZone`: this server's offset, when read.
 */
export function secondaryClockNote(database: string, timeZone: string | null): string {
  return `this server holds database ${database} as an availability group secondary replica: the log's Begin and End Times (and --from/--to, compared with them) are the primary replica's local clock, not this server's${timeZone ? ` (UTC${timeZone} now)` : ''}; if the primary runs in another time zone, give the window in the primary's local time and read the times printed as its`;
}

export function serverTimeNote(timeZone: string, description: string): string {
  return `times are the server's local time, UTC${timeZone} now (SYSDATETIMEOFFSET() on ${description})${SEASON_CAVEAT}`;
}

