/**
 * What the API refuses at job creation, the same things `rowback scan` refuses before it starts:
 * a bad or reversed window, a file that is missing, not a regular file, of the wrong kind or
 * outside the service's file roots, files of two databases, a table not in the metadata, a
 * server the service may not connect to. Each refusal is a typed error whose location names the
 * request field (`from`, `to`, `mdf`, `trn.1`, `tables`, `server`), which the API answers as 400.
 *
 * Read-only: files are opened for reading their headers and metadata only.
 */
import { findTableName } from '../reconstruct/metadata/names.js';
import { isAbsolute } from 'node:path';
import { FormatError, InputError, isRowbackError, type RowbackError } from '../errors.js';
import { readLdfLayout } from '../logreader/ldf/reader.js';
import { checkExportStart } from '../logreader/export/export-stream.js';
import { readBackupHeader } from '../backup/header.js';
import { sameBackups } from '../backup/same-backup.js';
import { readMtfLayout } from '../backup/mtf.js';
import { sameBackupSetTwice } from '../backup/open.js';
import { positionOf as setOfFile } from '../backup/set-position.js';
import { openFileSource, SQL2005_DBI_VERSION } from '../recover/sources/files.js';
import { unknownTableMessage } from '../recover/source.js';
import { assertWindowInOrder, parseWindowTime } from '../recover/time-window.js';
import { parseConnectionString, resolveConnection } from '../util/connection.js';
import { echoInput } from '../util/echo.js';
import { splitQualifiedName, stagedTableName, tableNameOrText } from '../util/tsql.js';
import { withFileRoots } from '../util/input-open.js';
import { assertRegularFile, isInsideRoots, isInsideRootsAsWritten, realPath } from '../util/files.js';
import { jobCatalogDatabaseNotes, jobMetadataMapping, layoutsOfJobMetadata, type JobSpec, type RestoreJobSpec } from './job-spec.js';
import { assertStopsInOrder, parseStopTarget } from '../restore/target.js';
import { JOB_WORDING, jobWording, stringsOf } from './job-wording.js';
import { assertOneDatabase, oneBackupAdvice, readSourceIdentities, withoutOtherDatabaseSets, type SourceFileIdentity } from '../recover/source-identity.js';
import { appendAll } from '../util/append-all.js';
import { fileAndSet } from '../util/backup-set-text.js';
import { shellPath } from '../util/shell-word.js';

export interface JobAccess {
  /**
   * Folders job files must lie in (after resolving links). Undefined = any file the service
   * process can read (the CLI's own behaviour; `rowback serve` sets roots from its config).
   */
  fileRoots?: string[];
  /** Servers (host, or host,port / host\instance as written) live jobs may connect to; undefined = any. */
  allowedServers?: string[];
  /** The environment live connections take their MSSQL_* settings from (default process.env; tests). */
  env?: NodeJS.ProcessEnv;
}

/**
 * What a refused path or server says of the allowance: the option that sets it, for a user who
 * started `rowback serve` without a config file as for one who wrote one, and what it is now
 * (only operators create or resume jobs, and they see both lists in `GET /api/info` anyway).
 */
export function allowanceClause(what: 'fileRoots' | 'allowedServers', now: string[]): string {
  const opt = what === 'fileRoots' ? '--file-root DIR' : '--allow-server HOST';
  return `now ${now.join(', ')}; start \`rowback serve ${opt}\`, repeatable, or set ${what} in its config file (\`rowback serve --config FILE\`) to allow others`;
}

/**
 * The service's own password goes only to the server it is for. A live or log-backup job's
 * connection takes what it does not say from the service's environment (util/connection.ts
 * resolveConnection: MSSQL_USER, MSSQL_PASSWORD, MSSQL_CONNECTION_STRING), the administrator's login
 * for the server those variables name. With allowedServers not set (any server), a job naming
 * another server and no password of its own (`Server=evil.example;Encrypt=false`) made the service
 * log in there with that password, which an impostor server reads from the TDS login: any operator
 * could take it (security breaker; test/worker/sec-env-login-elsewhere.test.ts). Refused (400
 * INPUT_SERVER_NOT_ALLOWED, field `server`, no secret said) unless the job's connection carries its
 * own password, the environment holds none, the host (`server`, as resolved) is the environment's
 * own server, or allowedServers is set (the administrator chose where the service connects).
 */
function assertEnvLoginStaysHome(specServer: string, server: string, access: JobAccess): void {
  if (access.allowedServers) return;
  const env = access.env ?? process.env;
  const own = specServer.includes('=') ? parseConnectionString(specServer) : {};
  if (Object.hasOwn(own, 'password') || Object.hasOwn(own, 'pwd')) return;
  let envString: Record<string, string> = {};
  try {
    envString = env.MSSQL_CONNECTION_STRING ? parseConnectionString(env.MSSQL_CONNECTION_STRING) : {};
  } catch {
    envString = {};
  }
  if (!env.MSSQL_PASSWORD && !envString.password && !envString.pwd) return;
  let home: string | undefined;
  try {
    home = resolveConnection(undefined, env).server;
  } catch {
    home = undefined;
  }
  if (home !== undefined && home.toLowerCase() === server.toLowerCase()) return;
  throw new InputError('INPUT_SERVER_NOT_ALLOWED', `server ${server}: the connection gives no password, so this service would log in there with its own (MSSQL_PASSWORD or MSSQL_CONNECTION_STRING), which is for ${home === undefined ? 'the server its environment names (it names none)' : `server ${home}`} alone: give the job's own User Id and Password in its connection string, or have the administrator list ${server} in allowedServers (rowback serve --allow-server HOST)`, { field: 'server' });
}

/** Re-throws a rowback error with the request field it is about. */
function withField(e: unknown, field: string): never {
  if (isRowbackError(e)) {
    (e as RowbackError & { location: { field?: string } }).location.field ??= field;
    throw e;
  }
  throw e;
}

/**
 * A file of the wrong kind in a files job: the file readers' advice names the CLI's flags (`give it
 * with --mdf (diff: --after-mdf)`, `give it as the log (scan --ldf FILE, log FILE)`), which no request
 * has; said in the request's fields, as the backup refusals are (oneBackupAdvice('job')). Newcomer:
 * an .mdf given as ldf was refused "give it with --mdf".
 */
const JOB_WORDS: Array<[string, string]> = [
  ['give it with --ldf, and the table layout with --mdf, --bak, --ddl (a CREATE TABLE script) or --schema (catalog JSON)', 'give it in "ldf", and the table layout in "mdf", "bak" or "metadata"'],
  ['give it with --mdf (diff: --after-mdf)', 'give it in "mdf"'],
  ['give it with --mdf', 'give it in "mdf"'],
  ['give it as the log (scan --ldf FILE, log FILE)', 'give it in "ldf"'],
];
function filesJobField(e: unknown, field: string): never {
  if (isRowbackError(e)) {
    let m = e.message;
    for (const [cli, job] of JOB_WORDS) m = m.split(cli).join(job);
    // log records as text (util/log-text-kind.ts): the export's place in a request
    m = m.replace(/read it with `rowback scan --export [^`]*`/g, 'give it as the "file" of a job of kind "export"').replace('give its output to `rowback scan --export`', 'give its output as the "file" of a job of kind "export"');
    if (m !== e.message) e.message = m;
  }
  return withField(e, field);
}

/**
 * Checks a job spec before it is queued. Resolves when the job can start; throws InputError
 * (`INPUT_BAD_TIME`, `INPUT_BAD_WINDOW`, `INPUT_FILE_UNREADABLE`, `INPUT_PATH_NOT_ALLOWED`,
 * `INPUT_UNKNOWN_TABLE`, `INPUT_SERVER_NOT_ALLOWED`, `INPUT_MIXED_DATABASES`, …) or a
 * FormatError for a file of the wrong kind, each with `location.field` set.
 */
export async function validateJobSpec(spec: JobSpec, access: JobAccess = {}): Promise<void> {
  // the headers read below are read from descriptors verified against the roots (util/input-open.ts):
  // a file swapped for a link out of them after checkJobFile is not read
  try {
    return await withFileRoots(access.fileRoots, () => validateUnconfined(spec, access), new Map(jobFiles(spec).map(([field, path]) => [path, field])));
  } catch (e) {
    // the readers' refusals name the CLI's flags (`--ddl`, `--trn`, …): said in the request's fields (job-wording.ts)
    if (isRowbackError(e) && spec.kind in JOB_WORDING) {
      const m = jobWording(spec.kind, e.message, [...stringsOf(spec), ...stringsOf(e.location)]);
      if (m !== e.message) e.message = m;
    }
    throw e;
  }
}

async function validateUnconfined(spec: JobSpec, access: JobAccess): Promise<void> {
  if (spec.kind === 'restore') return validateRestoreSpec(spec, access);
  // the rows a drift check holds back were written under an older layout than the source's catalog
  // gives: decoded with today's, their values could read wrong and look right (a column added,
  // retyped or reordered since); the job must say the layout in force then
  if (spec.kind !== 'files' && spec.acceptSchemaDrift && !spec.metadata) {
    throw new InputError('INPUT_BAD_OPTION', "acceptSchemaDrift decodes the rows of tables altered after their transaction began with the layout the job gives: give it in metadata.catalog (the catalog JSON saved before the change: sql/table-metadata.sql) or metadata.ddl (the old CREATE TABLE); the source's own catalog is the layout after the change", { field: 'acceptSchemaDrift' });
  }
  let from: string | undefined;
  let to: string | undefined;
  try {
    if (spec.from) from = parseWindowTime(spec.from, 'start', 'from');
  } catch (e) {
    withField(e, 'from');
  }
  try {
    if (spec.to) to = parseWindowTime(spec.to, 'end', 'to');
  } catch (e) {
    withField(e, 'to');
  }
  if (from && to) assertWindowInOrder({ name: 'from', text: spec.from!, iso: from }, { name: 'to', text: spec.to!, iso: to }, 'to');
  // The job's own metadata parses now (400 naming metadata.ddl and its line), not when it runs.
  const given = spec.metadata ? layoutsOfJobMetadata(spec.metadata) : undefined;
  if (spec.metadata && given) {
    const tables = 'tables' in spec ? spec.tables : undefined;
    const mapped = jobMetadataMapping(spec.metadata, given, tables);
    // a log-only files job: the log names tables by allocation unit alone, so every table scanned
    // needs one now (it was accepted, then failed at run time in the CLI's words: give --alloc-unit …)
    if (spec.kind === 'files' && spec.mdf === undefined && spec.bak === undefined) {
      const unmapped = mapped.layouts.filter((l) => !l.allocUnits?.length && !mapped.ids.has(stagedTableName(l))).map((l) => stagedTableName(l));
      if (unmapped.length) {
        throw new InputError('INPUT_NO_ALLOC_UNIT', `the job has no data file or backup and the log names tables by allocation unit id alone: nothing maps ${unmapped.join(', ')} to one; give metadata.allocUnits { "${unmapped[0]}": "ID", … } for each (the ids the log holds: rowback log LOG --operation LOP_DELETE_ROWS, its AllocUnitId column), or tables naming the ones to scan`, { field: 'metadata.allocUnits' });
      }
    }
  }
  // the tables the job's own metadata gives, by parts (stagedTableName), as findTableName matches a name to them
  const givenNames = (given ?? []).map((t) => stagedTableName(t));

  const checkFile = (field: string, path: string): void => checkJobFile(field, path, access);

  if (spec.kind === 'files') {
    // a field holding a list is named with the index of the file (`bak.1`), as the request's JSON path
    const listed = (field: string, v: string | string[] | undefined): Array<[string, string]> => (v === undefined ? [] : Array.isArray(v) ? v.map((f, i) => [`${field}.${i}`, f] as [string, string]) : [[field, v]]);
    const files: Array<[string, string | undefined]> = [...listed('mdf', spec.mdf), ...listed('bak', spec.bak), ['ldf', spec.ldf], ...listed('trn', spec.trn)];
    for (const [field, path] of files) if (path) checkFile(field, path);
    // as `rowback scan` refuses --mdf with --bak: the metadata came from mdf alone, bak dropped unsaid
    if (spec.mdf !== undefined && spec.bak !== undefined) throw new InputError('INPUT_BAD_OPTION', 'give the table metadata in "mdf" or in "bak", not both', { field: 'bak' });
    // A log of format version 2 (SQL Server 2000 and 2005) is read when the job's data file or
    // backup is SQL Server 2005's (dbi_version 611), as scan reads it: judged once the metadata is
    // read below (it was refused here, naming --mdf/--bak, with the 2005 data file given in mdf)
    let format2Log = false;
    if (spec.ldf) {
      try {
        await readLdfLayout(spec.ldf);
      } catch (e) {
        if (isRowbackError(e) && e.code === 'FORMAT_UNSUPPORTED_LOG_VERSION') {
          if (spec.mdf !== undefined || spec.bak !== undefined) format2Log = true;
          else throw new FormatError('FORMAT_UNSUPPORTED_LOG_VERSION', 'ldf has log format version 2, written by SQL Server 2000 and 2005: a SQL Server 2005 log is read when its data file (boot page dbi_version 611) is given in mdf or bak; a SQL Server 2000 log\'s records use an older header that rowback does not decode (attach it to SQL Server 2005 or later, or read it with fn_dblog)', { field: 'ldf', file: spec.ldf });
        } else filesJobField(e, 'ldf');
      }
    }
    // as `rowback scan --ldf` alone refuses it: the job was accepted (201), then failed when it ran
    if (spec.mdf === undefined && spec.bak === undefined && !spec.metadata) throw new InputError('INPUT_NO_METADATA', `no table metadata: ${oneBackupAdvice('job').noMetadata}`, { field: 'mdf' });
    let source;
    try {
      if (spec.position !== undefined && !spec.bak) throw new InputError('INPUT_BAD_OPTION', `position picks a backup set of bak, and no bak was given${spec.trn?.length ? ' (trn reads every log backup set of its files)' : ''}: leave position out`, { field: 'position' });
      source = openFileSource({ mdf: spec.mdf, bak: spec.bak, position: spec.position, ldf: spec.ldf, trn: spec.trn, backupAdvice: oneBackupAdvice('job') });
    } catch (e) {
      // a backup of bak given twice, or a stripe and its copy: the field of that file (`bak.1`)
      const inBak = isRowbackError(e) && (e.code === 'FORMAT_INCOMPLETE_MEDIA_SET' || (e.code === 'INPUT_BAD_OPTION' && /given (more than once|twice)/.test(e.message)))
        ? fieldOfFile(files.filter(([f]) => f.startsWith('bak')), e.location?.file)
        : undefined;
      // the file given twice is named first: its advice names position too (the two-sets form), and the field was `position`
      filesJobField(e, inBak ?? (e instanceof InputError && (e.code === 'INPUT_SEVERAL_BACKUP_SETS' || e.code === 'INPUT_BAD_OPTION') && /position/.test(e.message) ? 'position' : 'trn'));
    }
    try {
      // files of two databases in a job whose layouts come from its metadata alone (no mdf/bak): the
      // binding ids were compared only as the metadata was read from mdf/bak, so `ldf` of one
      // database and `trn` of another was accepted (201) and failed when it ran; now 400 naming the
      // field of the file that differs, as with mdf/bak
      if (!spec.mdf && !spec.bak) await source.fileIdentities().catch((e: unknown) => filesJobField(e, (isRowbackError(e) && e.code === 'INPUT_MIXED_DATABASES' && fieldOfFile(files, e.location?.file)) || (spec.ldf ? 'ldf' : 'trn')));
      if (spec.mdf || spec.bak) {
        // files of two databases: the field of the file that differs (`ldf`, `trn.1`), not always mdf
        const catalog = await source.metadata().catch((e: unknown) => filesJobField(e, (isRowbackError(e) && e.code === 'INPUT_MIXED_DATABASES' && fieldOfFile(files, e.location?.file)) || (spec.mdf ? 'mdf' : 'bak')));
        if (format2Log && source.databaseVersion !== SQL2005_DBI_VERSION) {
          throw new FormatError('FORMAT_UNSUPPORTED_LOG_VERSION', `ldf has log format version 2, written by SQL Server 2000 and 2005, and the job's ${spec.mdf ? 'mdf' : 'bak'} is not a SQL Server 2005 database (boot page dbi_version ${source.databaseVersion ?? 'unknown'}, not 611): a SQL Server 2000 log's records use an older header that rowback does not decode (attach it to SQL Server 2005 or later, or read it with fn_dblog)`, { field: 'ldf', file: spec.ldf });
        }
        for (const t of spec.tables ?? []) {
          if (!catalog.byName(t) && findTableName(givenNames, t) === undefined) {
            throw new InputError('INPUT_UNKNOWN_TABLE', unknownTableMessage(t, catalog.tables().map((x) => stagedTableName(x)), source.skipped(), source.databaseName?.()), { table: t, field: 'tables' });
          }
        }
      }
      // a catalog of another database than the files': 400 naming metadata.catalog, as scan --schema refuses it
      await jobCatalogDatabaseNotes(spec, source);
    } finally {
      await source.close();
    }
  } else if (spec.kind === 'export') {
    checkFile('file', spec.file);
    // not an export at all (a plain fn_dblog result, a log file): 400 now, not a failed job later
    await checkExportStart(spec.file).catch((e: unknown) => filesJobField(e, 'file'));
    // a catalog of another database than the export's own: 400 naming metadata.catalog, as
    // `scan --export FILE --schema CATALOG` refuses it (the export's catalog rows name its database)
    if (spec.metadata?.catalog !== undefined) {
      const { ExportSource } = await import('../recover/sources/export.js');
      const source = new ExportSource(spec.file);
      try {
        await jobCatalogDatabaseNotes(spec, source).catch((e: unknown) => {
          if (isRowbackError(e) && e.code === 'INPUT_CATALOG_OTHER_DATABASE') throw e;
          filesJobField(e, 'file');
        });
      } finally {
        await source.close();
      }
    }
  } else {
    if (spec.kind === 'log-backup' && spec.logBackups.length === 0) throw new InputError('INPUT_BAD_OPTION', 'logBackups is empty', { field: 'logBackups' });
    let server: string;
    try {
      server = resolveConnection(spec.server, access.env ?? process.env).server;
    } catch (e) {
      withField(e, 'server');
    }
    if (access.allowedServers && !access.allowedServers.some((s) => s.toLowerCase() === server.toLowerCase())) {
      throw new InputError('INPUT_SERVER_NOT_ALLOWED', `server ${server} is not one this service may connect to (${allowanceClause('allowedServers', access.allowedServers)})`, { field: 'server' });
    }
    assertEnvLoginStaysHome(spec.server, server, access);
  }
}

/**
 * A restore job's backup file in `field` (`bak.0`, `trn.2`, `afterBak.1`, `afterTrn.0`), checked at
 * creation as the replay would refuse it when the job runs, naming the field: a `bak` / `afterBak`
 * file holding several backup sets without `position` / `afterPosition` (replayed or read as it is,
 * the position picks the set: replay/point-in-time.ts setsOf), a log backup in `bak` / `afterBak`, a
 * full or differential backup in `trn` / `afterTrn` (a `trn` file of several sets: every log backup set
 * is a member of the chain, and the file is refused only when none is a log backup). A header that
 * cannot be read is left to the replay, which says why. Throws InputError INPUT_SEVERAL_BACKUP_SETS,
 * INPUT_NOT_A_DATABASE_BACKUP or INPUT_NOT_A_LOG_BACKUP with `location.field`.
 */
/** Checks one backup of a restore job against its field; answers its type (full, differential, log) when its header was read. */
function checkRestoreJobBackup(field: string, path: string, position?: number, replayed = true, positionField?: string): string | undefined {
  const side = field.startsWith('after') ? 'after' : '';
  const name = (f: 'Bak' | 'Trn') => (side ? `after${f}` : f.toLowerCase());
  // the field a refusal of the set number names: `position`, or `position.1` (an array's item)
  const posField = positionField ?? (side ? 'afterPosition' : 'position');
  const inBaks = /^(after)?bak\./i.test(field);
  let layout, header;
  try {
    layout = readMtfLayout(path);
    if (inBaks && position !== undefined && position > Math.max(1, layout.sets)) {
      throw new InputError('INPUT_BAD_OPTION', `${posField} ${position}: ${path} holds ${layout.sets} backup set${layout.sets === 1 ? '' : 's'}: ${layout.sets > 1 ? `give 1 to ${layout.sets}` : `leave ${posField} out (or give 1)`}`, { field: posField, file: path });
    }
    if (layout.sets <= 1 || (inBaks && position !== undefined)) header = readBackupHeader(path, layout, inBaks && position !== undefined ? position : 1);
  } catch (e) {
    if (e instanceof InputError) throw e;
    return;
  }
  if (layout.sets > 1 && !(inBaks && position !== undefined)) {
    // a backup read as it is or replayed takes a position, as diff --position (with --trn: the set the replay starts from)
    if (inBaks) throw new InputError('INPUT_SEVERAL_BACKUP_SETS', `${path} holds ${layout.sets} backup sets (backups appended to one file WITH NOINIT; \`rowback inspect ${shellPath(path)}\` lists them): choose one with "${posField}": N (RESTORE … WITH FILE = N)${replayed ? `, the full backup set the replay over "${name('Trn')}" starts from` : ''}`, { field, file: path });
    // a log backup file of several sets: each log backup set is a member of the chain (a full or
    // differential set beside them is left out with a note when the job runs); none: not a log backup file
    const kinds: string[] = [];
    try {
      for (let p = 1; p <= layout.sets; p++) kinds.push(readBackupHeader(path, layout, p).backupType);
    } catch {
      return;
    }
    if (!kinds.includes('log')) throw new InputError('INPUT_NOT_A_LOG_BACKUP', `${path} holds ${layout.sets} backup sets and none is a log backup (${kinds.join(', ')}): give it in "${name('Bak')}" with "${posField}"`, { field, file: path });
    return 'log';
  }
  if (!header) return;
  const log = header.backupType === 'log';
  const inLogs = /^(after)?trn\./i.test(field);
  if (log && !inLogs) throw new InputError('INPUT_NOT_A_DATABASE_BACKUP', `${path} is a log backup: give it in "${name('Trn')}", and a full backup in "${name('Bak')}"`, { field, file: path });
  if (!log && inLogs) throw new InputError('INPUT_NOT_A_LOG_BACKUP', `${path} is a ${header.backupType} backup, not a log backup: give it in "${name('Bak')}"`, { field, file: path });
  return header.backupType;
}

/** Files a job may read: given by absolute path, regular, readable, inside the roots. */
function checkJobFile(field: string, path: string, access: JobAccess): void {
  // A relative path was resolved against the service's own working folder, which is not the
  // caller's: `"ldf":"cut.ldf"` was refused as outside the folders the service may read.
  if (!isAbsolute(path)) {
    throw new InputError('INPUT_PATH_NOT_ALLOWED', `${field} '${echoInput(path)}' is a relative path: this service needs absolute paths (it resolves none against its own working folder)`, { field });
  }
  // The roots first: outside them, whether a path exists, is a directory or a device is not the
  // caller's to learn (one answer for every path outside).
  assertInsideRoots(field, path, access);
  try {
    assertRegularFile(field, path);
  } catch (e) {
    withField(e, field);
  }
}

/** Throws INPUT_PATH_NOT_ALLOWED when `path` (links resolved) is outside `access.fileRoots`. */
function assertInsideRoots(field: string, path: string, access: JobAccess): void {
  if (access.fileRoots && !isInsideRoots(path, access.fileRoots)) {
    // a path inside the roots as written that leads out through a link: said, never where to
    // (the same words whether the link's target exists or not)
    const link = isInsideRootsAsWritten(path, access.fileRoots) ? ' (it is a link to a place outside them)' : '';
    throw new InputError('INPUT_PATH_NOT_ALLOWED', `${field} ${path} is outside the folders this service may read${link} (${allowanceClause('fileRoots', access.fileRoots)})`, { field });
  }
}

/** The files a job spec names, each with its request field (`ldf`, `bak.1`, `afterTrn.0`). */
export function jobFiles(spec: JobSpec): Array<[string, string]> {
  const listed = (field: string, v: string | string[] | undefined): Array<[string, string]> => (v === undefined ? [] : Array.isArray(v) ? v.map((f, i) => [`${field}.${i}`, f] as [string, string]) : [[field, v]]);
  switch (spec.kind) {
    case 'files': return [...listed('mdf', spec.mdf), ...listed('bak', spec.bak), ...listed('ldf', spec.ldf), ...listed('trn', spec.trn)];
    case 'export': return listed('file', spec.file);
    case 'restore': return [...listed('bak', spec.bak), ...listed('trn', spec.trn), ...listed('afterMdf', spec.afterMdf), ...listed('afterBak', spec.afterBak), ...listed('afterTrn', spec.afterTrn)];
    // live and log-backup jobs: the server reads its own files
    default: return [];
  }
}

/**
 * The roots checked again where the worker opens a job's files: a job is checked when it is created
 * (validateJobSpec) but opened when the queue reaches it, which may be hours later, and a file inside
 * the roots replaced meanwhile by a link to one outside them was read (its bytes parsed, its lines
 * quoted in the job's error). Throws INPUT_PATH_NOT_ALLOWED as at creation.
 */
export function assertJobFilesInRoots(spec: JobSpec, access: JobAccess): void {
  if (!access.fileRoots) return;
  for (const [field, path] of jobFiles(spec)) assertInsideRoots(field, path, access);
}

/** The request field (`ldf`, `trn.1`) of the job file `file` names, by the path as given; undefined when none. */
function fieldOfFile(files: Array<[string, string | undefined]>, file: string | undefined): string | undefined {
  return file === undefined ? undefined : files.find(([, p]) => p === file)?.[0];
}


/**
 * A restore job's checks before it is queued: every file readable and inside the roots, one later
 * state (afterMdf or afterBak), each side's stop and log backups together, stops that parse, and
 * every file of one database (binding id; INPUT_MIXED_DATABASES names the field of the file that
 * differs from the first, `trn.0`, `afterMdf.0`). The chain itself and the table are checked when the
 * job runs (a refusal there fails the job with its reason).
 */
async function validateRestoreSpec(spec: RestoreJobSpec, access: JobAccess): Promise<void> {
  const list = (name: string, v: string[] | undefined) => (v ?? []).map((p, i) => [`${name}.${i}`, p] as const);
  const all = [...list('bak', spec.bak), ...list('trn', spec.trn), ...list('afterMdf', spec.afterMdf), ...list('afterBak', spec.afterBak), ...list('afterTrn', spec.afterTrn)];
  for (const [field, path] of all) checkJobFile(field, path, access);
  // each table name parses (as diff's --table is read): a name that cannot name a table ('bad..name')
  // was accepted (201) and failed the job when it ran, as a table the backup lacks, not naming the field
  const named = spec.tables ? spec.tables.map((t, i) => [`tables.${i}`, t] as const) : spec.table !== undefined ? [['table', spec.table] as const] : [];
  for (const [field, t] of named) {
    try {
      // as diff's --table and a files job's tables take it: plain dotted text (dbo.Order.Items) is resolved against the backup's tables;
      // a database-qualified name ([CRM].[dbo].[T], CRM..T) is refused here, with no table named (none is read yet)
      tableNameOrText(t, false);
    } catch (e) {
      throw new InputError('INPUT_BAD_IDENTIFIER', `${field} '${echoInput(t)}': ${(e as Error).message}; give schema.name, [schema].[name] or "schema"."name"`, { field, table: t });
    }
  }
  if (Boolean(spec.afterMdf?.length) === Boolean(spec.afterBak?.length)) {
    throw new InputError('INPUT_BAD_OPTION', 'give the later state as exactly one of afterMdf (data files) or afterBak (a newer backup)', { field: 'afterMdf' });
  }
  const sides = [
    { trn: spec.trn, stopAt: spec.stopAt, stopBeforeLsn: spec.stopBeforeLsn, names: { trn: 'trn', stopAt: 'stopAt', stopBeforeLsn: 'stopBeforeLsn', bak: 'bak' } },
    { trn: spec.afterTrn, stopAt: spec.afterStopAt, stopBeforeLsn: spec.afterStopBeforeLsn, names: { trn: 'afterTrn', stopAt: 'afterStopAt', stopBeforeLsn: 'afterStopBeforeLsn', bak: spec.afterMdf?.length ? 'afterMdf' : 'afterBak' } },
  ];
  for (const s of sides) {
    const stop = s.stopAt !== undefined || s.stopBeforeLsn !== undefined;
    if (Boolean(s.trn?.length) !== stop) {
      throw new InputError('INPUT_BAD_OPTION', stop ? `${s.names.stopAt}/${s.names.stopBeforeLsn} need the log backups to replay (${s.names.trn}); with no log backup, leave ${s.names.stopAt}/${s.names.stopBeforeLsn} out: ${s.names.bak} alone is the table as ${s.names.bak === 'afterMdf' ? 'that data file' : 'that backup'} holds it` : `${s.names.trn} replays log backups up to a point: give ${s.names.stopAt} or ${s.names.stopBeforeLsn}`, { field: stop ? s.names.trn : s.names.stopAt });
    }
    if (stop) parseStopTarget(s, s.names);
  }
  if ((spec.stopAt !== undefined || spec.stopBeforeLsn !== undefined) && (spec.afterStopAt !== undefined || spec.afterStopBeforeLsn !== undefined) && !spec.acceptOlderLater) {
    const [b, a] = [sides[0], sides[1]].map((s) => parseStopTarget(s, s.names));
    const name = (s: (typeof sides)[number]) => (s.stopAt !== undefined ? `${s.names.stopAt} ${s.stopAt}` : `${s.names.stopBeforeLsn} ${s.stopBeforeLsn}`);
    assertStopsInOrder(b, a, { before: name(sides[0]), after: name(sides[1]), field: sides[1].stopAt !== undefined ? 'afterStopAt' : 'afterStopBeforeLsn', accept: 'acceptOlderLater: true' });
  }
  if (spec.afterTrn?.length && !spec.afterBak?.length) throw new InputError('INPUT_BAD_OPTION', 'afterTrn replays log backups over afterBak: give afterBak', { field: 'afterBak' });
  // a position where nothing reads it is refused, never ignored
  if (spec.afterPosition !== undefined && spec.afterMdf?.length) throw new InputError('INPUT_BAD_OPTION', 'afterPosition picks a backup set of afterBak; a data file (afterMdf) holds none: leave afterPosition out', { field: 'afterPosition' });
  // an array of set numbers: one per file of its side, in order (as diff's --position 1,2), each
  // backup set read once, the stripes of one media set at one number (backup/open.ts openBackupPages)
  for (const [posName, name, files, position] of [['position', 'bak', spec.bak, spec.position], ['afterPosition', 'afterBak', spec.afterBak, spec.afterPosition]] as const) {
    if (!Array.isArray(position)) continue;
    const n = files?.length ?? 0;
    if (position.length !== n) throw new InputError('INPUT_BAD_OPTION', `${posName} gives ${position.length} backup set numbers for ${n} ${name} file${n === 1 ? '' : 's'}: give one number per ${name} file in the order given (a file holding the full and the differential backup given twice: "${name}": [F, F], "${posName}": [1, 2]), or one number for every file`, { field: posName });
    // each path resolved once (resolved in every comparison, a long list took seconds)
    const real = files!.map((f) => realPath(f));
    for (const i of files!.keys()) {
      const j = real.findIndex((q, k) => k > i && q === real[i] && position[k] === position[i]);
      if (j >= 0) throw new InputError('INPUT_BAD_OPTION', `${posName}.${j}: ${name}.${j} ${files![j]} is ${name}.${i} again with the same backup set number (${position[i]}): one backup set read twice; give each set once (one number per ${name} file, in order)`, { field: `${posName}.${j}`, file: files![j] });
    }
    // the stripes of one media set: every stripe holds part of each set, so each is read at one number
    const stripes = new Map<string, number>();
    for (const [i, p] of files!.entries()) {
      let guid: string | undefined;
      try {
        const m = readMtfLayout(p).mediaSet;
        guid = m && m.familyCount > 1 ? m.mediaSetGuid : undefined;
      } catch {
        continue; // left to the file's own check below, which says why
      }
      if (guid === undefined) continue;
      const first = stripes.get(guid);
      if (first === undefined) stripes.set(guid, i);
      else if (position[first] !== position[i] && realPath(files![first]!) !== realPath(p)) {
        throw new InputError('INPUT_BAD_OPTION', `${posName}.${i}: ${name}.${i} ${p} and ${name}.${first} ${files![first]} are stripes of media set ${guid}, given different backup set numbers (${position[i]}, ${position[first]}): a backup set is read from every stripe of its media set; give each stripe the same number`, { field: `${posName}.${i}`, file: p });
      }
    }
  }
  // a backup given twice in a list read as it is (no replay over it): refused now as the comparison
  // refuses it when the job runs (backup/open.ts openBackupPages), not accepted and then failed; with
  // an array of set numbers, one file given twice at two sets is two backups (checked above)
  for (const [name, files, replayed, position] of [['bak', spec.bak, Boolean(spec.trn?.length), spec.position], ['afterBak', spec.afterBak, Boolean(spec.afterTrn?.length), spec.afterPosition]] as const) {
    if (replayed || !files || Array.isArray(position)) continue;
    const real = files.map((f) => realPath(f));
    for (const [i, p] of files.entries()) {
      const j = real.findIndex((q, k) => k > i && q === real[i]);
      if (j >= 0) throw new InputError('INPUT_BAD_OPTION', `${name}.${j} ${files[j]} is ${files[j] === p ? '' : `the file of ${name}.${i} (${p}), `}given ${files[j] === p ? `in ${name}.${i} too` : 'twice'}: give each backup file once (a full backup, every stripe of a striped one, then differentials based on it)`, { field: `${name}.${j}`, file: files[j] });
    }
  }
  // the set of the file in `field` (`bak.1`): the one number, or the array's item for that file
  const positionOf = (field: string) => setOfFile(field.startsWith('bak.') ? spec.position : field.startsWith('afterBak.') ? spec.afterPosition : undefined, Number(field.split('.')[1]));
  // how a refusal names it: `position`, or `position.1` for an array's item
  const positionField = (field: string) => { const [name, i] = field.split('.'); const arr = Array.isArray(name === 'bak' ? spec.position : spec.afterPosition); return `${name === 'bak' ? 'position' : 'afterPosition'}${arr ? `.${i}` : ''}`; };
  const replayedOf = (field: string) => Boolean(field.startsWith('after') ? spec.afterTrn?.length : spec.trn?.length);
  const kinds = new Map<string, string>();
  for (const [field, path] of all) {
    if (field.startsWith('afterMdf')) continue;
    const kind = checkRestoreJobBackup(field, path, positionOf(field), replayedOf(field), positionField(field));
    if (kind) kinds.set(field, kind);
  }
  // one backup set given twice on one side (`"bak": [F, F, G], "position": [1, 2, 2]`, G a copy of F;
  // any two items of one BackupSetGUID): refused naming both fields, as dump and diff refuse it
  // (open.ts sameBackupSetTwice); it was accepted, the DBA who meant two backups not told. The stripes
  // of one media set, one backup, are named once.
  for (const name of ['bak', 'afterBak'] as const) {
    const files = spec[name] ?? [];
    const posName = name === 'bak' ? 'position' : 'afterPosition';
    const position = spec[posName];
    const items: Array<{ index: number; position: number; backupSetGuid: string | null; setsInFile: number }> = [];
    const stripeSeen = new Set<string>();
    for (const [i, f] of files.entries()) {
      try {
        const layout = readMtfLayout(f);
        const p = setOfFile(position, i) ?? 1;
        if (p > layout.sets) continue;
        const m = layout.mediaSet;
        if (m && m.familyCount > 1) {
          if (stripeSeen.has(`${m.mediaSetGuid}#${p}`)) continue;
          stripeSeen.add(`${m.mediaSetGuid}#${p}`);
        }
        items.push({ index: i, position: p, backupSetGuid: readBackupHeader(f, layout, p).backupSetGuid, setsInFile: layout.sets });
      } catch {
        // its own check read it; a header that cannot be read is left to the run
      }
    }
    const twice = sameBackupSetTwice(files, position, items, {
      items: (a, b) => `${name}.${a} and ${name}.${b}`,
      giveOnce: (kept, pos) => `"${name}": ${JSON.stringify(kept)}${pos === undefined ? '' : `, "${posName}": ${JSON.stringify(pos)}`}`,
      field: (b) => `${name}.${b}`,
    });
    if (twice) throw twice;
  }
  // two full backups on one side (copies of one file, or two sets of one file at [1, 1] under two
  // names): refused now naming the field, as the comparison refuses them when the job runs (they were
  // accepted, 201, and the job failed); the stripes of one media set are one backup. A side replayed
  // over log backups may hold several (the chain planned from their headers takes one)
  for (const name of ['bak', 'afterBak'] as const) {
    if (name === 'bak' ? spec.trn?.length : spec.afterTrn?.length) continue;
    const files = spec[name] ?? [];
    const position = name === 'bak' ? spec.position : spec.afterPosition;
    const fulls: Array<{ i: number; key: string }> = [];
    for (const [i, f] of files.entries()) {
      if (kinds.get(`${name}.${i}`) !== 'full') continue;
      let key = `${realPath(f)}#${setOfFile(position, i) ?? 1}`;
      try {
        const m = readMtfLayout(f).mediaSet;
        if (m && m.familyCount > 1) key = `set:${m.mediaSetGuid}#${setOfFile(position, i) ?? 1}`;
      } catch {
        // its own check read it; a layout that cannot be read is left to the run
      }
      const first = fulls.find((x) => x.key !== key);
      if (first) {
        throw new InputError('INPUT_BAD_OPTION', `${name}.${i} ${fileAndSet(f, setOfFile(position, i))} and ${name}.${first.i} ${fileAndSet(files[first.i]!, setOfFile(position, first.i))} are both full backups: give one full backup (every stripe of a striped one), then differentials based on it`, { field: `${name}.${i}`, file: f });
      }
      fulls.push({ i, key });
    }
  }
  // a side given differential backups alone (no full backup for them to layer on): refused naming the
  // field, as a log backup in bak is; it was accepted (201) and failed the job when it ran, naming none
  for (const name of ['bak', 'afterBak'] as const) {
    const files = spec[name] ?? [];
    if (files.length && files.every((_, i) => kinds.get(`${name}.${i}`) === 'differential')) {
      // its full backup is another set of the same file (appended WITH NOINIT): the file twice, a set each
      const posName = name === 'bak' ? 'position' : 'afterPosition';
      const at = setOfFile(spec[posName], 0);
      let full: number | undefined;
      try {
        const layout = readMtfLayout(files[0]!);
        const base = readBackupHeader(files[0]!, layout, at ?? 1).differentialBaseGuid;
        for (let p = 1; base && full === undefined && p <= layout.sets; p++) {
          const h = readBackupHeader(files[0]!, layout, p);
          if (h.backupType === 'full' && h.backupSetGuid === base) full = p;
        }
      } catch {
        // a header that cannot be read: the general advice below
      }
      if (full !== undefined && files.length === 1) {
        throw new InputError('INPUT_DIFFERENTIAL_WITHOUT_FULL', `${name} holds a differential backup alone (${files[0]} backup set ${at ?? 1}), whose full backup is backup set ${full} of the same file: give the file twice with a set number for each, full backup first: "${name}": [${JSON.stringify(files[0])}, ${JSON.stringify(files[0])}], "${posName}": [${full}, ${at ?? 1}] (RESTORE … WITH FILE = ${full}, NORECOVERY, then WITH FILE = ${at ?? 1})`, { field: `${name}.0`, file: files[0] });
      }
      throw new InputError('INPUT_DIFFERENTIAL_WITHOUT_FULL', `${name} holds differential backups alone (${files.join(', ')}): a differential holds only the extents changed since its full backup; give that full backup first: "${name}": ["FULL.bak", ${files.map((f) => JSON.stringify(f)).join(', ')}] (\`rowback inspect ${shellPath(files[0]!)}\` names its base: differential base GUID and LSN)`, { field: `${name}.0`, file: files[0] });
    }
  }
  // both states from the same backup files: one state, nothing can be missing (backup/same-backup.ts,
  // the rule diff refuses by too). After each file's own check, which asks a file of several sets
  // for its position first. Copies of one backup on both sides are said when the job runs.
  if (!spec.trn?.length && !spec.afterTrn?.length && spec.bak?.length && spec.afterBak?.length && sameBackups({ files: spec.bak, position: spec.position }, { files: spec.afterBak, position: spec.afterPosition })?.kind === 'same-files') {
    throw new InputError('INPUT_BAD_OPTION', `bak and afterBak are the same backup files (${spec.afterBak.join(', ')}): one state compared with itself has nothing missing, whatever was deleted; give as afterBak a newer backup, or the data file as afterMdf`, { field: 'afterBak.0' });
  }
  const ids: SourceFileIdentity[] = [];
  for (const [field, path] of all) {
    try {
      // every backup set of a backup file (WITH NOINIT appends backups of any database to one file)
      appendAll(ids, (await readSourceIdentities(path, field.startsWith('afterMdf') ? 'mdf' : field.startsWith('bak') || field.startsWith('afterBak') ? 'bak' : 'trn', positionOf(field))));
    } catch (e) {
      withField(e, field);
    }
  }
  try {
    // a full/differential set of another database appended to a trn file: left out of the chain when
    // the job runs, which says so (as scan, dump, log and diff do), not refused here
    assertOneDatabase(withoutOtherDatabaseSets(ids).kept);
  } catch (e) {
    // the field of the file that differs from the first (`trn.0`, `afterBak.1`): 'afterMdf' was named
    // for every mix, also in a request that has no afterMdf
    const file = isRowbackError(e) ? (e.location as { file?: string }).file : undefined;
    withField(e, all.find(([, path]) => path === file)?.[0] ?? all[0]?.[0] ?? 'bak');
  }
}
