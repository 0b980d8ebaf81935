import type { JobRecord } from './types.js';

/**
 * The one-line WARNING a script of a job's rows carries when the job's result is not known to be
 * whole: `WARNING: INCOMPLETE job: …` (its first INCOMPLETE sentence and how many more) when the
 * worker noted it INCOMPLETE, `WARNING: whether job N's result is complete is not known (state …)`
 * while it is queued or runs, after it failed, was cancelled or interrupted, or for a job finished
 * before rowback recorded completeness; null for a job known complete. Said at the head of an SQL
 * export (GET /api/jobs/:id/rows?format=sql), of a re-insert's dry-run and real-run scripts, in the
 * dry run's answer and in the run's audit entry: rows a job has not found (yet) are not in any of
 * them, and a script or run alone reads as "the delete, undone".
 * Never throws. Source of the states: src/staging/types.ts (JobRecord.complete).
 */
export function jobCompletenessWarning(job: Pick<JobRecord, 'id' | 'state' | 'complete' | 'incomplete'>): string | null {
  if (job.complete === false && job.incomplete?.length) {
    const first = job.incomplete[0]!.replace(/^INCOMPLETE:\s*/, '');
    return `WARNING: INCOMPLETE job: ${first}${job.incomplete.length > 1 ? ` (and ${job.incomplete.length - 1} more INCOMPLETE sentence(s), ${job.incomplete.length} in all: GET /api/jobs/${job.id} lists them)` : ' (1 INCOMPLETE sentence)'}`;
  }
  if (job.complete === null) {
    return `WARNING: whether job ${job.id}'s result is complete is not known (state ${job.state}: it runs, or did not finish, or finished before rowback recorded it)`;
  }
  return null;
}
