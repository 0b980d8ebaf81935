import { isRowbackError } from '../errors.js';
import { LOP_DELETE_ROWS, LOP_INSERT_ROWS, type LogRecord } from '../logreader/log-record.js';
import { decodeRow } from '../reconstruct/decode-row.js';
import { isOffRow } from '../reconstruct/values.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { toHex } from '../util/hex.js';
import { sidToText } from '../util/sid.js';
import { silentLogger, type Logger } from '../util/logger.js';
import type { RecoveredRow } from './recovered-row.js';
import type { MetadataCatalog, RecoverySource, RowCandidate, ScanFilter, SkippedItem } from './source.js';
import { beginTimeToIso } from './time-window.js';
import type { RebuildCandidate } from './update-rebuild.js';

export type RecoverEvent = { kind: 'row'; row: RecoveredRow } | { kind: 'skipped'; item: SkippedItem };

export interface RecoverOptions {
  signal?: AbortSignal;
  logger?: Logger;
}

/**
 * The one pipeline every source goes through: committed row candidates → decoded rows.
 * A row that cannot be decoded is not lost: it becomes a skipped item carrying its raw bytes,
 * its LSN and the decoder's reason.
 */
export async function* recoverRows(source: RecoverySource, filter: ScanFilter, options: RecoverOptions = {}): AsyncIterable<RecoverEvent> {
  const log = (options.logger ?? silentLogger).child({ source: source.description });
  const catalog = await source.metadata();
  for await (const c of source.candidates(filter, options.signal)) {
    if (options.signal?.aborted) break;
    const ev = candidateToEvent(c, catalog, log);
    if (ev.kind === 'row' && source.resolveOffRow && hasOffRow(ev.row)) {
      const table = resolveTable(c.record, catalog);
      if (table) ev.row = source.resolveOffRow(ev.row, table);
    }
    yield ev;
  }
}

export function candidateToEvent(c: RowCandidate, catalog: MetadataCatalog, log: Logger = silentLogger): RecoverEvent {
  const r = c.record;
  const lsn = r['Current LSN'];
  const table = resolveTable(r, catalog);
  const image = r['RowLog Contents 0'] ?? null;
  const location = { lsn, file: r.source?.file, offset: r.source?.offset, page: r['Page ID'] ?? undefined, slot: r['Slot ID'] ?? undefined };
  if (!table) {
    return skipped('RECOVER_UNKNOWN_TABLE', `no table metadata for allocation unit ${r.AllocUnitId ?? '(none)'}`, location, image);
  }
  const qualified = `${table.schema}.${table.name}`;
  const operation = r.Operation === LOP_DELETE_ROWS ? 'delete' : r.Operation === LOP_INSERT_ROWS ? 'insert' : 'update';
  let after: Uint8Array | null = null;
  let rowImage = image;
  if (operation === 'update') {
    // LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS log only the changed bytes; the files source rebuilds
    // them onto the row tracked by its page model (update-rebuild.ts). Other sources do not.
    const rebuild = (c as RebuildCandidate).rebuild;
    // The reasons name the slot: SkippedItem.location has no slot field.
    const where = { ...location, table: qualified };
    if (!rebuild) {
      return skipped('RECOVER_UPDATE_NOT_REBUILT', `${r.Operation} holds a partial row image; this source does not track the rows it applies to (updates are rebuilt from .ldf/.trn/.bak logs only)`, where, image);
    }
    if (rebuild.kind === 'skipped') return skipped(rebuild.code, rebuild.reason, where, image);
    rowImage = rebuild.before;
    after = rebuild.after;
  }
  if (!rowImage || rowImage.length === 0) {
    return skipped('RECOVER_NO_ROW_IMAGE', `${r.Operation} has no RowLog Contents 0`, { ...location, table: qualified }, null);
  }
  try {
    const decoded = decodeRow(rowImage, table, { lsn, file: r.source?.file, offset: r.source?.offset });
    const decodedAfter = after ? decodeRow(after, table, { lsn, file: r.source?.file, offset: r.source?.offset }) : null;
    const warnings = [...decoded.warnings, ...(decodedAfter?.warnings.map((w) => `after image: ${w}`) ?? [])];
    if (r.source?.stale) warnings.push('record comes from a reused (stale) VLF: it may predate the current log');
    const sidText = sidToText(c.txn.sid);
    const rb = (c as RebuildCandidate).rebuild;
    if (rb?.kind === 'rebuilt' && rb.fromDataFile) {
      warnings.push(
        rb.fromDataFile === 'walked-back'
          ? `row is older than the scanned log: before/after images rebuilt by walking ${rb.baseLsn} back from its current state`
          : `row is older than the scanned log: its page was taken from the data file/backup (m_lsn = the log's first change to it) and followed (base: ${rb.baseLsn})`,
      );
    }
    const row: RecoveredRow = {
      table: qualified,
      lsn,
      operation,
      transactionId: r['Transaction ID'],
      beginTime: isoOrNull(c.txn.beginTime),
      endTime: isoOrNull(c.txn.endTime),
      login: c.txn.login,
      sid: c.txn.sid ? '0x' + toHex(c.txn.sid) : null,
      ...(sidText ? { sidText } : {}),
      spid: c.txn.spid,
      transactionName: c.txn.name,
      allocUnitId: r.AllocUnitId ?? null,
      pageId: r['Page ID'] ?? null,
      slotId: r['Slot ID'] ?? null,
      values: decoded.values,
      ...(decodedAfter && after ? { after: decodedAfter.values } : {}),
      raw: toHex(rowImage),
      ...(after ? { rawAfter: toHex(after) } : {}),
      warnings,
      source: r.source ?? { kind: 'export' },
    };
    return { kind: 'row', row };
  } catch (e) {
    if (!isRowbackError(e)) throw e;
    log.debug({ lsn, code: e.code }, 'row image not decoded');
    return skipped(e.code, e.message, { ...location, table: qualified, column: e.location.column, offset: e.location.offset ?? location.offset }, rowImage);
  }
}

function hasOffRow(row: RecoveredRow): boolean {
  for (const v of Object.values(row.values)) if (isOffRow(v)) return true;
  if (row.after) for (const v of Object.values(row.after)) if (isOffRow(v)) return true;
  return false;
}

/** By AllocUnitId; for exports whose metadata has no allocation unit ids, a lone table is used. */
export function resolveTable(r: LogRecord, catalog: MetadataCatalog): TableLayout | undefined {
  if (r.AllocUnitId) {
    const t = catalog.byAllocUnit(r.AllocUnitId);
    if (t) return t;
  }
  const all = catalog.tables();
  if (all.length === 1 && !(all[0].allocUnits?.length)) return all[0];
  return undefined;
}

function isoOrNull(t: string | null): string | null {
  if (!t) return null;
  try {
    return beginTimeToIso(t);
  } catch {
    return t;
  }
}

function skipped(code: string, reason: string, location: SkippedItem['location'], image: Uint8Array | null): RecoverEvent {
  const clean = Object.fromEntries(Object.entries(location).filter(([, v]) => v !== undefined)) as SkippedItem['location'];
  return { kind: 'skipped', item: { code, reason, location: clean, ...(image ? { raw: toHex(image) } : {}) } };
}
