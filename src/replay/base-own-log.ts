/**
 * The base backup's own log, for a dump of its pages without the log backups after it (`dump --bak
 * X [DIFF]` without --trn): which of the dumped tables' rows RESTORE … WITH RECOVERY of that backup
 * would give otherwise than the pages as copied.
 *
 * A full or differential backup copies pages while the database runs and carries the log from its
 * first LSN to its last (the MQTL streams, FORMAT-NOTES §4; Microsoft Learn "Full database backups":
 * "enough of the transaction log is backed up to allow recovering the database"). RESTORE redoes that
 * log over the copied pages and recovery undoes the transactions still open at its end. A row change
 * logged there is on the copied page when its LSN is ≤ the page's m_lsn in the backup (the page-LSN
 * rule of crash recovery). So the pages as copied lack a change committed after its page was copied,
 * and show a change copied while its transaction was open at the backup's end.
 *
 * The rule is the point-in-time replay's (point-in-time.ts LogReplay: one rule, not two), applied to
 * the base's own log with the stop at the backup's last LSN; what it would redo or undo is counted
 * (LogReplay.pending), not applied: the dump still prints the pages, and the caller says a WARNING.
 * Of a full backup with a differential layered on it, the differential's own log is read (the last
 * backup given, as the replay does). RESTORE redoes the full backup's own log first; that log is left
 * unread on the assumption that every extent a change after the full backup's differential base LSN
 * wrote is marked in the differential changed map (DCM) and copied again by the differential, so the
 * change is on that copy. The DCM tracks "extents changed since the last full backup" (Microsoft
 * Learn, "Differential backups"); whether a change logged while the full backup ran marks it was not
 * checked on real bytes (no corpus backup's own log changes a user table): if not, such a change on a
 * page the differential did not copy goes unsaid. The point-in-time replay reads the same one log.
 */
import { positionOf } from '../backup/set-position.js';
import { isRowbackError, ReplayError } from '../errors.js';
import { openBackupLogStream } from '../backup/log-stream.js';
import { choosePosition } from '../backup/open.js';
import { readBackupHeader } from '../backup/header.js';
import { readMtfLayout } from '../backup/mtf.js';
import type { DataFileMetadata } from '../datafile/metadata.js';
import type { PageSource } from '../datafile/page-source.js';
import { findTable } from '../datafile/table-rows.js';
import { lsnToDecimal, parseLsn } from '../logreader/lsn.js';
import { emptyLogScanStats } from '../logreader/ldf/reader.js';
import { visibleColumns } from '../reconstruct/metadata/table-layout.js';
import { LOG_LOSS_CODES, type SkippedItem } from '../recover/source.js';
import { SQL2005_CATALOG_DBI_VERSION } from '../recover/layout-changes.js';
import { basePageLsnMemo, DDL_NAMES, emptyReplayStats, LogReplay, otherTablesAllocUnits, type PendingOp } from './point-in-time.js';
import { LOP_BEGIN_XACT } from '../logreader/log-record.js';

/** One dumped table whose allocation units the base backup's own log names. */
export interface OwnLogTable {
  /** `schema.name`. */
  table: string;
  /** LSNs (fn_dblog form) of the table's row operations in the own log, in log order. */
  ops: string[];
  /** Of `ops`: committed (or rolled back) after the page was copied: RESTORE redoes them, the pages as copied lack them. */
  redo: PendingOp[];
  /** Of `ops`: on the copied pages, their transaction open at the backup's end: RESTORE … WITH RECOVERY undoes them. */
  undo: PendingOp[];
  /**
   * The replay's refusal (`CODE: message`) of a change of the table in the own log whose effect on
   * rows it cannot tell (LOB pages, DDL, a page not in the backup …): the counts above stop there.
   */
  refused?: string;
}

export interface OwnLogReading {
  /** The backup whose own log was read (the last one given: the differential when one is layered). */
  file: string;
  /** The backup set read (RESTORE … WITH FILE = n) and how many sets the file holds (0 when its layout could not be read). */
  position: number;
  sets: number;
  /** Its first and last LSN (fn_dblog form): the log RESTORE redoes over its pages. */
  firstLsn: string;
  lastLsn: string;
  /** Tables with row operations (or a refused change) in that log; empty when none (the usual case). */
  tables: OwnLogTable[];
  /**
   * Why the log could not be read whole where it counts (before the last LSN): a striped backup, a
   * damaged or cut stream (`CODE: reason (where)`); null when it read whole. Row operations of the
   * tables may be in what was not read.
   */
  unread: string | null;
}

/**
 * Of the `--bak` files a dump or a diff side reads (a full backup and differentials based on it, in
 * any order: openBackupPages layers them by their headers), the one whose own log RESTORE redoes
 * last, over the pages as layered: the differential with the latest last LSN, else the last full
 * backup given; the last file given when a header cannot be read (readBaseOwnLog then says why).
 * `position` as openBackupPages takes it (every file). Reads each file's MTF layout and header.
 * Before, the last file given was read, so `--bak DIFF FULL` (accepted, the pages layered all the
 * same) had the full backup's own log judged against the differential's pages, and a row change in
 * the differential's own log went unsaid.
 */
export function lastRestoredBackup(files: readonly string[], position: number | undefined): string {
  return lastRestoredSet(files, position).file;
}

/**
 * `lastRestoredBackup` with a set number per file (`position` a list, one per file in order, as
 * `dump --bak ALL.bak ALL.bak --position 1,2` gives a full and a differential that are two sets of
 * one file): the file and the set number its own log is read at. Reads each file's MTF layout and header.
 */
export function lastRestoredSet(files: readonly string[], position: number | readonly number[] | undefined): { file: string; position: number | undefined } {
  let best: { file: string; position: number | undefined; last: bigint } | null = null;
  const lastGiven = { file: files[files.length - 1]!, position: positionOf(position, files.length - 1) };
  for (const [i, file] of files.entries()) {
    let h: ReturnType<typeof readBackupHeader>;
    const p = positionOf(position, i);
    try {
      const layout = readMtfLayout(file);
      h = readBackupHeader(file, layout, choosePosition(file, layout, p));
    } catch (e) {
      if (!isRowbackError(e)) throw e;
      return lastGiven;
    }
    if (h.backupType !== 'differential') continue;
    const last = BigInt(h.lastLsn.decimal);
    if (best === null || last > best.last) best = { file, position: p, last };
  }
  return best ? { file: best.file, position: best.position } : lastGiven;
}

/**
 * Reads the own log of `bak` (backup set `position`, RESTORE … WITH FILE = n; the file's single set
 * when undefined) and judges it against the dumped `tables` (`schema.name`, as `metadata` names
 * them), whose pages `pages` holds (the backup(s) the dump reads: their m_lsn decide what is on the
 * copy). Cost: one pass over the own log (a set lookup per record); a second only when a record
 * names an allocation unit of a dumped table, then every record is fed to one LogReplay per such
 * table, or when a transaction is named like DDL or a bulk operation (point-in-time.ts DDL_NAMES)
 * or a record is of an operation the reader does not know (LOP_UNKNOWN_n),
 * then to one per table (its catalog rows may name any of them). Throws only on `signal`'s abort
 * (and an I/O error that is no RowbackError); every failure to read is returned in `unread`, every
 * refusal of the replay in its table's `refused`.
 */
export async function readBaseOwnLog(bak: string, position: number | undefined, pages: PageSource, metadata: DataFileMetadata, tables: string[], signal?: AbortSignal): Promise<OwnLogReading> {
  let layout: ReturnType<typeof readMtfLayout>;
  let pos: number;
  let firstLsn: string;
  let lastLsn: string;
  let end: bigint;
  try {
    layout = readMtfLayout(bak);
    pos = choosePosition(bak, layout, position);
    const h = readBackupHeader(bak, layout, pos);
    firstLsn = h.firstLsn.lsn;
    lastLsn = h.lastLsn.lsn;
    end = BigInt(h.lastLsn.decimal);
  } catch (e) {
    if (!isRowbackError(e)) throw e;
    return { file: bak, position: position ?? 1, sets: 0, firstLsn: '?', lastLsn: '?', tables: [], unread: `${e.code}: ${e.message}` };
  }
  // allocation unit id → the dumped table it belongs to
  const owner = new Map<string, string>();
  const details = new Map<string, NonNullable<ReturnType<typeof findTable>>>();
  for (const name of tables) {
    const d = findTable(metadata, name);
    if (!d || d.layout.unreadable) continue;
    details.set(name, d);
    for (const a of d.layout.allocUnits ?? []) owner.set(a.allocUnitId, name);
    for (const p of d.partitions) for (const a of p.allocUnits) owner.set(a.allocUnitId, name);
  }
  const lsnOf = (lsn: string): bigint => BigInt(lsnToDecimal(parseLsn(lsn)));
  const lost: SkippedItem[] = [];
  const read = () => openBackupLogStream(bak, 'bak', layout, pos).records({ ...(signal ? { signal } : {}), onSkipped: (x) => {
    if (!LOG_LOSS_CODES.has(x.code)) return;
    const at = x.lsnRange?.first ?? x.location.lsn;
    // log at or past the backup's last LSN is not part of what RESTORE redoes
    if (at === undefined || lsnOf(at) < end) lost.push(x);
  } }, emptyLogScanStats());
  const touched = new Set<string>();
  // a transaction named like DDL or a bulk operation: its catalog rows may name a table no record's
  // allocation unit does (LogReplay refuses those), so every table is judged in the second pass
  let ddl = false;
  try {
    for await (const r of read()) {
      if (lsnOf(r['Current LSN']) >= end) continue;
      const t = r.AllocUnitId ? owner.get(r.AllocUnitId) : undefined;
      if (t !== undefined) touched.add(t);
      if (!ddl && r.Operation === LOP_BEGIN_XACT && r['Transaction Name'] && DDL_NAMES.test(r['Transaction Name'])) ddl = true;
      // an operation the reader does not know names no allocation unit or page: it may change any
      // dumped table (LogReplay refuses it), so every table is judged (it was passed by: not a word)
      if (!ddl && r.Operation.startsWith('LOP_UNKNOWN_')) ddl = true;
    }
  } catch (e) {
    if (signal?.aborted || !isRowbackError(e)) throw e;
    // every stripe was given (the pages were read), but the log of a striped backup may be spread over them
    const why = e.code === 'FORMAT_INCOMPLETE_MEDIA_SET' ? `${e.code}: ${bak} is one stripe of a striped backup, whose own log rowback does not read` : `${e.code}: ${e.message}`;
    return { file: bak, position: pos, sets: layout.sets, firstLsn, lastLsn, tables: [], unread: why };
  }
  const unread = lost.length
    ? lost.slice(0, 3).map((x) => `${x.code}: ${x.reason}${x.location.offset !== undefined ? ` (offset ${x.location.offset})` : ''}`).join('; ') + (lost.length > 3 ? `; and ${lost.length - 3} more` : '')
    : null;
  if (touched.size === 0 && !ddl) return { file: bak, position: pos, sets: layout.sets, firstLsn, lastLsn, tables: [], unread };
  const judged = ddl ? [...details.keys()] : [...touched];

  // the copied pages' m_lsn, as replayOnChain reads them
  const basePageLsn = basePageLsnMemo(pages);
  const runs = judged.map((name) => {
    const d = details.get(name)!;
    const stats = emptyReplayStats(0);
    const partitions = d.partitions.map((p) => ({ partitionId: p.partitionId, allocUnitIds: p.allocUnits.map((a) => a.allocUnitId), layout: p.layout }));
    let replay: LogReplay | null = null;
    let refused: string | undefined;
    try {
      // updates are not applied here (only counted), so no page model is needed for their images
      replay = new LogReplay({ layout: d.layout, columns: visibleColumns(d.layout).map((c) => c.name), target: { kind: 'lsn', lsn: end.toString() }, basePageLsn, rebuild: () => undefined, stats, partitions, otherTablesAllocUnits: otherTablesAllocUnits(metadata, [...partitions, { allocUnitIds: (d.layout.allocUnits ?? []).map((a) => a.allocUnitId) }]), sqlServer2005: metadata.database.version === SQL2005_CATALOG_DBI_VERSION });
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e;
      // a table judged only for the DDL whose allocation units are not known (none named in the log): nothing to say
      if (touched.has(name)) refused = refusal(e);
    }
    return { name, replay, refused };
  });
  try {
    for await (const r of read()) {
      if (lsnOf(r['Current LSN']) >= end) continue;
      for (const run of runs) {
        if (!run.replay || run.refused) continue;
        try {
          run.replay.feed(r, bak);
        } catch (e) {
          if (!(e instanceof ReplayError)) throw e;
          run.refused = refusal(e);
        }
      }
    }
  } catch (e) {
    if (signal?.aborted || !isRowbackError(e)) throw e;
    return { file: bak, position: pos, sets: layout.sets, firstLsn, lastLsn, tables: [], unread: `${e.code}: ${e.message}` };
  }
  const out: OwnLogTable[] = [];
  for (const run of runs) {
    const p = run.replay ? run.replay.pending() : { redo: [], undo: [], all: [] };
    if (p.all.length === 0 && !run.refused) continue;
    out.push({ table: run.name, ops: p.all, redo: p.redo, undo: p.undo, ...(run.refused ? { refused: run.refused } : {}) });
  }
  return { file: bak, position: pos, sets: layout.sets, firstLsn, lastLsn, tables: out, unread };
}

/** A replay refusal as said beside a dump of the pages (the replay's closing words are of a table it does not print). */
function refusal(e: ReplayError): string {
  return `${e.code}: ${e.message.replace(/; the table at the stop point cannot be told exactly, so it is not printed$/, '')}`;
}

/**
 * What a reader of a backup's pages says of its own log (readBaseOwnLog), without a `WARNING: ` /
 * `note: ` prefix: a WARNING per table whose rows RESTORE … WITH RECOVERY would give otherwise than
 * the pages as copied (how many row operations, which would be redone and undone with their kind and
 * LSN, and `wayOn(reading, table)`: how to get the restored table), one per table with a change the
 * replay cannot tell, one when the log could not be read whole; a note per table whose row operations
 * the copied pages already show as RESTORE leaves them. `rows` names the rows in question ("the rows
 * printed", "the rows compared"). Pure.
 */
export function ownLogSentences(o: OwnLogReading, rows: string, wayOn: (o: OwnLogReading, table: string) => string): { warnings: string[]; notes: string[] } {
  const warnings: string[] = [];
  const notes: string[] = [];
  const log = `${o.file}'s own log (LSN ${o.firstLsn} to ${o.lastLsn}, which RESTORE redoes over the copied pages, undoing the transactions still open at its end)`;
  const range = (l: string[]) => (l.length === 1 ? `LSN ${l[0]}` : `LSN ${l[0]} to ${l[l.length - 1]}`);
  // `insert at LSN a, delete at LSN b`, the first five
  const each = (l: PendingOp[]) => `${l.slice(0, 5).map((x) => `${x.kind} at LSN ${x.lsn}`).join(', ')}${l.length > 5 ? ` and ${l.length - 5} more` : ''}`;
  for (const t of o.tables) {
    const held = t.ops.length ? `holds ${t.ops.length} row operation(s) of ${t.table} (${range(t.ops)})` : `holds a change of ${t.table}`;
    if (t.refused) {
      warnings.push(`${t.table}: ${log} ${held} whose effect on its rows rowback cannot tell (${t.refused}): ${rows} are the pages as copied and may differ from the table a restore of this backup gives (RESTORE it on a SQL Server to see that table)`);
      continue;
    }
    if (t.redo.length === 0 && t.undo.length === 0) {
      notes.push(`${t.table}: ${log} ${held}; by their page LSNs each is already as RESTORE leaves it (committed ones on the copied pages, those of transactions open at its end not), so ${rows} are the ones a restore of this backup gives`);
      continue;
    }
    const parts = [
      ...(t.redo.length ? [`${t.redo.length} committed after the page was copied, which ${rows} lack and RESTORE redoes (${each(t.redo)})`] : []),
      ...(t.undo.length ? [`${t.undo.length} of transactions still open at the backup's end, which ${rows} show and RESTORE … WITH RECOVERY undoes (${each(t.undo)})`] : []),
    ];
    warnings.push(`${t.table}: ${log} ${held}: ${parts.join('; ')}. ${rows[0]!.toUpperCase()}${rows.slice(1)} are the pages as copied, not the table a restore of this backup gives; that table: ${wayOn(o, t.table)}`);
  }
  if (o.unread !== null) warnings.push(`${log} could not be read whole (${o.unread}): row changes RESTORE would redo or undo over the copied pages may be in what was not read, so ${rows} (the pages as copied) may differ from the table a restore of this backup gives`);
  return { warnings, notes };
}
