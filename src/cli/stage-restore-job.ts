import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { RecoveredRow } from '../recover/recovered-row.js';
import { comparisonOperations, diffAsRecoveredRows } from '../replay/compare.js';
import type { TableDiff } from '../replay/table-diff.js';
import { openStagingStore } from '../staging/open.js';
import { doubtfulNotes } from '../staging/job-completeness.js';
import type { SourceDatabase } from '../staging/types.js';
import { readBackupHeader } from '../backup/header.js';
import { readMtfLayout } from '../backup/mtf.js';
import { sourceDatabaseOf } from '../reinsert/source-database.js';

/**
 * The database of the earlier state's first backup (`spec.bak[0]`, backup set `spec.position`):
 * HEADERONLY DatabaseName, BindingID, FamilyGUID (backup/header.ts); the comparison checked every
 * file of both sides to be of one database. null when the spec names no backup (a comparison with
 * a live side database) or its header cannot be read.
 */
function earlierBackupDatabase(spec: Record<string, unknown>): SourceDatabase | null {
  const bak = Array.isArray(spec.bak) && typeof spec.bak[0] === 'string' ? spec.bak[0] : null;
  if (!bak) return null;
  try {
    const h = readBackupHeader(bak, readMtfLayout(bak), typeof spec.position === 'number' ? spec.position : 1);
    return sourceDatabaseOf([{ file: bak, role: 'bak', bindingId: h.bindingId, databaseName: h.databaseName, familyGuid: h.familyGuid }]);
  } catch {
    return null;
  }
}

/**
 * Stages one comparison (`rowback diff --stage`, `restore run --table … --stage`) as a finished
 * job of kind `restore` in the staging file `path`: the table's layout for the re-insert planner,
 * missing rows as deletes and changed rows as updates (replay/compare.ts diffAsRecoveredRows,
 * `note` added to each row's warnings), then one audit entry `audit.action`, in one transaction
 * (a failure or a kill part-way leaves no job). Returns the job id.
 * Throws what openStagingStore throws (STAGING_OPEN_FAILED, STAGING_SCHEMA_TOO_NEW).
 */
export function stageRestoreJob(path: string, o: {
  spec: Record<string, unknown>;
  description: string;
  diff: TableDiff;
  layout: TableLayout;
  /** Each row's source, or a function of the row's LSN tag giving it (replay/compare.ts comparisonRowSource). */
  source: RecoveredRow['source'] | ((tag: string | undefined, from?: string, fromSet?: number) => RecoveredRow['source']);
  note?: string;
  /** The later state is older (compared as asked): missing rows are staged as inserts (`true`: all; a set: those of these tags; diffAsRecoveredRows, rowsNewerThanLater). */
  reversed?: boolean | ReadonlySet<string>;
  /**
   * The job's notes (an audit entry `job.notes`, as the service's restore jobs have: the replay's
   * chain and stop, the counts); its `INCOMPLETE: ` sentences are the job's completeness.
   */
  notes?: string[];
  audit: { action: string; details: Record<string, unknown> };
  /**
   * The database the rows were read from, when the caller knows it (restore run: the restored
   * chain's database, read from a side database whose spec names no backup); absent: the earlier
   * state's first backup (`spec.bak[0]`); null: not known.
   */
  sourceDatabase?: SourceDatabase | null;
}): number {
  const store = openStagingStore(path);
  try {
    // One transaction: the job is there whole or not at all. Its batches were committed one by one,
    // so a failure between two (a full disk) or a kill left a job `running` with part of its rows,
    // which the service later listed as resumable, a resume re-staging it from files maybe changed since.
    return store.db.transaction(() => stageIn(store, o))();
  } finally {
    store.close();
  }
}

/** stageRestoreJob's work, inside its transaction. */
function stageIn(store: ReturnType<typeof openStagingStore>, o: Parameters<typeof stageRestoreJob>[1]): number {
  const d = o.diff;
  // a reversed comparison's missing rows are inserts (diffAsRecoveredRows): the job says so
  const job = store.createJob({ kind: 'restore', spec: o.spec, description: o.description, tables: [d.table], operations: comparisonOperations(o.reversed), createdBy: 'cli' });
  store.setJobState(job.id, 'running');
  store.saveJobTables(job.id, [o.layout]);
  // the database the rows were read from (the earlier state's backup), for re-insert to compare with its target's
  store.setJobSourceDatabase(job.id, o.sourceDatabase !== undefined ? o.sourceDatabase : earlierBackupDatabase(o.spec));
  const rows = diffAsRecoveredRows(d, o.source, o.note, { reversed: o.reversed });
  for (let i = 0; i < rows.length; i += 1000) store.stageBatch(job.id, rows.slice(i, i + 1000));
  store.indexPending();
  if (o.notes?.length) store.appendAudit('cli', 'job.notes', job.id, { notes: o.notes });
  // a comparison is whole or refused, but for rows decoded with warnings (its INCOMPLETE sentences)
  store.setJobCompleteness(job.id, (o.notes ?? []).filter((n) => n.startsWith('INCOMPLETE: ')), doubtfulNotes(o.notes ?? []));
  store.setJobState(job.id, 'succeeded');
  store.appendAudit('cli', o.audit.action, job.id, { ...o.audit.details, missing: d.missing.length, changed: d.changed.length });
  return job.id;
}
