/**
 * The export file (sql/export-log-records.sql; formats in export-file.ts) read as a stream, so a
 * multi-GB export is scanned in flat memory: the header and catalog in one pass (the catalog is
 * small), then the records once per pass the caller makes, never all at once.
 *
 * - Text: UTF-8 (BOM stripped; a byte that is not UTF-8 refused, never read as U+FFFD), UTF-16LE
 *   with its BOM (sqlcmd -u) or without it (bcp -w), decoded chunk by chunk (`stream: true`),
 *   split into lines. UTF-16BE and ZIP (.xlsx) are refused by name.
 * - Before either form is read, sniff names what a client made of the export (the JSON wrapped in a
 *   result row, the export quoted in CSV cells, sqlcmd's column header, PowerShell's #TYPE line) and
 *   a plain fn_dblog result (util/log-text-kind.ts).
 * - JSON: sqlcmd may wrap the one long value over lines anywhere, even inside a token; JSON never
 *   holds a raw line break (FOR JSON escapes them), so line breaks are dropped and the rest goes
 *   through stream-json's parser: `ignore(records)` + `streamObject()` for the header and catalog,
 *   `pick(records)` + `streamArray()` for the records.
 * - CSV: `#section` lines outside quoted fields split the sections (quote parity carried over line
 *   breaks, as in export-file.ts); records are parsed by csv-parse in batches of whole logical
 *   lines, with their file line numbers.
 * Every problem is an InputError INPUT_BAD_EXPORT naming the file, the line and the field.
 */
import { statSync } from 'node:fs';
import { createInputReadStream } from '../../util/input-open.js';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { ignore } from 'stream-json/filters/ignore.js';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamObject } from 'stream-json/streamers/stream-object.js';
import { InputError } from '../../errors.js';
import { unreadableWhy } from '../../util/files.js';
import type { LogRecord } from '../log-record.js';
import {
  bad,
  catalogRowFromCsv,
  checkCatalogAllocUnits,
  csvMetaLogFacts,
  csvMetaOutsideWindow,
  checkedTimeZone,
  databaseCollationOf,
  requireExportWindow,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  EXPORT_VERSIONS,
  exportHeaderFrom,
  HeaderFieldsSchema,
  issueText,
  validateRecord,
  type ExportHeader,
} from './export-file.js';
import { isUtf16leWithoutBom, logTextKindOfText, PLAIN_FN_DBLOG_ADVICE } from '../../util/log-text-kind.js';
import { UNPAIRED_SURROGATE_SOURCE } from '../../util/surrogates.js';

/** Where a pass gets its bytes: a fresh stream each call (a file, or a buffer in tests). */
export type ByteSource = () => Readable;

export interface ExportStream {
  file: string;
  format: 'json' | 'csv';
  header: ExportHeader;
  catalog: Record<string, unknown>[];
  /** Bytes of the file (one pass reads them all), when known. */
  bytes: number | undefined;
  /**
   * One streaming pass over the records, validated one by one (INPUT_BAD_EXPORT naming the
   * record, line and field). `onLogin` sees the login of every LOP_BEGIN_XACT; `onBytes` the
   * bytes read so far in this pass.
   */
  records(o?: { signal?: AbortSignal; onLogin?: (transactionId: string, login: string) => void; onBytes?: (n: number) => void }): AsyncGenerator<LogRecord>;
}

/** Decoded text chunks of a byte stream (UTF-16LE after its BOM, else UTF-8 with any BOM dropped). */
async function* textChunks(src: Readable, onBytes?: (n: number) => void): AsyncGenerator<string> {
  let decoder: { decode(bytes?: Uint8Array, o?: { stream: boolean }): string } | null = null;
  let read = 0;
  for await (const chunk of src as AsyncIterable<Buffer>) {
    read += chunk.length;
    onBytes?.(read);
    let bytes: Uint8Array = chunk;
    if (!decoder) {
      if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        decoder = new Utf16leDecoder();
        bytes = bytes.subarray(2);
      } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
        throw new Utf16beError();
      } else if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
        throw new ZipError();
      } else if (isUtf16leWithoutBom(bytes)) decoder = new Utf16leDecoder(); // bcp -w writes no BOM
      // fatal: a byte that is not UTF-8 (sqlcmd without -f 65001 writes the console's code page) is
      // refused, never turned into U+FFFD (a login 'CORP\\José' printed as 'CORP\\Jos�')
      else decoder = new TextDecoder('utf-8', { fatal: true });
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw NotUtf8Error.of(bytes, read - chunk.length);
    }
    if (text) yield text;
  }
  let tail = '';
  try {
    tail = decoder ? decoder.decode() : '';
  } catch {
    throw new NotUtf8Error(read, '');
  }
  if (tail) yield tail;
}

/** Text that is not UTF-8 (nor UTF-16 with its BOM, nor BOM-less UTF-16LE): refused by the readers (notUtf8). */
class NotUtf8Error extends Error {
  constructor(
    /** Byte offset of the first byte that is not UTF-8 (about: a sequence begun in the chunk before counts from this chunk). */
    readonly offset: number,
    /** The text just before it, to find it by. */
    readonly before: string,
  ) {
    super('not UTF-8');
  }

  static of(bytes: Uint8Array, chunkStart: number): NotUtf8Error {
    const loose = new TextDecoder('utf-8').decode(bytes);
    const at = loose.indexOf('\ufffd');
    const prefix = at < 0 ? loose : loose.slice(0, at);
    return new NotUtf8Error(chunkStart + Buffer.byteLength(prefix, 'utf8'), prefix.slice(-30).split(/\r?\n/).pop() ?? '');
  }
}

/** INPUT_BAD_EXPORT for a NotUtf8Error, or null for any other error. */
function notUtf8(file: string, e: unknown): InputError | null {
  if (!(e instanceof NotUtf8Error)) return null;
  return bad(file, `is not UTF-8 text: byte offset ${e.offset}${e.before ? ` (after '${e.before}')` : ''} is not UTF-8 — sqlcmd writes the console's code page unless given -f 65001, and names and logins outside ASCII would be read wrong; export again with sqlcmd … -f 65001 (UTF-8) or -u (UTF-16), as sql/export-log-records.sql's header says`);
}

/** A file in UTF-16 big-endian (its BOM FE FF), which no SQL Server client writes by default: refused by sniff. */
class Utf16beError extends Error {}

/** A ZIP archive (PK\\3\\4): an .xlsx workbook a grid was saved as (Azure Data Studio's Save as Excel): refused by sniff. */
class ZipError extends Error {}

/**
 * UTF-16LE bytes to text chunk by chunk, every code unit as it is: TextDecoder('utf-16le') writes
 * U+FFFD for an unpaired surrogate, which an nvarchar transaction name or login can hold (a name
 * cut at 32 characters inside a pair), so the rows printed a name the log does not hold. A pair
 * split between chunks joins again when the chunks are concatenated; an odd byte waits for the next.
 */
export class Utf16leDecoder {
  private carry: Buffer | null = null;

  /** The text of `bytes` after what was carried over; with no bytes, the end (a lone last byte: U+FFFD). */
  decode(bytes?: Uint8Array, _o?: { stream: boolean }): string {
    if (bytes === undefined) {
      const end = this.carry ? '\ufffd' : '';
      this.carry = null;
      return end;
    }
    let b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.carry) {
      b = Buffer.concat([this.carry, b]);
      this.carry = null;
    }
    if (b.length % 2) {
      this.carry = Buffer.from(b.subarray(b.length - 1));
      b = b.subarray(0, b.length - 1);
    }
    return b.toString('utf16le');
  }
}

/** Text lines of a byte stream, without their LF (the CR of a CRLF kept: csvLines drops it where it ends a line, keeps it inside a quoted value). A line is held whole: for line-based (CSV) text. */
async function* lines(src: Readable, onBytes?: (n: number) => void): AsyncGenerator<string> {
  let rest = '';
  for await (const text of textChunks(src, onBytes)) {
    const parts = (rest + text).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

/** The first significant character decides JSON (`{`) or CSV (`#`). */
async function sniff(open: ByteSource, file: string): Promise<'json' | 'csv'> {
  const src = open();
  const notExport = () => bad(file, 'is neither a rowback export JSON object nor a sectioned CSV export (no "{" found)', { line: 1 });
  try {
    for await (const text of textChunks(src)) {
      const t = text.replace(/^\uFEFF/, '').trimStart();
      if (!t) continue;
      // SSMS's saved grid of fn_dblog, sqlcmd's columns, bcp, FOR JSON, PowerShell: said as what it is
      if (logTextKindOfText(t) === 'fn_dblog') throw bad(file, PLAIN_FN_DBLOG_ADVICE, { line: 1 });
      // the export's JSON held as the text of one value: a client saved the result row around it
      const wrapped = /^[[{]\s*\{?\s*"([^"\\]{1,128})"\s*:\s*"\{\\"format\\"\s*:\s*\\"rowback-export\\"/.exec(t);
      if (wrapped) throw bad(file, `holds the export as the text of a JSON string (field '${wrapped[1]}'): a client saved the result row around it (Azure Data Studio's Save as JSON, PowerShell's ConvertTo-Json); save the value itself, as sql/export-log-records.sql's header says (sqlcmd … -h -1 -y 0 -f 65001 -o FILE)`, { line: 1 });
      // the export as one quoted CSV cell per value or line: a client saved the result grid as CSV
      const cell = /^([^\r\n,]{1,128})\r?\n"(\{""format"":""rowback-export""|#rowback-export)/.exec(t);
      if (cell) throw bad(file, `holds the export quoted as the cells of a CSV column '${cell[1]!.trim()}' (a client saved the result grid as CSV: Azure Data Studio's Save as CSV, SSMS's Save Results As): save the value itself, as sql/export-log-records.sql's header says (sqlcmd … -h -1 -y 0 -f 65001 -o FILE)`, { line: 2 });
      if (t[0] === '#') {
        if (/^#TYPE /.test(t)) throw bad(file, "begins with PowerShell's Export-Csv type line (#TYPE …), not the #rowback-export marker: Export-Csv quoted each line of the export again; write the lines as they are (Invoke-Sqlcmd … -MaxCharLength 2147483647 | ForEach-Object line | Set-Content -Encoding utf8 FILE), or use sqlcmd as sql/export-log-records.sql's header says", { line: 1 });
        return 'csv';
      }
      if (t[0] === '{') return 'json';
      // the sectioned CSV after other lines: sqlcmd's column header ('line' and its dashes) without -h -1
      const marker = /(?:^|\n)#rowback-export\b/.exec(t);
      if (marker) {
        const line = text.slice(0, text.indexOf('#rowback-export')).split('\n').length;
        throw bad(file, `line ${line} holds the #rowback-export marker, but the lines before it are not part of an export (sqlcmd's column header '${t.split(/\r?\n/, 1)[0]!.trim().slice(0, 40)}' and its dashes?): run sqlcmd with -h -1, as sql/export-log-records.sql's header says`, { line });
      }
      // text before the object (a sqlcmd banner): JSON only if an object follows on a later line
      const nl = t.indexOf('\n');
      if (nl >= 0 && t.slice(nl).includes('{')) return 'json';
      throw notExport();
    }
    throw notExport();
  } catch (e) {
    if (e instanceof ZipError) throw bad(file, 'is a ZIP archive (an .xlsx workbook: a result grid saved as Excel?), not text: export with sql/export-log-records.sql to a file (sqlcmd … -h -1 -y 0 -f 65001 -o FILE, as its header says)', { line: 1 });
    if (e instanceof Utf16beError) throw bad(file, 'is UTF-16 big-endian text (its first bytes FE FF), which rowback does not read: save it as UTF-8 (sqlcmd -f 65001) or UTF-16LE (sqlcmd -u)', { line: 1 });
    // the file's open or first read failed (a folder given for the file: EISDIR; permission denied:
    // EACCES): Node's own 'EISDIR: illegal operation on a directory, read' came out as it was
    if (typeof (e as NodeJS.ErrnoException).syscall === 'string') throw new InputError('INPUT_FILE_UNREADABLE', `cannot read ${file}: ${unreadableWhy(e)}`, { file });
    throw notUtf8(file, e) ?? e;
  } finally {
    src.destroy();
  }
}

/**
 * The cheap check of an export's first bytes a job makes when it is created (the header and catalog
 * pass may read a multi-GB file): resolves with its format, JSON or CSV, or throws
 * INPUT_FILE_UNREADABLE, or INPUT_BAD_EXPORT for a file that is no export (a plain fn_dblog result
 * named as one), as openExportStream would when the job runs.
 */
export async function checkExportStart(file: string): Promise<'json' | 'csv'> {
  try {
    statSync(file);
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `cannot read ${file}: ${unreadableWhy(e)}`, { file });
  }
  return sniff(() => createInputReadStream(file, { highWaterMark: 64 * 1024 }), file);
}

/**
 * Opens an export for streaming: reads its header and catalog (one pass) and checks the marker and
 * version. Throws INPUT_FILE_UNREADABLE for a file that cannot be read, INPUT_BAD_EXPORT for one
 * that is not an export. `open` gives a fresh byte stream per pass (default: the file).
 */
export async function openExportStream(file: string, open?: ByteSource): Promise<ExportStream> {
  let bytes: number | undefined;
  if (!open) {
    try {
      bytes = statSync(file).size;
    } catch (e) {
      throw new InputError('INPUT_FILE_UNREADABLE', `cannot read ${file}: ${unreadableWhy(e)}`, { file });
    }
    open = () => createInputReadStream(file, { highWaterMark: 64 * 1024 });
  }
  const format = await sniff(open, file);
  return format === 'json' ? openJson(file, open, bytes) : openCsv(file, open, bytes);
}

// ---------------------------------------------------------------------------------------------
// JSON

/** Where jsonText is: the lines handed on so far. */
interface JsonPosition {
  line: number;
}

/**
 * The text from its first `{` on, line breaks removed, as string chunks (never a whole line: a
 * sqlcmd JSON export is one line of any length); `at.line` counts the lines handed on so far.
 */
function jsonText(open: ByteSource, at: JsonPosition, onBytes?: (n: number) => void): Readable {
  return Readable.from(
    (async function* () {
      let started = false;
      at.line = 1;
      // a high surrogate ending a chunk: its low one may begin the next
      let high = '';
      for await (const chunk of textChunks(open(), onBytes)) {
        let t = high + chunk;
        high = '';
        const last = t.charCodeAt(t.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          high = t.slice(-1);
          t = t.slice(0, -1);
        }
        t = escapeUnpairedSurrogates(t);
        if (!started) {
          const i = t.indexOf('{');
          if (i < 0) {
            for (const ch of t) if (ch === '\n') at.line++;
            continue;
          }
          for (const ch of t.slice(0, i)) if (ch === '\n') at.line++;
          t = t.slice(i);
          started = true;
        }
        let out = '';
        let from = 0;
        for (let k = 0; k < t.length; k++) {
          const c = t.charCodeAt(k);
          if (c === 10 || c === 13) {
            if (c === 10) at.line++;
            out += t.slice(from, k);
            from = k + 1;
          }
        }
        out = from === 0 ? t : out + t.slice(from);
        if (out) yield out;
      }
      if (high) yield escapeUnpairedSurrogates(high);
    })(),
    { objectMode: false },
  );
}

/**
 * `t` with each unpaired UTF-16 surrogate written as its JSON escape (`\\ud83d`): the text goes on
 * to the JSON parser as UTF-8 bytes, which have no form for one (it became U+FFFD). Raw, one can
 * only stand inside a JSON string (a UTF-16 export of an nvarchar name cut inside a pair), where the
 * escape reads as the same code unit.
 */
const UNPAIRED_GLOBAL = new RegExp(UNPAIRED_SURROGATE_SOURCE, 'g');
/** U+FDD0 (hideSurrogates' marker, doubled when the text holds one) or an unpaired surrogate. */
const HIDDEN_OR_UNPAIRED = new RegExp(`\ufdd0|${UNPAIRED_SURROGATE_SOURCE}`, 'g');

function escapeUnpairedSurrogates(t: string): string {
  return t.replace(UNPAIRED_GLOBAL, (u) => `\\u${u.charCodeAt(0).toString(16)}`);
}

/**
 * Why a JSON export the parser refused is not one whole object, read again with a bracket count
 * (strings and their escapes skipped): text after the object closes (two exports appended, a
 * client's footer), or the text ending before it closes (a copy or a client's limit cut it).
 * Null when the object is whole: the parser's own error stands.
 */
async function jsonShapeError(open: ByteSource, file: string): Promise<InputError | null> {
  const at = { line: 1 };
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let closedLine = 0;
  let chars = 0;
  for await (const t of textChunks(open())) {
    chars += t.length;
    for (let k = 0; k < t.length; k++) {
      const c = t[k]!;
      if (c === '\n') at.line++;
      if (!started) {
        // text before the object (sqlcmd's column header) is skipped, as jsonText skips it
        if (c !== '{') continue;
        started = true;
      }
      if (closedLine) {
        if (/\s/.test(c)) continue;
        const after = t.slice(k, k + 40).split(/\r?\n/)[0]!;
        return bad(file, `has more text after the export's JSON object, which ends on line ${closedLine} ('${after}…'): two exports put into one file (split them and read each export on its own), or a client's footer such as '(1 rows affected)' (save the value alone: sqlcmd … -h -1 -y 0 -f 65001 -o FILE, as sql/export-log-records.sql's header says)`, { line: closedLine });
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) closedLine = at.line;
    }
  }
  if (depth > 0) {
    // sqlcmd's -y 0 is no "unlimited": "If display_width is 0, the output is truncated at 1 MB"
    // (sqlcmd utility, -y variable_length_type_display_width), and the JSON export is ONE value, so
    // an export past 1 MB exported again the same way was cut again; the CSV form's values are lines
    return bad(file, `ends inside the export's JSON object (near line ${at.line}): the file is cut short (${chars.toLocaleString('en-US')} characters read) — SSMS copies at most 65,535 characters of a cell and Results to Text at most 8,192, sqlcmd cuts the value at 256 characters without -y and at 1 MB even with -y 0, Invoke-Sqlcmd at 4,000 characters without -MaxCharLength, and a copy may have stopped; export again with @Format = N'csv' (sqlcmd … -h -1 -y 0 -f 65001 -o FILE, as sql/export-log-records.sql's header says): each CSV line is a value of its own, far under sqlcmd's 1 MB, where the JSON export is one value`, { line: at.line });
  }
  return null;
}

function jsonError(file: string, e: unknown, line: number): InputError {
  if (e instanceof InputError) return e;
  const encoding = notUtf8(file, e);
  if (encoding) return encoding;
  return bad(file, `is not valid JSON near line ${line}: ${(e as Error).message}`, { line });
}

async function openJson(file: string, open: ByteSource, bytes: number | undefined): Promise<ExportStream> {
  const at: JsonPosition = { line: 0 };
  const top: Record<string, unknown> = {};
  let sawRecords = false;
  try {
    // Notes whether "records" is a key of the top-level object while ignore() drops its value.
    let depth = 0;
    let recordsValue = false;
    const watch = (t: parser.Token) => {
      // the value of "records" must be an array (pick() + streamArray() said "Top-level object should be an array")
      if (recordsValue && t.name !== 'startKey' && t.name !== 'stringChunk' && t.name !== 'endKey') {
        recordsValue = false;
        if (t.name !== 'startArray') throw bad(file, 'is not a rowback export: field records: not an array of records', { column: 'records' });
      }
      if (t.name === 'startObject' || t.name === 'startArray') depth++;
      else if (t.name === 'endObject' || t.name === 'endArray') depth--;
      else if (t.name === 'keyValue' && depth === 1 && (t as { value?: unknown }).value === 'records') sawRecords = recordsValue = true;
      return t;
    };
    const pipeline = chain([jsonText(open, at), parser(), watch, ignore({ filter: 'records' }), streamObject()]);
    for await (const item of pipeline as AsyncIterable<{ key: string; value: unknown }>) top[item.key] = item.value;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const encoding = notUtf8(file, e);
    if (encoding) throw encoding;
    throw (await jsonShapeError(open, file)) ?? jsonError(file, e, at.line);
  }
  const head = HeaderFieldsSchema.safeParse(top);
  if (!head.success) {
    const { field, message } = issueText(head.error);
    throw bad(file, `is not a rowback export: field ${field}: ${message}`, { column: field });
  }
  if (!sawRecords) throw bad(file, 'is not a rowback export: field records: missing', { column: 'records' });
  checkCatalogAllocUnits(head.data.catalog, file);
  return {
    file,
    format: 'json',
    header: exportHeaderFrom(head.data, file),
    catalog: head.data.catalog,
    bytes,
    async *records(o = {}) {
      const pos = { line: 0 };
      const src = jsonText(open, pos, o.onBytes);
      const pipeline = chain([src, parser(), pick({ filter: 'records' }), streamArray()]);
      let i = 0;
      try {
        for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
          if (o.signal?.aborted) return;
          const r = validateRecord(item.value, i++, file, undefined);
          if (r.login) o.onLogin?.(r.record['Transaction ID'], r.login);
          yield r.record;
        }
      } catch (e) {
        throw jsonError(file, e, pos.line);
      } finally {
        pipeline.destroy();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

interface CsvLine {
  text: string;
  /** 1-based file line. */
  line: number;
  /** Inside a quoted field that began on an earlier line. */
  continued: boolean;
}

/** csvLines' item for the marker line: its `text` is the export's version. */
const VERSION_ITEM = '@version';

/** Lines tagged with their section (`#name` outside quotes; a section line itself as section '#', the marker's version as VERSION_ITEM), the marker line checked. */
async function* csvLines(open: ByteSource, file: string, onBytes?: (n: number) => void): AsyncGenerator<{ section: string; l: CsvLine }> {
  let n = 0;
  let marker = '';
  let section = '';
  const seen = new Set<string>();
  let inQuote = false;
  let quoteLine = 0;
  /** A section line met inside a quoted field on the line before (its name, line, the quote's line), and the first one met in the quote still open. */
  let inSection: { name: string; line: number; quoteLine: number } | null = null;
  let firstInQuote: { name: string; line: number; quoteLine: number } | null = null;
  const sectionInQuote = (at: { name: string; line: number; quoteLine: number }) =>
    bad(file, `line ${at.line} is the section line #${at.name}, but the quoted field opened on line ${at.quoteLine} is still open there${CUT_LINES}`, { line: at.quoteLine });
  const text$ = (async function* () {
    try {
      yield* lines(open(), onBytes);
    } catch (e) {
      throw notUtf8(file, e) ?? e;
    }
  })();
  for await (const raw of text$) {
    n++;
    // the CR of a CRLF ending, kept for a line that ends inside a quoted field: there it is the
    // value's own (a default constraint's or a transaction name's CHAR(13)+CHAR(10)), which was read
    // as LF alone (a default re-inserted changed); a line ending outside a quote loses it as before
    const cr = raw.endsWith('\r');
    let text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (cr) text = text.slice(0, -1);
    // lines ended by CR alone (a classic Mac "CSV (Macintosh)" save): the whole file one line
    if (n === 1 && /\r(?!$)/.test(text)) throw bad(file, 'ends its lines with CR alone (a spreadsheet\'s "CSV (Macintosh)" save?), not CRLF or LF: give rowback the file as sql/export-log-records.sql wrote it', { line: 1 });
    // a line of spaces only (sqlcmd pads its lines without -W) outside a quoted field is an empty line
    if (!inQuote && text.trim() === '') text = '';
    const continued = inQuote;
    // a section line inside a quoted field, followed by that section's header line as the script
    // writes it: a quote left open above (lines cut short), not a value. A section line alone can
    // be a value: a transaction name or a default value may hold a line break and `#catalog`
    if (inSection && inQuote && text.startsWith(SECTION_HEADS[inSection.name]!)) throw sectionInQuote(inSection);
    inSection = null;
    const looks = inQuote ? /^#(meta|records|catalog|end|rowback-export)\b/.exec(text) : null;
    if (looks) inSection = { name: looks[1]!, line: n, quoteLine };
    if (looks && !firstInQuote) firstInQuote = inSection;
    if (!inQuote && text.startsWith('#')) {
      const name = text.trim().split(',')[0];
      if (marker && name === `#${EXPORT_FORMAT}`) throw bad(file, `line ${n} holds a second #${EXPORT_FORMAT} marker: two exports were put into one file; split them and read each export on its own`, { line: n });
      if (!marker) {
        marker = text.trim();
        const sep = /^#rowback-export([;\t|])/.exec(text)?.[1];
        if (sep) throw bad(file, `line 1 is '${text.slice(0, 40)}', not #${EXPORT_FORMAT},${EXPORT_VERSION},csv: the file is separated by ${sep === '\t' ? 'tabs' : `'${sep}'`} instead of commas (a spreadsheet saved it with its own list separator); give rowback the file as sql/export-log-records.sql wrote it`, { line: n });
        if (name !== `#${EXPORT_FORMAT}`) throw bad(file, `line 1 is '${text.slice(0, 40)}', not #${EXPORT_FORMAT},${EXPORT_VERSION},csv`, { line: n });
        const version = marker.split(',')[1];
        if (!EXPORT_VERSIONS.some((v) => String(v) === version)) throw bad(file, `export version ${version ?? '(none)'} is not one rowback reads (${EXPORT_VERSIONS.join(' or ')})`, { line: 1 });
        yield { section: VERSION_ITEM, l: { text: version!, line: n, continued: false } };
        continue;
      }
      section = name.slice(1);
      if (seen.has(section)) throw bad(file, `section ${name} appears twice`, { line: n });
      seen.add(section);
      yield { section: '#', l: { text: section, line: n, continued: false } };
      continue;
    }
    if (!marker && text.trim() !== '') throw bad(file, `line ${n} comes before the #${EXPORT_FORMAT} marker`, { line: n });
    for (const ch of text) if (ch === '"') inQuote = !inQuote;
    if (!continued && inQuote) quoteLine = n;
    if (!inQuote) firstInQuote = null;
    if (section) yield { section, l: { text: inQuote && cr ? `${text}\r` : text, line: n, continued } };
  }
  if (inQuote) throw firstInQuote ? sectionInQuote(firstInQuote) : bad(file, `line ${quoteLine}: a quoted field is never closed${CUT_LINES}`, { line: quoteLine });
}

/** The line the script writes after each section line (its header; #meta after the marker): met after a section line inside a quoted field, that section line was the file's own. */
const SECTION_HEADS: Record<string, string> = { meta: '"key","value"', records: '"Current LSN","Operation"', catalog: '"schema_name","table_name"', end: '"records","catalog"', 'rowback-export': '#meta' };

/** What a CSV whose quotes or field counts do not add up most often is, said after the parser's reason. */
const CUT_LINES = ' (lines cut short? sqlcmd without -y 0 cuts each value at 256 characters, SSMS Results to Text at 8,192, Invoke-Sqlcmd at 4,000 without -MaxCharLength; export again with sqlcmd … -h -1 -y 0 -f 65001 -o FILE, as sql/export-log-records.sql\'s header says)';

const CSV_OPTIONS = {
  skip_empty_lines: true,
  rtrim: true,
  info: true,
  // NULL is an empty *unquoted* field; "" is the empty string. The text NULL unquoted is marked
  // (UNQUOTED_NULL): the script quotes every value, so it came from another tool (a grid, a resave).
  cast: (value: string, ctx: { quoting: boolean }) => (ctx.quoting ? value : value === '' ? null : /^null$/i.test(value) ? UNQUOTED_NULL : value),
};

/** csv-parse's value for an unquoted NULL text, refused by parseBatch naming line and field. */
const UNQUOTED_NULL = '\u0000rowback:unquoted-NULL\u0000';

/** `header`, a section's header line `line`, checked: a column named twice (csv-parse keeps the last: which one was read would be a guess) is INPUT_BAD_EXPORT. */
function checkedHeader(section: string, header: string[], line: number, file: string): string[] {
  const twice = header.find((h, i) => h !== '' && header.indexOf(h) !== i);
  if (twice !== undefined) throw bad(file, `section #${section}, line ${line}: the header names column '${twice}' twice; give rowback the file as sql/export-log-records.sql wrote it`, { line, column: twice });
  return header;
}

/** Parses whole logical lines of one section against its header; each row with its file line. */
function parseBatch(section: string, header: string[], batch: CsvLine[], file: string): Array<{ row: Record<string, string | null>; line: number }> {
  if (batch.length === 0) return [];
  const first = batch[0].line;
  let rows: Array<{ record: Record<string, string | null>; info: { lines: number } }>;
  try {
    // csv-parse reads its text as UTF-8 bytes, which have no form for an unpaired surrogate: hidden
    // from it and put back in each field
    const text = batch.map((b) => b.text).join('\n');
    const hidden = /[\ud800-\udfff\ufdd0]/.test(text);
    rows = parseCsv(hidden ? hideSurrogates(text) : text, { ...CSV_OPTIONS, columns: header }) as Array<{ record: Record<string, string | null>; info: { lines: number } }>;
    if (hidden) for (const r of rows) for (const k of Object.keys(r.record)) { const v = r.record[k]; if (typeof v === 'string') r.record[k] = restoreSurrogates(v); }
  } catch (e) {
    const m = e as { lines?: number; message: string };
    const line = m.lines !== undefined ? first + m.lines - 1 : first;
    throw bad(file, `section #${section}, line ${line}: ${m.message}${CUT_LINES}`, { line });
  }
  return rows.map((r) => {
    const line = first + r.info.lines - 1;
    for (const [k, v] of Object.entries(r.record)) {
      if (v === UNQUOTED_NULL) throw bad(file, `section #${section}, line ${line}, field ${k}: the text NULL, unquoted: sql/export-log-records.sql writes NULL as an empty field and quotes every value, so another tool saved this file (an SSMS grid, a spreadsheet), and a value NULL cannot be told from the text 'NULL'; give rowback the file as the script wrote it`, { line, column: k });
    }
    return { row: r.record, line };
  });
}

/**
 * `t` with each unpaired UTF-16 surrogate written as U+FDD0 and a private-use character (U+E000 +
 * its offset from U+D800), and U+FDD0 itself doubled: text UTF-8 carries, restoreSurrogates'
 * inverse. Paired surrogates stay.
 */
export function hideSurrogates(t: string): string {
  return t.replace(HIDDEN_OR_UNPAIRED, (u) => (u === '\ufdd0' ? '\ufdd0\ufdd0' : '\ufdd0' + String.fromCharCode(0xe000 + u.charCodeAt(0) - 0xd800)));
}

/** The inverse of hideSurrogates. */
export function restoreSurrogates(t: string): string {
  return t.replace(/\ufdd0([\ufdd0\ue000-\ue7ff])/g, (_, c: string) => (c === '\ufdd0' ? c : String.fromCharCode(0xd800 + c.charCodeAt(0) - 0xe000)));
}

/** Rows of one section, streamed in batches of whole logical lines of about `batchChars` characters. */
async function* sectionRows(open: ByteSource, file: string, want: string, onBytes?: (n: number) => void, batchChars = 256 * 1024): AsyncGenerator<{ row: Record<string, string | null>; line: number }> {
  let chars = 0;
  let header: string[] | null = null;
  let headerLine = 0;
  let batch: CsvLine[] = [];
  let inWanted = false;
  for await (const { section, l } of csvLines(open, file, onBytes)) {
    if (section === '#') {
      if (inWanted) break; // the next section starts: the wanted one is complete
      inWanted = l.text === want;
      continue;
    }
    if (!inWanted) continue;
    if (!header) {
      if (l.text.trim() === '') continue;
      headerLine = l.line;
      try {
        header = (parseCsv(l.text, { rtrim: true }) as string[][])[0] ?? [];
      } catch (e) {
        throw bad(file, `section #${want}, line ${headerLine}: ${(e as Error).message}`, { line: headerLine });
      }
      header = checkedHeader(want, header, headerLine, file);
      continue;
    }
    // a batch ends only between logical lines (never inside a quoted field)
    if (!l.continued && chars >= batchChars) {
      yield* parseBatch(want, header, batch, file);
      batch = [];
      chars = 0;
    }
    batch.push(l);
    chars += l.text.length + 1;
  }
  if (header) yield* parseBatch(want, header, batch, file);
}

/** What to do about a cut export, said after the reason. */
const EXPORT_AGAIN = 'copy the whole file again, or export again with sql/export-log-records.sql (sqlcmd … -h -1 -y 0 -f 65001 -o FILE, as its header says), and give rowback the file as the script wrote it';

async function openCsv(file: string, open: ByteSource, bytes: number | undefined): Promise<ExportStream> {
  const sections = new Set<string>();
  const meta = new Map<string, string | null>();
  const catalogLines: CsvLine[] = [];
  const metaLines: CsvLine[] = [];
  const endLines: CsvLine[] = [];
  let section = '';
  let version = 0;
  // the last line read (a cut file's end), and the logical rows of #records (its header line counted too)
  let lastLine = 0;
  let recordLines = 0;
  for await (const { section: s, l } of csvLines(open, file)) {
    lastLine = l.line;
    if (s === VERSION_ITEM) {
      version = Number(l.text);
      continue;
    }
    if (s === '#') {
      // version 2 closes with #end: a section after it is not the script's (two files put into one)
      if (sections.has('end')) throw bad(file, `line ${l.line} opens the section #${l.text} after its #end section, which sql/export-log-records.sql writes last: text was added after the export; ${EXPORT_AGAIN}`, { line: l.line });
      section = l.text;
      sections.add(section);
      continue;
    }
    if (section === 'catalog') catalogLines.push(l);
    else if (section === 'meta') metaLines.push(l);
    else if (section === 'end') endLines.push(l);
    else if (section === 'records' && !l.continued && l.text.trim() !== '') recordLines++;
  }
  const small = (ls: CsvLine[], name: string) => {
    const start = ls.findIndex((x) => x.text.trim() !== '');
    if (start < 0) return [];
    const header = checkedHeader(name, (parseCsv(ls[start].text, { rtrim: true }) as string[][])[0] ?? [], ls[start].line, file);
    return parseBatch(name, header, ls.slice(start + 1), file);
  };
  // Version 2 ends with #end and the number of record and catalog rows written: a file cut at a line
  // end anywhere (inside #catalog too, which read as whole, the last tables' columns missing) lacks it
  const end = version >= 2 ? small(endLines, 'end') : [];
  if (version >= 2 && (!sections.has('end') || end.length === 0)) {
    throw bad(file, `is cut short: it ends at line ${lastLine} ${sections.has('end') ? 'inside its closing #end section, before the counts' : 'without the closing #end section'} sql/export-log-records.sql writes after every other (version 2 exports end with it), so rows of its last section${sections.has('catalog') ? ' (#catalog: the columns of the last tables)' : ''} may be missing; ${EXPORT_AGAIN}`, { line: lastLine });
  }
  for (const name of ['records', 'catalog']) if (!sections.has(name)) throw bad(file, `has no #${name} section`);
  const metaLine = new Map<string, number>();
  for (const { row, line } of small(metaLines, 'meta')) if (row.key) { meta.set(row.key, row.value ?? null); metaLine.set(row.key, line); }
  const catalog = small(catalogLines, 'catalog').map(({ row, line }) => catalogRowFromCsv(row, line, file));
  if (version >= 2) {
    const { row, line } = end[0]!;
    const count = (k: string) => (row[k] !== null && row[k] !== undefined && /^\d+$/.test(row[k]!) ? Number(row[k]) : NaN);
    const wrote = { records: count('records'), catalog: count('catalog') };
    if (end.length > 1) throw bad(file, `section #end, line ${end[1]!.line}: a second row; sql/export-log-records.sql writes one (the counts): ${EXPORT_AGAIN}`, { line: end[1]!.line });
    if (!Number.isInteger(wrote.records) || !Number.isInteger(wrote.catalog)) throw bad(file, `section #end, line ${line}: the counts '${row.records ?? ''}', '${row.catalog ?? ''}' are not whole numbers of record and catalog rows, as sql/export-log-records.sql writes them; ${EXPORT_AGAIN}`, { line });
    const read = { records: Math.max(0, recordLines - 1), catalog: catalog.length };
    if (wrote.records !== read.records || wrote.catalog !== read.catalog) {
      throw bad(file, `section #end, line ${line}: sql/export-log-records.sql wrote ${wrote.records} record row(s) and ${wrote.catalog} catalog row(s), the file holds ${read.records} and ${read.catalog}: rows were lost or added after it was written (a copy cut short or joined, an edit); ${EXPORT_AGAIN}`, { line });
    }
  }
  requireExportWindow(version, { from: meta.has('window.from'), to: meta.has('window.to'), logRead: [...meta.keys()].some((k) => k.startsWith('logRead.')) }, file, 'csv', { line: metaLines[0]?.line });
  return {
    file,
    format: 'csv',
    header: {
      version,
      server: meta.get('server') ?? null,
      database: meta.get('database') ?? null,
      serverTimeZone: checkedTimeZone(meta.get('serverTimeZone'), file),
      exportedAt: meta.get('exportedAt') ?? null,
      window: { from: meta.get('window.from') ?? null, to: meta.get('window.to') ?? null },
      tables: meta.get('tables') ?? null,
      operations: meta.get('operations') ?? null,
      logSource: meta.get('logSource') ?? null,
      logBackup: meta.get('logBackup') ?? null,
      ...csvMetaLogFacts(meta, metaLine, file),
      ...csvMetaOutsideWindow(meta, metaLine, file),
      ...databaseCollationOf(meta.has('databaseCollation'), meta.get('databaseCollation')),
    },
    catalog,
    bytes,
    async *records(o = {}) {
      let i = 0;
      for await (const { row, line } of sectionRows(open, file, 'records', o.onBytes)) {
        if (o.signal?.aborted) return;
        const r = validateRecord(row, i++, file, line);
        if (r.login) o.onLogin?.(r.record['Transaction ID'], r.login);
        yield r.record;
      }
    },
  };
}
