/**
 * A list of log backup sets checked as a chain, as RESTORE LOG takes them: in FirstLSN order, each
 * set's FirstLSN the LastLSN of the one before (MS Learn, "Transaction log backups": an unbroken
 * sequence of log backups; HEADERONLY FirstLSN/LastLSN, LastLSN being the next backup's FirstLSN).
 * Shared by `rowback scan --trn` (src/recover/sources/files.ts) and `rowback log` so that both
 * order, repeat and break a chain alike.
 */
import type { SkippedItem } from '../util/skipped-item.js';
import type { BackupHeader } from './header.js';

/** One backup set of a log backup file. */
export interface LogBackupSet {
  file: string;
  /** 1-based backup set in the file (RESTORE … WITH FILE = n). */
  position: number;
  header: BackupHeader;
}

/** A break in the chain: the item to report (FORMAT_LOG_CHAIN_GAP) and the LSN range missing (fn_dblog form). */
export interface LogChainGap {
  from: string;
  to: string;
  item: SkippedItem;
}

export interface LogChain {
  /** The sets in FirstLSN order, each LSN range once. */
  sets: LogBackupSet[];
  /** Whether the sets were given in that order (a shell's `*.trn` lists `_10` before `_2`). */
  givenInOrder: boolean;
  /** One sentence per set that holds the same log as another (the same file twice, or a copy): read once. */
  repeats: string[];
  /** The sets passed over as repeats (not read). */
  passedOver: LogBackupSet[];
  gaps: LogChainGap[];
}

/** The end of a FORMAT_LOG_CHAIN_GAP reason, after the two files and LSNs (merged-log.ts drops it when the .ldf holds the stretch). */
export const CHAIN_GAP_TAIL = ': the log backup(s) in between are missing, and their records with them';

/**
 * The end of a FORMAT_LOG_CHAIN_GAP reason where the second set starts before the first ends
 * without being a copy of it: both hold log of the same LSNs, so they are backups of two branches
 * of the database's history (a restore between them starts a new recovery fork, whose LSNs repeat
 * the old branch's) or one header is damaged; log read from both may mix two histories.
 */
export const CHAIN_OVERLAP_TAIL = ': both hold log of the LSNs between, so they are not one chain but backups of two branches of the database\'s history (a RESTORE between them starts a new recovery fork, whose LSNs repeat those of the old one) or one header is damaged, and rows read from both may mix the two histories; give the log backups of one branch (RESTORE HEADERONLY: FirstLSN, LastLSN, RecoveryForkID)';

/**
 * The end of a FORMAT_LOG_CHAIN_GAP reason for two log backups that START at the same LSN and end
 * apart. Besides two branches (a RESTORE … WITH RECOVERY at the end of the log backup before them
 * starts the new branch's log backups where the old branch's next one starts), this is the shape of
 * a copy-only log backup (MS Learn, "Copy-only backups": a copy-only log backup preserves the log
 * archive point, so the regular log backup after it starts at the same FirstLSN and holds its log
 * too). The offline header reader does not locate the copy-only flag (restore/history.ts copyOnly),
 * so which it is, is said as the DBA's to check, not guessed; the records the later backup repeats
 * are read once either way (files.ts: at or below the highest LSN read).
 */
export const CHAIN_SAME_START_TAIL = ': both start at the same LSN and hold log of the LSNs between, so they are not one chain: either the shorter is a copy-only log backup (BACKUP LOG … WITH COPY_ONLY keeps the log archive point, so the regular log backup after it starts where it starts and holds its log too: then give the regular one alone and this is complete), or they are backups of two branches of the database\'s history (a RESTORE … WITH RECOVERY between them starts a new recovery fork, whose LSNs repeat those of the old one) and rows read from both may mix the two histories; RESTORE HEADERONLY tells: IsCopyOnly, RecoveryForkID';

/** `file` or `file (set n)` for a file holding several backup sets. */
export function setName(s: LogBackupSet): string {
  return `${s.file}${s.header.backupSets > 1 || s.position > 1 ? ` (set ${s.position})` : ''}`;
}

/**
 * Orders `given` (by FirstLSN, then LastLSN), passes over repeats (the same FirstLSN and LastLSN: read once; of two copies, one
 * `flawed` (a copy cut short or damaged: files.ts) and one not, the other is read, whichever was
 * given first: the first was read, and a cut copy given before a whole one lost rows the whole one
 * holds, said INCOMPLETE with all of them given; of two flawed copies, the one `lessLost` says lost
 * less than the other, else the first) and names every
 * break: a set whose FirstLSN is not the LastLSN of the one before, whether log is missing between
 * them or the two overlap (backups of two branches of the database's history after a restore, or
 * damaged headers: not one chain either way). Pure; never throws.
 */
export function logBackupChain(given: readonly LogBackupSet[], flawed: (s: LogBackupSet) => boolean = () => false, lessLost: (a: LogBackupSet, b: LogBackupSet) => boolean = () => false): LogChain {
  const first = (s: LogBackupSet) => BigInt(s.header.firstLsn.decimal);
  const last = (s: LogBackupSet) => BigInt(s.header.lastLsn.decimal);
  // by FirstLSN, then LastLSN: of two starting at one LSN the shorter first, whatever order they
  // were given in (a log backup taken with no log since the one before holds none, FirstLSN =
  // LastLSN; given after the next one, which starts at that LSN too, it was said not to chain)
  const ordered = [...given].sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : last(a) < last(b) ? -1 : last(a) > last(b) ? 1 : 0));
  const givenInOrder = ordered.every((s, k) => s === given[k]);
  const sets: LogBackupSet[] = [];
  const repeats: string[] = [];
  const passedOver: LogBackupSet[] = [];
  const gaps: LogChainGap[] = [];
  for (const s of ordered) {
    const prev = sets[sets.length - 1];
    if (prev && prev.header.firstLsn.decimal === s.header.firstLsn.decimal && prev.header.lastLsn.decimal === s.header.lastLsn.decimal) {
      // of two flawed copies, the one that lost less (`lessLost(s, prev)`: more of its log read) is read
      if (flawed(prev) && (!flawed(s) || lessLost(s, prev))) {
        sets[sets.length - 1] = s;
        passedOver.push(prev);
        repeats.push(`${setName(prev)} holds the same log as ${setName(s)} (LSN ${s.header.firstLsn.lsn} to ${s.header.lastLsn.lsn}), cut short or damaged: read once, from ${setName(s)}`);
        continue;
      }
      passedOver.push(s);
      repeats.push(`${setName(s)} holds the same log as ${setName(prev)} (LSN ${prev.header.firstLsn.lsn} to ${prev.header.lastLsn.lsn}): read once`);
      continue;
    }
    if (prev && prev.header.lastLsn.decimal !== s.header.firstLsn.decimal) {
      // Both LSN forms, as `inspect` prints them: HEADERONLY/msdb's decimal and fn_dblog's.
      gaps.push({
        from: prev.header.lastLsn.lsn,
        to: s.header.firstLsn.lsn,
        item: {
          code: 'FORMAT_LOG_CHAIN_GAP',
          // an overlap is no missing log: said as what it is (it read "the log backup(s) in between are missing")
          reason: `log backups do not chain: ${setName(prev)} ends at LSN ${prev.header.lastLsn.decimal} (${prev.header.lastLsn.lsn}), ${setName(s)} starts at ${s.header.firstLsn.decimal} (${s.header.firstLsn.lsn})${first(s) === first(prev) ? CHAIN_SAME_START_TAIL : first(s) < BigInt(prev.header.lastLsn.decimal) ? CHAIN_OVERLAP_TAIL : CHAIN_GAP_TAIL}`,
          location: { file: s.file, lsn: s.header.firstLsn.lsn },
          lsnRange: { first: prev.header.lastLsn.lsn, last: s.header.firstLsn.lsn },
        },
      });
    }
    sets.push(s);
  }
  return { sets, givenInOrder, repeats, passedOver, gaps };
}
