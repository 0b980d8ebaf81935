import { withSourceDatabaseText } from '../table-text-fields.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StagingError } from '../../errors.js';
import { JobSpec } from '../../worker/job-spec.js';
import { validateJobSpec as validateSpec, type JobAccess } from '../../worker/job-validate.js';
import { AuditPageResponse, BlastRadiusResponse, JobIdParams, JobWithCountsResponse, queryInt, SkippedPageResponse } from './schemas.js';
import { skippedItemWhere } from '../skipped-where.js';
import { RowCounts } from '../row-counts.js';
import type { JobConnection } from '../../staging/types.js';
import { isVisibleColumn } from '../../reconstruct/metadata/table-layout.js';
import { commentText, stagedTableName } from '../../util/tsql.js';

/**
 * What a job record shows to a caller: operators see a failed job's whole error; viewers and
 * reviewers its code only, since the message may name files outside their view, or say whether a
 * server's port answered. `connections`: the ones the job recorded when it ran
 * (StagingStore.jobConnections): their server and login are hidden in its `incomplete` and `warnings` sentences
 * (which come from its notes) as in its audit entries (hideServer).
 */
function forCaller<T extends { error: { code: string; message: string } | null; spec: Record<string, unknown>; incomplete?: string[] | null; warnings?: string[] | null }>(job: T, role: string | undefined, connections: JobConnection[] = []): T {
  if (role === 'operator') return job;
  // a live job's stored spec names its server's host beside [redacted] (for resumes): operators'
  // to see, as the servers allowed are (GET /api/info)
  const spec = typeof job.spec.server === 'string' && job.spec.server.startsWith('[redacted]') ? { ...job.spec, server: '[redacted]' } : job.spec;
  // a live job run before its connection was recorded: hidden by the notes' wording and the host
  // its spec keeps, as its audit entries are (connectionsOf)
  const known = connections.length ? connections : typeof job.spec.server === 'string' ? jobServerHost(job.spec) : null;
  const live = connections.length || typeof job.spec.server === 'string';
  const incomplete = {
    ...(job.incomplete && live ? { incomplete: hideServer(job.incomplete, known, role) } : {}),
    ...(job.warnings && live ? { warnings: hideServer(job.warnings, known, role) } : {}),
  };
  if (!job.error) return { ...job, spec, ...incomplete };
  return { ...job, spec, ...incomplete, error: { code: job.error.code, message: `the job failed (${job.error.code}); an operator can see the details` } };
}

/**
 * The same rule for error messages wherever else they show: in the audit log (`job.failed`,
 * `reinsert.failed`, `reinsert.batch-failed` carry the whole error) a non-operator sees the code
 * only. Exported for the re-insert routes (a run's error).
 */
export function hideMessages<T>(value: T, role: string | undefined): T {
  if (role === 'operator') return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'message' && typeof x === 'string' ? 'an operator can see the details' : walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The server a job's stored spec keeps for its resumes (`[redacted] (server HOST)`: a live or
 * log-backup job), as a connection description writes it (the host without `,port` or
 * `\\instance`, `tcp:` dropped); null for a job of files.
 */
export function jobServerHost(spec: Record<string, unknown>): string | null {
  const m = typeof spec.server === 'string' ? /^\[redacted\] \(server (.+)\)$/.exec(spec.server) : null;
  const host = m ? m[1]!.replace(/^tcp:/i, '').split(/[,\\]/)[0]!.trim() : '';
  return host || null;
}

/** `text` as a word of its own in a RegExp (not inside a longer name such as dbo.sql1_archive), any letter case. */
function wordRe(text: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_-])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`, 'gi');
}

/**
 * Every string in `value` with the recorded connections' values replaced: each login (and its user
 * alone, for DOMAIN\\user) by `[login]`, each server host by `[server]`, longest first. By value,
 * whatever the words around them: a note worded anew hides them all the same.
 */
function hideConnections<T>(value: T, connections: JobConnection[]): T {
  const words = new Map<string, string>();
  for (const c of connections) {
    if (c.login) {
      words.set(c.login, '[login]');
      const user = c.login.slice(c.login.lastIndexOf('\\') + 1);
      if (user) words.set(user, '[login]');
    }
    if (c.server) words.set(c.server, '[server]');
  }
  const rules = [...words].sort((a, b) => b[0].length - a[0].length).map(([w, to]) => [wordRe(w), to] as const);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return rules.reduce((t, [re, to]) => t.replace(re, to), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * A live or log-backup job's audit entries for a caller: the server's host and the login the job
 * connected as are operators' to see (as the host its spec keeps is: forCaller). Its notes said both
 * to every viewer: "times are the server's local time, UTC+01:00 (SYSDATETIMEOFFSET() on
 * prod-sql-07:1433/crm as rowback (SQL login) over TLS)", the connection the job ran with.
 *
 * `known`: the connections the job recorded when it ran (StagingStore.jobConnections): their server
 * and login are replaced by value wherever they appear (`[server]`, `[login]`), whatever a note's
 * wording. A job run before rowback recorded them ([] or a host string: the host its spec keeps,
 * jobServerHost; null: none) falls back to the notes' known wording: describeConnection's
 * "on HOST:port/db as LOGIN (SQL login|NTLM) over|without TLS", and the host as a word of its own.
 * Operators get `value` as it is.
 */
export function hideServer<T>(value: T, known: JobConnection[] | string | null, role: string | undefined): T {
  if (role === 'operator') return value;
  if (Array.isArray(known) && known.length) return hideConnections(value, known);
  const host = Array.isArray(known) ? null : known;
  // the host as a word of its own (not inside a table name such as dbo.sql1_archive)
  const hostRe = host ? wordRe(host) : null;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      // describeConnection's "… as USER (SQL login) over TLS" / "as DOMAIN\\USER (NTLM) without TLS":
      // a login may hold spaces or brackets ('report user', CORP\\John Smith), which a login of
      // non-space characters left whole; the TLS words after it end the login
      const t = v.replace(/ as (.+?) \((SQL login|NTLM)\)(?= (?:over|without) TLS)/g, ' as [login] ($2)');
      // and describeConnection's server by its place ("on HOST:1433/db", "on HOST\\INST/db"): a job
      // whose connection string names no server (serve's MSSQL_SERVER supplies it) keeps no host in
      // its spec, and its notes named the server whole
      const u = t.replace(/( on )[^\s/:\\()]+((?::\d+|\\[^\s/]+)\/)/g, '$1[server]$2');
      return hostRe ? u.replace(hostRe, '[server]') : u;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * What hideServer hides in job `jobId`'s texts: the connections the job recorded when it ran, else
 * (a job run before) the host its spec keeps, null for none (a job of files).
 */
export function jobConnectionsKnown(staging: { jobConnections(id: number): JobConnection[]; getJob(id: number): { spec: Record<string, unknown> } | undefined | null }, jobId: number): JobConnection[] | string | null {
  const recorded = staging.jobConnections(jobId);
  if (recorded.length) return recorded;
  const spec = staging.getJob(jobId)?.spec;
  return spec && typeof spec.server === 'string' ? jobServerHost(spec) : null;
}

/**
 * A re-insert run's answer for a caller: its job completeness warning (`jobWarning`, the job's first
 * INCOMPLETE sentence, which may name a live job's server and login) with them hidden from all but
 * operators, wherever the warning stands whole (the answer's jobWarning, its summary, the script's
 * header line). Only that exact text is replaced: the script's rows are never touched, nor any value
 * but a string (a conflict row's -0 stays -0).
 */
export function hideJobWarning<T>(value: T, jobWarning: unknown, known: JobConnection[] | string | null, role: string | undefined): T {
  const swaps = jobWarningSwaps(jobWarning, known, role);
  if (!swaps.length) return value;
  // strings only, by walking (a JSON round trip would make a conflict row's -0 a 0); plain objects and arrays
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return swaps.reduce((t, { from, to }) => (t.includes(from) ? t.split(from).join(to) : t), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * What hideJobWarning replaces for `role`, in order: the job warning's exact text (`from`) and the
 * text shown in its place (`to`: its server and login hidden); then, when the script's comment
 * writes it otherwise (`-- ` + commentText: `$(`, control characters and lone surrogates escaped,
 * util/tsql.ts), that form and its hidden form. Empty when nothing is hidden (an operator, no
 * warning, none of the job's connections in it). The comment form was not looked for: a warning
 * holding `$(` (a database named `crm$(2024)`) or a tab stood whole in the script's WARNING line, its
 * server and login shown to reviewers and viewers. For texts streamed in pieces too (long-strings-json.ts
 * replaceInPieces, once per swap: a run's script read from the staging file a piece at a time).
 */
export function jobWarningSwaps(jobWarning: unknown, known: JobConnection[] | string | null, role: string | undefined): Array<{ from: string; to: string }> {
  if (role === 'operator' || typeof jobWarning !== 'string' || !jobWarning) return [];
  const hidden = hideServer(jobWarning, known, role);
  if (hidden === jobWarning) return [];
  const swaps = [{ from: jobWarning, to: hidden }];
  const inComment = commentText(jobWarning);
  if (inComment !== jobWarning) swaps.push({ from: inComment, to: commentText(hidden) });
  return swaps;
}

/**
 * A row's re-insert outcome for a caller: a failed insert's detail is its batch's error
 * `{ code, message }`, whose message only operators see (hideMessages); any other outcome's detail
 * (a conflict's existing row) is data and is left whole.
 */
export function hideOutcomeMessage<T extends { outcome: string; detail: unknown }>(o: T, role: string | undefined): T {
  return o.outcome === 'error' ? { ...o, detail: hideMessages(o.detail, role) } : o;
}

export default async function jobRoutes(fastify: FastifyInstance, opts: { access?: JobAccess; validate?: (spec: JobSpec, access: JobAccess) => Promise<void> } = {}) {
  const access = opts.access ?? {};
  const validateJobSpec = opts.validate ?? validateSpec;
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const counts = new RowCounts(app.staging);
  const withCounts = <T extends { id: number; sourceDatabase: { name: string | null } | null }>(j: T) => ({ ...withSourceDatabaseText(j), rowsByOperation: counts.operations(j.id) });

  app.post('/api/jobs', {
    config: { access: 'operate' },
    schema: { tags: ['jobs'], summary: 'Create a recovery job (any source kind); it is queued at once', body: JobSpec, response: { 201: JobWithCountsResponse } },
  }, async (req, reply) => {
    // Refused here what `rowback scan` refuses before it starts; 400 naming the field.
    await validateJobSpec(req.body, access);
    const job = app.worker.submit(req.body, req.principal!.name);
    req.log.info({ jobId: job.id, kind: job.kind }, 'job created');
    // the job as GET answers it (rowsByOperation too: a script reading it from the creation got undefined)
    return reply.code(201).send(withCounts(job));
  });

  app.get('/api/jobs', {
    config: { access: 'read' },
    schema: { tags: ['jobs'], summary: 'List jobs with their progress (rows staged, `rowsByOperation`: those rows per operation, and `scan`: the source\'s bytes/records read and pass), newest first', querystring: z.object({ limit: queryInt(1, 500).default(100), before: queryInt(1).optional() }).strict(),
      response: { 200: z.object({ items: z.array(JobWithCountsResponse), next: z.number().int().nullable(), queue: z.object({ pending: z.number().int(), waiting: z.number().int() }) }) } },
  }, async (req) => {
    // one job more than asked tells whether older ones exist: `next` is the `before` of the next
    // page, null at the end (a client, the review page too, took the newest 100 for every job)
    const page = app.staging.listJobs({ limit: req.query.limit + 1, before: req.query.before });
    const items = page.slice(0, req.query.limit);
    const role = req.principal?.role;
    return { items: items.map((j) => withCounts(forCaller(j, role, role === 'operator' ? [] : app.staging.jobConnections(j.id)))), next: page.length > req.query.limit ? items[items.length - 1]!.id : null, queue: { pending: app.worker.queue.pending, waiting: app.worker.queue.size } };
  });

  app.get('/api/jobs/:id', {
    config: { access: 'read' },
    schema: { tags: ['jobs'], summary: 'One job with its progress counters, `rowsByOperation` (its rows per operation), `scan` (the source\'s own progress, sampled at most once a second while it runs) and, once it succeeded, `complete` / `incomplete` (whether its result is whole)', params: JobIdParams, response: { 200: JobWithCountsResponse } },
  }, async (req) => {
    const role = req.principal?.role;
    return withCounts(forCaller(app.staging.requireJob(req.params.id), role, role === 'operator' ? [] : app.staging.jobConnections(req.params.id)));
  });

  app.post('/api/jobs/:id/resume', {
    config: { access: 'operate' },
    schema: { tags: ['jobs'], summary: 'Resume an interrupted, failed or cancelled job: the scan starts over, rows already staged are not staged again (live jobs: send the spec again)', params: JobIdParams, body: z.object({ spec: JobSpec.optional() }).strict().optional() },
  }, async (req) => {
    // The spec the job will run with is checked now like at creation: a resume without a spec
    // reads the stored one's files again, and a link repointed since (or roots narrowed in the
    // config) must not let it read outside the roots. A stored spec missing its connection
    // (live) is left to the worker, which asks for it.
    const job = app.staging.requireJob(req.params.id);
    const use = req.body?.spec ?? (job.spec as unknown as JobSpec);
    if (req.body?.spec || (JobSpec.safeParse(use).success && !JSON.stringify(use).includes('[redacted]'))) await validateJobSpec(use, access);
    return app.worker.resume(req.params.id, req.principal!.name, req.body?.spec);
  });

  app.post('/api/jobs/:id/cancel', {
    config: { access: 'operate' },
    schema: { tags: ['jobs'], summary: 'Cancel a running job (rows staged so far are kept) or a queued one (it never starts); either can be resumed', params: JobIdParams },
  }, async (req) => {
    app.staging.requireJob(req.params.id);
    if (!app.worker.cancel(req.params.id, req.principal!.name)) throw new StagingError('STAGING_JOB_NOT_RUNNING', `job ${req.params.id} is not running`);
    return { cancelled: true };
  });

  app.get('/api/jobs/:id/skipped', {
    config: { access: 'read' },
    schema: { tags: ['jobs'], summary: 'Items the scan passed over, with reason and location: `limit` (default 1000) after the item id `after`, and `next`, the `after` of the next page (null at the end)', params: JobIdParams, querystring: z.object({ after: queryInt(0).optional(), limit: queryInt(1, 1000).default(1000) }).strict(), response: { 200: SkippedPageResponse } },
  }, async (req) => {
    app.staging.requireJob(req.params.id);
    // the first 1,000 alone were answered, unsaid, for a job of more (its skippedCount): now paged
    const page = app.staging.skippedItems(req.params.id, req.query.limit + 1, req.query.after ?? 0);
    // each with `where`, its location as the review page names it (api/skipped-where.ts)
    const items = page.slice(0, req.query.limit).map((s) => ({ ...s, where: skippedItemWhere(s) }));
    return { items, next: page.length > req.query.limit ? items[items.length - 1]!.id : null };
  });

  app.get('/api/jobs/:id/blast-radius', {
    config: { access: 'read' },
    schema: { tags: ['jobs'], summary: 'Rows per table and minute (each with its rows per operation), login, transaction, status and operation (for the incident report)', params: JobIdParams, response: { 200: BlastRadiusResponse } },
  }, async (req) => {
    // with turns of the event loop between the passes over the job's rows (1.5 s in one piece at 500,000 rows)
    const b = await app.staging.blastRadiusCooperatively(req.params.id);
    const ops = await counts.breakdownCooperatively(req.params.id);
    const none = { delete: 0, insert: 0, update: 0 };
    return {
      ...b,
      byTable: b.byTable.map((t) => ({ ...t, byOperation: ops.byTableOperation.get(t.table) ?? none })),
      byMinute: b.byMinute.map((m) => ({ ...m, byOperation: ops.byMinuteOperation.get(m.minute) ?? none })),
      byOperation: ops.byOperation,
    };
  });

  app.get('/api/jobs/:id/tables', {
    config: { access: 'read' },
    schema: { tags: ['jobs'], summary: "The tables of a job's metadata with their columns in table order (the columns rows carry in `values`: dropped, hidden, uniquifier and column-set columns left out): the grid's columns", params: JobIdParams },
  }, async (req) => {
    app.staging.requireJob(req.params.id);
    return {
      items: app.staging.jobTables(req.params.id).map((t) => ({
        table: stagedTableName(t),
        columns: t.columns.filter(isVisibleColumn).sort((a, b) => a.columnId - b.columnId).map((c) => ({ name: c.name, type: c.type })),
      })),
    };
  });

  app.get('/api/me', {
    config: { access: 'read' },
    schema: { tags: ['access'], summary: 'The caller: token name and role' },
  }, async (req) => req.principal);

  app.get('/api/audit', {
    config: { access: 'read' },
    schema: {
      tags: ['audit'], summary: 'The append-only audit log (decisions, re-inserts, jobs, tokens), oldest first, a page at a time',
      description: 'At most limit entries (default 200, at most 1000) after the entry id after, of job jobId and of the actions action (comma-separated, e.g. job.notes) when given; a page also ends once its entries\' details reach 32 Mi characters (a decision\'s entry keeps its selector, up to 100,000 row ids), holding at least one entry. next is the after of the next page, null at the end: read on while it is not null.',
      querystring: z.object({ jobId: queryInt(1).optional(), after: queryInt(0).optional(), limit: queryInt(1, 1000).default(200), action: z.string().min(1).max(1000).regex(/^[a-z][a-z.-]*(,[a-z][a-z.-]*)*$/, { error: 'action: audit actions (job.notes, rows.approve, …), comma-separated' }).optional() }).strict(),
      response: { 200: AuditPageResponse },
    },
  }, async (req) => {
    // one entry more than asked tells whether the list goes on: `next` is the `after` of the next
    // page, null at the end (a client reading `items` alone took the first page for the whole log:
    // the review page showed a job's oldest 500 entries and none of its later decisions or runs).
    // A page ends early past LIST_PAGE_MAX_CHARS of details: 1,000 entries of decisions by 100,000
    // ids each were one answer past V8's longest string, 500 INTERNAL
    const { items, next } = app.staging.auditPage({ jobId: req.query.jobId, after: req.query.after, limit: req.query.limit, actions: req.query.action?.split(',') });
    const role = req.principal?.role;
    // the server and login a live job ran with, per job (hideServer): said in its notes; recorded
    // with the job when it ran (hidden by value), else (a job run before) the host its spec keeps
    const servers = new Map<number, JobConnection[] | string | null>();
    const serverOf = (jobId: number | null): JobConnection[] | string | null | undefined => {
      if (jobId === null || role === 'operator') return undefined;
      if (!servers.has(jobId)) {
        const recorded = app.staging.jobConnections(jobId);
        const spec = recorded.length ? undefined : app.staging.getJob(jobId)?.spec;
        servers.set(jobId, recorded.length ? recorded : spec && typeof spec.server === 'string' ? jobServerHost(spec) : null);
      }
      return servers.get(jobId);
    };
    return {
      items: items.map((a) => {
        const details = /failed$/.test(a.action) ? hideMessages(a.details, role) : a.details;
        const host = serverOf(a.jobId);
        return { ...a, details: host === undefined ? details : hideServer(details, host, role) };
      }),
      next,
    };
  });
}
