import { isRowbackError } from '../../errors.js';
import type { RowCandidate, SkippedItem } from '../../recover/source.js';
import type { LogRecord, LogRecordSource } from '../log-record.js';
import { parseBeginTime } from '../begin-time.js';
import type { LogInput } from './sql.js';
import type { Row } from './stream.js';

/**
 * One row of scanSql() → a RowCandidate. Pure. A row that does not have the shape the query
 * promises becomes a skipped item (reported, never fatal), naming its LSN and field.
 */
export type MappedRow = { kind: 'candidate'; candidate: RowCandidate } | { kind: 'skipped'; item: SkippedItem };

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function bytes(v: unknown): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  return null;
}

export function sourceOf(inputs: readonly LogInput[], index: unknown): LogRecordSource {
  const input = inputs[Number(index)];
  // the set is named when the file holds several (BACKUP LOG … WITH NOINIT appends them)
  if (input?.kind === 'backup') return { kind: 'fn_dump_dblog', file: input.file, ...((input.sets ?? 1) > 1 ? { position: input.position } : {}) };
  return { kind: 'fn_dblog' };
}

export function mapScanRow(row: Row, inputs: readonly LogInput[]): MappedRow {
  const lsn = str(row['Current LSN']) ?? '(none)';
  const bad = (field: string, reason: string): MappedRow => ({
    kind: 'skipped',
    item: { code: 'SOURCE_BAD_ROW', reason: `fn_dblog row field ${field}: ${reason}`, location: { lsn, column: field } },
  });
  for (const f of ['Current LSN', 'Operation', 'Context', 'Transaction ID'] as const) {
    if (typeof row[f] !== 'string' || row[f] === '') return bad(f, 'missing');
  }
  const image = row['RowLog Contents 0'];
  // a value of the wrong type was read as "none" (bytes() and num() give null): an update with no
  // after image, a transaction with no SID or SPID, printed as if the log held none
  for (const f of ['RowLog Contents 0', 'RowLog Contents 1', 'Transaction SID'] as const) {
    const v = row[f];
    if (v !== null && v !== undefined && !(v instanceof Uint8Array)) return bad(f, 'not binary');
  }
  for (const f of ['Slot ID', 'Offset in Row', 'Modify Size', 'SPID', 'log_input'] as const) {
    const v = row[f];
    const ok = typeof v === 'number' ? Number.isSafeInteger(v) : typeof v === 'string' && /^-?\d{1,15}$/.test(v);
    if (v !== null && v !== undefined && !ok) return bad(f, `'${String(v).slice(0, 40)}' is not an integer`);
  }

  const beginRaw = str(row['Begin Time']);
  const endRaw = str(row['End Time']);
  try {
    // Strict: a time we cannot read would put the row in the wrong window.
    if (beginRaw !== null) parseBeginTime(beginRaw, 'Begin Time');
    if (endRaw !== null) parseBeginTime(endRaw, 'End Time');
  } catch (e) {
    if (!isRowbackError(e)) throw e;
    return bad(beginRaw !== null && e.message.startsWith('Begin') ? 'Begin Time' : 'End Time', e.message);
  }

  const sid = bytes(row['Transaction SID']);
  const record: LogRecord = {
    'Current LSN': lsn,
    Operation: row.Operation as string,
    Context: row.Context as string,
    'Transaction ID': row['Transaction ID'] as string,
    // bigint: mssql hands it over as a decimal string already.
    AllocUnitId: str(row.AllocUnitId),
    'Page ID': str(row['Page ID']),
    'Slot ID': num(row['Slot ID']),
    'Offset in Row': num(row['Offset in Row']),
    'Modify Size': num(row['Modify Size']),
    Description: str(row.Description),
    'RowLog Contents 0': bytes(image),
    'RowLog Contents 1': bytes(row['RowLog Contents 1']),
    'Begin Time': beginRaw,
    'End Time': endRaw,
    'Transaction Name': str(row['Transaction Name']),
    'Transaction SID': sid,
    SPID: num(row.SPID),
    source: sourceOf(inputs, row.log_input),
  };
  return {
    kind: 'candidate',
    candidate: {
      record,
      txn: {
        transactionId: record['Transaction ID'],
        beginTime: beginRaw,
        endTime: endRaw,
        name: record['Transaction Name'] ?? null,
        sid,
        login: str(row.Login),
        spid: record.SPID ?? null,
      },
    },
  };
}
