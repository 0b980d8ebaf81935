import PQueue from 'p-queue';
import { unsureKinds } from '../replay/table-diff.js';
import { localTimeWarnings } from '../recover/time-window.js';
import { formatLocation, InputError, isRowbackError, StagingError } from '../errors.js';
import { redactSpec, skippedItemKey } from '../staging/store.js';
import { doubtfulNotes } from '../staging/job-completeness.js';
import { ROW_PROVENANCE, type RecoveredRow } from '../recover/recovered-row.js';
import { NotPrintedRows, type RecoverEvent, type RecoverOptions } from '../recover/recover-rows.js';
import { catalogDamage, isUndecodedRowOp, logLoss, type RecoverySource, type ScanFilter, type SkippedItem } from '../recover/source.js';
import type { ScanSourceOptions } from '../recover/open-source.js';
import type { StagingStore } from '../staging/store.js';
import type { JobRecord, SourceDatabase } from '../staging/types.js';
import { readSourceIdentities, type SourceFileIdentity } from '../recover/source-identity.js';
import { sourceDatabaseOf } from '../reinsert/source-database.js';
import { MdfPageSource } from '../datafile/mdf-source.js';
import { readBootPage } from '../datafile/boot-page.js';
import { silentLogger, type Logger } from '../util/logger.js';
import type { ScanOperation } from '../recover/source.js';
import { assertJobFilesInRoots, jobFiles } from './job-validate.js';
import { withFileRoots } from '../util/input-open.js';
import { connectionIdentity, resolveConnection } from '../util/connection.js';
import { describeSpec, filterOf, jobCatalogDatabaseNotes, jobMetadataMapping, jobMetadataNotes, layoutsOfJobMetadata, restoreJobTables, restoreJobWording, sourceOptionsOf, type DatabaseDefaultCollation, type JobSpec, type RestoreJobSpec } from './job-spec.js';
import { jobWording, stringsOf } from './job-wording.js';
import { backupSetsNamed, compareTableStates, SharedStateReads, comparisonNotes, comparisonRowSource, comparisonOperations, diffAsRecoveredRows, replayHeaderWarnings, rowsNewerThanLater } from '../replay/compare.js';
import { parseStopTarget } from '../restore/target.js';
import { replaySummary } from '../replay/summary.js';
import { sharedReplays } from '../replay/point-in-time.js';
import { backupSetName } from '../restore/history.js';
import { withMetadata } from '../recover/metadata-override.js';
import { isoLogTimesIn } from '../recover/log-local-time.js';
import { clockBackwardsWarning, windowClockStep, explainNoRows, mistypedAllocUnitNotes, scanStatsNotes, EXPORT_UNITS_LISTED_BY } from '../recover/committed.js';
import { placeBeginUnread, type LogNotGiven } from '../recover/log-not-given.js';
import { incompleteVerdict, joinLossAdvice, ldfLossAdvice, missingLogAdvice, noRowsOfLogReadClause } from '../recover/incomplete-verdict.js';
import type { LogReadEnd, LogWholeFrom } from '../recover/sources/files.js';
import { appendAll } from '../util/append-all.js';
import { identifierText } from '../util/identifier-text.js';
import { scriptDefaultCollation } from '../recover/database-default-collation.js';
import { unreadableDatabaseCollationRefusal } from '../reconstruct/metadata/ddl.js';
import { positionOf } from '../backup/set-position.js';

export type RecoverFn = (source: RecoverySource, filter: ScanFilter, opts?: RecoverOptions) => AsyncIterable<RecoverEvent>;
/** Opens a job's source; may return notes the user must be told (inactive log, schema drift, time zone) and warnings (unknown log operation codes, said as `WARNING:` notes). */
export type OpenSourceFn = (o: ScanSourceOptions, logger?: Logger) => Promise<RecoverySource | { source: RecoverySource; notes: () => string[]; warnings?: () => string[]; logReadEnd?: () => LogReadEnd | null; logReadStart?: () => LogReadEnd | null; logWholeFrom?: () => LogWholeFrom | null; databaseCreated?: () => string | null; databaseCollation?: () => string | null; databaseDefaultCollation?: () => Promise<DatabaseDefaultCollation | null>; scopeClauses?: (filter: { from?: string; to?: string; operations?: readonly string[] }, names?: { from: string; to: string }) => string[]; logNotGiven?: () => LogNotGiven[]; chainGapTimes?: (item: SkippedItem) => { after?: string; before?: string; priorBy?: string; laterFrom?: string } | undefined }>;

export interface WorkerOptions {
  store: StagingStore;
  concurrency?: number;
  /** Rows per staging transaction. */
  batchSize?: number;
  logger?: Logger;
  /** Defaults to the scan command's source opener (files, live, log backups, export). */
  openSource?: OpenSourceFn;
  /** Defaults to recoverRows. */
  recover?: RecoverFn;
  /** How often a running job's source progress is sampled into the store, in ms (default and minimum 1000). */
  progressIntervalMs?: number;
  /**
   * Folders job files must lie in (links resolved), checked again when a job starts (job-validate.ts
   * assertJobFilesInRoots) and on every descriptor the job's readers open (util/input-open.ts).
   */
  fileRoots?: string[];
}

/**
 * What a job's RECOVER_LAYOUT_MISMATCH names as the ways on: its own fields, where scan's flags
 * (`--accept-layout-drift`, `--alloc-unit`, `--schema/--ddl`) were named, which a job cannot take.
 */
const JOB_LAYOUT_ADVICE = { acceptDrift: 'acceptLayoutDrift: true in a new job', allocUnit: 'metadata.allocUnit(s)', layout: 'metadata.ddl or metadata.catalog' };

const defaultOpenSource: OpenSourceFn = async (o, logger) => (await import('../recover/open-source.js')).openSource(o, logger);
const defaultRecover: RecoverFn = (s, f, o) => ({
  async *[Symbol.asyncIterator]() {
    const { recoverRows } = await import('../recover/recover-rows.js');
    yield* recoverRows(s, f, o);
  },
});

/** JSON with object keys sorted (two specs compare alike whatever order their keys came in). */
function stableJson(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Runs recovery jobs on a p-queue. A job streams its source through recoverRows and stages rows
 * in batches (one SQLite transaction each, counters included), so progress is visible while it
 * runs and a crash loses at most the batch in flight — which a resume re-reads: the resumed scan
 * starts over and the (job, LSN) key ignores every row already staged.
 */
/** The database name the boot page of the data file of `mdf` holding it states, when that file carries `bindingId`; null when none can be read. */
function bootPageName(mdf: string[], bindingId: string): string | null {
  for (const f of mdf) {
    let s: MdfPageSource | undefined;
    try {
      s = new MdfPageSource(f);
      if (s.bindingId?.toUpperCase() !== bindingId || !s.readPage(1, 9)) continue;
      return readBootPage(s).databaseName || null;
    } catch {
      // a damaged or missing boot page: the name is not known (the scan reports the damage)
    } finally {
      s?.close();
    }
  }
  return null;
}

export class JobWorker {
  readonly queue: PQueue;
  private readonly store: StagingStore;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly openSource: OpenSourceFn;
  private readonly recover: RecoverFn;
  private readonly running = new Map<number, AbortController>();
  /**
   * The latest enqueue of each job waiting in the queue: a queued run starts only while its token
   * is still the job's (cancel of a queued job deletes it; a resume after that enqueues anew, and
   * the first, cancelled run must not start beside the second).
   */
  private readonly queuedToken = new Map<number, symbol>();
  private readonly progressIntervalMs: number;
  private readonly fileRoots?: string[];
  private stopping = false;

  constructor(o: WorkerOptions) {
    this.store = o.store;
    this.queue = new PQueue({ concurrency: Math.max(1, o.concurrency ?? 2) });
    this.log = (o.logger ?? silentLogger).child({ component: 'worker' });
    this.batchSize = o.batchSize ?? 1000;
    this.openSource = o.openSource ?? defaultOpenSource;
    this.recover = o.recover ?? defaultRecover;
    this.progressIntervalMs = Math.max(1000, o.progressIntervalMs ?? 1000);
    this.fileRoots = o.fileRoots;
  }

  /** Creates and queues a job. The returned record is `queued`. */
  submit(spec: JobSpec, actor: string): JobRecord {
    const job = this.store.createJob({
      kind: spec.kind, spec: spec as unknown as Record<string, unknown>, description: describeSpec(spec),
      ...(spec.kind === 'restore'
        ? { windowFrom: null, windowTo: null, tables: restoreJobTables(spec), operations: ['delete', 'update'] as ScanOperation[] }
        : { windowFrom: spec.from ?? null, windowTo: spec.to ?? null, tables: spec.tables ?? [], operations: spec.operations ?? ['delete'] }),
      createdBy: actor,
    });
    this.enqueue(job.id, spec);
    return job;
  }

  /**
   * Resumes an interrupted, resumable, failed or cancelled job: the scan starts over and rows
   * already staged (same job, same LSN) are not staged again. Live specs are not stored with their connection
   * string, so the caller passes the spec again (`spec`), else the stored spec is used.
   */
  resume(jobId: number, actor: string, spec?: JobSpec): JobRecord {
    const job = this.store.requireJob(jobId);
    if (!['interrupted', 'resumable', 'failed', 'cancelled'].includes(job.state)) {
      throw new StagingError('STAGING_JOB_NOT_RESUMABLE', `job ${jobId} is ${job.state}; only interrupted, resumable, failed or cancelled jobs resume`);
    }
    if (job.kind === 'restore' && (job.spec as { kind?: string }).kind !== 'restore') {
      throw new StagingError('STAGING_JOB_NOT_RESUMABLE', `job ${jobId} is a restore job: \`rowback diff --stage\` stages it whole, no worker runs it; run that diff again`);
    }
    if (spec) {
      // The spec is sent again only to give back what the staging file does not keep (a live
      // job's connection). A spec of another kind, other files, another table or database would
      // stage another source's rows into this job, and the (job, LSN) key would silently drop
      // those whose LSN equals one already staged: refused, naming what differs.
      const stored = job.spec as Record<string, unknown>;
      const sent = redactSpec(JSON.parse(JSON.stringify(spec))) as Record<string, unknown>;
      // a job stored before its server's host was kept (`[redacted]` alone) cannot be compared by it
      if (stored.server === '[redacted]' && typeof sent.server === 'string') sent.server = '[redacted]';
      const keys = [...new Set([...Object.keys(stored), ...Object.keys(sent)])].sort();
      const differ = keys.filter((k) => stableJson(stored[k]) !== stableJson(sent[k]));
      if (differ.length) {
        throw new InputError('INPUT_BAD_OPTION', `the spec sent to resume job ${jobId} differs from the job's own in ${differ.join(', ')}: a resume re-reads the same source (send the job's spec with its connection, or create a new job for another source)`, { field: `spec.${differ[0]}` });
      }
    }
    const use = spec ?? (job.spec as unknown as JobSpec);
    if (JSON.stringify(use).includes('[redacted]')) {
      throw new StagingError('STAGING_JOB_NEEDS_SPEC', `job ${jobId} needs its connection again to resume: send the job spec`);
    }
    this.store.setJobState(jobId, 'queued');
    this.store.appendAudit(actor, 'job.resume', jobId, { afterLsn: job.lastLsn });
    this.enqueue(jobId, use);
    return this.store.requireJob(jobId);
  }

  /**
   * Cancels a job that runs (it stops after its current batch; rows staged so far are kept) or
   * waits in the queue (it never starts: `cancelled` at once, resumable like any cancelled job).
   * A queued job could not be cancelled before: one queued by mistake (a wrong window, the wrong
   * files) behind a long scan had to wait for its turn, run, and be cancelled then. False when the
   * job neither runs nor waits (the route answers STAGING_JOB_NOT_RUNNING).
   */
  cancel(jobId: number, actor: string): boolean {
    const c = this.running.get(jobId);
    if (c) {
      c.abort();
      this.store.appendAudit(actor, 'job.cancel', jobId, {});
      return true;
    }
    if (!this.queuedToken.has(jobId) || this.store.getJob(jobId)?.state !== 'queued') return false;
    this.queuedToken.delete(jobId);
    this.store.setJobState(jobId, 'cancelled');
    this.store.appendAudit(actor, 'job.cancel', jobId, { queued: true });
    return true;
  }

  private enqueue(jobId: number, spec: JobSpec): void {
    // every file the job opens is verified on its descriptor against the roots (util/input-open.ts):
    // the check below at its start still leaves the moment between a check and each reader's open
    const fields = new Map(jobFiles(spec).map(([field, path]) => [path, field]));
    const token = Symbol(`job ${jobId}`);
    this.queuedToken.set(jobId, token);
    void this.queue.add(async () => {
      // cancelled while it waited (or enqueued again since): not started
      if (this.queuedToken.get(jobId) !== token) return;
      this.queuedToken.delete(jobId);
      await withFileRoots(this.fileRoots, () => this.run(jobId, spec), fields);
    }).catch((e: unknown) => {
      this.log.error({ jobId, err: e }, 'job runner failed outside the job');
    });
  }

  /** Resolves when every queued job has finished. */
  async idle(): Promise<void> {
    await this.queue.onIdle();
  }

  /** Shutdown: queued jobs stay queued-then-resumable, running ones stop after their current batch and become `interrupted`. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const j of this.store.listJobs({ state: 'queued', limit: 10_000 })) this.store.setJobState(j.id, 'resumable');
    this.queue.clear();
    this.queuedToken.clear();
    for (const c of this.running.values()) c.abort();
    await this.queue.onIdle();
  }

  /**
   * A restore job: the comparison of replay/compare.ts (earlier state from backups, optionally
   * replayed to a stop, against the later state), its rows staged like scanned rows (missing rows
   * as deletes, changed rows as updates with both images), the replay's summary in the audit log
   * as the job's notes (the chain it used, rows redone, what was refused). Several tables (`tables`)
   * are compared one after the other at the same points and staged into this one job together (a
   * re-insert of it orders them parents first), the notes every table's say alike said once. A
   * replayed side's chain is read once for all the tables (sharedReplays: the first table's step
   * replays every table; the others take their results); a cancel (or shutdown) stops the comparison
   * where it is, and one asked after it, up to the staging, is honoured before anything is staged; a
   * resumed job compares again and stages nothing twice.
   */
  private async runRestore(jobId: number, spec: RestoreJobSpec, log: Logger): Promise<void> {
    // the request's own values (paths, tables, keys) are never rewritten, nor a row's (jobWording)
    const specValues = stringsOf(spec);
    try {
      const names = (p: string) => ({ stopAt: `${p}stopAt`, stopBeforeLsn: `${p}stopBeforeLsn` });
      const stop = spec.stopAt !== undefined || spec.stopBeforeLsn !== undefined;
      const afterStop = spec.afterStopAt !== undefined || spec.afterStopBeforeLsn !== undefined;
      const signal = () => this.running.get(jobId)?.signal;
      // Several tables (`tables`): each compared on its own at the same points (a replayed state's
      // chain read once for all of them), all before anything is staged; a refusal of one fails the job whole
      const compared: Array<{ typed: string; r: Awaited<ReturnType<typeof compareTableStates>> }> = [];
      // each replayed side's chain is read once for every table (sharedReplays: one pass feeding each
      // table's replay), each table's result and refusal its own, as when replayed one by one
      const replay = sharedReplays(restoreJobTables(spec));
      // and each state read as it is (backups without log backups, a data file): its files opened,
      // its catalog and its backups' own log read once for every table; closed once all are compared
      const reads = new SharedStateReads(restoreJobTables(spec));
      try {
        for (const typed of restoreJobTables(spec)) {
          // the job's cancel (or shutdown) stops the comparison where it is: the first table's step
          // replays every table's chain at once (sharedReplays), and a cancel waited for all of it
          let r: Awaited<ReturnType<typeof compareTableStates>>;
          try {
            r = await compareTableStates({
              replay, reads, signal: signal(),
              bak: spec.bak, position: spec.position, afterPosition: spec.afterPosition, trn: spec.trn, target: stop ? parseStopTarget(spec, names('')) : undefined,
              afterMdf: spec.afterMdf, afterBak: spec.afterBak, afterTrn: spec.afterTrn,
              afterTarget: afterStop ? parseStopTarget({ stopAt: spec.afterStopAt, stopBeforeLsn: spec.afterStopBeforeLsn }, { stopAt: 'afterStopAt', stopBeforeLsn: 'afterStopBeforeLsn' }) : undefined,
              table: typed, key: spec.key, keyName: 'key',
              acceptOlderLater: spec.acceptOlderLater, acceptName: 'acceptOlderLater: true',
            });
          } catch (e) {
            // stopped by the cancel: said below as the job's end, not as a failure
            if (signal()?.aborted) break;
            throw e;
          }
          // names that differ only in letter case found one table (a case-insensitive database): compared once
          if (!compared.some((c) => c.r.diff.table === r.diff.table)) compared.push({ typed, r });
          if (signal()?.aborted) break;
        }
      } finally {
        reads.close();
      }
      // The replay and comparison run as one step per table; a cancel (or shutdown) asked meanwhile is
      // honoured here, before anything is staged: the job ends cancelled (or interrupted), as the
      // API answered, never succeeded behind the caller's back.
      const stoppedBeforeStaging = (): boolean => {
        if (!signal()?.aborted) return false;
        if (this.stopping) {
          this.store.setJobState(jobId, 'interrupted');
          this.store.appendAudit('system', 'job.interrupted', jobId, { reason: 'server shutdown' });
        } else this.store.setJobState(jobId, 'cancelled');
        log.info('restore job cancelled before staging');
        return true;
      };
      if (stoppedBeforeStaging()) return;
      const at = spec.stopAt ? `as of ${spec.stopAt}` : spec.stopBeforeLsn ? `just before LSN ${spec.stopBeforeLsn}` : 'as the backup holds it';
      const staged = compared.map(({ typed, r }) => {
        // the files the earlier state was read from: a replay's chain (a damaged differential left out
        // is not named, nor log backups past the stop), else the backups given (read together)
        const used = r.replays.find((x) => x.side === 'earlier')?.result.chain.steps.map((st) => backupSetName(st.set)) ?? [backupSetsNamed(spec.bak, spec.position).replaceAll(' + ', ', ')];
        // rows read from a backup's pages have no LSN: `state:<n>`, per table when there are several (a
        // staged row is one LSN of a job: the second table's state:00000000 would be taken as staged already)
        const rows = diffAsRecoveredRows(r.diff, comparisonRowSource(r, spec.bak[0]!, spec.position, spec.bak), `${ROW_PROVENANCE.earlier}${used.join(', ')} ${at}${r.reversed ? `; ${r.reversed}` : ''}`, { reversed: rowsNewerThanLater(r), ...(compared.length > 1 ? { statePrefix: `${r.diff.table}:` } : {}) });
        // the values kept unreworded, built once per row with warnings (not once per warning), as a scan job's words() does
        for (const row of rows) {
          if (!row.warnings.length) continue;
          const kept = [...specValues, ...rowStrings(row)];
          row.warnings = row.warnings.map((w) => restoreJobWording(w, kept));
        }
        return { typed, r, d: r.diff, rows };
      });
      // the database the rows were read from: the earlier state's backups (checked to be of one database with the later state);
      // before the layout is saved (a resume over another database's backups fails here, changing nothing)
      await this.recordSourceDatabase(jobId, { fileIdentities: async () => (await Promise.all(spec.bak.map((f, i) => readSourceIdentities(f, 'bak', positionOf(spec.position, i))))).flat() }, log);
      // a cancel (or shutdown) asked while that read ran: answered, so honoured (the job staged every
      // row and succeeded behind it); from here to its end the staging runs in one step
      if (stoppedBeforeStaging()) return;
      // its layouts, rows, notes and end in one transaction: a restore job is staged whole or not at all
      // (batch by batch, a failure or a kill part-way left part of its rows, which a resume keyed
      // again by their position in a comparison made anew, from files maybe changed since)
      this.store.db.transaction(() => {
        this.store.saveJobTables(jobId, staged.map((x) => x.r.layout));
        // listed under the table's own name, not as typed (newcomer: "[DBO].[students]" over rows of dbo.Students)
        const typed = restoreJobTables(spec);
        const found = staged.map((x) => x.d.table);
        if (typed.join('\u0000') !== found.join('\u0000')) this.store.setJobTables(jobId, typed, found);
        // reversed (accepted on purpose): the missing rows are inserts, as the CLI-staged job says (stage-restore-job.ts)
        if (staged.some((x) => x.r.reversed)) this.store.setJobOperations(jobId, [...new Set(staged.flatMap((x) => comparisonOperations(rowsNewerThanLater(x.r))))]);
        for (const x of staged) for (let i = 0; i < x.rows.length; i += this.batchSize) this.store.stageBatch(jobId, x.rows.slice(i, i + this.batchSize));
        this.store.indexPending();
        // what each table's replay and comparison say; said once when every table's says it (the chain, its notes)
        // With several tables, what is the table's own (its replay's row counts, its rows decoded with
        // warnings or not comparable) names it: said alike for two tables (the same counts, the same
        // first key), the second table's was dropped below as the chain's said once, and the job's
        // INCOMPLETE counted one table's rows for both
        const several = staged.length > 1;
        const own = (table: string, line: string): string => {
          if (!several) return line;
          const m = /^(earlier state: |later state: |INCOMPLETE: )/.exec(line);
          return m ? `${m[1]}${table}: ${line.slice(m[1]!.length)}` : `${table}: ${line}`;
        };
        const OWN_SUMMARY = /^rowback dump: (?:\d+ row\(s\) in the base backup;|\d+ change\(s\) to the table were logged|\d+ row move\(s\) of page splits)/;
        const listed = [
          ...staged.flatMap(({ r, d }) => r.replays.flatMap((x) => replaySummary(x.result).map((l) => {
            const line = l.replace(/^rowback dump:/, `${x.side} state:`);
            return OWN_SUMMARY.test(l) ? own(d.table, line) : line;
          }))),
          ...staged.map(({ r, d }) => `${d.table}: earlier ${r.beforeRows} row(s), later ${r.afterRows}; ${d.missing.length} missing from the later state, ${d.changed.length} changed, ${d.added} only in the later state, ${d.same} unchanged${d.unsure.length ? `, ${d.unsure.length} not comparable (${unsureKinds(d)}: see INCOMPLETE)` : ''}; ${d.key ? `matched on ${r.keySource} (${d.key.join(', ')})` : d.keyNote}`),
          // a stop in a daylight-saving fold or gap of the service's zone, as the CLI warns of it
          ...localTimeWarnings([['stopAt', spec.stopAt, 'start'], ['afterStopAt', spec.afterStopAt, 'start']], "the rowback service's"),
          ...staged.flatMap(({ r }) => (r.reversed ? [`warning: ${r.reversed}`] : [])),
          // as the CLI-staged job (diff --stage) has them: pages with no checksum, a damaged
          // differential left out, and INCOMPLETE for rows decoded with warnings
          // With several tables, a note not every table's comparison says alike names its table after
          // its `note (side, where): ` / `WARNING (…): ` head (which doubtfulNotes reads): the pages read
          // without a checksum are counted per table (the catalog's and that table's), and three
          // tables' notes on one backup read "none of the 33 pages read…", "…32…", "…30…", unnamed
          ...staged.flatMap(({ r, d }) => {
            const said = comparisonNotes(r).notes;
            return r.unchecked.map((u, i) => (!several || u.note.includes(d.table) || staged.every((o) => comparisonNotes(o.r).notes.includes(said[i]!)) ? said[i]! : comparisonNotes({ unchecked: [{ ...u, note: `${d.table}: ${u.note}` }], warned: [] }).notes[0]!));
          }),
          // a backup the replay used whose header copies disagree in a field no restore reads, as
          // diff says it (WARNING) and its staged job has it: the job's `warnings` (replayHeaderWarnings)
          ...staged.flatMap(({ r }) => replayHeaderWarnings(r).map((w) => `WARNING: ${w}`)),
          ...staged.flatMap(({ r, d }) => comparisonNotes(r).incomplete.map((x) => (x.includes(d.table) ? x : own(d.table, x)))),
        ];
        const notes = several ? [...new Set(listed)] : listed;
        // times as every sentence of rowback gives them (isoLogTimesIn; the job's own values as given)
        const said = notes.map((x) => isoLogTimesIn(restoreJobWording(x, specValues), specValues));
        this.store.appendAudit('system', 'job.notes', jobId, { notes: said });
        // a comparison of two states is whole or refused, but for rows decoded with warnings (INCOMPLETE, as diff says)
        this.store.setJobCompleteness(jobId, said.filter((x) => x.startsWith('INCOMPLETE: ')), doubtfulNotes(said));
        this.store.setJobState(jobId, 'succeeded');
        const missing = staged.reduce((n, x) => n + x.d.missing.length, 0);
        const changed = staged.reduce((n, x) => n + x.d.changed.length, 0);
        this.store.appendAudit('system', 'job.succeeded', jobId, {
          rows: this.store.requireJob(jobId).rowsStaged, missing, changed,
          ...(staged.length > 1 ? { tables: staged.map((x) => ({ table: x.d.table, missing: x.d.missing.length, changed: x.d.changed.length })) } : {}),
        });
      })();
      log.info({ missing: staged.reduce((n, x) => n + x.d.missing.length, 0), changed: staged.reduce((n, x) => n + x.d.changed.length, 0), tables: staged.length }, 'restore job succeeded');
    } catch (e) {
      const error = jobError(e, (m, own) => isoLogTimesIn(restoreJobWording(m, [...specValues, ...own]), [...specValues, ...own]));
      this.store.setJobState(jobId, 'failed', { error });
      this.store.appendAudit('system', 'job.failed', jobId, error);
      log.error({ err: e, code: error.code }, 'restore job failed');
    } finally {
      this.running.delete(jobId);
    }
  }

  /**
   * Records the database a job's rows are read from (JobRecord.sourceDatabase), from the identities
   * its source reads (`fileIdentities()`: a files source's data files and backups, a live source's
   * DB_NAME() and database_guid, an export's catalog rows). A source without them, or whose read
   * fails, leaves it not known (null): said by re-insert, never fatal to the job (the scan itself
   * reports what it cannot read). A resume whose files are of another database (binding id) than
   * the one an earlier attempt recorded throws INPUT_RESUME_OTHER_DATABASE, recording nothing.
   */
  private async recordSourceDatabase(jobId: number, source: object, log: Logger, mdf?: string[]): Promise<void> {
    // a resume re-reads the files at the spec's paths: the database an earlier attempt recorded its
    // rows from (null: not known, or none yet)
    const before = this.store.requireJob(jobId).sourceDatabase;
    let known: SourceDatabase | null = null;
    const own = source as { fileIdentities?: () => Promise<SourceFileIdentity[]> };
    if (typeof own.fileIdentities === 'function') {
      try {
        known = sourceDatabaseOf(await own.fileIdentities());
        // data files state no name in their file header: the primary's boot page does (dbi_dbname,
        // page 1:9; an attached user-instance database holds its path there, as DB_NAME() says it)
        if (known && !known.name && known.bindingId && mdf?.length) known = { ...known, name: bootPageName(mdf, known.bindingId) };
      } catch (e) {
        log.warn({ err: e }, 'reading the source database failed; the job records it as not known');
      }
    }
    // Files replaced between two attempts by another database's: the resume staged its rows beside
    // the first one's and recorded it as the job's source, so re-insert's database check said
    // "same" for its target and put the first database's rows there. Refused before anything is
    // staged (the job fails; its rows and recorded source stay).
    if (before?.bindingId && known?.bindingId && known.bindingId !== before.bindingId) {
      // each name as one name (identifierText): a data file's name is often its path, `F:\MVC LEARNNG\…`
      const db = (d: SourceDatabase) => `${d.name ? `database ${identifierText(d.name)}` : 'a database'} (binding id ${d.bindingId})`;
      throw new InputError(
        'INPUT_RESUME_OTHER_DATABASE',
        `job ${jobId}'s ${this.store.requireJob(jobId).rowsStaged} staged row(s) were read from ${db(before)}; its files now are of ${db(known)}: resuming would stage a second database's rows into this job. Put the first database's files back to resume it, or create a new job for these files`,
      );
    }
    try {
      this.store.setJobSourceDatabase(jobId, known);
    } catch (e) {
      // not recorded (left null: not known, as re-insert says it); the job's rows are what it is for
      log.warn({ err: e }, 'recording the source database failed; the job keeps it as not known');
    }
  }

  /**
   * The server and login a live or log-backup job connects with, kept with the job before its source
   * opens (its notes name them: the API hides them from all but operators by these values,
   * routes/jobs.ts hideServer). Resolved as the live source resolves its connection (the string,
   * then MSSQL_* from the environment). Not recorded when the connection cannot be read (the source
   * refuses it) or is the stored spec's redacted one; never fatal to the job.
   */
  private recordConnection(jobId: number, server: string, log: Logger): void {
    if (server.startsWith('[redacted]')) return;
    try {
      this.store.addJobConnection(jobId, connectionIdentity(resolveConnection(server)));
    } catch (e) {
      log.warn({ code: isRowbackError(e) ? e.code : undefined }, 'the job\'s connection could not be recorded');
    }
  }

  private async run(jobId: number, spec: JobSpec): Promise<void> {
    const log = this.log.child({ jobId, kind: spec.kind });
    const job = this.store.requireJob(jobId);
    const resuming = job.attempts > 0;
    // A resumed scan re-reads its source from the start: rows come in commit order, not LSN order
    // (a transaction that began earlier can commit later), so "skip LSNs below the last staged
    // one" could lose rows. The (job, LSN) key ignores every row already staged instead, and the
    // skipped items are kept likewise: an item the resumed scan derives again (same code, reason and
    // location) is not staged twice. They were deleted here, before the source opened: a resume that
    // failed (the files moved, another database's files at the paths, the server unreachable) left
    // the rows the earlier attempt staged with none of the items it passed over (lost log, rows
    // held back), and a live job's log truncated since never gave them again
    // (test/worker/resume-keeps-skipped.test.ts)
    const heldItems = resuming ? this.store.skippedItemKeys(jobId) : new Map<string, number>();
    const notHeld = (x: SkippedItem): boolean => {
      if (!heldItems.size) return true;
      const k = skippedItemKey(x.code, x.reason, JSON.stringify(x.location));
      const n = heldItems.get(k);
      if (!n) return true;
      if (n === 1) heldItems.delete(k); else heldItems.set(k, n - 1);
      return false;
    };
    const controller = new AbortController();
    this.running.set(jobId, controller);
    this.store.setJobState(jobId, 'running');
    log.info({ resuming, stagedBefore: job.rowsStaged }, 'job started');
    // its files inside the roots now, as when it was created: a file replaced since by a link out of
    // them is not opened (the job fails saying so; its staged rows stay)
    // what the library says for the command line (its flags), said in this kind of job's fields (job-wording.ts)
    // the request's own values (paths, tables, names) are never rewritten, nor a row's or item's (jobWording)
    const specValues = stringsOf(spec);
    const words = (text: string, own: readonly string[] = []): string => jobWording(spec.kind, text, own.length ? [...specValues, ...own] : specValues);
    try {
      assertJobFilesInRoots(spec, { fileRoots: this.fileRoots });
    } catch (e) {
      const error = jobError(e, (m, own) => isoLogTimesIn(words(m, own), [...specValues, ...own]));
      this.running.delete(jobId);
      this.store.setJobState(jobId, 'failed', { error });
      this.store.appendAudit('system', 'job.failed', jobId, error);
      log.error({ code: error.code }, 'job failed: a file is no longer inside the file roots');
      return;
    }
    if (spec.kind === 'restore') return this.runRestore(jobId, spec, log);
    if (spec.kind === 'live' || spec.kind === 'log-backup') this.recordConnection(jobId, spec.server, log);
    let source: RecoverySource | undefined;
    /** The tables the job's metadata.allocUnit(s) mapped, name → id (a mistyped id: said in the notes). */
    let mappedTables = new Map<string, string>();
    // The source's own progress (bytes/records read, pass): a scan of a big log can find few rows,
    // so rows staged alone would look stuck. Sampled on a timer — the log readers await their
    // file reads, so timers run during a scan — once per interval (≥ 1 s), and once when the
    // scan ends. A source that fails to report is logged, never fatal to the job.
    this.store.setScanProgress(jobId, null);
    const sample = (): void => {
      if (!source?.progress) return;
      try {
        this.store.setScanProgress(jobId, source.progress());
      } catch (e) {
        log.warn({ err: e }, 'sampling the source progress failed');
      }
    };
    const sampler = setInterval(sample, this.progressIntervalMs);
    sampler.unref();
    const rows: RecoveredRow[] = [];
    const skipped: SkippedItem[] = [];
    let sinceIndexed = 0;
    const flush = (): void => {
      if (rows.length === 0 && skipped.length === 0) return;
      // reasons and row warnings in the job's fields: they named scan's flags (`--ddl`, `--trn`, …)
      sinceIndexed += this.store.stageBatch(jobId, rows.splice(0).map((r) => jobRowWording(r, words)), skipped.splice(0).map((x) => jobItemWording(x, words)).filter(notHeld));
      if (sinceIndexed >= 100_000) { this.store.indexPending(); sinceIndexed = 0; }
    };
    try {
      const opened = await this.openSource(sourceOptionsOf(spec), log);
      let notes: () => string[] = () => [];
      // said as WARNING notes: log records of operation codes rowback does not know (`rowback scan`
      // says them as WARNING lines; the job said nothing of them)
      let warnings: () => string[] = () => [];
      // files without an .ldf: the backup set the log read ends with (a window past it is INCOMPLETE)
      let logReadEnd: () => LogReadEnd | null = () => null;
      // files with a data file or backup: the database's creation (a window before the log read begins)
      let databaseCreated: () => string | null = () => null;
      // files without an .ldf: the backup set the log read begins with (a window before it, no begin read)
      let logReadStart: () => LogReadEnd | null = () => null;
      // files with an .ldf: where its log read is whole from, when older log is cut off from it
      let logWholeFrom: () => LogWholeFrom | null = () => null;
      // an export job: what the job asks for beyond what the export holds (its window, operations)
      // files: stretches of log the files show to exist and none holds (INCOMPLETE when the window may reach them)
      let logNotGiven: () => LogNotGiven[] = () => [];
      // files: the times a chain gap lies between (a window wholly outside it: a note, not INCOMPLETE)
      let chainGapTimes: ((item: SkippedItem) => { after?: string; before?: string; priorBy?: string; laterFrom?: string } | undefined) | undefined;
      let scopeClauses: (filter: { from?: string; to?: string; operations?: readonly string[] }, names?: { from: string; to: string }) => string[] = () => [];
      if ('source' in opened) {
        source = opened.source;
        notes = opened.notes;
        if (opened.warnings) warnings = opened.warnings;
        if (opened.logReadEnd) logReadEnd = opened.logReadEnd;
        if (opened.databaseCreated) databaseCreated = opened.databaseCreated;
        if (opened.logReadStart) logReadStart = opened.logReadStart;
        if (opened.logWholeFrom) logWholeFrom = opened.logWholeFrom;
        if (opened.scopeClauses) scopeClauses = opened.scopeClauses;
        if (opened.logNotGiven) logNotGiven = opened.logNotGiven;
        if (opened.chainGapTimes) chainGapTimes = opened.chainGapTimes;
      } else source = opened;
      // the source as opened (withMetadata below wraps it): a live source's probe of where the online log begins
      const opened0 = source;
      // a catalog of another database than the files' is refused (the job fails, as scan --schema's
      // refusal); one naming no database is a note
      const catalogNotes = await jobCatalogDatabaseNotes(spec, source);
      // the database the rows are read from, for re-insert to compare with its target's
      await this.recordSourceDatabase(jobId, source, log, spec.kind === 'files' && spec.mdf !== undefined ? [spec.mdf].flat() : undefined);
      // metadata.ddl's char/varchar/text columns without COLLATE: the default collation of the
      // database as the job's input tells it (a data file's or backup's boot page, the live server's
      // sys.databases, an export's header), as `rowback scan --ddl` takes it
      let databaseDefault: DatabaseDefaultCollation | undefined;
      if (spec.metadata?.ddl !== undefined && spec.metadata.collation === undefined && 'source' in opened) {
        // one the input names and rowback cannot read text in: refused, not "assumed" 1252
        const ddl = spec.metadata.ddl;
        const aliases = spec.metadata.typeAliases;
        const d = await scriptDefaultCollation(opened.databaseDefaultCollation, (known) => unreadableDatabaseCollationRefusal(ddl, { typeAliases: aliases }, known, "the job's metadata.collation"));
        if (d.refusal) throw new InputError('INPUT_BAD_OPTION', `metadata.ddl: ${d.refusal}`, { field: 'metadata.collation' });
        databaseDefault = d.collation;
      }
      if (spec.metadata) {
        const mapped = jobMetadataMapping(spec.metadata, layoutsOfJobMetadata(spec.metadata, databaseDefault), spec.tables);
        source = withMetadata(source, mapped.layouts, { allocUnitIds: mapped.ids, acceptReordered: spec.acceptLayoutDrift === true });
        mappedTables = mapped.ids;
      }
      const filter = filterOf(spec);
      let rowsSeen = 0;
      // the skipped items of rows (tables the layout check held back, decode failures…), for "why no rows"
      const notPrinted = new NotPrintedRows();
      // the run's skipped items that make it incomplete (the batch list above is emptied as it is staged)
      const staged: SkippedItem[] = [];
      // row operations that came out as skipped items (for the damaged-catalog INCOMPLETE)
      let undecodedRowOps = 0;
      // the INCOMPLETE sentences of the notes: the job's `complete` / `incomplete` when it succeeds;
      // its WARNING: / UNCHECKED: ones, the job's `warnings` (is any of it doubtful?)
      let incomplete: string[] = [];
      let doubtful: string[] = [];
      const noteList = (): void => {
        const stopped = controller.signal.aborted;
        // transactions whose begin is not in the log read that provably began before the window's
        // start (first read right after a missing log backup; a files job's, first read before any
        // log lost, by the read's first commit): not asked for, as scan says it (placeBeginUnread)
        const all = [...(source?.skipped() ?? []), ...skipped, ...staged];
        const stats0 = source?.committedStats?.();
        const stats = stats0 && placeBeginUnread(stats0, filter, logLoss(all), chainGapTimes, logNotGiven(), { kind: spec.kind, wholeFrom: logWholeFrom() });
        if (stats && spec.kind === 'export') stats.unknownAllocUnitsListedBy = EXPORT_UNITS_LISTED_BY;
        // Whether what was staged is whole: the same checks and order as `rowback scan`'s INCOMPLETE
        // lines (incomplete-verdict.ts), in the job's words; a stopped job judges only what it read
        const verdict = incompleteVerdict({
          kind: spec.kind,
          // whose catalog a damaged one or unknown units are said of (the data file's, the backup's)
          catalogOwner: source?.catalogOwner,
          stats,
          window: filter,
          range: null,
          sourceSkipped: source?.skipped() ?? [],
          skipped: all,
          undecodedRowOps,
          notPrinted,
          facts: { logNotGiven, chainGapTimes, logReadStart, logReadEnd, logWholeFrom, databaseCreated, scopeClauses },
          // a live job: where the online log begins is its probe's (its counts are the server's, of the window)
          ...(spec.kind === 'live' ? { onlineLogStart: { startsAt: opened0.logStartsAfterWindow?.(), wayOn: 'add the log backups of that time (a log-backup job, logBackups), or start the window later (from)' } } : {}),
          // a live or export source: its tables' modify_date against the window (rebuilt-tables.ts)
          catalogChanges: opened0.catalogChanges?.() ?? null,
          layoutGiven: spec.metadata !== undefined,
          stopped,
        }, {
          done: 'staged',
          result: 'this job',
          lossPlacesTail: 'see its skipped items',
          // the way on, in the job's fields (it said none: the CLI's line named the files to add)
          lostAdvice: (lost) => spec.kind === 'files' ? joinLossAdvice(missingLogAdvice(lost, { bakOnly: spec.bak !== undefined && !spec.trn?.length && !spec.ldf, bak: 'in bak', addTrn: 'to the job (trn)', addLdf: '(ldf)', item: 'skipped item' }),
            ldfLossAdvice(lost, spec.ldf, { trnGiven: Boolean(spec.trn?.length), trn: 'trn', ldf: 'ldf' }))
            : spec.kind === 'log-backup' ? missingLogAdvice(lost, { bakOnly: false, bak: '', addTrn: 'to the job (logBackups)', addLdf: '', item: 'skipped item' })
            : '',
          lostOutside: { lies: "the job's window lies", holds: 'no row it asks for can be there', wayOn: 'add the missing log backups' },
          damaged: { pages: false, ops: 'row operation', tail: ', not staged' },
          heldWhere: "among the job's skipped items",
          undecodedWhere: "among the job's skipped items",
          layoutChangeWayOn: JOB_LAYOUT_CHANGE_WAY_ON,
          beginUnreadWayOn: 'a job without from/to stages them (their beginTime is null), or one given the log from before they began',
          rebuiltWayOn: `run a files job on the log instead, which reads every allocation unit's records: the log backups of that time (trn) or a copy of the .ldf (ldf), with a data file or full backup from before the change (mdf, bak) or metadata.catalog saved before it (sql/table-metadata.sql), whose catalog names the earlier allocation units; metadata on ${spec.kind === 'export' ? 'an export' : 'a live'} job does not help: it changes how rows are decoded, not which records ${spec.kind === 'export' ? 'the export holds' : 'the server returns'}`,
          beforeWayOn: spec.kind === 'files' ? 'add the log backups of that time to the job (trn), or start the window later (from)' : 'add the log backups of that time (a log-backup job, logBackups), or start the window later (from)',
          pastEnd: { to: 'to', add: 'add the log backups taken after it to the job (trn), or the .ldf (ldf)' },
          scopeNames: { from: 'from', to: 'to' },
          edgesOneLine: false,
        });
        // log in no file given that the job's window may reach: INCOMPLETE in place of its note (as scan says it)
        const n = [...catalogNotes, ...notes().filter((x) => !verdict.logNotGiven.includes(x)), ...warnings().map((w) => `WARNING: ${w}`)];
        // a window bound in a daylight-saving fold or gap of the service's zone, as scan warns of it
        appendAll(n, localTimeWarnings([['from', spec.from, 'start'], ['to', spec.to, 'end']], "the rowback service's"));
        if (spec.metadata) appendAll(n, jobMetadataNotes(spec.metadata, databaseDefault));
        // what the committed filter saw beside the rows, as `rowback scan` says it on stderr: the
        // TRUNCATE TABLE / DROP TABLE transactions, rows their own transaction took back, and rows
        // not checked for that (said even when the job was stopped: staged rows here may still exist
        // in the database), or why there are none
        if (stats) {
          const why = rowsSeen === 0 && !stopped ? explainNoRows(stats, filter.operations) + notPrinted.clause('among the job\'s skipped items') + noRowsOfLogReadClause(verdict.lost, 'INCOMPLETE below') : undefined;
          const told = scanStatsNotes(stats, filter.operations, why !== undefined, verdict.unknownTables !== '');
          // TRUNCATE/DROP seen are facts of the log read, stopped or not
          appendAll(n, told.removals);
          if (!stopped) appendAll(n, told.notes);
          if (why) n.push(`why no rows: ${why}`);
          if (told.unchecked) n.push(told.unchecked);
          // a window of local times over a log whose clock was set back (a daylight-saving fold), as scan warns
          const clockStep = spec.from || spec.to ? windowClockStep(stats, filter) : undefined;
          const clock = clockStep ? clockBackwardsWarning(clockStep, "the job's window from/to") : undefined;
          if (clock) n.push(`WARNING: ${clock}`);
          // a chain gap the job's window lies wholly outside: a note, as scan says it
          if (verdict.lostOutsideNote) n.push(verdict.lostOutsideNote);
          // a table metadata.allocUnit(s) mapped that no row came from, beside row operations on
          // units no table names: likely a mistyped id (as scan says it)
          if (!stopped) appendAll(n, mistypedAllocUnitNotes(stats, mappedTables, 'metadata.allocUnits', (t) => this.store.countRows(jobId, { table: t }) > 0, all));
        }
        for (const c of verdict.clauses) n.push(`INCOMPLETE: ${c}`);
        // said in the job's fields: the source's notes and the verdict's clauses named scan's flags
        // and each time in the one form of rowback's sentences, as scan's stderr and --report give it
        // (isoLogTimesIn): the notes and "why no rows" said fn_dblog's `2018/08/28 18:37:18:200`
        const said = n.map((x) => isoLogTimesIn(words(x), specValues));
        n.length = 0;
        appendAll(n, said);
        if (n.length) this.store.appendAudit('system', 'job.notes', jobId, { notes: n });
        incomplete = n.filter((x) => x.startsWith('INCOMPLETE: '));
        doubtful = doubtfulNotes(n);
      };
      const catalog = await source.metadata();
      this.store.saveJobTables(jobId, catalog.tables());
      // its tables' and columns' names, which notes and reasons name unquoted (`dbo.x --from`): kept verbatim too
      appendAll(specValues, stringsOf(catalog.tables().map((t) => [`${t.schema}.${t.name}`, t.columns.map((c) => c.name)])));
      for await (const ev of this.recover(source, filter, { signal: controller.signal, logger: log, acceptColumnCountDrift: spec.acceptLayoutDrift === true, layoutAdvice: JOB_LAYOUT_ADVICE })) {
        if (ev.kind === 'row') {
          rowsSeen++;
          rows.push(ev.row);
        } else {
          skipped.push(ev.item);
          if (logLoss([ev.item]).length || catalogDamage([ev.item]).length) staged.push(ev.item);
          if (isUndecodedRowOp(ev.item)) undecodedRowOps++;
          notPrinted.add(ev.item);
        }
        if (rows.length + skipped.length >= this.batchSize) {
          flush();
          // let the event loop breathe so API requests see progress
          await new Promise<void>((r) => setImmediate(r));
        }
      }
      flush();
      clearInterval(sampler);
      sample();
      noteList();
      const sourceSkipped = source.skipped();
      if (sourceSkipped.length) this.store.stageBatch(jobId, [], sourceSkipped.map((x) => jobItemWording(x, words)));
      if (controller.signal.aborted && this.stopping) {
        this.store.setJobState(jobId, 'interrupted');
        this.store.appendAudit('system', 'job.interrupted', jobId, { reason: 'server shutdown', resumeAfterLsn: this.store.requireJob(jobId).lastLsn });
        log.info('job interrupted by shutdown; resumable');
      } else if (controller.signal.aborted) {
        this.store.setJobState(jobId, 'cancelled');
        log.info('job cancelled');
      } else {
        this.store.setJobCompleteness(jobId, incomplete, doubtful);
        this.store.setJobState(jobId, 'succeeded');
        this.store.appendAudit('system', 'job.succeeded', jobId, { rows: this.store.requireJob(jobId).rowsStaged });
        log.info({ rows: this.store.requireJob(jobId).rowsStaged }, 'job succeeded');
      }
    } catch (e) {
      try { flush(); } catch { /* the batch in flight is re-read on resume */ }
      const error = jobError(e, (m, own) => isoLogTimesIn(words(m, own), [...specValues, ...own]));
      this.store.setJobState(jobId, 'failed', { error });
      this.store.appendAudit('system', 'job.failed', jobId, error);
      log.error({ err: e, code: error.code }, 'job failed');
    } finally {
      clearInterval(sampler);
      try { this.store.indexPending(); } catch (e) { log.warn({ err: e }, 'free-text indexing failed; the next search by q indexes the rows itself (or refuses with STAGING_INDEX_BUSY)'); }
      this.running.delete(jobId);
      await source?.close().catch((e: unknown) => log.warn({ err: e }, 'closing the source failed'));
    }
  }
}

/** A skipped item as a job stages it: its reason in the job's words (`words`: jobWording of its kind). */
function jobItemWording(x: SkippedItem, words: (t: string, own?: readonly string[]) => string): SkippedItem {
  const reason = words(x.reason, stringsOf(x.location));
  return reason === x.reason ? x : { ...x, reason };
}

/** A recovered row as a job stages it: its warnings in the job's words. */
function jobRowWording(r: RecoveredRow, words: (t: string, own?: readonly string[]) => string): RecoveredRow {
  if (!r.warnings.length) return r;
  const own = rowStrings(r);
  r.warnings = r.warnings.map((w) => words(w, own));
  return r;
}

/** A row's text values and names (its columns' names and values, after, table, login, host, program, transaction name): what its warnings may quote, kept verbatim by jobWording. */
function rowStrings(r: RecoveredRow): string[] {
  return stringsOf([Object.keys(r.values), r.values, r.after ?? null, r.table, r.login, r.host ?? null, r.program ?? null, r.transactionName, r.dbUser ?? null]);
}

/**
 * The way on a job's INCOMPLETE sentence gives for rows logged after a change of their table's
 * columns (incomplete-verdict.ts sourceRowsClause's `wayOn`), in the job's fields.
 */
export const JOB_LAYOUT_CHANGE_WAY_ON = "a files job given a data file or full backup taken after the change (mdf, bak), or the table's layout after it (metadata.catalog, metadata.ddl), decodes them";

/**
 * A failed job's `error` ({code, message}) from what it threw: a rowback error's code, and its
 * message with its location as the CLI's one line gives it (`(file F, line N)`: errors.ts
 * formatLocation); `wording` rewrites the message first (a restore job's field names). The location
 * was dropped: a cut export job said "is cut short: it ends at line 109 …" naming no file. Anything
 * else is STAGING_JOB_FAILED with its message. Operators alone read the message (the API shows
 * others the code).
 */
function jobError(e: unknown, wording: (m: string, own: readonly string[]) => string = (m) => m): { code: string; message: string } {
  if (!isRowbackError(e)) return { code: 'STAGING_JOB_FAILED', message: (e as Error)?.message ?? String(e) };
  const where = formatLocation(e.location);
  return { code: e.code, message: `${wording(e.message, stringsOf(e.location))}${where ? ` (${where})` : ''}` };
}
