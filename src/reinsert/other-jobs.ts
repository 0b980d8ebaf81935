import { createHash } from 'node:crypto';
import type { StagingStore } from '../staging/store.js';
import { recoveredFromLog } from './plan.js';
import { readRunTarget, samePlace, targetTableOf, type ReinsertPlace, type RunTarget } from './run-target.js';
import { readText, type StoredText } from '../staging/stored-text.js';
import { identifierText, tableNameText } from '../util/tsql.js';

export { sameServer, type ReinsertPlace } from './run-target.js';

/**
 * Never twice, across jobs: one deleted row can be staged by several jobs of one staging store (the
 * `.ldf` scanned, then the log backups of the same hours; a log scan and a backup comparison of the
 * same incident), each approved and re-inserted on its own. Within a job a row's status keeps it
 * from going back twice; across jobs nothing did, and a key-less table got the row twice.
 *
 * Which staged rows are "the same deleted row" (format facts: an LSN names one log record of one
 * database, `LOP_DELETE_ROWS` deletes one row per record):
 * - two rows recovered from the log (a transaction id, a real LSN) are the same row when their LSNs
 *   are equal; two different LSNs are two deletes, even of equal values (a row re-inserted and
 *   deleted again must be able to go back again);
 * - a row of a backup comparison (`diff`, `restore run --stage`: no transaction, its `lsn` a tag or
 *   `state:<n>`) has no delete LSN: it is the same as any row with equal decoded values (a
 *   sql_variant's MaxLength and collation compared only when both rows carry them: valsIdentity).
 * And the same place: the target table each went to (a run's tableMap), its database and server
 * (null, unknown, matches any): re-inserting into a side table first and then into production is
 * two places, not twice.
 *
 * Earlier rows are those another job's real run inserted (`reinsert_outcomes.outcome = inserted`)
 * and those another job's run has yet to insert or may have inserted unrecorded: every planned
 * batch of a running run, and the first planned batch of a stopped one (failed, interrupted: its
 * batches run in order, so only that one can have committed in the target before the run stopped;
 * the target's ledger knows, and resuming that run records it).
 */

/** A row of another job matching a candidate: who put it (or may have put it) where. */
export interface OtherJobRow {
  jobId: number;
  runId: number;
  rowId: number;
  /** `inserted`: the run's outcome says so; `pending`: in a batch of the run not known to have run. */
  state: 'inserted' | 'pending';
  runState: string;
  /** Target `schema.name` the run put it in (its tableMap applied). */
  table: string;
  place: ReinsertPlace;
  /** The configured target the run went to (serve's config), null for a connection given in the request. */
  targetName: string | null;
}

interface Entry extends OtherJobRow {
  log: boolean;
  /** valsIdentity(vals).props of the row: its sql_variant values' MaxLength and collation, or null. */
  props: string | null;
  /**
   * In a batch its run may have put in the target already (failed at COMMIT, or the batch its run
   * stopped at, resumed or not): never passed over, whichever run began running first.
   */
  maybeIn: boolean;
}

/** An entry with the keys it is found by. */
interface Keyed { e: Entry; byLsn: string | null; byVals: string }

function index(into: { byLsn: Map<string, Entry[]>; byVals: Map<string, Entry[]> }, k: Keyed): void {
  const push = (m: Map<string, Entry[]>, key: string) => { const l = m.get(key); if (l) l.push(k.e); else m.set(key, [k.e]); };
  if (k.byLsn !== null) push(into.byLsn, k.byLsn);
  push(into.byVals, k.byVals);
}

/** A row's facts as read from the store (tbl and transaction_id in their stored form: stored-text.ts). */
interface RowFacts { tbl: StoredText; lsn: string; transaction_id: StoredText; vals: string }

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();

/** Whether a staged row was recovered from a log record (plan.ts recoveredFromLog, on the store's column names). */
function fromLog(r: Pick<RowFacts, 'lsn' | 'transaction_id'>): boolean {
  return recoveredFromLog({ lsn: r.lsn, transactionId: readText(r.transaction_id) });
}

function valsHash(vals: string): string {
  return createHash('sha1').update(vals).digest('base64');
}

/**
 * A sql_variant value's property members as JSON.stringify writes a VariantValue
 * (reconstruct/values.ts): `"maxLength"` (binary and character base types) and `"collation"`
 * (character ones) between its `"baseType"` and its `"value"`. Inside JSON text a `"` of a string is
 * always escaped, so `{"baseType":"` can only open a variant object.
 */
const VARIANT_PROPS = /\{"baseType":("(?:[^"\\]|\\.)*"),"maxLength":(\d+)(?:,"collation":("(?:[^"\\]|\\.)*"))?,"value":/g;

/**
 * How a staged row's values (`vals`, JSON) are matched as "the same deleted row": `hash`, of the
 * values with the sql_variant property members taken out, and `props`, of those members (null when
 * it holds none). A variant's MaxLength and collation are read since rowback reads its property bytes;
 * a row staged before then holds `{"baseType":"varchar","value":"abc"}` where one staged after holds
 * `{"baseType":"varchar","maxLength":10,"collation":"…","value":"abc"}`: compared as text, the same
 * deleted row of a key-less table, staged by a job before that change and put back, and staged again
 * by a job after it, was two rows, and went back twice. Two rows match when their hashes are equal and
 * their props are too, or one of them has none (staged before: its value is the same whatever its
 * MaxLength and collation were, for text of another code page was never re-inserted from it).
 */
export function valsIdentity(vals: string): { hash: string; props: string | null } {
  let props = '';
  const bare = vals.replace(VARIANT_PROPS, (_m, baseType: string, maxLength: string, collation: string | undefined) => {
    props += `${maxLength}/${collation ?? ''};`;
    return `{"baseType":${baseType},"value":`;
  });
  return { hash: valsHash(bare), props: props === '' ? null : valsHash(props) };
}

/** Whether two rows of equal `valsIdentity` hashes hold the same variant properties, as far as both say them. */
function sameProps(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

/**
 * The rows other jobs of a store re-inserted or may have re-inserted, looked up per candidate row.
 * `refresh()` reads what changed since the last call (new outcomes incrementally; pending batches
 * again only when their set changed), so calling it before every batch of a run costs little.
 * Sizes: memory holds one entry per row other jobs re-inserted (ids, a 20-byte hash, the LSN).
 */
export class OtherJobsReinserts {
  private lastOutcome = 0;
  private readonly inserted = { byLsn: new Map<string, Entry[]>(), byVals: new Map<string, Entry[]>() };
  private pending = { byLsn: new Map<string, Entry[]>(), byVals: new Map<string, Entry[]>() };
  private pendingKey = '';
  /** The entries of each planned batch read, by run, batch and run state: a batch is read once, not again each time the set changes. */
  private pendingBatches = new Map<string, Keyed[]>();
  private readonly runs = new Map<number, RunTarget>();
  private readonly rowFacts;

  private readonly startedStmt;
  private readonly lastStartStmt;
  /** Per refresh: the audit id at which each run last began running (start or resume); null when none is recorded. */
  private readonly started = new Map<number, number | null>();

  constructor(private readonly store: StagingStore, private readonly jobId: number) {
    this.lastStartStmt = store.db.prepare(
      "SELECT action, details FROM audit_log WHERE job_id = ? AND action IN ('reinsert.start', 'reinsert.resume') AND json_extract(details, '$.runId') = ? ORDER BY id DESC LIMIT 1",
    );
    this.rowFacts = store.db.prepare('SELECT tbl, lsn, transaction_id, vals FROM rows WHERE id = ?');
    this.startedStmt = store.db.prepare(
      "SELECT max(id) AS id FROM audit_log WHERE job_id = ? AND action IN ('reinsert.start', 'reinsert.resume') AND json_extract(details, '$.runId') = ?",
    );
  }

  private startedAt(runId: number, jobId: number): number | null {
    if (!this.started.has(runId)) this.started.set(runId, (this.startedStmt.get(jobId, runId) as { id: number | null } | undefined)?.id ?? null);
    return this.started.get(runId)!;
  }

  /**
   * Whether run `other` began running (its start or its latest resume) after run `self`: the one
   * that began first goes first. By run id alone, an older run resumed while a younger one of
   * another job was running passed over the younger's batches, which that run had begun with the
   * older stopped and its batches not held back, and a batch committed but not yet recorded went in twice.
   */
  private beganAfter(other: { runId: number; jobId: number }, self: number): boolean {
    const x = this.startedAt(other.runId, other.jobId);
    const me = this.startedAt(self, this.jobId);
    return x !== null && me !== null ? x > me : other.runId > self;
  }

  /**
   * For a running run whose latest start is a resume: the batches that may have been in the target
   * when it was resumed (its resume entry's `maybeIn`; an entry without it: `firstPlanned`, the
   * batch a stopped run stopped at while the resumed run has not yet passed it). Empty otherwise.
   */
  private maybeInAtResume(runId: number, jobId: number, firstPlanned: number | undefined): Set<number> {
    const last = this.lastStartStmt.get(jobId, runId) as { action: string; details: string | null } | undefined;
    if (!last || last.action !== 'reinsert.resume') return new Set();
    let listed: unknown;
    try {
      listed = (JSON.parse(last.details ?? '{}') as { maybeIn?: unknown }).maybeIn;
    } catch {
      listed = undefined;
    }
    if (Array.isArray(listed)) return new Set(listed.filter((n): n is number => typeof n === 'number'));
    return new Set(firstPlanned === undefined ? [] : [firstPlanned]);
  }

  /** Whether any row of another job is known (nothing to look up otherwise). */
  get empty(): boolean {
    return this.inserted.byVals.size === 0 && this.pending.byVals.size === 0;
  }

  private run(runId: number): RunTarget {
    let r = this.runs.get(runId);
    if (!r) {
      r = readRunTarget(this.store, runId)!;
      this.runs.set(runId, r);
    }
    return r;
  }

  private add(into: { byLsn: Map<string, Entry[]>; byVals: Map<string, Entry[]> }, runId: number, rowId: number, facts: RowFacts, state: Entry['state'], maybeIn = false): Keyed {
    const run = this.run(runId);
    const table = targetTableOf(run.tableMap, readText(facts.tbl));
    const id = valsIdentity(facts.vals);
    const e: Entry = { jobId: run.jobId, runId, rowId, state, runState: run.state, table, place: run.place, targetName: run.targetName, log: fromLog(facts), maybeIn, props: id.props };
    const keyed: Keyed = { e, byLsn: e.log ? `${lower(table)}\u0000${facts.lsn}` : null, byVals: `${lower(table)}\u0000${id.hash}` };
    index(into, keyed);
    return keyed;
  }

  /**
   * Other jobs' inserted rows among at most `limit` outcomes after the mark, up to `hi`; moves the
   * mark past them. Read in pages so that neither the rows' values (a store where other jobs put a
   * million rows back: every row's `vals` at once, hundreds of MB) nor the whole read (seconds, with
   * the API's event loop stopped) is taken at once. Returns whether outcomes up to `hi` remain.
   */
  private readOutcomes(hi: number, limit: number): boolean {
    if (hi <= this.lastOutcome) return false;
    const page = this.store.db.prepare(
      `SELECT o.rowid AS k, o.run_id, o.row_id, r.tbl, r.lsn, r.transaction_id, r.vals
         FROM reinsert_outcomes AS o JOIN reinsert_runs AS run ON run.id = o.run_id JOIN rows AS r ON r.id = o.row_id
        WHERE o.rowid > ? AND o.rowid <= ? AND o.outcome = 'inserted' AND run.dry_run = 0 AND run.job_id <> ? ORDER BY o.rowid LIMIT ?`,
    ).all(this.lastOutcome, hi, this.jobId, limit) as (RowFacts & { k: number; run_id: number; row_id: number })[];
    for (const f of page) this.add(this.inserted, f.run_id, f.row_id, f, 'inserted');
    if (page.length < limit) {
      this.lastOutcome = hi;
      return false;
    }
    this.lastOutcome = page[page.length - 1]!.k;
    return this.lastOutcome < hi;
  }

  private newestOutcome(): number {
    return (this.store.db.prepare('SELECT max(rowid) AS m FROM reinsert_outcomes').get() as { m: number | null }).m ?? 0;
  }

  /**
   * `refresh()` for a plan on the service's event loop: the outcomes are read a page at a time with
   * a turn of the event loop between pages (a store with many re-inserted rows is read once, without
   * stopping the API while it is).
   */
  async refreshCooperatively(pageSize = 5000): Promise<this> {
    const hi = this.newestOutcome();
    while (this.readOutcomes(hi, pageSize)) await new Promise<void>((resolve) => setImmediate(resolve));
    return this.refresh();
  }

  /** Reads other jobs' outcomes recorded since the last call and their planned batches. */
  refresh(): this {
    const db = this.store.db;
    this.started.clear();
    // Outcomes recorded since the last call, up to the newest now: the mark moves past every outcome
    // read, this job's own and other outcomes too. Moved only past the other jobs' inserted ones, it
    // stayed put while this run recorded its own, and each batch's refresh read all of them again
    // (quadratic in the run's rows: 4 ms a batch at 60,000 outcomes, ~70 ms at a million).
    const hi = this.newestOutcome();
    while (this.readOutcomes(hi, 5000));
    // Runs of other jobs that may still hold planned batches (a few), then their planned batches
    // by the primary key's run_id prefix: no scan of every batch ever recorded, once per batch run.
    const open = db.prepare(
      "SELECT id, job_id, state FROM reinsert_runs WHERE dry_run = 0 AND job_id <> ? AND state IN ('running','failed','interrupted') ORDER BY id",
    ).all(this.jobId) as { id: number; job_id: number; state: string }[];
    // A running run will still run all its planned batches. A stopped one (failed, interrupted) ran
    // its batches in order, so only its first planned batch can have committed in the target
    // unrecorded (a crash or lost connection after COMMIT); the later ones never started.
    const batchesOf = db.prepare("SELECT batch_no, row_ids FROM reinsert_batches WHERE run_id = ? AND state = 'planned' ORDER BY batch_no");
    const firstOf = db.prepare("SELECT batch_no, row_ids FROM reinsert_batches WHERE run_id = ? AND state = 'planned' ORDER BY batch_no LIMIT 1");
    // A batch recorded failed by an error answering its COMMIT may be in the target all the same
    // (execute.ts mayHaveCommitted): the run went on to its next batches, so it was not the first
    // planned one, and another job put its rows in again. Held back until a resume asks the ledger.
    const unsureOf = db.prepare(
      `SELECT b.batch_no, b.row_ids FROM reinsert_batches AS b WHERE b.run_id = ? AND b.state = 'failed'
          AND EXISTS (SELECT 1 FROM reinsert_outcomes AS o WHERE o.run_id = b.run_id AND o.batch_no = b.batch_no AND o.outcome = 'error' AND o.detail LIKE '%"mayHaveCommitted":true%')
        ORDER BY b.batch_no`,
    );
    // Which of a run's batches may be in the target already (maybeIn: never passed over by a run
    // that began running first): its unsure ones, the one a stopped run stopped at, and for a
    // resumed run the ones that were so when it was resumed (its resume entry's `maybeIn`; a resume
    // recorded without it: its first planned batch). A run resumed after this one began counted as
    // begun after it, and this run passed over the batch the resumed run had stopped at, which was
    // in the target before its resume could record it from the ledger: its rows went in twice.
    const planned = open.flatMap((r) => {
      const running = r.state === 'running';
      const list = (running ? batchesOf : firstOf).all(r.id) as { batch_no: number; row_ids: string }[];
      const atResume = running ? this.maybeInAtResume(r.id, r.job_id, list[0]?.batch_no) : new Set<number>();
      return [
        ...(unsureOf.all(r.id) as { batch_no: number; row_ids: string }[]).map((b) => ({ ...b, maybeIn: true })),
        ...list.map((b) => ({ ...b, maybeIn: !running || atResume.has(b.batch_no) })),
      ].map((b) => ({ run_id: r.id, state: r.state, ...b }));
    });
    const key = planned.map((b) => `${b.run_id}.${b.batch_no}.${b.state}.${b.maybeIn ? 1 : 0}`).join(',');
    if (key !== this.pendingKey) {
      // Rebuilt from the batches already read; only new ones are read. Read again in full each time
      // the set changed (another job's running run commits a batch between two of this run's),
      // two large runs at once read each other's planned rows once per batch: quadratic.
      this.pendingKey = key;
      this.pending = { byLsn: new Map(), byVals: new Map() };
      const next = new Map<string, Keyed[]>();
      for (const b of planned) {
        const k = `${b.run_id}.${b.batch_no}.${b.state}.${b.maybeIn ? 1 : 0}`;
        let list = this.pendingBatches.get(k);
        if (list) {
          for (const x of list) index(this.pending, x);
        } else {
          list = [];
          const run = this.run(b.run_id);
          run.state = b.state;
          for (const id of JSON.parse(b.row_ids) as number[]) {
            const f = this.rowFacts.get(id) as RowFacts | undefined;
            if (f) list.push(this.add(this.pending, b.run_id, id, f, 'pending', b.maybeIn));
          }
        }
        next.set(k, list);
      }
      this.pendingBatches = next;
    }
    return this;
  }

  /**
   * The other job's row that is the same deleted row as staged row `rowId`, re-inserted (or maybe
   * re-inserted) into the same table and place as `table` at `place`; undefined when none.
   * `runId`: the run asking, at batch time. Two runs of different jobs started at once over the
   * same rows would each see the other's planned batches and both refuse them: the run that began
   * running first (started, or last resumed; the lower id when the audit does not say) goes first and
   * passes over the other's planned batches, the other refuses its, so exactly one of them puts the row back.
   */
  find(rowId: number, table: string, place: ReinsertPlace, o: { runId?: number } = {}): OtherJobRow | undefined {
    if (this.empty) return undefined;
    const f = this.rowFacts.get(rowId) as RowFacts | undefined;
    if (!f) return undefined;
    const log = fromLog(f);
    const t = lower(table);
    const { hash, props } = valsIdentity(f.vals);
    // a batch the other run may have put in already is never passed over: only one it has yet to
    // run is, for that run will refuse it when it gets there
    const counts = (e: Entry) => samePlace(e.place, place) && !(e.state === 'pending' && !e.maybeIn && o.runId !== undefined && this.beganAfter(e, o.runId));
    for (const m of [this.inserted, this.pending]) {
      if (log) {
        const hit = m.byLsn.get(`${t}\u0000${f.lsn}`)?.find(counts);
        if (hit) return strip(hit);
      }
      const hit = m.byVals.get(`${t}\u0000${hash}`)?.find((e) => (!log || !e.log) && sameProps(e.props, props) && counts(e));
      if (hit) return strip(hit);
    }
    return undefined;
  }
}

function strip(e: Entry): OtherJobRow {
  const { log: _log, maybeIn: _maybeIn, props: _props, ...rest } = e;
  return rest;
}

/** One line: why a row is left out (REINSERT_ALREADY_REINSERTED), naming the other job, run, row and place. */
export function otherJobMessage(rowId: number, o: OtherJobRow): string {
  // the target by its configured name, never the server host: the message reaches viewers and
  // reviewers (dry-run problems, script headers, the SQL export), from whom a run's host is hidden
  // (newcomer, session 16: "… on crm-sql" in a viewer's export)
  const where = `${tableNameText(o.table)}${o.place.database ? ` in database ${identifierText(o.place.database)}` : ''}${o.targetName ? ` of target '${o.targetName}'` : o.place.server ? ' (through a connection given in the request)' : ''}`;
  return o.state === 'inserted'
    ? `row ${rowId} is the deleted row that job ${o.jobId}'s row ${o.rowId} also holds, and re-insert run ${o.runId} of job ${o.jobId} already put it back into ${where}: never twice (a row deleted again since then is another delete, with its own LSN, and is not held back)`
    : o.runState === 'running'
      ? `row ${rowId} is the deleted row that job ${o.jobId}'s row ${o.rowId} also holds, which re-insert run ${o.runId} of job ${o.jobId}, running now, is putting back into ${where}: wait for run ${o.runId} to end, then plan this one again (never twice)`
      : `row ${rowId} is the deleted row that job ${o.jobId}'s row ${o.rowId} also holds, planned into ${where} by re-insert run ${o.runId} of job ${o.jobId} (${o.runState}) in the batch it stopped at, which may have gone in: resume run ${o.runId} first (it asks its target's ledger whether that batch went in), then plan this one again (never twice)`;
}
