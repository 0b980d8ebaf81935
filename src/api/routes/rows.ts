import { unknownTableHint } from '../../reconstruct/metadata/names.js';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InputError, StagingError } from '../../errors.js';
import { splitTableList } from '../../util/table-list.js';
import { unplacedNote, type StagingStore } from '../../staging/store.js';
import { withRowTableText } from '../table-text-fields.js';
import { AmbiguousTableTextError, jobTableText, multiPartTableName, stagedTableName, tableListText } from '../../util/tsql.js';
import { sidFilterForms } from '../../util/sid.js';
import { assertWindowInOrder, parseWindowTime } from '../../recover/time-window.js';
import { DEFAULT_REINSERT_OPERATIONS, inInsertionOrder, mergePlans, notScriptedCooperatively, problemSummary, renderScriptChunks, renderUndoScriptChunks, yieldToEventLoop, type ReinsertPlan } from '../../reinsert/plan.js';
import { databaseCheckHeader, insertedByRuns, metadataSentence } from '../../reinsert/service.js';
import { compareDatabases } from '../../reinsert/source-database.js';
import { legacySideTables } from '../../reinsert/side-tables.js';
import type { RowFilter, RowStatus, StagedRowWithRaw } from '../../staging/types.js';
import { csvCell, csvValueHeaders, csvRecord, csvWarningsCell } from '../../util/csv.js';
import { rowJson, valuesJson } from '../../util/negative-zero.js';
import { CSV_FIXED, CSV_OWN_COLUMNS } from '../../recover/writers.js';
import type { SqlValue } from '../../reconstruct/values.js';
import { isVisibleColumn } from '../../reconstruct/metadata/table-layout.js';
import { redactSecrets } from '../../util/redact.js';
import { hideOutcomeMessage, hideServer, jobConnectionsKnown } from './jobs.js';
import { DecisionBody, DecisionsQuery, DecisionsResponse, ExportQuery, JobIdParams, RowListQuery, RowParams, normaliseFilter } from './schemas.js';
import { readText, storedText, type StoredText } from '../../staging/stored-text.js';
import { jobCompletenessWarning, jobDoubtWarning } from '../../staging/job-completeness.js';
import { firstUnpairedSurrogate, wellFormed } from '../../util/surrogates.js';
import { appendAll } from '../../util/append-all.js';
import { headersOnly, isHead } from '../head.js';

/** Lines an export joins into one chunk of its body, with a turn of the event loop after each (inTurns). */
const EXPORT_LINES_PER_TURN = 500;
/** Characters an export joins into one chunk at most (a line longer than this is a chunk of its own): 16 Mi. */
const EXPORT_CHARS_PER_TURN = 16 * 1024 * 1024;

/**
 * An export body's lines, `EXPORT_LINES_PER_TURN` joined to a chunk, with a turn of the event loop
 * (`setImmediate`) after each chunk. The NDJSON and CSV exports sent a synchronous generator through
 * Readable.from, which a fast reader drains without ever leaving the current turn: over real HTTP
 * (app.inject's requests run on microtasks and never see it) /api/me waited 0.24 s during a
 * 100,000-row NDJSON export and 0.79 s during its CSV, every request of every reviewer with it, and
 * in proportion for larger jobs (test/api/export-responsive.test.ts).
 */
async function* inTurns(lines: Iterable<string>): AsyncGenerator<string> {
  let chunk: string[] = [];
  let chars = 0;
  for (const l of lines) {
    // a chunk also ends at EXPORT_CHARS_PER_TURN characters: 500 lines of rows holding 12 M-character
    // values joined past V8's longest string (~512 M), and the export ended 500 with nothing sent
    if (chunk.length && chars + l.length > EXPORT_CHARS_PER_TURN) {
      yield chunk.join('');
      chunk = [];
      chars = 0;
      await yieldToEventLoop();
    }
    chunk.push(l);
    chars += l.length;
    if (chunk.length === EXPORT_LINES_PER_TURN) {
      yield chunk.join('');
      chunk = [];
      chars = 0;
      await yieldToEventLoop();
    }
  }
  if (chunk.length) yield chunk.join('');
}

/**
 * The row filter of a request, its `table` resolved to the name the job stages rows under: the
 * forms `rowback scan --table` takes (`tblDept` for dbo, `[dbo].[tblDept]`, any case) were matched
 * as exact text, so they found no row — a list of none, an export of none, a bulk decision of
 * `rows: 0` — as if the job had none. A name the job has no table of is refused (400
 * INPUT_UNKNOWN_TABLE naming the job's tables), as the CLI refuses it.
 */
function toFilter(staging: StagingStore, jobId: number, q: Record<string, unknown>, at: 'querystring' | 'body.filter'): RowFilter {
  const f = normaliseFilter(q as { status?: string | string[]; operation?: string | string[] });
  const { table, login, status, operation, from, to, transactionId, q: text, sid, dbUser } = f as RowFilter;
  if (sid !== undefined && sid.trim() !== '' && !sidFilterForms(sid)) {
    throw new InputError('INPUT_BAD_SID', `${at}.sid '${sid.slice(0, 100)}' is not a SID: give hex (0x0105000000…, any case, 0x optional) or the Windows form S-1-5-21-…`, { field: `${at}.sid` });
  }
  // Begin times are stored `YYYY-MM-DDTHH:MM:SS.fff` and compared as text: the bounds are put in
  // that form as `scan --from/--to` puts them (a `to` given to the day, minute or second covers
  // all of it; `2018-08-28 21:46` as `…T21:46`). Compared as typed, `to=2018-08-28` left out that
  // day's rows and a space-separated time matched by its date alone.
  const bound = (v: string | undefined, b: 'start' | 'end', field: string): string | undefined => {
    if (v === undefined) return undefined;
    try {
      return parseWindowTime(v, b, field);
    } catch (e) {
      throw e instanceof InputError ? new InputError(e.code, e.message, { field }) : e;
    }
  };
  const lo = bound(from, 'start', `${at}.from`);
  const hi = bound(to, 'end', `${at}.to`);
  if (lo !== undefined && hi !== undefined) assertWindowInOrder({ name: `${at}.from`, text: from!, iso: lo }, { name: `${at}.to`, text: to!, iso: hi }, `${at}.to`);
  // a login or transaction id whose U+FFFD stands for several values: 400 here, before the audit
  // entry and before an export's stream begins (thrown inside it, the response was cut off)
  staging.assertWhoFilter(jobId, { login, transactionId }, at, { queryString: at === 'querystring' });
  return { table: table === undefined ? undefined : jobTableName(staging, jobId, table, `${at}.table`), login, status, operation, from: lo, to: hi, transactionId, q: text, sid, dbUser };
}

function jobTableName(staging: StagingStore, jobId: number, text: string, field: string): string {
  const has = (t: string): boolean => staging.db.prepare('SELECT 1 FROM rows WHERE job_id = ? AND tbl = ? LIMIT 1').get(jobId, storedText(t)) !== undefined;
  const layouts = staging.jobTables(jobId).map(stagedTableName);
  const known = (): string[] => [...new Set([...layouts, ...(staging.db.prepare('SELECT DISTINCT tbl FROM rows WHERE job_id = ?').all(jobId) as { tbl: StoredText }[]).map((r) => readText(r.tbl))])].sort();
  // a table's name as this API gives it (GET …/tables, the blast radius, the review page's Table
  // filter) is `schema.name` unquoted, which for a name holding a dot (dbo.[Order.Items]:
  // `dbo.Order.Items`) is no one- or two-part name: taken as the job's own (jobTableText). It was
  // refused, INPUT_BAD_IDENTIFIER: the page's Table filter could not show, count or decide such a
  // table's rows (test/api/rows-table-name-with-dot.test.ts)
  let wanted: string;
  try {
    wanted = jobTableText(text, known);
  } catch (e) {
    // `[CRM].[dbo].[Customer]`: refused below, INPUT_UNKNOWN_TABLE, naming the job's table it may mean
    // (unknownTableHint) or saying none is, where it was refused here naming a table the job may lack
    // the text of two of the job's tables (dbo.Order.Items of dbo.[Order.Items] and [dbo.Order].Items) is
    // refused naming both, as it was: it is no database-qualified name to look for
    if (e instanceof AmbiguousTableTextError || !multiPartTableName(text)) throw new InputError('INPUT_BAD_IDENTIFIER', `${field} '${text}': ${(e as Error).message}; give schema.name, [schema].[name] or "schema"."name"`, { table: text, field });
    wanted = text.trim();
  }
  // from a query string, a U+FFFD may be the browser's for a surrogate: the table named exactly
  // is the one meant only when no table with a surrogate there shares that form (else ambiguous below)
  const shadowed = field.startsWith('querystring') && wanted.includes('\ufffd')
    && known().some((t) => t !== wanted && firstUnpairedSurrogate(t) !== null && wellFormed(t).toLowerCase() === wanted.toLowerCase());
  if (!shadowed && (layouts.includes(wanted) || has(wanted))) return wanted;
  const tables = known();
  // letter case aside, and a name's unpaired surrogate as U+FFFD (a query string cannot carry it:
  // surrogates.ts wellFormed) when the name given holds U+FFFD; a name holding a surrogate itself was
  // given exactly (a JSON body), and dbo.T\ud801 is not the table dbo.T\ud800
  const form = firstUnpairedSurrogate(wanted) ? (t: string) => t.toLowerCase() : (t: string) => wellFormed(t).toLowerCase();
  const same = tables.filter((t) => form(t) === form(wanted));
  if (same.length === 1) return same[0]!;
  // a case-sensitive database's dbo.T and dbo.t: named in its exact case, or refused (names.ts)
  if (same.length > 1) throw new InputError('INPUT_AMBIGUOUS_NAME', `${field} '${text}': job ${jobId} has tables ${same.join(' and ')}, which differ only in letter case (a case-sensitive database) or in an unpaired surrogate (shown as U+FFFD): give the name in its exact case, in a JSON body for a surrogate`, { table: text, field });
  throw new InputError('INPUT_UNKNOWN_TABLE', `${field} '${text}': job ${jobId} has no table ${wanted}; its tables: ${tables.length ? tableListText(tables) : '(none: it staged no rows)'}${unknownTableHint(text, tables)}`, { table: text, field });
}

export default async function rowRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/jobs/:id/rows', {
    config: { access: 'read' },
    schema: {
      tags: ['rows'], summary: "A job's staged rows: filters + keyset (cursor) pagination", params: JobIdParams, querystring: RowListQuery,
      description: 'Answers { items, next, total (count=true), unplaced, asOf }: asOf is an opaque token of this read (the rows and, with count=true, the count) that a decision sends back (POST /api/jobs/:id/decisions asOf) so that it takes exactly the rows shown: a row staged after this read or decided since is refused, 409 STAGING_DECISION_STALE.',
    },
  }, async (req) => {
    app.staging.requireJob(req.params.id);
    const filter = toFilter(app.staging, req.params.id, req.query, 'querystring');
    // one SQLite read: the page, its count and the asOf token that names them (a decision sent
    // with it is refused when other rows would be taken than these: store.ts refuseChangedSince)
    return app.staging.db.transaction(() => {
      const page = app.staging.listRows(req.params.id, filter, { limit: req.query.limit, cursor: req.query.cursor });
      // rows of no begin time a from/to window cannot place are left out of the pages: said on the
      // first page (and with count=true), never silently (store.ts unplacedRows)
      const unplaced = !req.query.cursor || req.query.count === 'true' ? app.staging.unplacedRows(req.params.id, filter) : 0;
      const total = req.query.count === 'true' ? app.staging.countRows(req.params.id, filter) : undefined;
      return {
        ...page,
        ...(total !== undefined ? { total } : {}),
        ...(unplaced > 0 ? { unplaced: { rows: unplaced, note: unplacedNote(unplaced, 'not listed') } } : {}),
        asOf: app.staging.decisionSnapshot(req.params.id, filter, total),
      };
    })();
  });

  app.get('/api/jobs/:id/rows/:rowId', {
    config: { access: 'read' },
    schema: { tags: ['rows'], summary: 'One row: decoded values, raw row image (hex), warnings, provenance, decisions', params: RowParams },
  }, async (req) => {
    const row = app.staging.getRow(req.params.id, req.params.rowId);
    if (!row) throw new StagingError('STAGING_ROW_NOT_FOUND', `job ${req.params.id} has no row ${req.params.rowId}`);
    const decisions = app.staging.rowDecisions(row.id);
    // sideTable: the side table a run's tableMap sent the row to (it stays approved), null for its own table
    const outcomes = app.staging.db.prepare('SELECT run_id AS runId, outcome, detail, side_table AS sideTable FROM reinsert_outcomes WHERE row_id = ? ORDER BY run_id').all(row.id) as { runId: number; outcome: string; detail: string | null; sideTable: string | null }[];
    // an outcome recorded before staging migration 12 names no side table: the run's tableMap tells it
    for (const o of outcomes) if (o.sideTable === null) o.sideTable = legacySideTables(app.staging, o.runId, [row.id]).get(row.id)?.table ?? null;
    // a run holding the row (a running one's batch, a stopped one's that may have committed): a
    // decision on it is refused (STAGING_DECISION_RUN_ACTIVE); the detail said only its status
    const held = app.staging.rowHeldByRun(req.params.id, row.id);
    const heldBy = held ? { runId: held.runId, batchNo: held.batchNo, state: held.state ?? 'running' } : null;
    // with tableText and each outcome's sideTableText, the names the page's notes write (api/table-text-fields.ts)
    return withRowTableText({ ...row, decisions, reinsert: outcomes.map((o) => hideOutcomeMessage({ ...o, detail: o.detail ? JSON.parse(o.detail) : null }, req.principal?.role)), heldBy });
  });

  app.post('/api/jobs/:id/decisions', {
    config: { access: 'decide' },
    schema: {
      tags: ['rows'], params: JobIdParams, body: DecisionBody,
      summary: 'Approve or reject rows by id list, by filter, or all of them (all: true), with a reason',
      description: 'A filter that narrows nothing is refused unless all is true (400 INPUT_DECISION_ALL_ROWS). The answer is { decisionId, rows } (rows changed); when no row changed it is still 200, with rows: 0 and a note saying why (nothing matched, or every match already had that status). What the reviewer saw goes with it: asOf (the rows page\'s token; with a filter or all, the count=true page\'s), seen (with ids: the statuses shown) or expectRows (a count alone, kept for scripts): when the rows are no longer those shown it is 409 STAGING_DECISION_STALE and nothing is decided. A row a running re-insert run holds, or a stopped run in the batch it may have committed unrecorded (until the run is resumed or a later run of the job has read the ledger), is never changed: a decision by ids on one is 409 STAGING_DECISION_RUN_ACTIVE, nothing decided; a decision by filter or all decides the other rows and leaves the held ones out, saying so: heldBack { rows, runs: [{ runId, actor, state, batches, rows }], ids (the first 20) } and a note (how many of the rows matched were decided, which run holds the others, what to do: wait for it to end or have it resumed, then decide them); the audit entry records heldBack too. When every row it would change is held it is 409 STAGING_DECISION_RUN_ACTIVE, nothing decided. Held rows count as matched for asOf and expectRows. Rows re-inserted are never decided again; rows in conflict (a run found their key in the target) only when named, by ids or by a filter whose status names conflict (a filter or all: true that does not leaves them, and the answer adds conflictsLeft, how many it matched and left, and a note naming the way to decide them): the answer then adds conflictsDecided (how many) and a note on what a run does with them (a conflict again unless the row in the way is gone; a tableMap side table to compare).',
    },
  }, async (req) => {
    const b = req.body;
    if (b.filter || b.all) app.staging.requireJob(req.params.id);
    const filter = b.filter ? toFilter(app.staging, req.params.id, b.filter, 'body.filter') : undefined;
    let r: ReturnType<StagingStore['decide']>;
    try {
      r = app.staging.decide(req.params.id, { actor: req.principal!.name, decision: b.decision, reason: b.reason, ids: b.ids, all: b.all, filter, seen: b.seen as Record<string, RowStatus> | undefined, expectRows: b.expectRows, asOf: b.asOf });
    } catch (e) {
      // the store names the field as its own argument (`all`, `filter`); the answer names the body's
      if (e instanceof InputError && e.location.field) throw new InputError(e.code, e.message, { ...e.location, field: `body.${e.location.field}` });
      if (e instanceof StagingError && e.location.field) throw new StagingError(e.code, e.message, { ...e.location, field: `body.${e.location.field}` });
      throw e;
    }
    req.log.info({ jobId: req.params.id, decision: b.decision, rows: r.rows, ...(r.heldBack ? { heldBack: r.heldBack.rows } : {}) }, 'decision recorded');
    return r;
  });

  app.get('/api/jobs/:id/decisions', {
    config: { access: 'read' },
    schema: {
      tags: ['rows'], summary: "A job's decisions: who, when, why, how many rows", params: JobIdParams, querystring: DecisionsQuery, response: { 200: DecisionsResponse },
      description: 'Each decision: actor, decidedAt, decision, reason, selector, rowCount (rows changed), and heldBack ({ rows, runs: [run ids] }, else null): the rows a decision by filter or all: true left out because a re-insert run held them. Without limit or after every decision is answered, oldest first, streamed a page at a time (a decision by ids keeps up to 100,000 ids: a few hundred of them are more than one JSON text can be), and next is null. With limit (1 to 1000) and/or after (a decision id) one page: at most limit decisions after that id, ending early once their selectors and reasons reach 32 Mi characters (at least one decision), and next, the after of the next page, null at the end.',
    },
  }, async (req, reply) => {
    const jobId = req.params.id;
    app.staging.requireJob(jobId);
    if (req.query.limit !== undefined || req.query.after !== undefined) return app.staging.decisionsPage(jobId, { after: req.query.after, limit: req.query.limit });
    // HEAD: the headers, no decision read (fastify's HEAD reads a streamed answer to its end)
    if (isHead(req)) return headersOnly(reply, 'application/json; charset=utf-8');
    // every decision, a page at a time with a turn of the event loop between pages, never one string:
    // the list of a job of a few hundred decisions by 100,000 ids each (1.7 M characters apiece) passed
    // V8's longest string (~536 M characters) and was answered 500 INTERNAL
    const staging = app.staging;
    const body = Readable.from((async function* () {
      yield '{"items":[';
      let first = true;
      const heldBack = staging.decisionsHeldBack(jobId);
      for (let after = 0; ;) {
        const page = staging.decisionsPageJson(jobId, { after, heldBack });
        for (const d of page.items) {
          // the selector's JSON text put in its place (a decision by ids: 100,000 ids never parsed)
          // (in decisionsPage's key order; the reason before it is a JSON string, in which `"selector":0` cannot stand)
          const text = JSON.stringify({ id: d.id, actor: d.actor, decidedAt: d.decidedAt, decision: d.decision, reason: d.reason, selector: 0, rowCount: d.rowCount, heldBack: d.heldBack });
          const at = text.indexOf(',"selector":0,');
          yield (first ? '' : ',') + text.slice(0, at) + ',"selector":' + d.selector + text.slice(at + ',"selector":0'.length);
          first = false;
        }
        if (page.next === null) break;
        after = page.next;
        await yieldToEventLoop();
      }
      yield '],"next":null}';
    })(), { objectMode: false });
    // a stream is written as it is (no serializer): its items are DecisionsResponse's
    return reply.type('application/json; charset=utf-8').send(body as never);
  });

  app.get('/api/jobs/:id/export', {
    config: { access: 'read' },
    schema: { tags: ['rows'], summary: 'Export matching rows: CSV, NDJSON, T-SQL INSERT script, or the undo script', params: JobIdParams, querystring: ExportQuery },
  }, async (req, reply) => {
    const jobId = req.params.id;
    app.staging.requireJob(jobId);
    const filter = toFilter(app.staging, jobId, req.query, 'querystring');
    const format = req.query.format;
    // an option that would do nothing is refused, never ignored: the order is the script's
    if (req.query.tableOrder !== undefined && format !== 'sql') throw new InputError('INPUT_BAD_OPTION', `querystring.tableOrder orders the tables of the INSERT script (format=sql); format=${format} takes none: leave it out`, { field: 'querystring.tableOrder' });
    // a HEAD exports nothing (its headers alone): not audited as an export
    if (!isHead(req)) app.staging.appendAudit(req.principal!.name, 'rows.export', jobId, { format, filter });
    const name = `rowback-job-${jobId}`;
    // Whether the job's result is whole, in every format: an INCOMPLETE job (log lost to damage, a
    // damaged catalog) exported with no word, so a script that only exports never learnt it. A
    // header, not a line in the body (a CSV or NDJSON parser would take it for a row).
    const job = app.staging.getJob(jobId)!;
    reply.header('x-rowback-complete', job.complete === null ? 'unknown' : String(job.complete));
    if (job.incomplete !== null) reply.header('x-rowback-incomplete', String(job.incomplete.length));
    // is any of it doubtful? the job's WARNING/UNCHECKED sentences and rows with warnings, counted (JobRecord.warnings)
    if (job.warnings !== null) reply.header('x-rowback-warnings', String(job.warnings.length));
    if (job.rowsWithWarnings !== null) reply.header('x-rowback-rows-with-warnings', String(job.rowsWithWarnings));
    // rows of no begin time the window cannot place are not exported: counted in a header (the
    // body holds rows alone), as the list says them (store.ts unplacedRows)
    const unplaced = app.staging.unplacedRows(jobId, filter);
    if (filter.from || filter.to) reply.header('x-rowback-unplaced', String(unplaced));
    if (format === 'ndjson') {
      if (isHead(req)) return headersOnly(reply.header('content-disposition', `attachment; filename="${name}.ndjson"`), 'application/x-ndjson');
      const gen = function* () { for (const r of app.staging.iterateRows(jobId, filter)) yield rowJson(exportNdjsonRow(r) as { values: Record<string, unknown>; after?: Record<string, unknown> | null }) + '\n'; };
      return reply.type('application/x-ndjson').header('content-disposition', `attachment; filename="${name}.ndjson"`).send(Readable.from(inTurns(gen())));
    }
    if (format === 'csv') {
      if (isHead(req)) return headersOnly(reply.header('content-disposition', `attachment; filename="${name}.csv"`), 'text/csv; charset=utf-8');
      // One column per value when the export is of one table; else the values as one JSON column.
      // The row's own columns are those of `rowback scan --format csv` (recover/writers.ts), with the
      // staged row's id first and its review status last: who deleted it (sid, sidText, dbUser, as
      // the NDJSON's meta holds them) and where it was (allocUnitId, pageId, slotId). A job that
      // recovers updates adds the after image (after.<column>, or one JSON `after` column).
      // the columns rows carry (isVisibleColumn), as scan's CSV and the grid have them: a hidden
      // internal column or a sparse column set came out as a column of empty cells, read as NULLs
      const cols = filter.table ? (app.staging.jobTables(jobId).find((t) => stagedTableName(t) === filter.table)?.columns.filter(isVisibleColumn).map((c) => c.name) ?? null) : null;
      const withAfter = app.staging.getJob(jobId)?.operations.some((o) => o.toLowerCase() === 'update') === true;
      const own = ['id', ...CSV_OWN_COLUMNS, 'status'];
      const valueHeaders = cols ? csvValueHeaders(cols, own) : null;
      const header = ['id', ...CSV_FIXED, 'status', ...(valueHeaders ?? ['values']), ...(withAfter ? (valueHeaders ? valueHeaders.map((c) => `after.${c}`) : ['after']) : []), 'warnings', 'raw'];
      const raw = req.query.csvRaw === true;
      const image = (v: Record<string, SqlValue> | null): Array<string | null> => (cols ? cols.map((c) => csvCell(v ? v[c] : undefined)) : [v ? valuesJson(v) : null]);
      const gen = function* () {
        yield csvRecord(header, raw);
        for (const r of app.staging.iterateRows(jobId, filter)) {
          const own = Object.fromEntries(CSV_FIXED.map((k) => [k, k in r ? (r as unknown as Record<string, unknown>)[k] : r.meta[k]]));
          const facts = CSV_FIXED.map((k) => csvCell(own[k] as SqlValue | undefined));
          const base = [String(r.id), ...facts, r.status];
          yield csvRecord([...base, ...image(r.values), ...(withAfter ? image(r.after) : []), csvWarningsCell(r.warnings, cols ?? undefined, r.values, withAfter ? r.after : undefined, { names: CSV_FIXED, row: own }), r.raw], raw);
        }
      };
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(Readable.from(inTurns(gen())));
    }
    const ids: number[] = [];
    const byStatus = new Map<string, number>();
    const reinsertedIds = new Set<number>();
    for (const r of app.staging.iterateRows(jobId, filter)) {
      ids.push(r.id);
      if (r.status === 'reinserted') reinsertedIds.add(r.id);
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      if (ids.length % 1000 === 0) await yieldToEventLoop();
    }
    // The INSERT script is planned as `POST /api/jobs/:id/reinsert` plans (its default operations:
    // rows recovered from deletes), so the two agree on which rows would be inserted; an update's
    // before-image or an inserted row is left out and named (REINSERT_NOT_A_DELETE). It wrote every
    // matching row: an update's stale before-image went in ahead of the deleted row of that key,
    // and rows a key-less table still holds were inserted again.
    // The undo deletes only what rowback's executed runs inserted (their ledgers), never a row that
    // merely matches a staged key, whatever it was recovered from, and from where each run put it:
    // its tableMap (a side table) and database. Planned without them, the undo of update
    // before-images a run put into a side table deleted the live rows of their keys in the source table.
    const inserted = format === 'undo-sql' ? insertedByRuns(app.staging, jobId) : new Map<number, number[]>();
    const groups = new Map<string, { tableMap?: Record<string, string>; database?: string; ledgerTable?: string; ids: number[] }>();
    const runTarget = new Map<number, { tableMap?: Record<string, string>; database?: string; ledgerTable?: string }>();
    // a row put into a side table and then into its own table is in two runs' ledgers: undone from both
    let grouped = 0;
    for (const [id, runId] of ids.flatMap((id) => (inserted.get(id) ?? [undefined]).map((runId) => [id, runId] as const))) {
      if (++grouped % 1000 === 0) await yieldToEventLoop();
      let where: { tableMap?: Record<string, string>; database?: string; ledgerTable?: string } = {};
      if (runId !== undefined) {
        if (!runTarget.has(runId)) {
          const t = app.reinsert.getRun(runId)?.target ?? {};
          // a run through a connection naming no database went into the login's default one, recorded
          // as databaseUsed (DB_NAME() where its catalog was read): the undo names it (three-part) too,
          // or it deleted in whatever database the session that runs it is in
          // and its ledger table: the undo takes each row's entry out of the row ledger the run wrote it
          // to (it named the default one, so a run's own ledger kept saying the rows were put back and
          // a later re-insert of them passed over every one as already in)
          runTarget.set(runId, { tableMap: (t.tableMap as Record<string, string> | null) ?? undefined, database: (t.database as string | null) ?? (t.databaseUsed as string | undefined) ?? undefined, ledgerTable: (t.ledgerTable as string | null) ?? undefined });
        }
        where = runTarget.get(runId)!;
      }
      const key = JSON.stringify([where.tableMap ?? null, where.database ?? null, where.ledgerTable ?? null]);
      const g = groups.get(key) ?? { ...where, ids: [] };
      g.ids.push(id);
      groups.set(key, g);
    }
    let plan: ReinsertPlan;
    let metadata: string;
    // Never twice: rows a rowback run already re-inserted (status reinserted) are left out of the
    // INSERT script unless the export asks for that status by name; run as it was, the script put
    // them in again (a key-less table got a second copy; a keyed one failed on them mid-script).
    const askedReinserted = [filter.status ?? []].flat().includes('reinserted');
    const alreadyIn = format === 'sql' && !askedReinserted ? reinsertedIds.size : 0;
    if (format === 'sql') {
      const scripted = alreadyIn ? ids.filter((id) => !reinsertedIds.has(id)) : ids;
      let tableOrder: string[] | undefined;
      try {
        ({ plan, metadata } = await app.reinsert.plan(jobId, { operations: [...DEFAULT_REINSERT_OPERATIONS] as ('delete' | 'insert' | 'update')[], ...(req.query.tableOrder !== undefined ? { tableOrder: (tableOrder = splitTableList(req.query.tableOrder)) } : {}) }, { rowIds: scripted, anyStatus: true, otherJobs: !askedReinserted }));
      } catch (e) {
        // the plan names the list's place (`tableOrder.1`); the export's is the query's
        if (tableOrder && e instanceof InputError && e.location.field?.startsWith('tableOrder')) throw new InputError(e.code, e.message, { ...e.location, field: `querystring.${e.location.field}` });
        throw e;
      }
    } else {
      const plans: ReinsertPlan[] = [];
      metadata = 'staged-layouts';
      for (const g of groups.values()) {
        const p = await app.reinsert.plan(jobId, { tableMap: g.tableMap }, { rowIds: g.ids, anyStatus: true, database: g.database, ledgerTable: g.ledgerTable, checkStaleText: false, undo: true });
        plans.push(p.plan);
        metadata = p.metadata;
      }
      plan = mergePlans(plans);
      if (format === 'undo-sql') {
        // deleted in the reverse of the order the runs put the rows in (their batches' row ids):
        // planned here without the target's foreign keys, the tables came by name, and a parent's
        // rows were deleted before its child's (Msg 547, the whole undo rolled back)
        const sequence = new Map<number, number[]>();
        const runs = [...new Set([...inserted.values()].flat())];
        const q = app.staging.db.prepare('SELECT batch_no, row_ids FROM reinsert_batches WHERE run_id = ? ORDER BY batch_no');
        for (const runId of runs) {
          for (const b of q.all(runId) as { batch_no: number; row_ids: string }[]) {
            (JSON.parse(b.row_ids) as number[]).forEach((rowId, i) => { if (inserted.get(rowId)?.includes(runId)) sequence.set(rowId, [runId, b.batch_no, i]); });
          }
        }
        plan = inInsertionOrder(plan, sequence);
      }
    }
    const planned = plan.batches.reduce((n, b) => n + b.rows.length, 0);
    const header = [`rowback export of job ${jobId} (${ids.length} rows), ${new Date().toISOString()}`, metadataSentence(metadata)];
    // the filter the rows were chosen by, and the job's own count: "(3 rows)" of a table= export
    // read as the whole job's re-insert, its other tables never said
    const given = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)).map(([k, v]) => `${k}=${redactSecrets(Array.isArray(v) ? v.join(',') : String(v))}`);
    // a filter that chose every row has no others to speak of ("11 of the job's 11 …; the others are not in this script")
    const staged = app.staging.getJob(jobId)!.rowsStaged;
    if (given.length) header.push(`rows chosen by the filter ${given.join(', ')}: ${ids.length} of the job's ${staged} staged row(s)${ids.length < staged ? '; the others are not in this script' : ', every one'}`);
    if (format === 'sql') {
      header.push(`${planned} of the ${ids.length} row(s) planned to insert, as POST /api/jobs/${jobId}/reinsert plans approved rows (rows recovered from deletes)`);
      appendAll(header, problemSummary(plan.problems));
      if (alreadyIn) header.push(`${alreadyIn} row(s) already re-inserted by rowback runs of this job are left out (never twice; export with status=reinserted to script them on purpose)`);
      // the database the rows were read from, which the script (planned without a target) cannot check
      appendAll(header, databaseCheckHeader(compareDatabases(job.sourceDatabase, null, jobId)));
      // rows in a stopped run's batch in doubt that kept another ledger table than this script's
      // (the default): run by hand, the script's row-ledger check does not find them (service.ts)
      const otherLedger = app.reinsert.ledgerInDoubtWarning(jobId, plan, undefined, null, null, null);
      if (otherLedger) header.push(otherLedger);
    }
    // its first INCOMPLETE sentence may name a live job's server and login, which are operators' to
    // see (docs/security.md): hidden from viewers and reviewers as GET /api/jobs/:id and a dry run's
    // script hide them; the export said them whole to any viewer
    const completeness = jobCompletenessWarning(job);
    const role = req.principal?.role;
    if (completeness) header.push(role === 'operator' ? completeness : hideServer(completeness, jobConnectionsKnown(app.staging, jobId), role));
    const doubt = jobDoubtWarning(job);
    if (doubt) header.push(doubt);
    if (unplaced > 0) header.push(`WARNING: ${unplacedNote(unplaced, 'not in this script')}`);
    // The script holds every matching row whatever its review status: said at its top, so a script
    // run as it is never re-inserts rejected or unreviewed rows unknowingly (newcomer trial: 16 rows
    // exported, 13 approved, the header said only "16 rows").
    const notApproved = [...byStatus].filter(([st]) => st !== 'approved');
    if (format === 'sql' && notApproved.length) {
      header.push(`WARNING: not only approved rows: ${[...byStatus].sort().map(([st, n]) => `${n} ${st}`).join(', ')}; for a script of the approved rows alone export with status=approved`);
    }
    // rows the script leaves out (a table or column name it cannot carry, e.g. an unpaired
    // surrogate, which UTF-8 writes as U+FFFD: another table's name), counted for a client that
    // reads no further than the answer's headers; each is named in the script's WARNING lines
    const leftOut = (await notScriptedCooperatively(plan)).filter((u) => format === 'sql' || inserted.has(u.rowId));
    if (leftOut.length) reply.header('x-rowback-not-scripted', String(leftOut.length));
    // HEAD: every header GET sends (the plan's rows not scripted among them), the script not rendered
    if (isHead(req)) return headersOnly(reply.header('content-disposition', `attachment; filename="${name}${format === 'undo-sql' ? '-undo' : ''}.sql"`), 'application/sql; charset=utf-8');
    let chunks: Iterable<string>;
    if (format === 'sql') chunks = renderScriptChunks(plan, { header, foreignKeysKnown: metadata === 'target-catalog' });
    else {
      const notTouched = new Map(ids.filter((id) => !inserted.has(id)).map((id) => [id, 'no executed rowback run of this job inserted it'] as const));
      const sides = [...runTarget].filter(([, w]) => w.tableMap && Object.keys(w.tableMap).length).map(([runId, w]) => `run ${runId}: ${Object.entries(w.tableMap!).map(([a, b]) => `${a} → ${b}`).join(', ')}`);
      chunks = renderUndoScriptChunks(plan, { rowIds: new Set(ids.filter((id) => inserted.has(id))), notTouched, header: [...header, 'undo: only rows that executed re-insert runs of this job inserted (their ledgers), from the table each run put them in', ...(sides.length ? [`side tables of the runs: ${sides.join('; ')}`] : []),
        // a newcomer who ran the exported script by hand got an undo deleting nothing, every row
        // 'NOT TOUCHED', and no word of the undo that does delete them
        ...(notTouched.size ? [`rows put back by a script run by hand (this export's format=sql, a dry run's script) are not known to this undo: undo them with the undoScript a dry run answers (POST /api/jobs/${jobId}/reinsert {"dryRun": true}, with the same tableMap), which deletes each row the target's row ledger says was put back`] : [])] });
    }
    // Streamed a batch at a time, with a turn of the event loop between batches.
    const body = Readable.from((async function* () {
      let first = true;
      for (const c of chunks) {
        yield first ? c : '\n' + c;
        first = false;
        await yieldToEventLoop();
      }
    })());
    return reply.type('application/sql; charset=utf-8').header('content-disposition', `attachment; filename="${name}${format === 'undo-sql' ? '-undo' : ''}.sql"`).send(body);
  });
}

/**
 * A staged row as the NDJSON export writes it: the row `rowback scan --format ndjson` prints
 * (table, lsn, operation, transactionId, beginTime, endTime, login, sid, sidText, dbUser, spid,
 * transactionName, allocUnitId, pageId, slotId, values, after, raw, warnings, source; sidText,
 * dbUser, host, program and after only when known), with the staged row's `id` first and its review
 * `status` last, as the CSV export has them. It was the store's record (jobId, `meta` holding sid,
 * allocUnitId, page, slot and source, no dbUser key): a parser written for the CLI's NDJSON broke
 * on it (newcomer).
 */
export function exportNdjsonRow(r: StagedRowWithRaw): Record<string, unknown> {
  const m = r.meta as { sid?: string | null; sidText?: string; dbUser?: string; host?: string; program?: string; allocUnitId?: string | null; pageId?: string | null; slotId?: number | null; source?: unknown };
  return {
    id: r.id,
    table: r.table,
    lsn: r.lsn,
    operation: r.operation,
    transactionId: r.transactionId,
    beginTime: r.beginTime,
    endTime: r.endTime,
    login: r.login,
    sid: m.sid ?? null,
    ...(m.sidText ? { sidText: m.sidText } : {}),
    ...(m.dbUser ? { dbUser: m.dbUser } : {}),
    ...(m.host ? { host: m.host } : {}),
    ...(m.program ? { program: m.program } : {}),
    spid: r.spid,
    transactionName: r.transactionName,
    allocUnitId: m.allocUnitId ?? null,
    pageId: m.pageId ?? null,
    slotId: m.slotId ?? null,
    values: r.values,
    ...(r.after ? { after: r.after } : {}),
    raw: r.raw,
    warnings: r.warnings,
    source: m.source ?? null,
    status: r.status,
  };
}
