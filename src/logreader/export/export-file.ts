import { Readable } from 'node:stream';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { parseHex } from '../../util/hex.js';
import { isTzOffset, parseBeginTime } from '../begin-time.js';
import type { LogRecord } from '../log-record.js';
import { parseLsn } from '../lsn.js';

/**
 * The file `sql/export-log-records.sql` writes and `rowback scan --export FILE` reads: the
 * fn_dblog records of the transactions that began in a window (begin, commit/abort and row
 * operations, binary columns as 0x hex, the login on each LOP_BEGIN_XACT) and the catalog
 * rows of sql/table-metadata.sql. Two spellings, same content (docs/live.md):
 *  - JSON: one object `{ "format": "rowback-export", "version": 1, …, "records": [...], "catalog": [...] }`;
 *  - CSV: sections opened by `#meta`, `#records`, `#catalog` lines (and, from version 2, a closing
 *    `#end` holding the number of record and catalog rows written), each a header line and RFC 4180
 *    rows; NULL is an empty unquoted field, an empty string is `""`.
 * Versions: 1 (no `#end`: a CSV cut at a line end inside `#catalog` cannot be told from a whole one;
 * still read, with a note) and 2 (EXPORT_VERSION, the script's own).
 * Every problem is an InputError INPUT_BAD_EXPORT naming the file, the line (CSV, JSON syntax)
 * or the record and field.
 */

export const EXPORT_FORMAT = 'rowback-export';
/** The version sql/export-log-records.sql writes (2: the CSV form's closing #end section). */
export const EXPORT_VERSION = 2;
/** The versions read: 1, written before the #end section, and EXPORT_VERSION. */
export const EXPORT_VERSIONS: readonly number[] = [1, 2];

export interface ExportHeader {
  /** The export's version (EXPORT_VERSIONS): 1 has no closing #end (CSV) nor the log read's facts. */
  version: number;
  server: string | null;
  database: string | null;
  /** `+08:00`: the zone of every time in the file. */
  serverTimeZone: string | null;
  exportedAt: string | null;
  window: { from: string | null; to: string | null };
  tables: string | null;
  operations: string | null;
  /** `fn_dblog` (the online log) or `fn_dump_dblog` (a log backup, `logBackup`'s set `logBackupSet`); null when not stated (a version 1 CSV). */
  logSource: string | null;
  logBackup: string | null;
  logBackupSet: number | null;
  /** Where the log the script read begins and ends (version 2); null when the header has none (version 1). */
  logRead: ExportLogRead | null;
  /**
   * The row operations (of the operations asked for, on the tables) of committed transactions whose
   * LOP_BEGIN_XACT the script read outside its window, and when the first and last of them began
   * (fn_dblog's form): not in the file, counted by scripts since outsideWindow was added; absent from
   * older files (undefined: not known).
   */
  outsideWindow?: ExportOutsideWindow | null;
  /**
   * The database's default collation (`Turkish_CI_AS`: DATABASEPROPERTYEX(DB_NAME(), 'Collation')
   * when exported), what a `--ddl` script's char/varchar/text columns without COLLATE take; written
   * by scripts since databaseCollation was added, absent (undefined) from older files, null when the
   * server gave none. A value that is not text is read as absent (older readers ignored the key).
   */
  databaseCollation?: string | null;
}

/** ExportHeader.outsideWindow: `rowOps` row operations left out, their transactions begun from `firstBeginTime` to `lastBeginTime`. */
export interface ExportOutsideWindow {
  rowOps: number;
  firstBeginTime: string | null;
  lastBeginTime: string | null;
}

/**
 * Where the log sql/export-log-records.sql read begins and ends, of ALL its transactions before the
 * window was applied (the script keeps every LOP_BEGIN_XACT/COMMIT/ABORT it reads): the first and last
 * LSN of those records, the first and last Begin Time, the first and last End Time (fn_dblog's text
 * forms). A transaction begun after max(lastBeginTime, lastEndTime) is not in the log read; one begun
 * and ended before the read starts is not either: the read starts before min(firstBeginTime,
 * firstEndTime) (a commit read before the first begin is of a transaction begun before the read). Each null when the log read holds none.
 */
export interface ExportLogRead {
  firstLsn: string | null;
  lastLsn: string | null;
  firstBeginTime: string | null;
  lastBeginTime: string | null;
  /** The first End Time (earliest) of a commit or abort read (version 2 exports since firstEndTime was added; null when absent). */
  firstEndTime: string | null;
  lastEndTime: string | null;
}

export interface ExportFile {
  file: string;
  header: ExportHeader;
  records: LogRecord[];
  /** Catalog rows as the file holds them (CatalogRowSchema shape), for layoutsFromCatalog. */
  catalog: Record<string, unknown>[];
  /** Transaction ID → login, from the LOP_BEGIN_XACT records. */
  logins: Map<string, string>;
}

/**
 * fn_dblog prints every LSN, transaction id and page id padded (8:8:4, 4:8, 4:8 hex digits), and the
 * script writes them as they are. A shorter one was rewritten on the way — a spreadsheet reads
 * `00000021:00000090:0002` as the time 21:90:02 and saves `22:30:02` — and read as hex it would be
 * another record: refused, never read.
 */
const REWRITTEN = ' (fn_dblog prints it padded, as the script writes it: was the file opened and saved in a spreadsheet, which reads it as a time?)';
const lsnText = z.string().refine((s) => {
  try {
    parseLsn(s);
    return /^[0-9a-fA-F]{8}:[0-9a-fA-F]{8}:[0-9a-fA-F]{4}$/.test(s);
  } catch {
    return false;
  }
}, `not an LSN of the form 0000002a:000001f0:0003${REWRITTEN}`);
const hexText = z.string().regex(/^0x[0-9A-Fa-f]*$/, 'not 0x hex').transform((s) => parseHex(s));
const intValue = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'not an integer').transform(Number)]);
const bigintValue = z.union([z.string().regex(/^-?\d+$/, 'not an integer'), z.number().int()]).transform(String);

/**
 * Why `text` cannot be an allocation unit id as fn_dblog and sys.allocation_units print it, or null.
 * SQL Server's ids are `index_id << 48 | object_id << 16` (Paul Randal, "Inside the Storage Engine:
 * how are allocation unit IDs calculated?"; src/datafile/page.ts), so a multiple of 65,536; a
 * spreadsheet that opened and saved the file keeps 15 significant digits of a 17-digit id
 * (72057594043236352 → 72057594043236300: still an integer, no longer a multiple) or writes it as
 * `7.20576E+16`. Either way the digits are gone, and an id read as is would be printed wrong (and
 * match the catalog's only because both were rounded alike): refused, never guessed back.
 */
export function allocUnitIdProblem(text: string): string | null {
  const spreadsheet = 'its digits were rewritten (a spreadsheet keeps 15 significant digits: was the file opened and saved in Excel?); give rowback the file as sql/export-log-records.sql wrote it';
  if (/^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i.test(text)) return `'${text}' is a number in exponent form, not an allocation unit id: ${spreadsheet}`;
  if (!/^\d+$/.test(text)) return null; // the integer check names it
  if (BigInt(text) % 65536n !== 0n) return `'${text}' cannot be an allocation unit id (SQL Server's are index_id << 48 | object_id << 16, multiples of 65,536): ${spreadsheet}`;
  return null;
}

const allocUnitValue = z
  .union([z.string(), z.number()])
  .superRefine((v, ctx) => {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      ctx.addIssue({ code: 'custom', message: `${v} is a JSON number beyond 2^53, whose last digits are lost: the id must be decimal text, as sql/export-log-records.sql writes it` });
      return;
    }
    const problem = allocUnitIdProblem(String(v));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(bigintValue);
const logTime = z.string().superRefine((s, ctx) => {
  try {
    parseBeginTime(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

export const ExportRecordSchema = z.object({
  'Current LSN': lsnText,
  Operation: z.string().regex(/^LOP_[A-Z0-9_]+$/, 'not an fn_dblog operation name'),
  Context: z.string().nullable(),
  'Transaction ID': z.string().regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{8}$/, `not a transaction id of the form 0000:000003e8${REWRITTEN}`),
  AllocUnitId: allocUnitValue.nullable(),
  'Page ID': z.string().regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{8}$/, `not a page id of the form 0001:00000123${REWRITTEN}`).nullable(),
  'Slot ID': intValue.nullable(),
  'Offset in Row': intValue.nullable(),
  'Modify Size': intValue.nullable(),
  Description: z.string().nullable(),
  'Begin Time': logTime.nullable(),
  'End Time': logTime.nullable(),
  'Transaction Name': z.string().nullable(),
  'Transaction SID': hexText.nullable(),
  Login: z.string().nullable(),
  SPID: intValue.nullable(),
  'RowLog Contents 0': hexText.nullable(),
  'RowLog Contents 1': hexText.nullable(),
});

/** The record columns sql/export-log-records.sql writes, in its order; each must be present (NULL as null / an empty unquoted field). */
export const EXPORT_RECORD_COLUMNS = Object.keys(ExportRecordSchema.shape) as ReadonlyArray<keyof typeof ExportRecordSchema.shape>;

/** The header's `logRead` (ExportLogRead): LSNs as fn_dblog pads them, times in its text form; each field may be null or absent. */
export const LogReadSchema = z.object({
  firstLsn: lsnText.nullable().optional(),
  lastLsn: lsnText.nullable().optional(),
  firstBeginTime: logTime.nullable().optional(),
  lastBeginTime: logTime.nullable().optional(),
  firstEndTime: logTime.nullable().optional(),
  lastEndTime: logTime.nullable().optional(),
});

/** The header's `outsideWindow` (ExportOutsideWindow): its count an integer, its times in fn_dblog's form; each field may be null or absent. */
export const OutsideWindowSchema = z.object({
  rowOps: intValue.nullable().optional(),
  firstBeginTime: logTime.nullable().optional(),
  lastBeginTime: logTime.nullable().optional(),
});

/** The header's `outsideWindow` as ExportOutsideWindow (a null or absent count: 0), or undefined when the header has none. */
function outsideWindowOf(v: z.infer<typeof OutsideWindowSchema> | null | undefined): ExportOutsideWindow | undefined {
  if (!v) return undefined;
  return { rowOps: v.rowOps ?? 0, firstBeginTime: v.firstBeginTime ?? null, lastBeginTime: v.lastBeginTime ?? null };
}

/**
 * The CSV form's `#meta` keys `outsideWindow.*` (OutsideWindowSchema) as ExportHeader.outsideWindow,
 * or {} when there are none. Throws INPUT_BAD_EXPORT naming the line and key of a value that is not
 * what the script writes.
 */
export function csvMetaOutsideWindow(meta: ReadonlyMap<string, string | null>, lines: ReadonlyMap<string, number>, file: string): Pick<ExportHeader, 'outsideWindow'> {
  const keys = [...meta.keys()].filter((k) => k.startsWith('outsideWindow.'));
  if (keys.length === 0) return {};
  const parsed = OutsideWindowSchema.safeParse(Object.fromEntries(keys.map((k) => [k.slice('outsideWindow.'.length), meta.get(k)])));
  if (!parsed.success) {
    const { field, message } = issueText(parsed.error);
    const key = `outsideWindow.${field}`;
    throw bad(file, `#meta, line ${lines.get(key)}, field ${key}: ${message}`, { line: lines.get(key), column: key });
  }
  return { outsideWindow: outsideWindowOf(parsed.data) };
}

/** The header's `logRead` fields as ExportLogRead (absent ones null), or null when there is no logRead. */
function logReadOf(v: z.infer<typeof LogReadSchema> | null | undefined): ExportLogRead | null {
  if (!v) return null;
  return { firstLsn: v.firstLsn ?? null, lastLsn: v.lastLsn ?? null, firstBeginTime: v.firstBeginTime ?? null, lastBeginTime: v.lastBeginTime ?? null, firstEndTime: v.firstEndTime ?? null, lastEndTime: v.lastEndTime ?? null };
}

/**
 * The CSV form's `#meta` facts that are not plain text: `logBackupSet` (an integer) and the
 * `logRead.*` keys (LogReadSchema), from `meta` (key → value) and `lines` (key → its file line).
 * Throws INPUT_BAD_EXPORT naming the line and key of a value that is not what the script writes
 * (a spreadsheet's rewritten LSN or time).
 */
export function csvMetaLogFacts(meta: ReadonlyMap<string, string | null>, lines: ReadonlyMap<string, number>, file: string): Pick<ExportHeader, 'logBackupSet' | 'logRead'> {
  const set = meta.get('logBackupSet');
  if (set !== null && set !== undefined && !/^\d+$/.test(set)) throw bad(file, `#meta, line ${lines.get('logBackupSet')}, field logBackupSet: '${set}' is not an integer`, { line: lines.get('logBackupSet'), column: 'logBackupSet' });
  const keys = [...meta.keys()].filter((k) => k.startsWith('logRead.'));
  if (keys.length === 0) return { logBackupSet: set ? Number(set) : null, logRead: null };
  const parsed = LogReadSchema.safeParse(Object.fromEntries(keys.map((k) => [k.slice('logRead.'.length), meta.get(k)])));
  if (!parsed.success) {
    const { field, message } = issueText(parsed.error);
    const key = `logRead.${field}`;
    throw bad(file, `#meta, line ${lines.get(key)}, field ${key}: ${message}`, { line: lines.get(key), column: key });
  }
  return { logBackupSet: set ? Number(set) : null, logRead: logReadOf(parsed.data) };
}

/** The top-level fields of the JSON form but `records` (which is streamed, never held). */
export const HeaderFieldsSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  server: z.string().nullable().optional(),
  database: z.string().nullable().optional(),
  serverTimeZone: z.string().nullable().optional(),
  exportedAt: z.string().nullable().optional(),
  window: z.object({ from: z.string().nullable().optional(), to: z.string().nullable().optional() }).nullable().optional(),
  tables: z.string().nullable().optional(),
  operations: z.string().nullable().optional(),
  logSource: z.string().nullable().optional(),
  logBackup: z.string().nullable().optional(),
  logBackupSet: intValue.nullable().optional(),
  logRead: LogReadSchema.nullable().optional(),
  outsideWindow: OutsideWindowSchema.nullable().optional(),
  // unchecked: a file carrying anything here was read before the key was known, and still is
  databaseCollation: z.unknown().optional(),
  catalog: z.array(z.record(z.string(), z.unknown())),
});

/**
 * The header's `serverTimeZone` as DATENAME(TZOFFSET, …) writes it (`+08:00`), or null; anything
 * else (a spreadsheet saves `+08:00` as the time `8:00:00`) is INPUT_BAD_EXPORT: the note "times are
 * the exporting server's local time, UTC…" would state a zone the server never gave.
 */
export function checkedTimeZone(v: string | null | undefined, file: string, where: { line?: number } = {}): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (!isTzOffset(v)) throw bad(file, `serverTimeZone '${v}' is not a UTC offset of the form +08:00, as DATENAME(TZOFFSET, SYSDATETIMEOFFSET()) writes it (was the file opened and saved in a spreadsheet?); give rowback the file as sql/export-log-records.sql wrote it`, { ...where, column: 'serverTimeZone' });
  return v;
}

/**
 * A version 2 header names its window, `window.from` and `window.to` (sql/export-log-records.sql
 * writes both, every version: `"window": {"from", "to"}` in JSON, `"window.from"`/`"window.to"` in
 * the CSV's #meta), or INPUT_BAD_EXPORT naming the key missing. A header without them (a file built
 * or edited by hand, the CSV keys written `from`/`to`) was read as an export of no window: a
 * `--from`/`--to` outside the window it was exported for printed its rows as the whole window,
 * complete, exit 0 under --strict. `has`: whether the key is in the file (a NULL value is the
 * script's own, for a NULL @From/@To); `line`: the CSV's #meta line, for the location. And its
 * `logRead` (any of its keys: the script of before `logRead.firstEndTime` wrote the others).
 */
export function requireExportWindow(version: number, has: { from: boolean; to: boolean; logRead: boolean }, file: string, form: 'json' | 'csv', where: { line?: number } = {}): void {
  if (version < 2) return;
  if (has.from && has.to) {
    if (has.logRead) return;
    // logRead likewise (written by every version 2 script): without it the window's start and a log
    // backup's end went unchecked, a window before the log read printed as complete
    throw bad(file, `its header has no logRead (${form === 'json' ? '"logRead": {"firstLsn", …}' : 'the #meta keys "logRead.firstLsn", "logRead.firstBeginTime", …'}, where the log sql/export-log-records.sql read begins and ends): without it a window starting before that log, or running past the end of the log backup it read, cannot be told from one it holds whole; give rowback the file as the script wrote it, or export again`, { ...where, column: 'logRead' });
  }
  const key = !has.from ? 'from' : 'to';
  const named = form === 'json' ? `"window": {"${key}": …}` : `the #meta key "window.${key}"`;
  throw bad(file, `its header has no window ${key} (${named}, the @${key === 'from' ? 'From' : 'To'} sql/export-log-records.sql wrote it for): without it a window asked for outside the export's own cannot be told from one it holds whole; give rowback the file as the script wrote it (a version ${version} export names ${form === 'json' ? '"window": {"from", "to"}' : '"window.from" and "window.to" in #meta'}), or export again`, { ...where, column: form === 'json' ? `window.${key}` : `window.${key}` });
}

/** The JSON form's header fields (HeaderFieldsSchema, parsed) as an ExportHeader; INPUT_BAD_EXPORT for a bad serverTimeZone or, version 2, no window. */
export function exportHeaderFrom(h: z.infer<typeof HeaderFieldsSchema>, file: string): ExportHeader {
  requireExportWindow(h.version, { from: h.window?.from !== undefined, to: h.window?.to !== undefined, logRead: h.logRead !== undefined }, file, 'json');
  return {
    version: h.version,
    server: h.server ?? null,
    database: h.database ?? null,
    serverTimeZone: checkedTimeZone(h.serverTimeZone, file),
    exportedAt: h.exportedAt ?? null,
    window: { from: h.window?.from ?? null, to: h.window?.to ?? null },
    tables: h.tables ?? null,
    operations: h.operations ?? null,
    logSource: h.logSource ?? null,
    logBackup: h.logBackup ?? null,
    logBackupSet: h.logBackupSet ?? null,
    logRead: logReadOf(h.logRead),
    ...(h.outsideWindow ? { outsideWindow: outsideWindowOf(h.outsideWindow) } : {}),
    ...databaseCollationOf('databaseCollation' in h, h.databaseCollation),
  };
}

/**
 * The header's `databaseCollation` as ExportHeader.databaseCollation: absent when the file has no
 * such key (a script before it was added) or a value that is no collation name (not text, or text
 * other than letters, digits and underscores: never refused, as readers before the key ignored it);
 * null for the script's NULL.
 */
export function databaseCollationOf(has: boolean, v: unknown): Pick<ExportHeader, 'databaseCollation'> {
  if (!has) return {};
  if (v === null || v === '') return { databaseCollation: null };
  return typeof v === 'string' && /^[A-Za-z0-9_]{1,128}$/.test(v) ? { databaseCollation: v } : {};
}

export function bad(file: string, message: string, where: { line?: number; column?: string } = {}): InputError {
  return new InputError('INPUT_BAD_EXPORT', message, { file, ...where });
}

/**
 * A copy of `s` that owns its characters. Parsers hand out strings that are slices of the text
 * chunk they came from, and V8 keeps the whole chunk alive for as long as the slice lives: the
 * transaction facts the committed filter keeps for every transaction would hold every chunk of a
 * multi-GB export in memory. Copying through bytes breaks that link: UTF-16 bytes, which carry every
 * code unit as it is (through UTF-8 an unpaired surrogate, which an nvarchar transaction name or
 * login can hold, came back as U+FFFD: the output printed a name the log does not hold).
 */
function own(s: string): string;
function own(s: string | null | undefined): string | null;
function own(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : Buffer.from(s, 'utf16le').toString('utf16le');
}

function toRecord(r: z.infer<typeof ExportRecordSchema>, file: string): LogRecord {
  return {
    'Current LSN': own(r['Current LSN']),
    Operation: own(r.Operation),
    Context: own(r.Context) ?? '',
    'Transaction ID': own(r['Transaction ID']),
    AllocUnitId: own(r.AllocUnitId),
    'Page ID': own(r['Page ID']),
    'Slot ID': r['Slot ID'] ?? null,
    'Offset in Row': r['Offset in Row'] ?? null,
    'Modify Size': r['Modify Size'] ?? null,
    Description: own(r.Description),
    'Begin Time': own(r['Begin Time']),
    'End Time': own(r['End Time']),
    'Transaction Name': own(r['Transaction Name']),
    'Transaction SID': r['Transaction SID'] ?? null,
    SPID: r.SPID ?? null,
    'RowLog Contents 0': r['RowLog Contents 0'] ?? null,
    'RowLog Contents 1': r['RowLog Contents 1'] ?? null,
    source: { kind: 'export', file },
  };
}

export function issueText(e: z.ZodError): { field: string; message: string } {
  const i = e.issues[0]!;
  let message = i.message;
  // A union (number or numeric text) reports "Invalid input"; the branch that matched the
  // value's type has the useful message.
  if (i.code === 'invalid_union') {
    const inner = i.errors.flat().find((x) => x.code !== 'invalid_type');
    if (inner) message = inner.message;
  }
  return { field: i.path.map(String).join('.') || '(record)', message };
}

/**
 * One record as the file holds it → a LogRecord, and the login of a LOP_BEGIN_XACT. `i` is the
 * 0-based record number, `line` its file line when known (CSV). Throws INPUT_BAD_EXPORT naming
 * the record, line and field.
 */
export function validateRecord(item: unknown, i: number, file: string, line: number | undefined): { record: LogRecord; login: string | null } {
  // A column left out of the file (a query of the DBA's own, a column deleted in a spreadsheet)
  // cannot be told from NULL once read: refused by name rather than every value taken as NULL
  // (no Begin Time put every transaction outside a window unsaid, no RowLog Contents 0 said
  // "no row image" of every delete).
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const missing = EXPORT_RECORD_COLUMNS.filter((c) => !Object.hasOwn(item, c));
    if (missing.length) {
      const field = missing[0]!;
      throw bad(file, `record ${i + 1}${line ? ` (line ${line})` : ''} has no field ${missing.map((m) => `'${m}'`).join(', ')}: sql/export-log-records.sql writes every one of its ${EXPORT_RECORD_COLUMNS.length} columns (NULL as ${line ? 'an empty unquoted field' : 'null'}), and a column left out cannot be told from NULL; export with the script as it is`, { line, column: field });
    }
  }
  const parsed = ExportRecordSchema.safeParse(item);
  if (!parsed.success) {
    const { field, message } = issueText(parsed.error);
    throw bad(file, `record ${i + 1}${line ? ` (line ${line})` : ''}, field ${field}: ${message}`, { line, column: field });
  }
  const r = parsed.data;
  return { record: toRecord(r, file), login: r.Operation === 'LOP_BEGIN_XACT' && r.Login ? own(r.Login) : null };
}

/** Catalog columns that are numbers, and those that are bits, for typing CSV text. */
const CATALOG_INTS = new Set(['object_id', 'index_id', 'partition_number', 'partition_column_id', 'column_id', 'system_type_id', 'max_length', 'precision', 'scale', 'leaf_offset', 'leaf_null_bit', 'leaf_bit_position', 'key_ordinal', 'generated_always_type']);
// (is_filestream was left out when the script began to write it: every CSV export's catalog was refused, 'Invalid input')
export const CATALOG_BITS: ReadonlySet<string> = new Set(['is_nullable', 'is_identity', 'is_computed', 'is_persisted', 'is_rowguidcol', 'is_column_set', 'is_filestream', 'is_dropped', 'is_sparse', 'is_uniqueifier']);

/** A CSV catalog row typed as the JSON form holds it (numbers, bits); INPUT_BAD_EXPORT naming line and field. */
export function catalogRowFromCsv(row: Record<string, string | null>, line: number, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null) out[k] = null;
    else if (CATALOG_INTS.has(k)) {
      if (!/^-?\d+$/.test(v)) throw bad(file, `catalog line ${line}, field ${k}: '${v}' is not an integer`, { line, column: k });
      out[k] = Number(v);
    } else if (CATALOG_BITS.has(k)) {
      if (!/^(0|1|true|false)$/i.test(v)) throw bad(file, `catalog line ${line}, field ${k}: '${v}' is not a bit`, { line, column: k });
      out[k] = v === '1' || v.toLowerCase() === 'true';
    } else {
      const problem = CATALOG_ALLOC_UNITS.has(k) ? allocUnitIdProblem(v) : null;
      if (problem) throw bad(file, `catalog line ${line}, field ${k}: ${problem}`, { line, column: k });
      out[k] = v;
    }
  }
  return out;
}

/** Catalog columns holding allocation unit ids (decimal text), checked by allocUnitIdProblem. */
const CATALOG_ALLOC_UNITS = new Set(['in_row_alloc_unit_id', 'lob_alloc_unit_id', 'row_overflow_alloc_unit_id']);

/**
 * The JSON form's catalog rows checked as catalogRowFromCsv checks the CSV's allocation unit ids;
 * INPUT_BAD_EXPORT naming the catalog row (1-based) and field.
 */
export function checkCatalogAllocUnits(rows: Record<string, unknown>[], file: string): void {
  rows.forEach((row, i) => {
    for (const k of CATALOG_ALLOC_UNITS) {
      const v = row[k];
      if (v === null || v === undefined) continue;
      const problem = typeof v === 'number' && !Number.isSafeInteger(v) ? `${v} is a JSON number beyond 2^53, whose last digits are lost: the id must be decimal text, as sql/export-log-records.sql writes it` : allocUnitIdProblem(String(v));
      if (problem) throw bad(file, `catalog row ${i + 1}, field ${k}: ${problem}`, { column: k });
    }
  });
}

/**
 * The whole export in memory: header, catalog and every record (small files and tests; scans
 * stream through openExportStream instead). Same errors as openExportStream.
 */
export async function readExportFile(file: string, open?: () => Readable): Promise<ExportFile> {
  const { openExportStream } = await import('./export-stream.js');
  const s = await openExportStream(file, open);
  const logins = new Map<string, string>();
  const records: LogRecord[] = [];
  for await (const r of s.records({ onLogin: (t, l) => logins.set(t, l) })) records.push(r);
  return { file, header: s.header, records, catalog: s.catalog, logins };
}

/** An export given as text (tests, pasted content): read as a file of those UTF-8 bytes would be. */
export function parseExportText(text: string, file: string): Promise<ExportFile> {
  return readExportFile(file, () => Readable.from([Buffer.from(text, 'utf8')]));
}
