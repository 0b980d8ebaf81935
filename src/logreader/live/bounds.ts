import { compareLsn, parseLsn, type Lsn } from '../lsn.js';
import type { Row } from './stream.js';

/**
 * Finding the start LSN of a time window without reading the whole log. The VLFs of the
 * log (sys.dm_db_log_info) are in LSN order and Begin Times grow with LSN, so a binary search
 * over the VLFs — each probe reading only up to the first LOP_BEGIN_XACT at a VLF's first
 * LSN — finds the last VLF whose transactions began before the window. The scan starts
 * SAFETY_VLFS earlier still: Begin Time is the moment a transaction began, which can be
 * somewhat before its LOP_BEGIN_XACT record reached the log.
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
  /** Set when the log begins after the window start: the window's first part is not in it. */
  logStartsAfterWindow?: string;
}

/**
 * @param probe ISO Begin Time of the first LOP_BEGIN_XACT at or after `lsn` (null if none).
 * @param from window start, rowback form.
 */
export async function findStartLsn(vlfs: VlfInfo[], probe: (lsn: Lsn) => Promise<string | null>, from: string): Promise<StartBound> {
  if (vlfs.length === 0) return { start: null, probes: 0 };
  let probes = 0;
  const before = async (i: number): Promise<boolean> => {
    probes++;
    const t = await probe(vlfs[i].firstLsn);
    return t !== null && t < from;
  };
  // Invariant: every VLF ≤ lo begins before `from` (when lo ≥ 0); every VLF > hi does not.
  let lo = -1;
  let hi = vlfs.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (await before(mid)) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0) {
    // Even the oldest VLF's first transaction began at or after `from`.
    const first = await probe(vlfs[0].firstLsn);
    probes++;
    return { start: null, probes, ...(first ? { logStartsAfterWindow: first } : {}) };
  }
  const chosen = Math.max(0, lo - SAFETY_VLFS);
  // Starting at the oldest VLF is reading the whole log: pass no bound rather than an LSN that
  // may lie before the log's first readable record (fn_dblog refuses such a start).
  return { start: chosen === 0 ? null : vlfs[chosen].firstLsn, probes };
}
