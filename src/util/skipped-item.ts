/**
 * An item a scan passed over: reported at the end with its reason and location, never fatal. The
 * shape every reader reports in (datafile, logreader, backup, recover and the layers above): kept in
 * util, below them all, so a reader names it without importing the recovery layer above it
 * (recover/source.ts re-exports it).
 */
export interface SkippedItem {
  code: string;
  reason: string;
  location: { file?: string; offset?: number; lsn?: string; page?: string; slot?: number; table?: string; column?: string };
  /** Row image hex, when the item was a row that could not be decoded. */
  raw?: string;
  /**
   * The log the item lost, where the reader knows its bounds: the LSNs from `first` up to `last`
   * (`last` is the first LSN past the loss, itself not lost: the reasons' "LSNs A up to B"), both in
   * fn_dblog's text form `vvvvvvvv:bbbbbbbb:ssss` (logreader/lsn.ts formatLsn). Set on a log stream
   * short of its header's range or holding nothing (backup/log-coverage.ts), a gap between log
   * blocks or a VLF holding none, a damaged log block (FORMAT_BAD_LOG_BLOCK: the LSNs between the
   * readable blocks around it, or up to its stream's header LastLSN; logreader/ldf/reader.ts), a VLF
   * cut short by the end of an .ldf, log backups that do not chain (FORMAT_LOG_CHAIN_GAP) and two
   * copies of log blocks that differ. Absent where the bounds are not known: a damaged block whose
   * loss has no known start or end (its reason says which), an .ldf cut with its later VLFs missing
   * (open-ended), damage in an MTF stream. Readers
   * (`log`, `scan` and the worker's INCOMPLETE lines) name it; the reason says it in words too.
   */
  lsnRange?: { first: string; last: string };
  /**
   * SOURCE_SCHEMA_DRIFT of a files scan (recover/layout-changes.ts): the committed change of the
   * row's table's columns it was logged after (its first catalog record's LSN, its transaction, its
   * commit's End Time in fn_dblog form or null), so the INCOMPLETE sentence names the change and
   * the way on, where it named neither and sent the reader to the skipped items.
   */
  layoutChange?: { lsn: string; transactionId: string; endTime: string | null };
}
