import { isRowbackError } from '../errors.js';
import { LOP_DELETE_ROWS, LOP_INSERT_ROWS, type LogRecord } from '../logreader/log-record.js';
import { decodeRow } from '../reconstruct/decode-row.js';
import { driftKind, hasDriftWarning } from '../reconstruct/record/layout-warnings.js';
import { isPagedOffRow } from '../reconstruct/values.js';
import type { TableLayout } from '../reconstruct/metadata/table-layout.js';
import { toHex } from '../util/hex.js';
import { sidToText } from '../util/sid.js';
import { silentLogger, type Logger } from '../util/logger.js';
import type { RecoveredRow } from './recovered-row.js';
import type { MetadataCatalog, RecoverySource, RowCandidate, ScanFilter, SkippedItem, TransactionInfo } from './source.js';
import { beginTimeToIso } from './time-window.js';
import type { RebuildCandidate } from './update-rebuild.js';
import { DecodePool, JOB_CANDIDATES, JobBuilder, WINDOW, type SpawnDecodeWorker } from './decode-pool/decode-pool.js';
import { OUTCOME_EVENT, OUTCOME_ROW, type DecodeResult } from './decode-pool/protocol.js';
import { stagedTableName, tableListText } from '../util/tsql.js';

export type RecoverEvent = { kind: 'row'; row: RecoveredRow } | { kind: 'skipped'; item: SkippedItem };

/**
 * A row a decode worker already turned into output: `text` is `JSON.stringify(row) + '\n'` in
 * UTF-8 (the NDJSON line), `table` the row's `schema.name`, `drift` whether one of its warnings is
 * one LayoutFitCheck counts against the layout (DRIFT_WARNINGS).
 */
export interface EncodedRowEvent {
  kind: 'encoded';
  table: string;
  drift: boolean;
  /** One of its drift warnings is not "row predates the column" (driftKind 2): columns added after the row do not explain it. */
  hardDrift?: boolean;
  /** The row carries warnings (drift ones or others): counted by scan's summary. */
  warned?: boolean;
  text: Uint8Array;
}

/** What {@link recoverEncodedBatches} hands out: rows encoded by a worker, and rows and skipped items the main thread made. */
export type PooledEvent = RecoverEvent | EncodedRowEvent;

export interface RecoverOptions {
  signal?: AbortSignal;
  logger?: Logger;
  /** Decode attempts per table judged before its rows are printed (LayoutFitCheck); 0 turns the check off. Default LAYOUT_CHECK_ROWS. */
  layoutCheckRows?: number;
  /** The layout check counts only decode failures, not column-count drift warnings (CLI `--accept-layout-drift`). */
  acceptColumnCountDrift?: boolean;
  /**
   * How the caller names what a RECOVER_LAYOUT_MISMATCH reason advises: by default scan's flags
   * (`--accept-layout-drift`, `--alloc-unit`, `--schema/--ddl`); a job's fields. A job's reason
   * advised `rerun with --accept-layout-drift`, which a job could not take.
   */
  layoutAdvice?: { acceptDrift: string; allocUnit: string; layout: string };
}

/**
 * The one pipeline every source goes through: committed row candidates → decoded rows.
 * A row that cannot be decoded is not lost: it becomes a skipped item carrying its raw bytes,
 * its LSN and the decoder's reason.
 */
export async function* recoverRows(source: RecoverySource, filter: ScanFilter, options: RecoverOptions = {}): AsyncIterable<RecoverEvent> {
  const conv = await RowConverter.open(source, options);
  const signal = options.signal;
  const out: RecoverEvent[] = [];
  // Candidates in arrays when the source has them, but each turned into its events only when the
  // consumer is ready for them: an abort from inside the consumer's loop stops at the next candidate.
  outer: for await (const batch of candidateArrays(source, filter, signal)) {
    for (const c of batch) {
      if (signal?.aborted) break outer;
      conv.push(c, out);
      for (let i = 0; i < out.length; i++) yield out[i];
      out.length = 0;
    }
  }
  yield* conv.end();
}

/**
 * {@link recoverRows}, the same events in the same order, in non-empty arrays: one async step per
 * array rather than per row (the source's candidateBatches when it has them, one candidate per
 * array otherwise). What `rowback scan` reads. An abort is noticed before each candidate; the array
 * being built when it came is still handed out, then the layout check's held events.
 */
export async function* recoverRowBatches(source: RecoverySource, filter: ScanFilter, options: RecoverOptions = {}): AsyncIterable<RecoverEvent[]> {
  const conv = await RowConverter.open(source, options);
  const signal = options.signal;
  let aborted = false;
  for await (const batch of candidateArrays(source, filter, signal)) {
    const out: RecoverEvent[] = [];
    for (const c of batch) {
      if (signal?.aborted) {
        aborted = true;
        break;
      }
      conv.push(c, out);
    }
    if (out.length) yield out;
    if (aborted) break;
  }
  const rest = [...conv.end()];
  if (rest.length) yield rest;
}

export interface PooledRecoverOptions extends RecoverOptions {
  /** Decode worker threads (≥ 1). */
  threads: number;
  /** Starts a decode worker (tests: one that fails). */
  spawn?: SpawnDecodeWorker;
}

/** Candidates of one job, in source order; `pooled[i]` says candidate i went to the worker (else the main thread converts it). */
interface JobInFlight {
  candidates: RowCandidate[];
  pooled: Uint8Array;
  tables: string[];
  result: Promise<DecodeResult> | null;
}

/**
 * {@link recoverRowBatches} with the per-row work on `threads` decode worker threads
 * (decode-pool/): this thread reads the log and runs the committed filter, which fixes the order;
 * the workers turn each delete/insert candidate into its NDJSON line (candidateToEvent, the
 * principal's name, JSON.stringify, UTF-8) and this thread puts the results back in order through
 * the same layout check. A candidate a worker cannot do exactly as this thread would (an update,
 * an unknown table, no row image, an off-row value the source resolves from pages, a record
 * source of another shape, an exception) is converted here, in its place. So the events are the
 * one-thread events in the same order, except that rows a worker made are EncodedRowEvents
 * carrying their NDJSON line instead of the row (`JSON.stringify(row) + '\n'` of the row the
 * one-thread run yields).
 *
 * Memory: at most threads × WINDOW jobs of up to JOB_CANDIDATES candidates in flight. An abort is
 * noticed before each candidate is packed and before each job's results are handed out; then the
 * layout check's held events follow. Throws SourceError SOURCE_WORKER_FAILED (naming the worker)
 * when a worker throws, exits or cannot be started; every worker's thread is gone when the
 * iterator ends, throws or is abandoned.
 */
export async function* recoverEncodedBatches(source: RecoverySource, filter: ScanFilter, options: PooledRecoverOptions): AsyncIterable<PooledEvent[]> {
  const conv = await RowConverter.open<PooledEvent>(source, options);
  const signal = options.signal;
  const threads = Math.max(1, options.threads);
  const pool = new DecodePool(threads, { offRowOnMain: source.resolveOffRow !== undefined }, options.spawn);
  const catalog = conv.tables;
  const inFlight: JobInFlight[] = [];
  const tableNames = new Map<TableLayout, string>();
  const builder = new JobBuilder((t) => conv.dbUserOf(t));
  let candidates: RowCandidate[] = [];
  let pooled: number[] = [];
  let tables: string[] = [];
  const dispatch = (): void => {
    if (candidates.length === 0) return;
    inFlight.push({ candidates, pooled: Uint8Array.from(pooled), tables, result: builder.size ? pool.run(builder.build()) : null });
    // a rejection is taken when the job's turn comes (not an unhandled one before that)
    inFlight[inFlight.length - 1].result?.catch(() => undefined);
    candidates = [];
    pooled = [];
    tables = [];
  };
  /** The events of the oldest job in flight, in candidate order, through the layout check. */
  const take = async (): Promise<PooledEvent[]> => {
    const job = inFlight.shift()!;
    const r = job.result ? await job.result : null;
    const out: PooledEvent[] = [];
    let k = 0;
    let e = 0;
    let tn = 0;
    let textStart = 0;
    const text = r ? new Uint8Array(r.text) : null;
    for (let i = 0; i < job.candidates.length; i++) {
      const c = job.candidates[i];
      const allocUnit = c.record.AllocUnitId ?? null;
      if (!job.pooled[i] || !r) {
        conv.admit(conv.convert(c), allocUnit, out);
        continue;
      }
      const outcome = r.outcome[k];
      const end = r.textEnds[k];
      const table = job.tables[tn++];
      if (outcome === OUTCOME_ROW) conv.admit({ kind: 'encoded', table, drift: (r.drift[k] & 3) !== 0, hardDrift: (r.drift[k] & 3) === 2, warned: (r.drift[k] & 4) !== 0, text: text!.subarray(textStart, end) }, allocUnit, out);
      else if (outcome === OUTCOME_EVENT) conv.admit(r.events[e++], allocUnit, out);
      else conv.admit(conv.convert(c), allocUnit, out);
      textStart = end;
      k++;
    }
    return out;
  };
  try {
    let aborted = false;
    outer: for await (const batch of candidateArrays(source, filter, signal)) {
      for (const c of batch) {
        if (signal?.aborted) {
          aborted = true;
          break outer;
        }
        const table = resolveTable(c.record, catalog);
        const ok = table !== undefined && builder.add(c, pool.layoutId(table));
        candidates.push(c);
        pooled.push(ok ? 1 : 0);
        if (ok) {
          let name = tableNames.get(table);
          if (name === undefined) tableNames.set(table, (name = stagedTableName(table)));
          tables.push(name);
        }
        if (candidates.length >= JOB_CANDIDATES) dispatch();
        while (inFlight.length >= threads * WINDOW) {
          const out = await take();
          if (out.length) yield out;
          if (signal?.aborted) {
            aborted = true;
            break outer;
          }
        }
      }
    }
    if (!aborted) {
      dispatch();
      while (inFlight.length && !signal?.aborted) {
        const out = await take();
        if (out.length) yield out;
      }
    }
    const rest = [...conv.end()];
    if (rest.length) yield rest;
  } finally {
    await pool.close();
  }
}

/** The source's candidates in arrays: its candidateBatches, or each candidate alone. */
function candidateArrays(source: RecoverySource, filter: ScanFilter, signal: AbortSignal | undefined): AsyncIterable<RowCandidate[]> {
  if (source.candidateBatches) return source.candidateBatches(filter, signal);
  return (async function* () {
    for await (const c of source.candidates(filter, signal)) yield [c];
  })();
}

/**
 * Candidates → events for one recovery run: decoding, principals, off-row values, the layout check.
 * `E`: the events the layout check holds (PooledEvent when decode workers encode some rows).
 */
class RowConverter<E extends PooledEvent = RecoverEvent> {
  // A transaction's facts are the same for each of its rows: worked out once per transaction.
  private readonly txnCache: TxnFieldCache = new WeakMap();
  private readonly principals = new WeakMap<TransactionInfo, { name: string } | null>();

  private constructor(
    private readonly source: RecoverySource,
    private readonly catalog: MetadataCatalog,
    private readonly log: Logger,
    private readonly check: LayoutFitCheck<E>,
  ) {}

  static async open<E extends PooledEvent = RecoverEvent>(source: RecoverySource, options: RecoverOptions): Promise<RowConverter<E>> {
    const log = (options.logger ?? silentLogger).child({ source: source.description });
    const catalog = await source.metadata();
    return new RowConverter<E>(source, catalog, log, new LayoutFitCheck<E>(options.layoutCheckRows ?? LAYOUT_CHECK_ROWS, options.acceptColumnCountDrift, options.layoutAdvice ?? undefined));
  }

  /** The catalog the rows are decoded with (the source's metadata()). */
  get tables(): MetadataCatalog {
    return this.catalog;
  }

  /** RecoveredRow.dbUser for a transaction's rows: the source's database principal for its SID (once per transaction), or null. */
  dbUserOf(txn: TransactionInfo): string | null {
    const source = this.source;
    if (!source.databasePrincipalOf || !txn.sid) return null;
    let p = this.principals.get(txn);
    if (p === undefined) this.principals.set(txn, (p = source.databasePrincipalOf(txn.sid)));
    return p ? p.name : null;
  }

  /** One candidate's event on this thread: decoded, with its principal and off-row values. */
  convert(c: RowCandidate): RecoverEvent {
    const { source, catalog } = this;
    const ev = candidateToEvent(c, catalog, this.log, this.txnCache);
    if (ev.kind === 'row') {
      const dbUser = this.dbUserOf(c.txn);
      if (dbUser !== null) ev.row = { ...ev.row, dbUser };
    }
    if (ev.kind === 'row' && source.resolveOffRow && hasOffRow(ev.row)) {
      const table = resolveTable(c.record, catalog);
      if (table) ev.row = source.resolveOffRow(ev.row, table);
    }
    return ev;
  }

  /** Appends to `out` the events one event of the table of `allocUnit` releases through the layout check (none while its table is being judged). */
  admit(ev: E, allocUnit: string | null, out: E[]): void {
    if (this.check.passes(ev)) out.push(ev);
    else for (const e of this.check.push(ev, allocUnit)) out.push(e);
  }

  /** Appends to `out` the events one candidate releases (none while its table is being judged). */
  push(c: RowCandidate, out: E[]): void {
    this.admit(this.convert(c) as E, c.record.AllocUnitId ?? null, out);
  }

  /** The events held by the layout check, and its verdicts. */
  end(): Generator<E | RecoverEvent> {
    return this.check.end();
  }
}

/**
 * Counts, for "why no rows", the committed row operations of a known table that were passed on to be
 * decoded and came out as skipped items instead of rows, which explainNoRows counts none of ("73 row
 * operations: 68 on allocation units the metadata does not know" left 5 unexplained): the tables the
 * layout check held back (RECOVER_LAYOUT_MISMATCH: decoded but not printed), and the other row
 * operations per table and code (a layout that cannot be read, a decode failure, an update not
 * rebuilt, a forwarding stub…). Shared by `rowback scan` and the worker's job notes.
 */
export class NotPrintedRows {
  /** Tables the layout check held back, in the order said. */
  private readonly held: string[] = [];
  /** Per table, per code, the count. */
  private readonly byTable = new Map<string, Map<string, number>>();

  /** Takes one skipped item of the recovery's events (those not of a row operation are passed over). */
  add(s: SkippedItem): void {
    const table = s.location.table;
    if (s.code === 'RECOVER_LAYOUT_MISMATCH') {
      this.held.push(table ?? '?');
      return;
    }
    if (table === undefined || s.location.lsn === undefined) return;
    let codes = this.byTable.get(table);
    if (!codes) this.byTable.set(table, (codes = new Map()));
    codes.set(s.code, (codes.get(s.code) ?? 0) + 1);
  }

  /**
   * The INCOMPLETE sentence for the tables the layout check held back (their rows decoded, none
   * printed: RECOVER_LAYOUT_MISMATCH), without the `INCOMPLETE: ` head; '' when none was. `where`:
   * where the items are (`in the summary and --report`); `verb`: what was not done with the rows. A table held
   * back is rows left out of the result, as lost log is: said even with --quiet, exit 3 under
   * --strict, `complete: false` (a newcomer's scan with a DDL of a later layout printed nothing,
   * exit 0, `"complete": true`, and a job staged 0 rows as complete).
   */
  heldClause(where: string, verb = 'printed'): string {
    if (!this.held.length) return '';
    const tables = [...new Set(this.held)];
    return `the rows of ${tableListText(tables)} were decoded but not ${verb}: the table layout does not fit them (why, and what to do: the RECOVER_LAYOUT_MISMATCH item${tables.length > 1 ? 's' : ''} ${where})`;
  }

  /**
   * The INCOMPLETE sentence for row operations of tables not held back that came out as skipped
   * items instead of rows (a value that does not decode, a record cut short, an update not rebuilt):
   * those rows are not in the result, as rows of lost log are not; without the `INCOMPLETE: ` head;
   * '' when there are none. A forwarding stub (RECOVER_FORWARDING_STUB) is not one: its row's own
   * record is logged separately. System tables (`sys.*`) are passed over. `where`: where the items
   * are; `verb`: what was not done with the rows. (A newcomer's scan printed 2 of 3 deleted rows,
   * the third a DECODE_BAD_VALUE item, with exit 0 under --strict, `"complete": true`, and a job
   * `complete: true`: one deleted row gone and nothing a script checks said so.)
   */
  undecodedClause(where: string, verb = 'printed'): string {
    const codes = new Map<string, number>();
    const tables: string[] = [];
    let n = 0;
    for (const [table, byCode] of this.byTable) {
      if (this.held.includes(table) || /^sys\./i.test(table)) continue;
      let here = 0;
      for (const [c, k] of byCode) {
        if (c === 'RECOVER_FORWARDING_STUB') continue;
        codes.set(c, (codes.get(c) ?? 0) + k);
        here += k;
      }
      if (here) tables.push(table);
      n += here;
    }
    if (n === 0) return '';
    const num = (x: number) => x.toLocaleString('en-US');
    return `${num(n)} row operation(s) of ${tableListText(tables)} could not be decoded into rows (${[...codes].map(([c, k]) => `${c} ×${num(k)}`).join(', ')}): those rows are not ${verb}; each is a skipped item with its LSN, reason and row image (${where})`;
  }

  /** The clauses (`where`: where the items are, e.g. "above"); empty when there is nothing to say. */
  clause(where: string): string {
    let out = this.held.length ? `; the rows of ${[...new Set(this.held)].join(', ')} were decoded but not printed: the layout does not fit them (RECOVER_LAYOUT_MISMATCH ${where})` : '';
    const codes = new Map<string, number>();
    const tables: string[] = [];
    let n = 0;
    for (const [table, byCode] of this.byTable) {
      // a held table's failed rows are in the clause above
      if (this.held.includes(table)) continue;
      tables.push(table);
      for (const [c, k] of byCode) {
        codes.set(c, (codes.get(c) ?? 0) + k);
        n += k;
      }
    }
    if (n === 0) return out;
    const num = (x: number) => x.toLocaleString('en-US');
    out += `; ${num(n)} row operation(s) of ${tableListText(tables)} were not decoded into rows: ${[...codes].map(([c, k]) => `${c} ×${num(k)}`).join(', ')} (${where})`;
    return out;
  }
}

/** What LayoutFitCheck knows of one table. */
interface TableVerdict {
  verdict: 'ok' | 'stopped' | null;
  judged: number;
  bad: number;
  /** Judged rows with a drift warning that columns added after the row do not explain (driftKind 2). */
  hard: number;
  /** Judged row operations that failed to decode (skipped items): no --accept-layout-drift prints them. */
  failed: number;
  allocUnit: string | null;
  dropped: number;
  /** Decode failures of the judged rows per column named in them. */
  columnFailures: Map<string, number>;
  /** The column whose repeated failures stopped the table, if that is what stopped it. */
  column: string | null;
}

/** Decode failures of one column among a table's judged rows that stop the table (LayoutFitCheck). */
const SAME_COLUMN_FAILURES = 2;

/** Rows of a table judged before any of them is printed (RecoverOptions.layoutCheckRows). */
export const LAYOUT_CHECK_ROWS = 20;
/** Events held at most while tables are being judged; beyond it the oldest table is judged on what it has. */
const LAYOUT_CHECK_QUEUE = 1000;
export { driftKind, hasDriftWarning } from '../reconstruct/record/layout-warnings.js';

/**
 * Does a table's layout fit its rows? A wrong `--alloc-unit`, another database's catalog or a
 * layout from after an ALTER TABLE decodes most rows into failures or column-count drift — and
 * some into plausible-looking wrong values. So the first `n` decode attempts of every table (rows
 * and DECODE_* failures; DECODE_NO_COLUMNS and update-rebuild items are not decode attempts) are
 * held back; when more than half of them failed or carry the drift warning, or one column failed
 * to decode in SAME_COLUMN_FAILURES of them (a wrong type for that column), the table is stopped:
 * none of its decoded rows is printed (then or later), its failures still are (they carry the raw
 * bytes), and one `RECOVER_LAYOUT_MISMATCH` item names the table, its allocation unit and the
 * counts at the end. Otherwise the held rows are released, in their original order. Memory: at
 * most LAYOUT_CHECK_QUEUE held events; past that, the table at the head is judged on what it has.
 */
export class LayoutFitCheck<E extends PooledEvent = RecoverEvent> {
  private readonly tables = new Map<string, TableVerdict>();
  private queue: Array<{ ev: E; table: string | null }> = [];

  /** `acceptDrift`: only decode failures count (the user says the table gained columns after these rows). */
  constructor(
    private readonly n: number,
    private readonly acceptDrift = false,
    /** How RECOVER_LAYOUT_MISMATCH names the ways on (RecoverOptions.layoutAdvice): scan's flags by default. */
    private readonly advice: { acceptDrift: string; allocUnit: string; layout: string } = { acceptDrift: '--accept-layout-drift', allocUnit: '--alloc-unit', layout: '--schema/--ddl' },
  ) {}

  /**
   * True when `ev` can go out at once, exactly as push() would send it: nothing is held and its
   * table was already judged fit (the common case once the first rows of a table are through).
   */
  passes(ev: E): boolean {
    if (this.queue.length !== 0 || this.n <= 0) return false;
    const table = this.tableOf(ev);
    if (table === null) return false;
    return this.tables.get(table)?.verdict === 'ok';
  }

  private tableOf(ev: E): string | null {
    return ev.kind === 'row' ? ev.row.table : ev.kind === 'encoded' ? ev.table : (ev.item.location.table ?? null);
  }

  /** A decoded row (on this thread or a worker) whose warnings count against the layout. */
  private drifts(ev: E): boolean {
    if (this.acceptDrift) return false;
    if (ev.kind === 'encoded') return ev.drift;
    return ev.kind === 'row' && hasDriftWarning(ev.row.warnings);
  }

  /** A row whose drift warnings are not all "row predates the column" (judged whatever acceptDrift says: for the advice). */
  private hardDrift(ev: E): boolean {
    if (ev.kind === 'encoded') return ev.hardDrift === true;
    return ev.kind === 'row' && driftKind(ev.row.warnings) === 2;
  }

  *push(ev: E, allocUnit: string | null): Generator<E> {
    const table = this.tableOf(ev);
    if (table === null || this.n <= 0) {
      if (this.queue.length === 0) yield ev;
      else this.queue.push({ ev, table: null });
      return;
    }
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = { verdict: null, judged: 0, bad: 0, hard: 0, failed: 0, allocUnit, dropped: 0, columnFailures: new Map(), column: null }));
    const attempt = ev.kind !== 'skipped' || (ev.item.code.startsWith('DECODE_') && ev.item.code !== 'DECODE_NO_COLUMNS');
    if (t.verdict === null && attempt) {
      t.judged++;
      if (ev.kind === 'skipped' || this.drifts(ev)) t.bad++;
      if (ev.kind === 'skipped') t.failed++;
      if (this.hardDrift(ev)) t.hard++;
      // The same column failing to decode in two of the first rows is the layout, not damage (a
      // damaged image fails at random places): an nvarchar declared for a varchar column fails on
      // odd lengths and prints CJK garbage for the even ones (newcomer trial: 5 of 13 failed, 8 printed "千").
      const col = ev.kind === 'skipped' ? ev.item.location.column : undefined;
      if (col !== undefined) {
        const n = (t.columnFailures.get(col) ?? 0) + 1;
        t.columnFailures.set(col, n);
        if (n >= SAME_COLUMN_FAILURES && t.column === null) {
          t.column = col;
          t.verdict = 'stopped';
        }
      }
      if (t.judged >= this.n) this.decide(t);
    }
    this.queue.push({ ev, table });
    if (this.queue.length > LAYOUT_CHECK_QUEUE) {
      const head = this.queue[0].table;
      if (head !== null) this.decide(this.tables.get(head)!);
    }
    yield* this.release(false);
  }

  *end(): Generator<E | RecoverEvent> {
    const w = this.advice;
    for (const t of this.tables.values()) if (t.verdict === null) this.decide(t);
    yield* this.release(true);
    for (const [name, t] of this.tables) {
      if (t.verdict !== 'stopped') continue;
      yield {
        kind: 'skipped',
        item: {
          code: 'RECOVER_LAYOUT_MISMATCH',
          reason:
            `the table layout does not fit the rows of ${name}${t.allocUnit ? ` (allocation unit ${t.allocUnit})` : ''}: ${t.column !== null ? `column ${t.column} failed to decode in ${t.columnFailures.get(t.column)} of its first ${t.judged} row(s) (its type or length in the layout is not the stored one; the rows that did decode would show wrong values there), ` : ''}${t.bad} of its first ${t.judged} row(s) failed to decode, do not have the layout's column count, hold a value larger than its column's declared type or a fixed part longer than the layout's fixed columns (a dropped or altered column the layout lacks) or sparse values for column ids the layout has no sparse column for, ` +
            `so its ${t.dropped} decoded row(s) are not printed (they may be another table's rows or an older layout's). Check ${w.allocUnit}, the catalog's database and the table's ALTER history (${w.layout} of the layout at the time)${
              t.failed > 0
                ? `; ${t.failed} of them failed to decode, which no ${w.acceptDrift} changes: the layout's types or lengths are not the stored ones`
                : t.hard > 0
                  ? `; ${t.hard} of them hold more columns than the layout, a value larger than its type, a fixed part past the layout's, NUL characters in a varchar, one-byte text in an nvarchar, sparse values for column ids the layout lacks or a column an ALTER COLUMN moved to a new slot (its value in the old one), which columns added after the rows do not explain: ${w.acceptDrift} would print their values read through this wrong layout`
                  : `; if the layout is right and the table only gained columns after these rows were written, rerun with ${w.acceptDrift}`
            }`,
          location: { table: name },
        },
      };
    }
  }

  private decide(t: TableVerdict): void {
    if (t.verdict === null) t.verdict = t.judged > 0 && t.bad * 2 > t.judged ? 'stopped' : 'ok';
  }

  /** Releases queued events from the head while their table is decided (all of them at the end). */
  private *release(all: boolean): Generator<E> {
    let i = 0;
    for (; i < this.queue.length; i++) {
      const { ev, table } = this.queue[i];
      const t = table === null ? null : this.tables.get(table)!;
      if (t && t.verdict === null && !all) break;
      if (t?.verdict === 'stopped' && ev.kind !== 'skipped') {
        t.dropped++;
        continue;
      }
      yield ev;
    }
    this.queue = i === 0 ? this.queue : this.queue.slice(i);
  }
}

/** A transaction's row fields (times as ISO text, SID as hex and as text), per TransactionInfo object. */
export type TxnFieldCache = WeakMap<TransactionInfo, { beginTime: string | null; endTime: string | null; sid: string | null; sidText: string | null }>;

/**
 * One committed candidate → a decoded row, or a skipped item carrying the raw image and the
 * decoder's reason. `txnCache` (optional) keeps the per-transaction fields between calls; the
 * row is the same with or without it.
 */
export function candidateToEvent(c: RowCandidate, catalog: MetadataCatalog, log: Logger = silentLogger, txnCache?: TxnFieldCache): RecoverEvent {
  const r = c.record;
  const lsn = r['Current LSN'];
  const table = resolveTable(r, catalog);
  const image = r['RowLog Contents 0'] ?? null;
  // built only for a skipped item (not per row)
  const at = (): SkippedItem['location'] => ({ lsn, file: r.source?.file, offset: r.source?.offset, page: r['Page ID'] ?? undefined, slot: r['Slot ID'] ?? undefined });
  if (!table) {
    return skipped('RECOVER_UNKNOWN_TABLE', `no table metadata for allocation unit ${r.AllocUnitId ?? '(none)'}`, at(), image);
  }
  const qualified = stagedTableName(table);
  const operation = r.Operation === LOP_DELETE_ROWS ? 'delete' : r.Operation === LOP_INSERT_ROWS ? 'insert' : 'update';
  let after: Uint8Array | null = null;
  let rowImage = image;
  if (operation === 'update') {
    // LOP_MODIFY_ROW / LOP_MODIFY_COLUMNS log only the changed bytes; the files source rebuilds
    // them onto the row tracked by its page model (update-rebuild.ts). Other sources do not.
    const rebuild = (c as RebuildCandidate).rebuild;
    // The reasons name the slot: SkippedItem.location has no slot field.
    const where = { ...at(), table: qualified };
    if (!rebuild) {
      return skipped('RECOVER_UPDATE_NOT_REBUILT', `${r.Operation} holds a partial row image; this source does not track the rows it applies to (updates are rebuilt from .ldf/.trn/.bak logs only)`, where, image);
    }
    if (rebuild.kind === 'skipped') return skipped(rebuild.code, rebuild.reason, where, image);
    rowImage = rebuild.before;
    after = rebuild.after;
  }
  if (!rowImage || rowImage.length === 0) {
    return skipped('RECOVER_NO_ROW_IMAGE', `${r.Operation} has no RowLog Contents 0`, { ...at(), table: qualified }, null);
  }
  try {
    const decoded = decodeRow(rowImage, table, { lsn, file: r.source?.file, offset: r.source?.offset });
    if (decoded.recordType === 'forwarding-stub') {
      // A heap row moved off its page leaves a 9-byte forwarding stub holding only where the row went
      // (record/fixedvar.ts); the row's data is in the forwarded record, logged on its own. Printed as a
      // row it had no values at all, and a re-insert of it would add a row of NULLs and defaults.
      return skipped('RECOVER_FORWARDING_STUB', `${r.Operation} of a forwarding stub: it holds no column data (${decoded.warnings[0] ?? 'the row lives elsewhere'}); the row's own record is logged separately`, { ...at(), table: qualified }, rowImage);
    }
    const decodedAfter = after ? decodeRow(after, table, { lsn, file: r.source?.file, offset: r.source?.offset }) : null;
    // decodeRow gives a fresh warnings array per row: taken as it is
    const warnings = decoded.warnings;
    if (decodedAfter) for (const w of decodedAfter.warnings) warnings.push(`after image: ${w}`);
    if (r.source?.stale) warnings.push('record comes from a reused (stale) VLF: it may predate the current log');
    const beside = c.txn.opposite && r.AllocUnitId ? c.txn.opposite.perAllocUnit.get(r.AllocUnitId) : undefined;
    if (beside) {
      const other = c.txn.opposite!.operation;
      warnings.push(
        `its transaction also ${other === 'insert' ? 'inserted' : 'deleted'} ${beside} row(s) of this table: those that ${other === 'insert' ? 'put back a deleted row' : 'removed an inserted row'} are left out of this scan; ` +
          (other === 'insert'
            ? 'the others may be this row under a new key (an UPDATE of the clustered key, or a MERGE, logs a delete and an insert): compare with the database before re-inserting it'
            : 'the others may be this row moved from an old key (an UPDATE of the clustered key, or a MERGE, logs a delete and an insert)'),
      );
    }
    let tf = txnCache?.get(c.txn);
    if (!tf) {
      tf = { beginTime: isoOrNull(c.txn.beginTime), endTime: isoOrNull(c.txn.endTime), sid: c.txn.sid ? '0x' + toHex(c.txn.sid) : null, sidText: sidToText(c.txn.sid) };
      txnCache?.set(c.txn, tf);
    }
    const sidText = tf.sidText;
    const rb = (c as RebuildCandidate).rebuild;
    if (rb?.kind === 'rebuilt' && rb.fromDataFile) {
      warnings.push(
        rb.fromDataFile === 'walked-back'
          ? `row is older than the scanned log: before/after images rebuilt by walking ${rb.baseLsn} back from its current state`
          : `row is older than the scanned log: its page was taken from the data file/backup (m_lsn = the log's first change to it) and followed (base: ${rb.baseLsn})`,
      );
    }
    // Built in the key order the output keeps (NDJSON prints keys in this order), optional keys in
    // their place, by assignment rather than object spreads (one temporary object per spread, per row).
    const row = {
      table: qualified,
      lsn,
      operation,
      transactionId: r['Transaction ID'],
      beginTime: tf.beginTime,
      endTime: tf.endTime,
      login: c.txn.login,
      sid: tf.sid,
    } as RecoveredRow;
    if (sidText) row.sidText = sidText;
    row.spid = c.txn.spid;
    if (c.txn.host) row.host = c.txn.host;
    if (c.txn.program) row.program = c.txn.program;
    row.transactionName = c.txn.name;
    row.allocUnitId = r.AllocUnitId ?? null;
    row.pageId = r['Page ID'] ?? null;
    row.slotId = r['Slot ID'] ?? null;
    row.values = decoded.values;
    if (decodedAfter && after) row.after = decodedAfter.values;
    row.raw = toHex(rowImage);
    if (after) row.rawAfter = toHex(after);
    row.warnings = warnings;
    row.source = r.source ?? { kind: 'export' };
    return { kind: 'row', row };
  } catch (e) {
    if (!isRowbackError(e)) throw e;
    log.debug({ lsn, code: e.code }, 'row image not decoded');
    const location = at();
    return skipped(e.code, e.message, { ...location, table: qualified, column: e.location.column, offset: e.location.offset ?? location.offset }, rowImage);
  }
}

/** Does the row hold a value stored off-row on pages (its before or after image; a FILESTREAM file is on none), which a source with pages resolves (RecoverySource.resolveOffRow)? */
export function hasOffRow(row: RecoveredRow): boolean {
  const v = row.values;
  for (const k in v) if (isPagedOffRow(v[k])) return true;
  const a = row.after;
  if (a) for (const k in a) if (isPagedOffRow(a[k])) return true;
  return false;
}

/** By AllocUnitId; for exports whose metadata has no allocation unit ids, a lone table is used. */
export function resolveTable(r: LogRecord, catalog: MetadataCatalog): TableLayout | undefined {
  if (r.AllocUnitId) {
    const t = catalog.byAllocUnit(r.AllocUnitId);
    if (t) return t;
  }
  const all = catalog.tables();
  if (all.length === 1 && !(all[0].allocUnits?.length)) return all[0];
  return undefined;
}

function isoOrNull(t: string | null): string | null {
  if (!t) return null;
  try {
    return beginTimeToIso(t);
  } catch {
    return t;
  }
}

function skipped(code: string, reason: string, location: SkippedItem['location'], image: Uint8Array | null): RecoverEvent {
  const clean = Object.fromEntries(Object.entries(location).filter(([, v]) => v !== undefined)) as SkippedItem['location'];
  return { kind: 'skipped', item: { code, reason, location: clean, ...(image ? { raw: toHex(image) } : {}) } };
}
