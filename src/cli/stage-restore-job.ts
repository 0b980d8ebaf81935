import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import type { RecoveredRow } from '../recover/recovered-row.js';
import { comparisonOperations, diffAsRecoveredRows } from '../replay/compare.js';
import type { TableDiff } from '../replay/table-diff.js';
import { openStagingStore } from '../staging/open.js';

/**
 * Stages one comparison (`rowback diff --stage`, `restore run --table … --stage`) as a finished
 * job of kind `restore` in the staging file `path`: the table's layout for the re-insert planner,
 * missing rows as deletes and changed rows as updates (replay/compare.ts diffAsRecoveredRows,
 * `note` added to each row's warnings), then one audit entry `audit.action`. Returns the job id.
 * Throws what openStagingStore throws (STAGING_OPEN_FAILED, STAGING_SCHEMA_TOO_NEW).
 */
export function stageRestoreJob(path: string, o: {
  spec: Record<string, unknown>;
  description: string;
  diff: TableDiff;
  layout: TableLayout;
  /** Each row's source, or a function of the row's LSN tag giving it (replay/compare.ts comparisonRowSource). */
  source: RecoveredRow['source'] | ((tag: string | undefined, from?: string) => RecoveredRow['source']);
  note?: string;
  /** The later state is older (compared as asked): missing rows are staged as inserts (`true`: all; a set: those of these tags; diffAsRecoveredRows, rowsNewerThanLater). */
  reversed?: boolean | ReadonlySet<string>;
  /**
   * The job's notes (an audit entry `job.notes`, as the service's restore jobs have: the replay's
   * chain and stop, the counts); its `INCOMPLETE: ` sentences are the job's completeness.
   */
  notes?: string[];
  audit: { action: string; details: Record<string, unknown> };
}): number {
  const store = openStagingStore(path);
  try {
    const d = o.diff;
    // a reversed comparison's missing rows are inserts (diffAsRecoveredRows): the job says so
    const job = store.createJob({ kind: 'restore', spec: o.spec, description: o.description, tables: [d.table], operations: comparisonOperations(o.reversed), createdBy: 'cli' });
    store.setJobState(job.id, 'running');
    store.saveJobTables(job.id, [o.layout]);
    const rows = diffAsRecoveredRows(d, o.source, o.note, { reversed: o.reversed });
    for (let i = 0; i < rows.length; i += 1000) store.stageBatch(job.id, rows.slice(i, i + 1000));
    store.indexPending();
    if (o.notes?.length) store.appendAudit('cli', 'job.notes', job.id, { notes: o.notes });
    // a comparison is whole or refused, but for rows decoded with warnings (its INCOMPLETE sentences)
    store.setJobCompleteness(job.id, (o.notes ?? []).filter((n) => n.startsWith('INCOMPLETE: ')));
    store.setJobState(job.id, 'succeeded');
    store.appendAudit('cli', o.audit.action, job.id, { ...o.audit.details, missing: d.missing.length, changed: d.changed.length });
    return job.id;
  } finally {
    store.close();
  }
}
