import { splitQualifiedName } from '../../util/tsql.js';
import { z } from 'zod';
import { ROW_OPERATIONS, ROW_STATUSES } from '../../staging/types.js';
import { ScanOperationList } from '../../worker/job-spec.js';
import { firstUnpairedSurrogate } from '../../util/surrogates.js';
import { ledgerNameProblem } from '../../reinsert/plan.js';

/**
 * An id in a path (`/api/jobs/:id`, `:rowId`, `:runId`): decimal digits, 1 or more. z.coerce.number
 * took whatever JavaScript's Number() reads, so `/api/jobs/0x10` answered job 16, `/api/jobs/1e3`
 * job 1000, `/api/jobs/%201` (a space) and `/api/jobs/0b11` other jobs than the text names, as if
 * they were the ids typed.
 */
export function pathId(what: string) {
  return z.string()
    .regex(/^[1-9][0-9]*$/, { error: `a ${what} is a whole number from 1, in decimal digits (no sign, spaces, 0x, exponent or leading zeros)` })
    .transform(Number)
    .refine(Number.isSafeInteger, { error: `no ${what} is that large` });
}

/**
 * A whole number in a query string (`limit`, `before`, `after`, `jobId`, `rowsAfter`) from `min` to
 * `max`: decimal digits, as pathId (z.coerce.number took `?limit=1e2`, `?before=0x10`, `?after=%205`).
 */
export function queryInt(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z.string()
    .regex(/^(0|[1-9][0-9]*)$/, { error: 'expected a whole number in decimal digits (no sign, spaces, 0x, exponent or leading zeros)' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

export const JobIdParams = z.object({ id: pathId('job id') });
export const RowParams = z.object({ id: pathId('job id'), rowId: pathId('row id') });

/**
 * A begin-time bound as text: its form is checked where it is read (rows.ts toFilter, through
 * `parseWindowTime`, as `scan --from/--to`), so a time with a zone (`…Z`, `…+02:00`) is told it
 * "has a time zone" as the CLI tells it, not a generic "expected YYYY-MM-DD…".
 */
const time = z.string().max(64);

/** Row filters, as query parameters and as the `filter` of a bulk decision. */
export const RowFilterSchema = z.object({
  table: z.string().min(1).max(300).optional(),
  login: z.string().max(300).optional(),
  status: z.union([
    z.string().regex(new RegExp(`^(${ROW_STATUSES.join('|')})(,(${ROW_STATUSES.join('|')}))*$`), `expected one or more of ${ROW_STATUSES.join(', ')}, comma-separated`),
    z.array(z.enum(ROW_STATUSES as [string, ...string[]])),
  ]).optional().describe('pending, approved, rejected, reinserted, conflict (comma-separated for several)'),
  operation: z.union([
    z.string().regex(new RegExp(`^(${ROW_OPERATIONS.join('|')})(,(${ROW_OPERATIONS.join('|')}))*$`), `expected one or more of ${ROW_OPERATIONS.join(', ')}, comma-separated`),
    z.array(z.enum(ROW_OPERATIONS as [string, ...string[]])),
  ]).optional().describe('the operation the rows were recovered from: delete, insert, update (an update\'s before-image); comma-separated for several'),
  from: time.optional().describe("begin time ≥ (the SQL Server's local time, no zone): YYYY-MM-DD[THH:MM[:SS[.fff]]], as `scan --from`"),
  to: time.optional().describe('begin time ≤ (a day, minute or second covers all of it), as `scan --to`; without `from`, a row of no begin time (its LOP_BEGIN_XACT not in the log read) that committed by it too, as `scan --to` alone prints it'),
  transactionId: z.string().max(40).optional(),
  q: z.string().max(200).optional().describe('free text over values (words; `prefix*`)'),
  sid: z.string().max(200).optional().describe("who began the row's transaction, by SID: hex (any case, 0x optional) or S-1-5-21-…; matches the row's meta.sid or meta.sidText (offline scans, where login is null)"),
  dbUser: z.string().max(300).optional().describe("who began the row's transaction, by database user (meta.dbUser, offline scans of a data file or backup): exact but case-insensitive, as SQL Server compares names under a default collation"),
}).strict(); // an unknown key (a typo such as `tabel`) is a 400: dropped, it widened a bulk decision to every row

/** The keys of a row filter (RowFilterSchema). */
export const ROW_FILTER_KEYS = Object.keys(RowFilterSchema.shape) as (keyof z.infer<typeof RowFilterSchema>)[];

/**
 * A query string's row filter keys must have a value: `login=` (a script's unset `login=$LOGIN`)
 * was taken as no filter and listed, counted and exported every row of the job, while `table=`
 * was refused. An empty or blank value of any filter key is an issue naming that key (400
 * INPUT_VALIDATION). A decision's body `filter` keeps its own rule: one that narrows nothing is
 * INPUT_DECISION_ALL_ROWS.
 */
function refuseEmptyFilterValues(q: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const k of ROW_FILTER_KEYS) {
    const v = q[k];
    const blank = (x: unknown) => typeof x === 'string' && x.trim() === '';
    if (blank(v) || (Array.isArray(v) && v.some(blank))) {
      ctx.addIssue({ code: 'custom', path: [k], message: `empty: give a value or leave ${k} out (an empty ${k} would filter nothing and take every row of the job)` });
    }
  }
}

export const RowListQuery = RowFilterSchema.extend({
  limit: queryInt(1, 1000).default(100),
  cursor: z.string().max(100).optional(),
  count: z.enum(['true', 'false']).optional().describe('also count every matching row (slower on big jobs)'),
}).strict().superRefine(refuseEmptyFilterValues);

export const DecisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  // a reason is stored as SQLite TEXT (UTF-8), which has no form for an unpaired surrogate: kept
  // whole or refused, never changed to U+FFFD in the record of who decided what and why
  // zod's own words ("expected string, received undefined", "Too small: expected string to have
  // >=3 characters") left a reviewer's `"reason": "ok"` unexplained: said as what the field is for
  reason: z.string({ error: (i) => (i.input === undefined ? 'a reason is required: say why these rows are approved or rejected (3 to 2,000 characters; it goes into the audit log)' : undefined) })
    .trim().min(3, { error: 'too short: give at least 3 characters saying why (it goes into the audit log with your name)' }).max(2000).superRefine((r, ctx) => {
    const u = firstUnpairedSurrogate(r);
    if (u) ctx.addIssue({ code: 'custom', message: `holds an unpaired UTF-16 surrogate (${u.unit} at offset ${u.offset}), which the staging file would keep as U+FFFD: write the reason without it` });
    // the 3 characters are ones a reader of the audit log sees: zero-width and other format
    // characters (U+200B, U+2060, U+FEFF, bidi marks: \p{Cf}), other invisible controls and
    // whitespace between them do not count (a reason of three U+200B passed, and the audit log
    // held a decision with no reason to read) (breaker)
    else if (r.replace(/[\p{Cf}\p{Cc}\p{Z}\s]/gu, '').length < 3) ctx.addIssue({ code: 'custom', message: 'too short: give at least 3 visible characters saying why (zero-width, format and control characters do not count; it goes into the audit log with your name)' });
  }),
  ids: z.array(z.number().int().positive()).min(1).max(100_000).optional().describe('the rows, by id (each must be a row of the job)'),
  filter: RowFilterSchema.optional().describe('the rows matching a filter; one that narrows nothing ({}, or only empty fields) is refused (400 INPUT_DECISION_ALL_ROWS, saying how many rows it would decide) unless all is true'),
  all: z.boolean().optional().describe('true: decide every row of the job (the only way to; with no filter or one that narrows nothing); with ids or a filter that narrows it is refused (400 INPUT_DECISION_ALL_CONTRADICTS)'),
  // what the reviewer was looking at: without it a second reviewer's decision made since the page
  // was loaded was overturned unseen (last write won), and a bulk decision took rows staged or
  // decided since the count was shown
  seen: z.record(z.string().regex(/^[1-9]\d*$/, 'a row id'), z.enum(ROW_STATUSES as [string, ...string[]])).optional()
    .describe('with ids: each row\'s status as the reviewer saw it ({"12": "pending"}); when a row\'s status is another now (another reviewer decided it since, a run re-inserted it) the decision is refused, 409 STAGING_DECISION_STALE naming the rows, who changed them and when, and nothing is decided'),
  asOf: z.string().max(100).optional()
    .describe('the asOf token of the rows page the reviewer decided on (GET /api/jobs/:id/rows answers it; with a filter or all: true, the page read with count=true and this filter): exact by row identity. Refused, 409 STAGING_DECISION_STALE and nothing decided, when a row it would take was staged after that read, or decided since (by anyone, also back to the status shown), or, with a filter, the count moved (a run re-inserted rows). Opaque: send it as it came'),
  expectRows: z.number().int().min(0).optional()
    .describe('with filter or all: how many rows the reviewer saw the filter match (the count=true total); when it matches another number now (rows staged or decided since) the decision is refused, 409 STAGING_DECISION_STALE, and nothing is decided. A count alone: a row staged and another decided out of the filter since keep it, and the decision takes the new row; asOf is exact'),
  // none of the three is a validation error; ids with filter or all is the store's refusal,
  // INPUT_DECISION_ALL_CONTRADICTS, as documented (this refine answered INPUT_VALIDATION for it)
}).strict().refine((b) => Boolean(b.ids || b.filter || b.all), { message: 'give ids, or filter, or all: true', path: ['ids'] });

export const TargetSchema = z.object({
  connectionString: z.string().min(1).describe('ADO-style; never stored or logged'),
  database: z.string().min(1).max(128).optional(),
  // refused before anything connects: such a name reaches every script raw (plan.ts ledgerNameProblem)
  ledgerTable: z.string().min(1).max(300).superRefine((t, ctx) => {
    const bad = ledgerNameProblem(t);
    if (bad) ctx.addIssue({ code: 'custom', message: bad });
  }).optional(),
}).strict();

export const ReinsertBody = z.object({
  // required, and a JSON boolean: the validator's own words ("expected boolean, received
  // undefined") said neither what the field is nor which value runs the re-insert
  dryRun: z.boolean({ error: 'give dryRun: true for the script only (nothing is sent to a target), or dryRun: false to re-insert into the target (with targetName or target); a JSON true or false, not text' })
    .describe('true: plan and answer the script only, nothing sent to a target; false: run the re-insert into the target'),
  target: TargetSchema.optional(),
  targetName: z.string().min(1).max(64).optional().describe('a target configured on the server (GET /api/info lists them); its connection string stays there'),
  tableMap: z.record(z.string(), z.string()).optional().describe('source schema.name → target schema.name (side tables)')
    .superRefine((m, ctx) => {
      for (const [k, v] of Object.entries(m ?? {})) {
        for (const [what, text] of [['source', k], ['target', v]] as const) {
          let parts: { schema: string; name: string };
          try {
            parts = splitQualifiedName(text);
          } catch (e) {
            // a source may be the job's own table as the API names it, `dbo.Order.Items` of
            // dbo.[Order.Items] (no one- or two-part name): checked against the job's tables when
            // the plan resolves the map (plan.ts resolveTableMap: jobTableText), refused there if none
            if (what === 'source') continue;
            ctx.addIssue({ code: 'custom', path: [k], message: `${what} '${text.slice(0, 60)}' is not a schema.name table name: ${(e as Error).message}` });
            continue;
          }
          if (parts.schema.length > 128 || parts.name.length > 128 || !parts.schema || !parts.name) ctx.addIssue({ code: 'custom', path: [k], message: `${what} '${text.slice(0, 60)}' is not a schema.name table name: each part must be 1-128 characters` });
        }
      }
    }),
  batchSize: z.number().int().min(1).max(10_000).optional(),
  rowIds: z.array(z.number().int().positive()).min(1).max(1_000_000).optional(),
  operations: ScanOperationList.optional().describe('delete, insert, update, any case (as `rowback scan --op`): recovered operations to re-insert (default delete only; insert/update before-images usually into a side table)'),
  tableOrder: z.array(z.string().min(1).max(300)).min(1).max(1000).optional().describe("without a target: the job's tables in the order their rows go in, parents before children (a customer before its contacts); without it they are ordered by the foreign keys of the source's catalog when the job's source has a data file or backup (not checked against the target), else by name (dbo.Contact before dbo.Customer). Tables not named are placed by name. Refused with a target (its foreign keys order them)"),
  acceptOtherDatabase: z.boolean().optional().describe("true: a real run goes on into a database other than the one the job's rows were read from (another binding id, or another name where one is not known: a side or restored copy); without it such a run is refused (409 REINSERT_OTHER_DATABASE naming both). A dry run warns (databaseCheck) either way"),
  previewBytes: z.number().int().min(1).max(16 * 1024 * 1024).optional().describe("dryRun: true only: the answer's script and undoScript cut to their first previewBytes bytes of UTF-8 (after their last line break in them when there is one in their second half; scriptCut / undoScriptCut say whether they were cut), for a page that shows a preview; the whole of either is GET /api/reinsert-runs/:runId/script/script (…/undo). Without it they are whole"),
}).strict();

export const ExportQuery = RowFilterSchema.extend({
  // any case, as the CLI's --format and the API's operations take theirs (`CSV` was a 400)
  format: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['csv', 'ndjson', 'sql', 'undo-sql'])).describe('csv, ndjson, sql, undo-sql (any case)'),
  /** format=sql: the tables in the order their rows go in, comma-separated (ReinsertBody.tableOrder). */
  tableOrder: z.string().min(1).max(30_000).optional().describe('format=sql: the job\'s tables in the order their rows go in, parents first, comma-separated (a comma inside [brackets] or "quotes" is part of a name): the export reads no target, so without it the tables come parents first by the foreign keys of the source catalog (a job whose source has a data file or backup), else by name'),
  /** CSV: cells exactly as decoded, without the spreadsheet formula guard (util/csv.ts). */
  csvRaw: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
}).strict().superRefine(refuseEmptyFilterValues);

/** `status=a&status=b` and `status=a,b` both mean a list. */
export function normaliseFilter<T extends { status?: string | string[]; operation?: string | string[] }>(f: T): T {
  let out = f;
  if (typeof out.status === 'string' && out.status.includes(',')) out = { ...out, status: out.status.split(',') };
  if (typeof out.operation === 'string' && out.operation.includes(',')) out = { ...out, operation: out.operation.split(',') };
  return out;
}

/**
 * A job as `GET /api/jobs/:id` and `GET /api/jobs` answer it (staging/types.ts JobRecord), for the
 * OpenAPI document. The serializer sends only the fields named here: a field added to JobRecord
 * must be added here too (test/api/job-complete.test.ts compares the two).
 */
export const JobResponse = z.object({
  id: z.number().int(),
  kind: z.enum(['live', 'log-backup', 'files', 'export', 'restore']),
  spec: z.record(z.string(), z.unknown()).describe('the job spec as submitted, secrets removed'),
  description: z.string(),
  windowFrom: z.string().nullable(),
  windowTo: z.string().nullable(),
  tables: z.array(z.string()),
  operations: z.array(z.string()),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted', 'resumable', 'cancelled']),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  rowsStaged: z.number().int(),
  skippedCount: z.number().int(),
  lastLsn: z.string().nullable(),
  attempts: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  scan: z.object({
    bytesRead: z.number(), bytesTotal: z.number().nullable(), recordsRead: z.number(), pass: z.number().nullable(), passes: z.number().nullable(), sampledAt: z.string(),
  }).nullable().describe("the source's own progress, sampled at most once a second while the job runs"),
  complete: z.boolean().nullable().describe("whether the result is whole, as `scan --report`'s `complete`: false exactly when the job's notes say INCOMPLETE (log lost to damage or in no file given, a damaged catalog); null while the job is queued or runs, when it failed, was cancelled or interrupted, or finished before rowback recorded this"),
  incomplete: z.array(z.string()).nullable().describe('the INCOMPLETE sentences of the job\'s notes (`[]` when complete); null when `complete` is'),
  warnings: z.array(z.string()).nullable().describe("whether any of the result is doubtful, as `scan --report`'s `warnings`: the WARNING: and UNCHECKED: sentences of the job's notes, with their prefix (`[]` when none): a value may be wrong or missing, log records of an operation rowback cannot read, the server's clock set back in the window; null when `complete` is, or the job finished before rowback recorded this"),
  rowsWithWarnings: z.number().int().nullable().describe("how many of the job's rows carry warnings of their own (each row's `warnings`), as `scan --report`'s `rowsWithWarnings`; null when `warnings` is"),
  rowsLeftOut: z.boolean().nullable().describe("whether the job's notes (audit entries job.notes) say rows of the incident are left out of its result: transactions begun outside the window or not committed in the log read, rows of tables the metadata lacks, log in no file given, rows a TRUNCATE TABLE or DROP TABLE removed unlogged; true when any note says so, false when it has notes and none does, null when it has none (yet). The review page opens the job's notes for it"),
  sourceDatabase: z.object({ name: z.string().nullable(), nameText: z.string().nullable(), bindingId: z.string().nullable(), familyGuid: z.string().nullable() }).nullable()
    .describe("the database the job's rows were read from, as its source states it (recorded when the job runs): name, binding id (database_guid) and family GUID, each null where the source does not state it, and nameText, the name as one T-SQL name for a sentence (`[CRM Side]`, a line break `\\u{a}`); null when not known (a job that has not run, or staged before rowback recorded it). Re-insert compares it with the target's"),
});

/** Rows per operation the rows were recovered from (every operation named; 0 when none). */
export const OperationCountsSchema = z.object({
  delete: z.number().int(), insert: z.number().int(), update: z.number().int(),
}).describe("rows per operation they were recovered from: delete, insert, update (an update's before-image)");

/** A job as the job routes answer it: JobResponse (the JobRecord) and its rows per operation. */
export const JobWithCountsResponse = JobResponse.extend({
  rowsByOperation: OperationCountsSchema,
});

const StatusCountsSchema = z.object(Object.fromEntries(ROW_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof ROW_STATUSES)[number], z.ZodNumber>);

/** `GET /api/jobs/:id/blast-radius` (staging/types.ts BlastRadius, and the rows per operation). */
export const BlastRadiusResponse = z.object({
  jobId: z.number().int(),
  total: z.number().int(),
  byTable: z.array(z.object({ table: z.string(), rows: z.number().int(), byOperation: OperationCountsSchema })),
  byLogin: z.array(z.object({ login: z.string().nullable(), sid: z.string().nullable(), sidText: z.string().nullable(), dbUser: z.string().nullable(), rows: z.number().int() })),
  byTransaction: z.array(z.object({ transactionId: z.string(), rows: z.number().int(), beginTime: z.string().nullable(), login: z.string().nullable(), sid: z.string().nullable(), dbUser: z.string().nullable() }))
    .describe('rows per transaction, the 1,000 largest; rows of no transaction (withoutTransaction) are in none'),
  withoutTransaction: z.number().int().describe("rows that carry no transaction id: a state comparison's (a restore job, rowback diff --stage), read from two states of the table rather than a transaction's log records"),
  byMinute: z.array(z.object({ minute: z.string(), rows: z.number().int(), byOperation: OperationCountsSchema })),
  byStatus: z.array(z.object({ status: z.enum(ROW_STATUSES as [string, ...string[]]), rows: z.number().int() })),
  byOperation: z.array(z.object({ operation: z.enum(ROW_OPERATIONS as [string, ...string[]]), rows: z.number().int(), byStatus: StatusCountsSchema }))
    .describe('rows per operation (delete, insert, update: before-images), each with its rows per status; every operation listed, 0 when none'),
});

/** One audit entry (`GET /api/audit`): staging/types.ts AuditEntry. */
const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  jobId: z.number().int().nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** `GET /api/audit`: one page of the audit log. */
export const AuditPageResponse = z.object({
  items: z.array(AuditEntrySchema),
  next: z.number().int().nullable().describe("the `after` of the next page; null at the end. A page ends at `limit` entries or once its entries' details reach 32 Mi characters (a decision's entry keeps its selector, up to 100,000 row ids), whichever comes first, and holds at least one entry: read on while `next` is not null, not until a page holds fewer than `limit`"),
});

/** One skipped item of a job (`GET /api/jobs/:id/skipped`): staging/store.ts skippedItems, plus `where`. */
const SkippedItemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  reason: z.string(),
  location: z.record(z.string(), z.unknown()).describe('where the item is, names raw as the reader read them: `file`, `offset`, `lsn`, `page`, `slot`, `table`, `column`, each when known'),
  raw: z.string().nullable().describe('row image hex, when the item was a row that could not be decoded'),
  lsnRange: z.object({ first: z.string(), last: z.string() }).optional().describe('the log range the item lost, `last` the first LSN not lost, when the reader knows it'),
  layoutChange: z.object({ lsn: z.string(), transactionId: z.string(), endTime: z.string().nullable() }).optional().describe("a files job's SOURCE_SCHEMA_DRIFT item: the change of its table's columns the row was logged after"),
  where: z.string().describe('`location` (and `lsnRange`) as one line of text, the review page\'s: `file …, LSN …, offset …, page …, slot …, table dbo.[Order Details], column [Unit Price]`, a table or column named as one T-SQL name (bracketed where it is no regular identifier, a control character written `\\u{…}`); empty when the location names nothing'),
});

/** `GET /api/jobs/:id/skipped`: one page of a job's skipped items. */
export const SkippedPageResponse = z.object({
  items: z.array(SkippedItemSchema),
  next: z.number().int().nullable().describe('the `after` of the next page; null at the end'),
});

/** One decision of a job (`GET /api/jobs/:id/decisions`): staging/store.ts DecisionEntry. */
const DecisionSchema = z.object({
  id: z.number().int(),
  actor: z.string(),
  decidedAt: z.string(),
  decision: z.enum(['approve', 'reject']),
  reason: z.string(),
  selector: z.unknown().describe('what was decided: {ids: [row ids]}, {filter: {…}} or {all: true}'),
  rowCount: z.number().int().describe('rows changed'),
  heldBack: z.object({ rows: z.number().int(), runs: z.array(z.number().int()) }).nullable(),
});

/** `GET /api/jobs/:id/decisions`: the job's decisions, whole or a page. */
export const DecisionsResponse = z.object({
  items: z.array(DecisionSchema),
  next: z.number().int().nullable().describe("with `limit` or `after`: the `after` of the next page, null at the end (a page ends at `limit` decisions or once their selectors and reasons reach 32 Mi characters, whichever comes first, and holds at least one); without them every decision is answered, streamed a page at a time, and `next` is null"),
});

/** `GET /api/jobs/:id/decisions`'s query: none (every decision), or a page. */
export const DecisionsQuery = z.object({
  after: queryInt(0).optional().describe('a page: the decisions after this decision id'),
  limit: queryInt(1, 1000).optional().describe('a page: at most this many decisions (1 to 1000; default 1000 when only `after` is given)'),
}).strict();
