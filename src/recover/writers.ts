import type { Writable } from 'node:stream';
import { csvCell, csvRecord, csvValueHeaders, csvWarningsCell } from '../util/csv.js';
import { rowJson, valuesJson } from '../util/negative-zero.js';
import type { RecoveredRow } from './recovered-row.js';
import type { SqlValue } from '../reconstruct/values.js';

export type OutputFormat = 'ndjson' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['ndjson', 'csv', 'json'];

/**
 * Streams recovered rows to a Writable in one of the output formats, honouring backpressure.
 * NDJSON and JSON rows are gathered into writes of up to 64 KB (UTF-8 bytes) (one stream write per row cost
 * more than the serialising): `flush()` hands over what is gathered, `end()` flushes and closes
 * the format. A caller that stops early (an error) calls flush() so every row written so far
 * reaches the stream.
 */
export interface RowWriter {
  write(row: RecoveredRow): Promise<void>;
  /** The rows in order, as write() would, waiting only where the stream asks (one promise per batch, not per row). */
  writeRows(rows: readonly RecoveredRow[]): Promise<void>;
  flush(): Promise<void>;
  end(): Promise<void>;
  /**
   * NDJSON and JSON only (undefined for CSV): rows in order, each either a row or its NDJSON line
   * already encoded (`JSON.stringify(row) + '\n'` in UTF-8, from a decode worker: recover-rows.ts
   * recoverEncodedBatches); the bytes written are those writeRows writes for the same rows.
   */
  writeEncoded?(rows: ReadonlyArray<RecoveredRow | Uint8Array>): Promise<void>;
}

/** Bytes gathered before a write to the stream. */
const GATHER_BYTES = 64 * 1024;

/** The row's own columns of the CSV, in order, before its values (the API's export writes the same, between its `id` and `status`). */
export const CSV_FIXED = ['table', 'lsn', 'operation', 'transactionId', 'beginTime', 'endTime', 'login', 'sid', 'sidText', 'dbUser', 'spid', 'transactionName', 'allocUnitId', 'pageId', 'slotId'] as const;
/** Every column name of rowback's own in the CSV, whichever are written: a value column never takes one (csvValueHeaders). */
export const CSV_OWN_COLUMNS: readonly string[] = [...CSV_FIXED, 'values', 'after', 'warnings', 'raw', 'rawAfter'];

export interface WriterOptions {
  /** CSV only: write cells unchanged, without the spreadsheet formula guard (util/csv.ts). */
  csvRaw?: boolean;
  /**
   * CSV only: one column per value (single-table output); otherwise values go in one JSON column.
   * A value column named like one of rowback's columns (CSV_OWN_COLUMNS, any case), or starting
   * with `[`, `'` or `after.`, is headed `[name]` (util/csv.ts csvValueHeaders); its after image `after.[name]`.
   */
  valueColumns?: string[];
  /** CSV only: the scan includes updates, so add the after image (`after.<column>` or `after`, and `rawAfter`). */
  includeAfter?: boolean;
}

/**
 * Writes `s`, resolving at once or when the stream drains; rejects with the stream's error when it
 * failed (a full disk under `--out`) before or while waiting, where waiting for 'drain' alone hung.
 */
export function writeOrWait(out: Writable, s: string | Uint8Array): Promise<void> {
  if (out.errored) return Promise.reject(out.errored);
  if (out.write(s)) return Promise.resolve();
  return drainOrError(out);
}

/** Resolves at the stream's next 'drain', rejects at its 'error' (whichever comes first). */
export function drainOrError(out: Writable): Promise<void> {
  if (out.errored) return Promise.reject(out.errored);
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      out.off('error', onError);
      resolve();
    };
    const onError = (e: Error): void => {
      out.off('drain', onDrain);
      reject(e);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

export function createRowWriter(format: OutputFormat, out: Writable, options: WriterOptions = {}): RowWriter {
  const put = (s: string | Uint8Array): Promise<void> => writeOrWait(out, s);
  // Rows are UTF-8 encoded straight into a buffer handed to the stream when the next row does not
  // fit (a fresh buffer each time: the stream may hold the last one until it is written). Measured:
  // ~2× cheaper than concatenating the rows' strings and converting the result.
  let buf = Buffer.allocUnsafe(GATHER_BYTES);
  let at = 0;
  const flush = (): Promise<void> => {
    if (at === 0) return Promise.resolve();
    const chunk = buf.subarray(0, at);
    buf = Buffer.allocUnsafe(GATHER_BYTES);
    at = 0;
    return put(chunk);
  };
  /**
   * Appends `prefix` (ASCII), `s`, then `suffix` (ASCII): no concatenated copy of a row's text is
   * made. Returns the stream write's promise when the gathered bytes were handed over, else undefined.
   */
  const gather = (prefix: string, s: string, suffix: string): Promise<void> | undefined => {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit
    const need = prefix.length + s.length * 3 + suffix.length;
    let before: Promise<void> | undefined;
    if (need > buf.length - at) {
      before = flush();
      if (need > buf.length) buf = Buffer.allocUnsafe(need);
    }
    if (prefix) at += buf.write(prefix, at, 'latin1');
    at += buf.write(s, at);
    if (suffix) at += buf.write(suffix, at, 'latin1');
    return before;
  };
  /** Appends `prefix` (ASCII), then `line` without its last `cut` bytes (its newline, for JSON): gather's counterpart for an encoded line. */
  const gatherBytes = (prefix: string, line: Uint8Array, cut: number): Promise<void> | undefined => {
    const n = line.length - cut;
    const need = prefix.length + n;
    let before: Promise<void> | undefined;
    if (need > buf.length - at) {
      before = flush();
      if (need > buf.length) buf = Buffer.allocUnsafe(need);
    }
    if (prefix) at += buf.write(prefix, at, 'latin1');
    buf.set(n === line.length ? line : line.subarray(0, n), at);
    at += n;
    return before;
  };
  const resolved = Promise.resolve();
  /** Rows through `one` (gather's result), awaiting only the hand-overs. */
  const many = async <R>(rows: readonly R[], one: (row: R) => Promise<void> | undefined): Promise<void> => {
    for (const row of rows) {
      const p = one(row);
      if (p) await p;
    }
  };
  switch (format) {
    case 'ndjson': {
      const one = (row: RecoveredRow) => gather('', rowJson(row), '\n');
      const either = (row: RecoveredRow | Uint8Array) => (row instanceof Uint8Array ? gatherBytes('', row, 0) : one(row));
      return { write: (row) => one(row) ?? resolved, writeRows: (rows) => many(rows, one), writeEncoded: (rows) => many(rows, either), flush, end: flush };
    }
    case 'json': {
      let first = true;
      const one = (row: RecoveredRow) => {
        const prefix = first ? '[\n' : ',\n';
        first = false;
        return gather(prefix, rowJson(row), '');
      };
      const either = (row: RecoveredRow | Uint8Array) => {
        if (!(row instanceof Uint8Array)) return one(row);
        const prefix = first ? '[\n' : ',\n';
        first = false;
        return gatherBytes(prefix, row, 1);
      };
      return {
        write: (row) => one(row) ?? resolved,
        writeRows: (rows) => many(rows, one),
        writeEncoded: (rows) => many(rows, either),
        flush,
        end: async () => {
          await flush();
          await put(first ? '[]\n' : '\n]\n');
        },
      };
    }
    case 'csv': {
      const valueCols = options.valueColumns;
      const after = options.includeAfter === true;
      const raw = options.csvRaw === true;
      const valueHeaders = valueCols ? csvValueHeaders(valueCols, CSV_OWN_COLUMNS) : undefined;
      const header = [
        ...CSV_FIXED,
        ...(valueHeaders ?? ['values']),
        ...(after ? (valueHeaders ? valueHeaders.map((c) => `after.${c}`) : ['after']) : []),
        'warnings',
        'raw',
        ...(after ? ['rawAfter'] : []),
      ];
      let wroteHeader = false;
      const image = (v: Record<string, SqlValue> | undefined): Array<string | null> =>
        valueCols ? valueCols.map((c) => csvCell(v ? v[c] : undefined)) : [v ? valuesJson(v) : null];
      const write = (row: RecoveredRow): Promise<void> => {
        const fixed = CSV_FIXED.map((k) => csvCell(row[k] as SqlValue | undefined));
        const cells = [...fixed, ...image(row.values), ...(after ? image(row.after) : []), csvWarningsCell(row.warnings, valueCols, row.values, after ? row.after : undefined, { names: CSV_FIXED, row: row as unknown as Record<string, unknown> }), row.raw, ...(after ? [row.rawAfter ?? null] : [])];
        const s = (wroteHeader ? '' : csvRecord(header, raw)) + csvRecord(cells, raw);
        wroteHeader = true;
        return put(s);
      };
      return {
        write,
        writeRows: (rows) => many(rows, write),
        flush: () => Promise.resolve(),
        end: () => (wroteHeader ? Promise.resolve() : put(csvRecord(header, raw))),
      };
    }
  }
}
