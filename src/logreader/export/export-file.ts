import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { parseHex } from '../../util/hex.js';
import { parseBeginTime } from '../begin-time.js';
import type { LogRecord } from '../log-record.js';
import { parseLsn } from '../lsn.js';

/**
 * The file `sql/export-log-records.sql` writes and `rowback scan --export FILE` reads: the
 * fn_dblog records of the transactions that began in a window (begin, commit/abort and row
 * operations, binary columns as 0x hex, the login on each LOP_BEGIN_XACT) and the catalog
 * rows of sql/table-metadata.sql. Two spellings, same content (docs/live.md):
 *  - JSON: one object `{ "format": "rowback-export", "version": 1, …, "records": [...], "catalog": [...] }`;
 *  - CSV: sections opened by `#meta`, `#records`, `#catalog` lines, each a header line and
 *    RFC 4180 rows; NULL is an empty unquoted field, an empty string is `""`.
 * Every problem is an InputError INPUT_BAD_EXPORT naming the file, the line (CSV, JSON syntax)
 * or the record and field.
 */

export const EXPORT_FORMAT = 'rowback-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  server: string | null;
  database: string | null;
  /** `+08:00`: the zone of every time in the file. */
  serverTimeZone: string | null;
  exportedAt: string | null;
  window: { from: string | null; to: string | null };
  tables: string | null;
  operations: string | null;
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

const lsnText = z.string().refine((s) => {
  try {
    parseLsn(s);
    return true;
  } catch {
    return false;
  }
}, 'not an LSN of the form 0000002a:000001f0:0003');
const hexText = z.string().regex(/^0x[0-9A-Fa-f]*$/, 'not 0x hex').transform((s) => parseHex(s));
const intValue = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'not an integer').transform(Number)]);
const bigintValue = z.union([z.string().regex(/^-?\d+$/, 'not an integer'), z.number().int()]).transform(String);
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
  Context: z.string().nullable().optional(),
  'Transaction ID': z.string().regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{8}$/, 'not a transaction id of the form 0000:000003e8'),
  AllocUnitId: bigintValue.nullable().optional(),
  'Page ID': z.string().nullable().optional(),
  'Slot ID': intValue.nullable().optional(),
  'Offset in Row': intValue.nullable().optional(),
  'Modify Size': intValue.nullable().optional(),
  Description: z.string().nullable().optional(),
  'Begin Time': logTime.nullable().optional(),
  'End Time': logTime.nullable().optional(),
  'Transaction Name': z.string().nullable().optional(),
  'Transaction SID': hexText.nullable().optional(),
  Login: z.string().nullable().optional(),
  SPID: intValue.nullable().optional(),
  'RowLog Contents 0': hexText.nullable().optional(),
  'RowLog Contents 1': hexText.nullable().optional(),
});

const HeaderSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  server: z.string().nullable().optional(),
  database: z.string().nullable().optional(),
  serverTimeZone: z.string().nullable().optional(),
  exportedAt: z.string().nullable().optional(),
  window: z.object({ from: z.string().nullable().optional(), to: z.string().nullable().optional() }).nullable().optional(),
  tables: z.string().nullable().optional(),
  operations: z.string().nullable().optional(),
  records: z.array(z.unknown()),
  catalog: z.array(z.record(z.string(), z.unknown())),
});

function bad(file: string, message: string, where: { line?: number; column?: string } = {}): InputError {
  return new InputError('INPUT_BAD_EXPORT', message, { file, ...where });
}

function toRecord(r: z.infer<typeof ExportRecordSchema>, file: string): LogRecord {
  return {
    'Current LSN': r['Current LSN'],
    Operation: r.Operation,
    Context: r.Context ?? '',
    'Transaction ID': r['Transaction ID'],
    AllocUnitId: r.AllocUnitId ?? null,
    'Page ID': r['Page ID'] ?? null,
    'Slot ID': r['Slot ID'] ?? null,
    'Offset in Row': r['Offset in Row'] ?? null,
    'Modify Size': r['Modify Size'] ?? null,
    Description: r.Description ?? null,
    'Begin Time': r['Begin Time'] ?? null,
    'End Time': r['End Time'] ?? null,
    'Transaction Name': r['Transaction Name'] ?? null,
    'Transaction SID': r['Transaction SID'] ?? null,
    SPID: r.SPID ?? null,
    'RowLog Contents 0': r['RowLog Contents 0'] ?? null,
    'RowLog Contents 1': r['RowLog Contents 1'] ?? null,
    source: { kind: 'export', file },
  };
}

function issueText(e: z.ZodError): { field: string; message: string } {
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

/** Validates records; `lineOf(i)` gives the file line of record i when known (CSV). */
function validateRecords(raw: unknown[], file: string, lineOf: (i: number) => number | undefined): { records: LogRecord[]; logins: Map<string, string> } {
  const records: LogRecord[] = [];
  const logins = new Map<string, string>();
  raw.forEach((item, i) => {
    const parsed = ExportRecordSchema.safeParse(item);
    if (!parsed.success) {
      const { field, message } = issueText(parsed.error);
      const line = lineOf(i);
      throw bad(file, `record ${i + 1}${line ? ` (line ${line})` : ''}, field ${field}: ${message}`, { line, column: field });
    }
    const r = parsed.data;
    if (r.Operation === 'LOP_BEGIN_XACT' && r.Login) logins.set(r['Transaction ID'], r.Login);
    records.push(toRecord(r, file));
  });
  return { records, logins };
}

export function readExportFile(file: string): ExportFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
  return parseExportText(decodeExportBytes(bytes), file);
}

/** UTF-8 (sqlcmd -f 65001, SSMS "save results"), or UTF-16LE with its BOM (sqlcmd -u). */
export function decodeExportBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** Decides JSON or CSV by the first significant character. */
export function parseExportText(text: string, file: string): ExportFile {
  const t = text.replace(/^\uFEFF/, '');
  const first = t.trimStart()[0];
  if (first === '#') return parseExportCsv(t, file);
  return parseExportJson(t, file);
}

/**
 * JSON as sqlcmd writes it: possibly with blank lines around and line breaks where a client
 * wrapped the long value. JSON strings never hold a raw line break (FOR JSON escapes them),
 * so removing every CR/LF is lossless.
 */
export function parseExportJson(text: string, file: string): ExportFile {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw bad(file, 'is neither a rowback export JSON object nor a sectioned CSV export (no "{" found)', { line: 1 });
  const body = text.slice(start, end + 1);
  let json: unknown;
  try {
    json = JSON.parse(body.replace(/[\r\n]+/g, ''));
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? lineAt(text, start + originalOffset(body, Number(pos[1]))) : undefined;
    throw bad(file, `is not valid JSON${line ? ` near line ${line}` : ''}: ${(e as Error).message}`, { line });
  }
  const head = HeaderSchema.safeParse(json);
  if (!head.success) {
    const { field, message } = issueText(head.error);
    throw bad(file, `is not a rowback export: field ${field}: ${message}`, { column: field });
  }
  const h = head.data;
  const { records, logins } = validateRecords(h.records, file, () => undefined);
  return {
    file,
    header: {
      server: h.server ?? null,
      database: h.database ?? null,
      serverTimeZone: h.serverTimeZone ?? null,
      exportedAt: h.exportedAt ?? null,
      window: { from: h.window?.from ?? null, to: h.window?.to ?? null },
      tables: h.tables ?? null,
      operations: h.operations ?? null,
    },
    records,
    catalog: h.catalog,
    logins,
  };
}

/** Offset in the CR/LF-stripped text → offset in the original body. */
function originalOffset(body: string, strippedPos: number): number {
  let seen = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\r' || body[i] === '\n') continue;
    if (seen === strippedPos) return i;
    seen++;
  }
  return body.length;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** Catalog columns that are numbers, and those that are bits, for typing CSV text. */
const CATALOG_INTS = new Set(['object_id', 'index_id', 'partition_number', 'partition_column_id', 'column_id', 'system_type_id', 'max_length', 'precision', 'scale', 'leaf_offset', 'leaf_null_bit', 'leaf_bit_position', 'key_ordinal']);
const CATALOG_BITS = new Set(['is_nullable', 'is_identity', 'is_computed', 'is_persisted', 'is_rowguidcol', 'is_column_set', 'is_dropped', 'is_sparse', 'is_uniqueifier']);

interface Section {
  name: string;
  /** 1-based line of the section's header row. */
  headerLine: number;
  text: string;
}

/** Splits at `#name` lines that are not inside a quoted field. */
function csvSections(text: string, file: string): { sections: Map<string, Section>; marker: string } {
  const lines = text.split(/\r?\n/);
  const sections = new Map<string, Section>();
  let marker = '';
  let current: { name: string; start: number; lines: string[] } | null = null;
  let inQuote = false;
  let quoteLine = 0;
  const close = () => {
    if (current) sections.set(current.name, { name: current.name, headerLine: current.start, text: current.lines.join('\n') });
  };
  lines.forEach((line, i) => {
    if (!inQuote && line.startsWith('#')) {
      const name = line.trim().split(',')[0];
      if (!marker) {
        marker = line.trim();
        if (name !== `#${EXPORT_FORMAT}`) throw bad(file, `line 1 is '${line.slice(0, 40)}', not #${EXPORT_FORMAT},${EXPORT_VERSION},csv`, { line: i + 1 });
        return;
      }
      close();
      if (sections.has(name.slice(1))) throw bad(file, `section ${name} appears twice`, { line: i + 1 });
      current = { name: name.slice(1), start: i + 2, lines: [] };
      return;
    }
    if (!marker && line.trim() !== '') throw bad(file, `line ${i + 1} comes before the #${EXPORT_FORMAT} marker`, { line: i + 1 });
    if (current) {
      if (current.lines.length === 0 && !inQuote && line.trim() === '') {
        current.start++;
        return;
      }
      current.lines.push(line);
    }
    // Quote parity carries a quoted field over a line break.
    const wasInQuote = inQuote;
    for (const ch of line) if (ch === '"') inQuote = !inQuote;
    // The line where a quoted field stayed open past the line end.
    if (!wasInQuote && inQuote) quoteLine = i + 1;
  });
  if (inQuote) throw bad(file, `line ${quoteLine}: a quoted field is never closed`, { line: quoteLine });
  close();
  return { sections, marker };
}

function parseSection(s: Section, file: string): Array<{ row: Record<string, string | null>; line: number }> {
  try {
    const rows = parseCsv(s.text, {
      columns: true,
      skip_empty_lines: true,
      rtrim: true,
      info: true,
      // NULL is an empty *unquoted* field; "" is the empty string.
      cast: (value: string, ctx: { quoting: boolean }) => (ctx.quoting ? value : value === '' ? null : value),
    }) as Array<{ record: Record<string, string | null>; info: { lines: number } }>;
    return rows.map((r) => ({ row: r.record, line: s.headerLine + r.info.lines - 1 }));
  } catch (e) {
    const m = e as { lines?: number; message: string };
    const line = m.lines !== undefined ? s.headerLine + m.lines - 1 : s.headerLine;
    throw bad(file, `section #${s.name}, line ${line}: ${m.message}`, { line });
  }
}

export function parseExportCsv(text: string, file: string): ExportFile {
  const { sections, marker } = csvSections(text, file);
  const version = marker.split(',')[1];
  if (version !== String(EXPORT_VERSION)) throw bad(file, `export version ${version ?? '(none)'} is not ${EXPORT_VERSION}`, { line: 1 });
  for (const name of ['records', 'catalog']) {
    if (!sections.has(name)) throw bad(file, `has no #${name} section`);
  }
  const meta = new Map<string, string | null>();
  if (sections.has('meta')) for (const { row } of parseSection(sections.get('meta')!, file)) if (row.key) meta.set(row.key, row.value ?? null);

  const recordRows = parseSection(sections.get('records')!, file);
  const { records, logins } = validateRecords(recordRows.map((r) => r.row), file, (i) => recordRows[i]?.line);

  const catalog = parseSection(sections.get('catalog')!, file).map(({ row, line }) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (v === null) out[k] = null;
      else if (CATALOG_INTS.has(k)) {
        if (!/^-?\d+$/.test(v)) throw bad(file, `catalog line ${line}, field ${k}: '${v}' is not an integer`, { line, column: k });
        out[k] = Number(v);
      } else if (CATALOG_BITS.has(k)) {
        if (!/^(0|1|true|false)$/i.test(v)) throw bad(file, `catalog line ${line}, field ${k}: '${v}' is not a bit`, { line, column: k });
        out[k] = v === '1' || v.toLowerCase() === 'true';
      } else out[k] = v;
    }
    return out;
  });

  return {
    file,
    header: {
      server: meta.get('server') ?? null,
      database: meta.get('database') ?? null,
      serverTimeZone: meta.get('serverTimeZone') ?? null,
      exportedAt: meta.get('exportedAt') ?? null,
      window: { from: meta.get('window.from') ?? null, to: meta.get('window.to') ?? null },
      tables: meta.get('tables') ?? null,
      operations: meta.get('operations') ?? null,
    },
    records,
    catalog,
    logins,
  };
}
