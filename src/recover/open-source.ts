import { accessSync, constants, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { RecoverySource, SkippedItem } from './source.js';
import type { BackupAdvice } from '../backup/page-source.js';
import type { LogReadEnd, LogWholeFrom } from './sources/files.js';
import type { LogNotGiven } from './log-not-given.js';
import type { DatabaseDefaultCollation } from '../reconstruct/metadata/ddl.js';
import { hideArgvSecrets } from '../util/connection.js';
import type { Logger } from '../util/logger.js';
import { assertNotEmpty, fileKindProblem, folderAdvice, unreadableWhy } from '../util/files.js';
import { echoInput } from '../util/echo.js';
import { parseBackupSetPosition } from '../backup/set-position.js';

/** The flags that pick a scan's source; exactly one family may be given. */
export interface ScanSourceOptions {
  /** The .mdf and its .ndf files. */
  mdf?: string[];
  /** A full backup (every stripe of a striped one), then differentials based on it. */
  bak?: string[];
  /** Backup set of --bak when the file holds several (RESTORE … WITH FILE = n). */
  position?: string;
  ldf?: string;
  trn?: string[];
  server?: string;
  database?: string;
  logBackup?: string[];
  inactiveLog?: boolean;
  export?: string;
  acceptSchemaDrift?: boolean;
  queryTimeout?: string;
  /** Files only: worker threads reading the log files (`--threads`), as given on the command line; default 1 (no workers: measured faster, docs/performance.md). */
  threads?: string;
  /** Files and export: megabytes of memory for rows of open transactions before they go to a temporary file (`--hold-memory`), as given. */
  holdMemory?: string;
  /** Files and export: the folder for those temporary files (`--temp-dir`); default the OS temporary folder. */
  tempDir?: string;
  /** Files: what refusals advise instead of the command line's flags (a job's fields; recover/source-identity.ts oneBackupAdvice). */
  backupAdvice?: BackupAdvice;
}

/** A source plus the things its user must be told (warnings about inactive log, drift, time zone). */
export interface OpenedSource {
  source: RecoverySource;
  notes: () => string[];
  /** Of the notes, those said even with --quiet (a file whose database could not be checked). */
  loudNotes?: () => string[];
  /** Said as WARNING lines, even with --quiet: log records of operation codes rowback does not know (the listing may hide what they did). */
  warnings?: () => string[];
  /** Of `warnings`, those on the backups' headers (a copy damaged: FORMAT_BAD_BACKUP_HEADER, BACKUP_HEADER_WARNING): exit 3 under --strict. */
  headerWarnings?: () => string[];
  /** Files without an .ldf: the backup set the log read ends with (FileRecoverySource.logReadEnd, window-past-log.ts). */
  logReadEnd?: () => LogReadEnd | null;
  /** Files without an .ldf: the backup set the log read begins with (FileRecoverySource.logReadStart). */
  logReadStart?: () => LogReadEnd | null;
  /** Files with an .ldf and log backups: the first log backup set (FileRecoverySource.logBackupsStart). */
  logBackupsStart?: () => LogReadEnd | null;
  /** Files with an .ldf: where the log read is whole from when it also holds older log cut off from it (FileRecoverySource.logWholeFrom). */
  logWholeFrom?: () => LogWholeFrom | null;
  /** Files with a data file or backup: the database's creation (boot page dbi_crdate, local ISO), once metadata was read (window-before-log.ts windowBeforeLogStartClause). */
  databaseCreated?: () => string | null;
  /** Files with a data file or backup: the database's default collation (boot page dbi_collation, by name), once metadata was read; null when unknown. */
  databaseCollation?: () => string | null;
  /**
   * The database's default collation as this input tells it, and where it was read
   * (DatabaseDefaultCollation): a data file's or backup's boot page (files with --mdf/--bak; reads
   * their catalog), the live server's sys.databases, an export's header (a note when an older export
   * names none); null when it does not. What a `--ddl` script's char/varchar/text columns without
   * COLLATE take when no collation is given. Throws as the source's reading.
   */
  databaseDefaultCollation?: () => Promise<DatabaseDefaultCollation | null>;
  /** Files: stretches of log the files show to exist and none holds (FileRecoverySource.logNotGiven): INCOMPLETE for a window or LSN range that may reach them (log-not-given.ts), else notes. */
  logNotGiven?: () => LogNotGiven[];
  /** Files: the times a FORMAT_LOG_CHAIN_GAP item's stretch lies between (FileRecoverySource.chainGapTimes): a window wholly outside it is not INCOMPLETE for it (log-not-given.ts splitLostByReach). */
  chainGapTimes?: (item: SkippedItem) => { after?: string; before?: string; priorBy?: string; laterFrom?: string } | undefined;
  /** Export: what the filter asks for beyond what the export holds (window-past-log.ts exportScopeClauses), INCOMPLETE sentences. */
  scopeClauses?: (filter: { from?: string; to?: string; operations?: readonly string[] }, names?: { from: string; to: string }) => string[];
}

/**
 * The kind of source the flags pick, as openSource picks it, for the verdict (incomplete-verdict.ts
 * VerdictSourceKind) and placeBeginUnread: 'live' for --server, --database, --log-backup or
 * --inactive-log (the server may come from the MSSQL_* variables alone), 'export' for --export, else
 * 'files'. scan.ts told it by --server alone, and `scan --database CRM` with MSSQL_SERVER set (a live
 * scan) was judged as one of files: a window starting before the online log begins printed as whole,
 * and begins the server did not return placed by the read's start, which only files allow
 * (test/cli/scan-live-server-from-env.test.ts). Flags of several families are refused by openSource.
 */
export function sourceKind(o: Pick<ScanSourceOptions, 'server' | 'database' | 'logBackup' | 'inactiveLog' | 'export'>): 'files' | 'live' | 'export' {
  if (o.export) return 'export';
  return liveFlags(o) ? 'live' : 'files';
}

function liveFlags(o: Pick<ScanSourceOptions, 'server' | 'database' | 'logBackup' | 'inactiveLog'>): boolean {
  return Boolean(o.server || o.database || o.logBackup?.length || o.inactiveLog);
}

/**
 * The source the flags pick (files, live, export), each source's module imported only when it is the
 * one picked: the live source pulls in the SQL Server driver (~0.4 s of start-up, measured), which a
 * scan of files never needs. Throws InputError for flags that pick none or several, or bad values.
 */
export async function openSource(o: ScanSourceOptions, logger?: Logger): Promise<OpenedSource> {
  const files = Boolean(o.mdf || o.bak || o.ldf || o.trn?.length);
  const live = liveFlags(o);
  const exp = Boolean(o.export);
  const families = [files && 'files (--mdf/--bak/--ldf/--trn)', live && 'live (--server/--database)', exp && 'export (--export)'].filter(Boolean);
  if (families.length === 0) {
    throw new InputError('INPUT_NO_SOURCE', 'nothing to scan: give log files (--ldf/--trn, with --mdf/--bak or --schema/--ddl), --server with --database, or --export FILE');
  }
  if (families.length > 1) throw new InputError('INPUT_BAD_OPTION', `give one source, not ${families.join(' and ')}`);
  const hold = holdOptions(o);
  if (files) {
    for (const [flag, f] of [...(o.mdf ?? []).map((m) => ['--mdf', m]), ...(o.bak ?? []).map((b) => ['--bak', b]), ['--ldf', o.ldf], ...(o.trn ?? []).map((t) => ['--trn', t])] as const) {
      if (f) assertReadableFile(flag, f);
    }
    if (o.mdf?.length && o.bak?.length) throw new InputError('INPUT_BAD_OPTION', 'give the table metadata from --mdf or from --bak, not both');
    let position: number | undefined;
    if (o.position !== undefined) {
      // an option that does nothing with these inputs is refused, not ignored (it was dropped unsaid)
      if (!o.bak) throw new InputError('INPUT_BAD_OPTION', `--position picks a backup set of --bak, and no --bak was given${o.trn?.length ? ' (--trn reads every log backup set of its files)' : ''}: leave --position out`);
      position = parseBackupSetPosition('--position', o.position);
    }
    const threads = threadCount('--threads', o.threads);
    const { openFileSource } = await import('./sources/files.js');
    const { unknownOperationsWarnings } = await import('../logreader/ldf/reader.js');
    // a log backup given in two files (a copy): each copy's log read, so the chain reads a whole one
    const logCopyRecords = new Map<string, number>();
    const logCopyDamage = o.trn && o.trn.length > 1 ? await (await import('../backup/log-commits.js')).damagedLogCopies(o.trn, logCopyRecords) : undefined;
    const s = openFileSource({ mdf: o.mdf, bak: o.bak, position, ldf: o.ldf, trn: o.trn, threads, backupAdvice: o.backupAdvice, logCopyDamage, logCopyRecords, ...hold }, logger);
    return { source: s, notes: () => s.notes, loudNotes: () => s.identityNotes, warnings: () => [...s.headerWarnings, ...s.logWarnings, ...unknownOperationsWarnings(s.logStats.unknownOps)], headerWarnings: () => s.headerWarnings, logReadEnd: () => s.logReadEnd, logReadStart: () => s.logReadStart, logBackupsStart: () => s.logBackupsStart, logWholeFrom: () => s.logWholeFrom, databaseCreated: () => s.databaseCreated, databaseCollation: () => s.databaseCollation, databaseDefaultCollation: async () => {
      if (!o.mdf?.length && !o.bak?.length) {
        // log backups alone: their headers' collation (SCIN @216, TDS form), which equals the boot
        // page's wherever the corpus holds both (reconstruct/tds-collation.ts); every set of every
        // file compared (not the first file given: two that disagree are said, or refused); an .ldf holds none
        if (!o.trn?.length) return null;
        // the headers the source read when it was opened: not read again (it walked every file's MTF layout anew)
        const { logBackupHeadersCollation } = await import('./database-default-collation.js');
        return logBackupHeadersCollation(s.logBackupHeaders);
      }
      await s.metadata();
      const from = `boot page of ${(o.mdf?.length ? o.mdf : o.bak)!.join(' + ')}`;
      if (s.databaseCollation) {
        // log backups given beside it whose headers name another default (ALTER DATABASE … COLLATE
        // between the two): said, or refused when they read text in another code page
        const { logBackupHeadersCollation, withLogBackupsCollation } = await import('./database-default-collation.js');
        return withLogBackupsCollation({ collation: s.databaseCollation, from }, o.trn?.length ? logBackupHeadersCollation(s.logBackupHeaders) : null, s.databaseCheckpointLsn);
      }
      // an id with no name rowback knows (a _UTF8 collation of SQL Server 2019 on): said, not assumed
      return s.databaseCollationId ? { collation: `collation id ${s.databaseCollationId} (0x${(s.databaseCollationId >>> 0).toString(16).toUpperCase()})`, from, unnamed: true } : null;
    }, logNotGiven: () => s.logNotGiven(), chainGapTimes: (item) => s.chainGapTimes(item) };
  }
  if (exp) {
    assertReadableFile('--export', o.export!);
    const { openExportSource } = await import('./sources/export.js');
    const s = openExportSource(o.export!, { logger, acceptSchemaDrift: o.acceptSchemaDrift, ...hold });
    const { exportScopeClauses } = await import('./window-past-log.js');
    return { source: s, notes: () => s.notes, loudNotes: () => s.loudNotes, databaseDefaultCollation: () => s.databaseDefaultCollation(), scopeClauses: (f, names) => (s.header ? exportScopeClauses(f, s.header, o.export!, names) : []) };
  }
  hideArgvSecrets();
  if (!o.database) throw new InputError('INPUT_BAD_OPTION', '--database is required with --server');
  let queryTimeoutMs: number | undefined;
  if (o.queryTimeout !== undefined) {
    queryTimeoutMs = Number(o.queryTimeout) * 1000;
    if (!Number.isFinite(queryTimeoutMs) || queryTimeoutMs <= 0) throw new InputError('INPUT_BAD_OPTION', `--query-timeout '${o.queryTimeout}' is not a positive number of seconds`);
  }
  const { openLiveSource } = await import('./sources/live.js');
  const s = openLiveSource({
    server: o.server,
    database: o.database,
    logBackups: o.logBackup,
    inactiveLog: o.inactiveLog,
    acceptSchemaDrift: o.acceptSchemaDrift,
    queryTimeoutMs,
    logger,
    ...hold,
  });
  // read on a lagging availability group secondary, a window past its last commit (LiveSource.secondaryLogEndClauses)
  return { source: s, notes: () => s.notes, databaseDefaultCollation: () => s.databaseDefaultCollation(), scopeClauses: (f) => s.secondaryLogEndClauses(f) };
}

/**
 * `--hold-memory MB` and `--temp-dir DIR` as the committed filter's options (bytes, folder).
 * Throws InputError INPUT_BAD_OPTION for a value that is not 1–65536 MB, a folder that is not a
 * writable directory (checked now: a missing folder is one line before the scan, not a failure
 * after an hour of it). Every source takes them: a live scan holds a transaction's rows until its
 * commit too (the pairing of rows it took back itself, recover/sources/live.ts).
 */
function holdOptions(o: ScanSourceOptions): { holdBudgetBytes?: number; spillDir?: string } {
  const out: { holdBudgetBytes?: number; spillDir?: string } = {};
  if (o.holdMemory !== undefined) {
    const mb = /^[0-9]{1,5}$/.test(o.holdMemory) ? Number(o.holdMemory) : NaN;
    if (!(mb >= 1 && mb <= 65536)) throw new InputError('INPUT_BAD_OPTION', `--hold-memory must be a whole number of MiB (1024 × 1024 bytes) from 1 to 65536, not '${echoInput(o.holdMemory)}'`);
    out.holdBudgetBytes = mb * 1024 * 1024;
  }
  if (o.tempDir !== undefined) {
    let isDir = false;
    try {
      isDir = statSync(o.tempDir).isDirectory();
      if (isDir) accessSync(o.tempDir, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError('INPUT_BAD_OPTION', `--temp-dir ${echoInput(o.tempDir)}: ${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'not writable' : code ?? (e as Error).message}`);
    }
    if (!isDir) throw new InputError('INPUT_BAD_OPTION', `--temp-dir ${echoInput(o.tempDir)}: not a folder`);
    out.spillDir = o.tempDir;
  }
  return out;
}

/** A file argument that cannot be read (or is empty: INPUT_EMPTY_FILE) is a usage error naming the flag and the file, not a crash. */
export function assertReadableFile(flag: string, file: string): void {
  // what the path is instead of a regular file ('a device' for /dev/null, 'a directory', …), said
  // as such rather than as an errno code
  const kind = fileKindProblem(file);
  if (kind) throw new InputError('INPUT_FILE_UNREADABLE', `${flag} ${file}: ${kind}${folderAdvice(flag, file, kind)}`, { file });
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `${flag} ${file}: ${unreadableWhy(e)}`, { file });
  }
  assertNotEmpty(flag, file); // 0 bytes: said so (INPUT_EMPTY_FILE), not "not a log file"
}

/** A thread-count option's value (`--threads`, `--decode-threads`): 1 when not given; InputError INPUT_BAD_OPTION unless a whole number from 1 to 256. */
export function threadCount(option: string, value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^[0-9]{1,3}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InputError('INPUT_BAD_OPTION', `${option} must be a whole number from 1 to 256, not '${echoInput(value)}'`);
  return n;
}
