import { compareLsn, parseLsn, type Lsn } from '../lsn.js';
import type { Row } from './stream.js';

/**
 * Finding the start LSN of a time window without reading the whole log. The VLFs of the log
 * (sys.dm_db_log_info) are in LSN order. A transaction that began in the window (Begin Time at or
 * after --from) writes every one of its records after --from; so the scan may start at any LSN
 * before which every record was written before --from. Commits are logged in the order they
 * happen, each with its End Time, so the End Times of the LOP_COMMIT_XACT records grow with LSN:
 * a binary search over the VLFs — each probe reading only up to the first LOP_COMMIT_XACT at a
 * VLF's first LSN — finds the last VLF whose first commit ended before the window, and every
 * record before that commit was written before it. The scan starts SAFETY_VLFS earlier still (an
 * End Time is taken a moment before its record reaches the log).
 *
 * Begin Times do not grow with LSN: a transaction's LOP_BEGIN_XACT is logged at its first change
 * (Microsoft Learn, BEGIN TRANSACTION: a transaction "is not recorded in the transaction log until
 * the application subsequently performs an action that must be recorded in the log"), after other
 * transactions' records, and may carry an older time. A search on each VLF's first Begin Time,
 * as before, started after the VLF of a whole transaction begun in the window when a later VLF
 * began with such a transaction: its begin, delete and commit were never read, and nothing said so
 * (test/logreader/live/bounds-long-transaction.test.ts).
 */
export interface VlfInfo {
  sequence: number;
  active: boolean;
  firstLsn: Lsn;
}

export const SAFETY_VLFS = 1;

/** Rows of logVlfsSql() → VLFs with a usable first LSN, in sequence order. */
export function vlfsFromRows(rows: Row[], includeInactive: boolean): VlfInfo[] {
  const out: VlfInfo[] = [];
  for (const r of rows) {
    const text = typeof r.vlf_first_lsn === 'string' ? r.vlf_first_lsn.trim() : '';
    const active = r.vlf_active === true || r.vlf_active === 1;
    if (!text || (!active && !includeInactive)) continue;
    let firstLsn: Lsn;
    try {
      firstLsn = parseLsn(text);
    } catch {
      continue;
    }
    // An unused VLF reports LSN 0:0:0.
    if (firstLsn.vlf === 0) continue;
    out.push({ sequence: Number(r.vlf_sequence_number), active, firstLsn });
  }
  return out.sort((a, b) => compareLsn(a.firstLsn, b.firstLsn));
}

export interface StartBound {
  /** Where the scan starts; null = the start of the log. */
  start: Lsn | null;
  probes: number;
  /** Set when the log's first transaction began after the window start: the window's first part is not in it. */
  logStartsAfterWindow?: string;
}

/** The probes of findStartLsn: each the ISO time (rowback form) of the first record of its kind at or after `lsn`, null if none. */
export interface WindowProbes {
  /** End Time of the first LOP_COMMIT_XACT (sql.ts firstCommitXactSql). */
  commit: (lsn: Lsn) => Promise<string | null>;
  /** Begin Time of the first LOP_BEGIN_XACT (sql.ts firstBeginXactSql): only of the oldest VLF, to say a log beginning after the window. */
  begin: (lsn: Lsn) => Promise<string | null>;
}

/**
 * @param from window start, rowback form (`YYYY-MM-DDTHH:MM:SS.fff`, the server's local time).
 * @returns the start bound (null: read from the log's start), the probes made, and, when the log's
 *   first transaction began after `from`, its Begin Time. Throws whatever a probe throws.
 */
export async function findStartLsn(vlfs: VlfInfo[], probe: WindowProbes, from: string): Promise<StartBound> {
  if (vlfs.length === 0) return { start: null, probes: 0 };
  let probes = 0;
  const before = async (i: number): Promise<boolean> => {
    probes++;
    const t = await probe.commit(vlfs[i].firstLsn);
    return t !== null && t < from;
  };
  // Invariant: every VLF ≤ lo has its first commit (at or after its first LSN) ended before `from`
  // (when lo ≥ 0); every VLF > hi does not.
  let lo = -1;
  let hi = vlfs.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (await before(mid)) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0) {
    // Even the oldest VLF's first commit ended at or after `from`: read the whole log; and say so
    // when its first transaction began after `from` (the window's first part is in no log read).
    const first = await probe.begin(vlfs[0].firstLsn);
    probes++;
    return { start: null, probes, ...(first !== null && first >= from ? { logStartsAfterWindow: first } : {}) };
  }
  const chosen = Math.max(0, lo - SAFETY_VLFS);
  // Starting at the oldest VLF is reading the whole log: pass no bound rather than an LSN that
  // may lie before the log's first readable record (fn_dblog refuses such a start).
  return { start: chosen === 0 ? null : vlfs[chosen].firstLsn, probes };
}
