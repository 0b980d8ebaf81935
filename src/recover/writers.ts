import type { Writable } from 'node:stream';
import { csvCell, csvRecord } from '../util/csv.js';
import type { RecoveredRow } from './recovered-row.js';
import type { SqlValue } from '../reconstruct/values.js';

export type OutputFormat = 'ndjson' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['ndjson', 'csv', 'json'];

/**
 * Streams recovered rows to a Writable in one of the output formats, honouring backpressure.
 * NDJSON and JSON rows are gathered into writes of about 64 KB (one stream write per row cost
 * more than the serialising): `flush()` hands over what is gathered, `end()` flushes and closes
 * the format. A caller that stops early (an error) calls flush() so every row written so far
 * reaches the stream.
 */
export interface RowWriter {
  write(row: RecoveredRow): Promise<void>;
  flush(): Promise<void>;
  end(): Promise<void>;
}

/** Characters gathered before a write to the stream. */
const GATHER_CHARS = 64 * 1024;

const CSV_FIXED = ['table', 'lsn', 'operation', 'transactionId', 'beginTime', 'endTime', 'login', 'sid', 'sidText', 'dbUser', 'spid', 'transactionName', 'allocUnitId', 'pageId', 'slotId'] as const;

export interface WriterOptions {
  /** CSV only: write cells unchanged, without the spreadsheet formula guard (util/csv.ts). */
  csvRaw?: boolean;
  /** CSV only: one column per value (single-table output); otherwise values go in one JSON column. */
  valueColumns?: string[];
  /** CSV only: the scan includes updates, so add the after image (`after.<column>` or `after`, and `rawAfter`). */
  includeAfter?: boolean;
}

export function createRowWriter(format: OutputFormat, out: Writable, options: WriterOptions = {}): RowWriter {
  const put = (s: string): Promise<void> =>
    out.write(s) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve()));
  let gathered = '';
  const gather = (s: string): Promise<void> => {
    gathered += s;
    if (gathered.length < GATHER_CHARS) return Promise.resolve();
    const text = gathered;
    gathered = '';
    return put(text);
  };
  const flush = (): Promise<void> => {
    if (!gathered) return Promise.resolve();
    const text = gathered;
    gathered = '';
    return put(text);
  };
  switch (format) {
    case 'ndjson':
      return { write: (row) => gather(JSON.stringify(row) + '\n'), flush, end: flush };
    case 'json': {
      let first = true;
      return {
        write: (row) => {
          const s = (first ? '[\n' : ',\n') + JSON.stringify(row);
          first = false;
          return gather(s);
        },
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
      const header = [
        ...CSV_FIXED,
        ...(valueCols ?? ['values']),
        ...(after ? (valueCols ? valueCols.map((c) => `after.${c}`) : ['after']) : []),
        'warnings',
        'raw',
        ...(after ? ['rawAfter'] : []),
      ];
      let wroteHeader = false;
      const image = (v: Record<string, SqlValue> | undefined): string[] =>
        valueCols ? valueCols.map((c) => csvCell(v ? v[c] : undefined)) : [v ? JSON.stringify(v) : ''];
      return {
        write: (row) => {
          const fixed = CSV_FIXED.map((k) => csvCell(row[k] as SqlValue | undefined));
          const cells = [...fixed, ...image(row.values), ...(after ? image(row.after) : []), row.warnings.join('; '), row.raw, ...(after ? [row.rawAfter ?? ''] : [])];
          const s = (wroteHeader ? '' : csvRecord(header, raw)) + csvRecord(cells, raw);
          wroteHeader = true;
          return put(s);
        },
        flush: () => Promise.resolve(),
        end: () => (wroteHeader ? Promise.resolve() : put(csvRecord(header, raw))),
      };
    }
  }
}
