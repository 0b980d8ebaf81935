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

/**
 * The sentences of a job's notes that make its result doubtful (JobRecord.warnings): those starting
 * `WARNING: ` or `UNCHECKED: ` (and a restore job's `warning: `, a comparison reversed on purpose, and
 * a comparison's `WARNING (side state, …): `),
 * in the notes' order, as written. What `scan --report` gives as `warnings`. Pure.
 */
export function doubtfulNotes(notes: readonly string[]): string[] {
  // also a comparison's WARNING of one side, `WARNING (earlier state, …): …` (replay/compare.ts
  // comparisonNotes: a stop time the server's clock passed twice), which `WARNING: ` alone missed
  return notes.filter((n) => /^(?:WARNING|UNCHECKED)(?:: | \()/i.test(n));
}

/**
 * The one-line WARNING a script of a job's rows carries when its result is doubtful: how many
 * WARNING:/UNCHECKED: sentences its notes hold and how many of its rows carry warnings of their own
 * (JobRecord.warnings, rowsWithWarnings). The sentences themselves are not quoted (they may name
 * the server a live job read; GET /api/jobs/:id gives them, hidden as the caller's role needs).
 * null when neither, or not known (the completeness warning says the job is not known whole).
 * Said beside jobCompletenessWarning: an SQL export's and a re-insert script's head, a dry run's answer.
 */
export function jobDoubtWarning(job: Pick<JobRecord, 'id' | 'warnings' | 'rowsWithWarnings'>): string | null {
  const w = job.warnings?.length ?? 0;
  const r = job.rowsWithWarnings ?? 0;
  if (!w && !r) return null;
  const parts = [
    ...(w ? [`its notes hold ${w} WARNING/UNCHECKED sentence(s) (GET /api/jobs/${job.id}, \`warnings\`)`] : []),
    ...(r ? [`${r} of its rows carry warnings of their own (a value may be wrong or missing: each row's \`warnings\`)`] : []),
  ];
  return `WARNING: job ${job.id}'s result is doubtful: ${parts.join('; ')}; read them before running this script`;
}
