/**
 * decodeRow: one row image (the `RowLog Contents 0` of LOP_INSERT_ROWS / LOP_DELETE_ROWS, i.e. the
 * record exactly as it sat on its data page) + the table's physical layout → typed values.
 *
 * Uncompressed partitions store FixedVar records (record/fixedvar.ts); ROW- and PAGE-compressed
 * partitions log CD records (record/cd.ts) — the log never holds page-compressed images
 * (FORMAT-NOTES §2), but a CD column may still point at a page-dictionary symbol, which one row
 * cannot resolve (DECODE_PAGE_DICTIONARY).
 *
 * Errors: only DecodeError, with a code and a location. `location.offset` is the byte offset inside
 * the row image; `lsn` and `file` come from DecodeOptions; `opts.offset` (where the image sits in
 * its file) is added to the message, never mixed into `location.offset`.
 */
import { identifierText, stagedTableName, tableText } from '../util/tsql.js';
import { DecodeError, isRowbackError } from '../errors.js';
import { isVisibleColumn, type TableLayout } from './metadata/table-layout.js';
import type { OffRowMarker, SqlValue } from './values.js';
import { decodeFixedVar } from './record/fixedvar.js';
import { decodeCdRow } from './record/cd-fast.js';
import { checkDecodedValues, planFor } from './record/plan.js';
import { ROW_TEXT_NOTES } from './types/string.js';
import { appendAll } from '../util/append-all.js';

export interface DecodeOptions {
  lsn?: string;
  file?: string;
  offset?: number;
  /**
   * false: the buffer may run past the record (a row-compressed record's span on its page, to the
   * next record or the free space: table-rows.ts), so bytes after the record's end are not its own
   * and are ignored (a FixedVar record names them in a warning). Default true: the image is the
   * record exactly — a log row image, a page record cut to the length its header gives, a `decode
   * --hex` — and bytes after the end its header gives contradict that header: DECODE_BAD_RECORD.
   */
  exact?: boolean;
}

export interface DecodedRow {
  values: Record<string, SqlValue>;
  /** A new array for every call: callers may append to it. */
  warnings: string[];
  recordType: 'primary' | 'forwarded' | 'forwarding-stub' | 'index' | 'blob-fragment' | 'ghost-index' | 'ghost-data' | 'ghost-version';
  ghost: boolean;
  format: 'fixedvar' | 'cd';
  columnCount: number;
  versioningTag?: string;
  uniquifier?: number;
}

export function decodeRow(image: Uint8Array, table: TableLayout, opts?: DecodeOptions): DecodedRow {
  if (table.unreadable !== undefined || table.columns.length === 0) {
    const why = table.unreadable ?? 'the table layout has no columns';
    throw new DecodeError('DECODE_NO_COLUMNS', `${tableText(table)}: its columns could not be established, so its rows are not decoded: ${why}`, { table: stagedTableName(table), lsn: opts?.lsn, file: opts?.file });
  }
  if (table.compression === 'COLUMNSTORE') {
    // docs/metadata.md: a clustered columnstore index gives COLUMNSTORE, "not decodable from the log";
    // the data-file reader refuses such partitions (FORMAT_UNSUPPORTED). Before, a --ddl of
    // `INDEX cci CLUSTERED COLUMNSTORE` decoded any bytes as a FixedVar record of the heap-like
    // offsets the script gave, with no word: a columnstore's rows are in column segments and delta
    // rowgroups, whose record layout is not the table's and is not established here.
    throw new DecodeError('DECODE_UNSUPPORTED', `${tableText(table)} is a clustered columnstore table: its rows are kept in columnstore segments and delta rowgroups, not in the row records this decoder reads (their layout is not the table's), so they are not decoded`, { table: stagedTableName(table), lsn: opts?.lsn, file: opts?.file });
  }
  // the warnings of bytes a code page does not define, put there by the value decoders (types/string.ts)
  if (ROW_TEXT_NOTES.length !== 0) ROW_TEXT_NOTES.length = 0;
  try {
    const plan = planFor(table);
    // String decoders are fastest on a Buffer (native latin1/UTF-16 slices): one view per row pays
    // for itself from two string columns on.
    const img = plan.stringColumns >= 2 && !(image instanceof Buffer) ? Buffer.from(image.buffer, image.byteOffset, image.byteLength) : image;
    const exact = opts?.exact !== false;
    let row: DecodedRow;
    if (table.compression === 'ROW' || table.compression === 'PAGE') {
      row = decodeCdRow(img, plan, exact);
      checkDecodedValues(row.values, plan, row.columnCount, row.warnings);
    } else {
      // checks the decoded values itself (checkDecodedValues, or the same checks in its generated reader)
      row = decodeFixedVar(img, plan, exact);
    }
    // a FILESTREAM column's value is a file elsewhere: its marker, the row's other columns as decoded
    // (the names are the plan's: no per-row lookup beyond planFor's)
    for (const name of plan.filestream) {
      const v = row.values[name];
      if (v !== null && v !== undefined) {
        row.values[name] = filestreamMarker(v);
        row.warnings.push(filestreamWarning(name));
      }
    }
    // a varbinary(max) column the metadata does not say is FILESTREAM or not (an old catalog): its value may be the pointer
    for (const name of plan.filestreamUnknown) {
      const v = row.values[name];
      if (v !== null && v !== undefined) row.warnings.push(filestreamUnknownWarning(name));
    }
    if (ROW_TEXT_NOTES.length !== 0) {
      appendAll(row.warnings, ROW_TEXT_NOTES);
      ROW_TEXT_NOTES.length = 0;
    }
    if (table.warnings !== undefined && table.warnings.length > 0) appendAll(row.warnings, table.warnings);
    return row;
  } catch (e) {
    ROW_TEXT_NOTES.length = 0;
    // a FILESTREAM column's pointer read as a value failed (e.g. as an unknown complex column): said as what it is, not as damage
    const column = e instanceof DecodeError ? e.location.column : undefined;
    if (column !== undefined && isFilestreamColumn(table, column)) throw enrich(filestreamRefusal(column), table, opts);
    throw enrich(e, table, opts);
  }
}

/** Whether `column` (an output name) is one of the layout's FILESTREAM columns (ColumnLayout.isFilestream); the refusal path only. */
function isFilestreamColumn(table: TableLayout, column: string): boolean {
  return table.columns.some((c) => c.name === column && c.isFilestream === true && isVisibleColumn(c));
}

/**
 * The row's warning for a value of a column that may be FILESTREAM (ColumnLayout.filestreamUnknown):
 * printed as read, since the column may be a plain varbinary(max), but if it is FILESTREAM the value
 * is the row's pointer to the file, not the document, and must not go back as the document.
 */
export function filestreamUnknownWarning(column: string): string {
  return `column ${identifierText(column)}: the catalog given does not say whether this varbinary(max) column is a FILESTREAM one (it has no is_filestream: exported before rowback's catalog scripts asked for it) and its table has a ROWGUIDCOL column, as a FILESTREAM table must: if it is FILESTREAM, the value printed is the row's pointer to a file in the database's FILESTREAM container, not the document, and a re-insert would write the pointer's bytes as the document. Export the catalog again (sql/table-metadata.sql, sql/export-log-records.sql) or give the .mdf, which say it`;
}

/**
 * Why a FILESTREAM column's value is not in the row, and where it may be: the row keeps a 48-byte
 * pointer to a file of the database's FILESTREAM container (Microsoft Press, "SQL Server 2012
 * Internals", Special Storage), which no log row image, data-file page or backup page holds. A
 * deleted value's file stays in the container until the FILESTREAM garbage collector removes it,
 * which waits for a log backup under FULL or BULK_LOGGED recovery, for a checkpoint under SIMPLE
 * (Microsoft Learn, sp_filestream_force_garbage_collection: items not processed), and "the FILESTREAM
 * data is backed up with the structured data in the database" (Microsoft Learn, "FILESTREAM (SQL
 * Server)", Integrated Management).
 */
const FILESTREAM_UNAVAILABLE = "a file in the database's FILESTREAM container, which rowback does not read (the row holds only a pointer to it)";

/**
 * The marker printed in place of a FILESTREAM column's value (values.ts FilestreamOffRow), keeping
 * the pointer's bytes when they decoded as bytes (`0x…`) as evidence. Before, such a row was refused
 * whole (DECODE_UNSUPPORTED), its other columns lost with it; read as varbinary(max) the pointer had
 * printed as the document's content.
 */
function filestreamMarker(v: SqlValue): OffRowMarker {
  return { offRow: { kind: 'filestream', ...(typeof v === 'string' && v.startsWith('0x') ? { pointer: v } : {}), unavailable: FILESTREAM_UNAVAILABLE } };
}

/** The row's warning for a FILESTREAM column holding a value: what is printed, why, and where the value may still be. */
function filestreamWarning(column: string): string {
  return `column ${identifierText(column)}: a FILESTREAM value, printed as a marker ({"offRow":{"kind":"filestream",…}}), not the value: the row holds only a pointer to a file in the database's FILESTREAM container, which rowback does not read, and a re-insert refuses the row (REINSERT_OFFROW_VALUE). The deleted file stays in the container until FILESTREAM garbage collection removes it (not before a log backup under FULL or BULK_LOGGED recovery, a checkpoint under SIMPLE: do not force it with sp_filestream_force_garbage_collection); a backup taken before the delete holds it (RESTORE it as another database and copy the value from there)`;
}

/**
 * A FILESTREAM column whose pointer could not be read at all (its bytes failed as a complex
 * column): the row's other columns cannot be trusted to have been read past it, so the row is
 * refused (DECODE_UNSUPPORTED, naming the column).
 */
function filestreamRefusal(column: string): DecodeError {
  return new DecodeError(
    'DECODE_UNSUPPORTED',
    `column ${column} is a FILESTREAM column whose pointer (to a file in the database's FILESTREAM container) could not be read, so the row is not printed`,
    { column },
  );
}

function enrich(e: unknown, table: TableLayout, opts: DecodeOptions | undefined): DecodeError {
  let err: DecodeError;
  if (e instanceof DecodeError) err = e;
  else if (isRowbackError(e)) err = new DecodeError('DECODE_BAD_RECORD', e.message, { ...e.location }, { cause: e });
  else {
    // A defect in the decoder, not in the bytes: still typed, so a scan can count it and go on;
    // the robustness tests fail on this code so it never hides.
    err = new DecodeError('DECODE_INTERNAL', `decoder failure: ${(e as Error)?.message ?? String(e)}`, {}, { cause: e });
  }
  if (!opts && err.location.table) return err;
  const loc = err.location as { lsn?: string; file?: string; table?: string };
  if (opts?.lsn !== undefined && loc.lsn === undefined) loc.lsn = opts.lsn;
  if (opts?.file !== undefined && loc.file === undefined) loc.file = opts.file;
  if (loc.table === undefined) loc.table = stagedTableName(table);
  if (opts?.offset !== undefined && !err.message.includes('(row image at file offset')) {
    err.message += ` (row image at file offset ${opts.offset})`;
  }
  return err;
}
