import { logTimeText } from '../recover/log-local-time.js';
import { bothForms } from '../restore/chain.js';
import { backupSetName } from '../restore/history.js';
import type { ReplayResult } from './point-in-time.js';

/**
 * The stderr summary of a replay, as its lines (each without a line end; the CLI writes each as one
 * line, cli/stderr-lines.ts, and the service keeps each as a job note): rows, chain, what was redone
 * and undone, where it stopped. Lines, not one text: a file or table name holding a line break could
 * not be told from the break between two lines once joined.
 */
export function replaySummary(r: ReplayResult): string[] {
  const s = r.stats;
  const t = r.chain.target.kind === 'time' ? `at ${r.chain.target.time} (SQL Server local time)` : `just before LSN ${bothForms(r.chain.target.lsn)}`;
  // each set by its file, and its position in a file of several (`log L.trn (FILE = 2)`)
  const steps = r.chain.steps.map((x) => `${x.role} ${backupSetName({ ...x.set, devices: [x.set.devices[0]!] })}`).join(' → ');
  return [
    `rowback dump: ${r.table} ${t}: ${r.rows.length} row(s)`,
    `rowback dump: chain: ${steps}`,
    `rowback dump: ${s.baseRows} row(s) in the base backup; redone ${s.redone.insert} insert(s), ${s.redone.delete} delete(s), ${s.redone.update} update(s) of ${s.committedTransactions} committed transaction(s)${s.lastCommitTime ? ` (last commit ${logTimeText(s.lastCommitTime)})` : ''}; undone ${s.undone} change(s) the backup copied uncommitted; ${s.openAtStop} transaction(s) on the table still open at the stop, not applied${s.begunAfterStop ? `; ${s.begunAfterStop} begun after the stop time (committed after it), not applied` : ''}`,
    ...(s.baseLogOps.total ? [`rowback dump: ${s.baseLogOps.total} change(s) to the table were logged while the base backup ran (${s.baseLogOps.inBase} already on its pages by their page LSN); applied as RESTORE does, a path no corpus backup exercises`] : []),
    ...(s.movedRows ? [`rowback dump: ${s.movedRows} row move(s) of page splits not replayed (the same rows on a new page)`] : []),
    ...(s.ddlElsewhere.length ? [`rowback dump: warning: ${s.ddlElsewhere.length} DDL or bulk transaction(s) ran in the replayed range without touching ${r.table}'s pages or catalog rows (${s.ddlElsewhere.slice(0, 3).map((d) => `'${d.name}' at ${d.lsn}`).join(', ')}${s.ddlElsewhere.length > 3 ? ', …' : ''})`] : []),
    // the first record read at or past the stop point (or the stop LSN itself where the log read ends there):
    // neither it nor any later record applied; log between the stop point and it may be damaged (a note says so)
    `rowback dump: ${s.stoppedAt ? `stopped at LSN ${s.stoppedAt}, the stop point reached: no record at or after it applied` : 'read every record of the chain up to the stop'} (${s.records} log record(s) read)`,
  ];
}
