/**
 * Which of a scan's notes say rows of the incident are left out of its result: rows that exist in
 * the log or the database but that the result does not hold. Every such sentence rowback writes says
 * one of these two phrases: `not in this result` (transactions begun outside the window or left open
 * where the log read ends, rows of tables the metadata lacks, log in no file given before or after
 * the window, a data file of another time: recover/committed.ts scanStatsNotes, window-before-log.ts,
 * window-past-log.ts, source-identity.ts, sources/files.ts, sources/live.ts), or `no log scan gives
 * them back` (a TRUNCATE TABLE or DROP TABLE, which logs no row: committed.ts). A new sentence of
 * that kind must say one of them (test/staging/job-rows-left-out.test.ts pins the writers').
 *
 * The staging store records the verdict with the job when its notes are written (StagingStore
 * appendAudit, action job.notes: JobRecord.rowsLeftOut), so that a reader (the review page, which
 * opens the job's notes for it) takes it as data, not by matching the sentences itself.
 */

/** The phrase of a note saying rows of the window or the tables are not in the result. */
export const NOT_IN_THIS_RESULT = 'not in this result';
/** The phrase of a note saying rows were removed unlogged (TRUNCATE TABLE, DROP TABLE). */
export const NO_LOG_SCAN_GIVES_THEM_BACK = 'no log scan gives them back';

/** True when `note` says rows of the incident are left out of the result (see the module's doc). Pure. */
export function saysRowsLeftOut(note: string): boolean {
  return note.includes(NOT_IN_THIS_RESULT) || note.includes(NO_LOG_SCAN_GIVES_THEM_BACK);
}
