import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

/**
 * docs/restore.md's restore-job section said its test was "RestoreTimeClean (13:20 against the
 * differential: the 12 rows, staged, approved, planned into 12 INSERTs)". The differential (13:14:13)
 * is older than 13:20: the job is refused unless acceptOlderLater, and its 12 rows are then staged as
 * inserts (added between the two states), which the re-insert plan leaves out (REINSERT_NOT_A_DELETE):
 * test/api/restore-jobs.test.ts checks 0 INSERTs and 12 NOT INCLUDED. A DBA reading the page took a
 * reversed comparison for the way to get rows back (newcomer DBA, incident 1). The deleted rows of a
 * later data file that lacks them are what a restore job plans into INSERTs
 * (test/api/restore-job-provenance-not-doubt.test.ts: 3 rows, dry run, the fake target).
 */
it('docs/restore.md says what the restore-job tests show', () => {
  const doc = readFileSync(new URL('../../docs/restore.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  expect(doc.includes('the 12 rows, staged, approved, planned into 12 INSERTs'), 'the claim the test contradicts').toBe(false);
  expect(doc.includes('13:20 against the differential, older, compared with acceptOlderLater: true: the 12 rows committed in between staged as inserts, none planned for re-insert (REINSERT_NOT_A_DELETE)'), 'what the test shows').toBe(true);
});
