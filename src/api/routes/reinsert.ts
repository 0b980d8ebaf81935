import type { FastifyInstance, FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { headersOnly, isHead } from '../head.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, isRowbackError, StagingError } from '../../errors.js';
import { resolveConnection } from '../../util/connection.js';
import { driverServerOf } from '../../reinsert/mssql-target.js';
import type { TargetSpec } from '../../reinsert/service.js';
import { notScripted } from '../../reinsert/plan.js';
import { resolveTargetName, type ConfiguredTargetSpec } from '../targets.js';
import { JobIdParams, pathId, queryInt, ReinsertBody, TargetSchema } from './schemas.js';
import { hideJobWarning, hideMessages, hideOutcomeMessage, jobConnectionsKnown, jobWarningSwaps } from './jobs.js';
import { withSideTableText } from '../table-text-fields.js';
import { failedBatchErrors, plannedRows, runRemaining } from '../run-details.js';
import { jsonWithLongStrings, replaceInPieces, textPreview, type StringPieces } from '../long-strings-json.js';
import { snapshotTextBytes, type SnapshotText } from '../../staging/run-texts.js';

const RunParams = z.object({ runId: pathId('run id') });

/** The most GET /api/reinsert-runs/:runId/script?previewBytes= takes: 16 MiB of each text. */
export const PREVIEW_BYTES_MAX = 16 * 1024 * 1024;

/** Row outcomes in one answer of GET /api/reinsert-runs/:runId (`rows`; `rowsNext` pages on). */
const OUTCOMES_PER_PAGE = 1000;

/**
 * The target of a request: `target` (a connection given in the request) or `targetName` (one
 * configured on the server, whose secret the caller never sees); not both.
 * @throws InputError INPUT_BAD_OPTION (both), INPUT_UNKNOWN_TARGET, INPUT_TARGET_UNSET.
 */
function targetOf(body: { target?: TargetSpec; targetName?: string }, targets: Record<string, ConfiguredTargetSpec> | undefined, allowedServers: string[] | undefined): TargetSpec | undefined {
  if (body.target && body.targetName) throw new InputError('INPUT_BAD_OPTION', 'give target or targetName, not both', { field: 'targetName' });
  if (body.target) {
    // A malformed connection string is the caller's mistake (400 naming the field), not a failed
    // connection (502): parsed here, before anything dials.
    try {
      resolveConnection(body.target.connectionString);
    } catch (e) {
      if (isRowbackError(e)) (e as { location: { field?: string } }).location.field ??= 'target.connectionString';
      throw e;
    }
  }
  if (body.target && allowedServers) {
    // A connection given in the request reaches only the servers the service may connect to
    // (allowedServers), like a live job's; a configured target is the administrator's choice.
    // The driver parses the string itself (mssql): where it names the server twice ("Data
    // Source=a;Server=b", "Server=a;Server=b") the two parsers may pick different ones, so the
    // server checked would not be the one dialled. Refused (a quoted value that merely contains
    // such text is refused too: the safe side).
    const serverKeys = body.target.connectionString.match(/(?:^|;)\s*(?:server|data\s+source|address|addr|network\s+address)\s*=/gi) ?? [];
    if (serverKeys.length > 1) {
      throw new InputError('INPUT_BAD_CONNECTION', 'the connection string names the server more than once (Server / Data Source / Address …): give it once', { field: 'target.connectionString' });
    }
    let server: string;
    try {
      server = resolveConnection(body.target.connectionString).server;
    } catch (e) {
      if (isRowbackError(e)) (e as { location: { field?: string } }).location.field ??= 'target.connectionString';
      throw e;
    }
    if (!allowedServers.some((a) => a.toLowerCase() === server.toLowerCase())) {
      throw new InputError('INPUT_SERVER_NOT_ALLOWED', `server ${server} is not one this service may connect to (allowedServers in its config)`, { field: 'target.connectionString' });
    }
    // and the host the driver itself would dial (its parser, not ours), against the hosts of the
    // allowed entries (written host, host,port or host\instance)
    const dialled = driverServerOf(body.target.connectionString);
    const hostOf = (a: string) => a.replace(/^tcp:/i, '').split(/[,\\]/)[0]!.trim().toLowerCase();
    if (dialled !== null && !allowedServers.some((a) => hostOf(a) === hostOf(dialled))) {
      throw new InputError('INPUT_SERVER_NOT_ALLOWED', `server ${dialled} is not one this service may connect to (allowedServers in its config)`, { field: 'target.connectionString' });
    }
  }
  return body.targetName ? resolveTargetName(body.targetName, targets) : body.target;
}

/** A run's target for a caller: the server's host it keeps (for resumes) is operators' to see. */
function targetFor(target: Record<string, unknown>, role: string | undefined): Record<string, unknown> {
  if (role === 'operator' || !('server' in target)) return target;
  const { server: _host, ...rest } = target;
  return rest;
}

export default async function reinsertRoutes(fastify: FastifyInstance, opts: { targets?: Record<string, ConfiguredTargetSpec>; allowedServers?: string[] } = {}) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post('/api/jobs/:id/reinsert', {
    config: { access: 'preview' },
    schema: {
      tags: ['re-insert'],
      summary: "Re-insert a job's approved rows: dryRun=true returns the exact T-SQL (reviewer or operator); dryRun=false runs it (operator)",
      params: JobIdParams, body: ReinsertBody,
    },
  }, async (req, reply) => {
    const who = req.principal!;
    // authorised before the target is looked at: a reviewer's real run with a target name not
    // configured (or whose variable is unset) was answered 400 about the target, not 403; and a real
    // run first: a reviewer's real run with a connection was told about previews. The message names
    // the role that may and the command that makes its token, as every AUTH_FORBIDDEN (auth.ts)
    if (!req.body.dryRun && who.role !== 'operator') {
      return reply.code(403).send({ code: 'AUTH_FORBIDDEN', message: `role ${who.role} may preview but not run a re-insert; a run takes a token of role operator (rowback token create NAME --role operator --db <the server's staging file>): reviewers decide and operators run jobs and re-inserts, two people for every re-insert` });
    }
    if (req.body.target && who.role !== 'operator') {
      // a preview connects to the target to read its catalog: with a connection of the caller's
      // choosing that would let any reviewer make the service dial any host and port
      return reply.code(403).send({ code: 'AUTH_FORBIDDEN', message: `role ${who.role} may preview against a configured target (targetName) or none; a connection given in the request is for operators` });
    }
    // an option that would do nothing is refused, never ignored: a real run answers no script
    if (req.body.previewBytes !== undefined && !req.body.dryRun) throw new InputError('INPUT_BAD_OPTION', 'previewBytes cuts a dry run\'s scripts in its answer: a real run (dryRun: false) answers none; leave it out (GET /api/reinsert-runs/:runId/script?previewBytes= previews a run\'s script)', { field: 'previewBytes' });
    const { targetName, previewBytes, ...rest } = req.body;
    const body = { ...rest, target: targetOf(req.body, opts.targets, opts.allowedServers) };
    if (body.dryRun) {
      const d = await app.reinsert.dryRun(req.params.id, who.name, body);
      // rowIds: the rows the script inserts, for a real run of exactly those (`rowIds`): rows
      // approved after the dry run are not in it, one rejected since is refused (409)
      const rowIds = d.plan.batches.flatMap((b) => b.rows.map((r) => r.rowId));
      // databaseCheck: the job's source database against the target's (a WARNING when they differ)
      // notScripted: planned rows the script leaves out, each with why (a table or column name it
      // cannot carry: a line break, "$(", an unpaired surrogate); the run inserts them: [] when none
      // jobWarning: the job still stages, is INCOMPLETE or not known whole (null when known complete)
      // the job's INCOMPLETE sentence in jobWarning (and so in the run's summary and script) may name a
      // live job's server and login: a reviewer's preview hides them as GET /api/jobs does
      // the run's target as GET …/reinsert-runs gives it: its server's host is operators' (a
      // reviewer's preview against a configured target was answered run.target.server whole)
      // scriptBytes / undoScriptBytes: each script's size in UTF-8 bytes as kept (GET …/script/script
      // downloads it); with previewBytes the scripts answered are their first bytes, scriptCut /
      // undoScriptCut saying whether they go on (a page holding a 500 MB script whole was overwhelmed)
      const known = who.role === 'operator' ? null : jobConnectionsKnown(app.staging, req.params.id);
      const texts = hideJobWarning({ script: d.script, undoScript: d.undoScript }, d.jobWarning, known, who.role);
      const preview = previewBytes === undefined ? null : { script: await textPreview(texts.script, previewBytes), undo: await textPreview(texts.undoScript, previewBytes) };
      const answer = {
        run: { ...d.run, target: targetFor(d.run.target, who.role) }, script: preview?.script.text ?? d.script, undoScript: preview?.undo.text ?? d.undoScript,
        scriptBytes: Buffer.byteLength(d.script, 'utf8'), undoScriptBytes: Buffer.byteLength(d.undoScript, 'utf8'), scriptCut: preview?.script.cut ?? false, undoScriptCut: preview?.undo.cut ?? false,
        problems: d.plan.problems, tableOrder: d.plan.tableOrder, cycles: d.plan.cycles, rowIds, notScripted: notScripted(d.plan), databaseCheck: d.databaseCheck, jobWarning: d.jobWarning, jobDoubt: d.jobDoubt,
      };
      const shown = hideJobWarning(answer, d.jobWarning, known, who.role);
      // the two scripts streamed a slice at a time (86 MB each at 100,000 rows: JSON.stringify of
      // the whole answer held the event loop ~1.5 s)
      return reply.type('application/json; charset=utf-8').send(jsonWithLongStrings(shown, ['script', 'undoScript']));
    }
    if (who.role !== 'operator') {
      return reply.code(403).send({ code: 'AUTH_FORBIDDEN', message: `role ${who.role} may preview but not run a re-insert` });
    }
    const run = await app.reinsert.start(req.params.id, who.name, body);
    req.log.info({ runId: run.id, jobId: req.params.id, targetName }, 're-insert started');
    return reply.code(202).send(run);
  });

  app.get('/api/jobs/:id/reinsert-runs', {
    config: { access: 'read' },
    schema: { tags: ['re-insert'], summary: "A job's re-insert runs (dry and real), each with `plannedRows`: the rows it planned", params: JobIdParams },
  }, async (req) => {
    app.staging.requireJob(req.params.id);
    const role = req.principal?.role;
    const known = role === 'operator' ? null : jobConnectionsKnown(app.staging, req.params.id);
    return { items: app.reinsert.listRuns(req.params.id).map((r) => hideJobWarning({ ...r, sideTables: withSideTableText(r.sideTables), target: targetFor(r.target, role), error: hideMessages(r.error, role), plannedRows: plannedRows(app.staging, r) }, r.summary?.jobWarning, known, role)) };
  });

  app.get('/api/reinsert-runs/:runId', {
    config: { access: 'read' },
    schema: { tags: ['re-insert'], summary: 'One run: state, counts, `plannedRows`, result per batch (a failed batch with its error as `failure`: `{code, message}`), outcome per row (conflicts show the existing row, `detail.existing`, and a conflict on a unique index or UNIQUE constraint other than the key its name and key columns, `detail.index` and `detail.indexColumns`, absent for a conflict on the key; `rows` holds 1,000 at most, of rows after the row id `rowsAfter`, and `rowsNext` is the `rowsAfter` of the next 1,000, null at the end), and for a failed or interrupted real run `remaining` (else null): the batches and rows not yet committed (what a resume runs), how many of those rows are no longer approved (`notApproved`) and how many of the approved ones another job\'s run put back into the same place (`elsewhere`) and how many another run of this job put into the same side table (`inSideTable`): all fail again on a resume; `mayBeIn`: the batches that may have committed unrecorded (their rows held from decisions until a resume reads the ledger), and `mayBeInSideTable`: those batches\' rows the run\'s tableMap sends to a side table, per table (not held)', params: RunParams, querystring: z.object({ rowsAfter: queryInt(0).optional() }).strict() },
  }, async (req) => {
    const run = app.reinsert.getRun(req.params.runId);
    if (!run) throw new StagingError('STAGING_RUN_NOT_FOUND', `re-insert run ${req.params.runId} does not exist`);
    const role = req.principal?.role;
    // a failed row's detail carries its batch's error: its message is hidden as the run's is (a
    // conflict's detail is the existing row's data, left whole: a column may be called `message`);
    // a failed batch's error (`failure`; its `error` is the count of error outcomes) likewise
    const errors = failedBatchErrors(app.staging, run.id);
    const batches = app.reinsert.batches(run.id).map((b) => ({ ...b, failure: errors.get(b.batchNo) ?? null }));
    return hideJobWarning({
      ...run, sideTables: withSideTableText(run.sideTables), target: targetFor(run.target, role), error: hideMessages(run.error, role), batches: hideMessages(batches, role),
      // what a resume would run: only of a run that can resume (this route is polled every second while a run runs)
      remaining: !run.dryRun && (run.state === 'failed' || run.state === 'interrupted') ? await runRemaining(app.staging, run.id) : null,
      plannedRows: plannedRows(app.staging, run),
      // 1,000 outcomes a page, and where the next page starts: `rows` alone held the first 1,000 of
      // a larger run's outcomes, its later conflicts and errors missing without a word
      ...(() => {
        const page = app.reinsert.outcomes(run.id, OUTCOMES_PER_PAGE + 1, req.query.rowsAfter ?? 0);
        const rows = page.slice(0, OUTCOMES_PER_PAGE);
        return { rows: rows.map((o) => hideOutcomeMessage(o, role)), rowsNext: page.length > OUTCOMES_PER_PAGE ? rows[rows.length - 1]!.rowId : null };
      })(),
    }, run.summary?.jobWarning, role === 'operator' ? null : jobConnectionsKnown(app.staging, run.jobId), role);
  });

  /**
   * Run `runId`'s texts as one state of the staging file holds them (scriptSnapshot), each as the
   * caller may read it (`shown`: a reviewer's copy hides a live job's server and login in the warning
   * line of the script's head) and its size as kept. StagingError STAGING_RUN_NOT_FOUND when the run
   * does not exist; STAGING_RUN_TEXT_DAMAGED (thrown by scriptSnapshot) when a counted piece is
   * missing. The caller closes `snap` (also on error).
   */
  const runTexts = (runId: number, role: string | undefined) => {
    const snap = app.reinsert.scriptSnapshot(runId);
    if (!snap) throw new StagingError('STAGING_RUN_NOT_FOUND', `re-insert run ${runId} does not exist`);
    try {
      const run = role === 'operator' ? undefined : app.reinsert.getRun(runId);
      const swaps = run ? jobWarningSwaps(run.summary?.jobWarning, jobConnectionsKnown(app.staging, run.jobId), role) : [];
      const shown = (t: SnapshotText): string | null | StringPieces => {
        if (t === null) return null;
        if (typeof t === 'string') return swaps.reduce((x, { from, to }) => x.split(from).join(to), t);
        return swaps.reduce<StringPieces>((x, { from, to }) => replaceInPieces(x, from, to), t.read());
      };
      return { snap, swaps, shown, bytes: { script: snapshotTextBytes(snap.script), undo: snapshotTextBytes(snap.undoScript) } };
    } catch (e) {
      snap.close();
      throw e;
    }
  };
  app.get('/api/reinsert-runs/:runId/script', {
    config: { access: 'read' },
    schema: {
      tags: ['re-insert'], summary: "The run's T-SQL script and undo script (whole, or their first previewBytes bytes)", params: RunParams,
      querystring: z.object({ previewBytes: queryInt(1, PREVIEW_BYTES_MAX).optional().describe(`each text cut to its first previewBytes bytes of UTF-8 (1 to ${PREVIEW_BYTES_MAX}), after its last line break in them when there is one in their second half; the rest of the text is not read. The whole of either: GET /api/reinsert-runs/:runId/script/script or …/script/undo`) }).strict(),
      description: 'Answers { script, undoScript, scriptBytes, undoScriptBytes, scriptCut, undoScriptCut }: each text (null when not written: a real run\'s undo before the run ends), its size as kept in UTF-8 bytes (null when none; a viewer\'s or reviewer\'s copy hides a live job\'s server and login in its warning line, so may differ from it by those characters), and whether the text answered is cut (previewBytes; false for the whole). Without previewBytes the texts are whole, streamed piece by piece (a real run\'s undo may pass V8\'s longest string). The sizes are also in the headers x-rowback-script-bytes and x-rowback-undo-script-bytes. HEAD answers the headers alone, reading no piece.',
    },
  }, async (req, reply) => {
    const role = req.principal?.role;
    // the run's texts as one state of the staging file holds them (a resumed run ending meanwhile
    // rewrites its undo), pieces streamed as read, never joined (an undo past V8's string length)
    const { snap, shown, bytes } = runTexts(req.params.runId, role);
    try {
      scriptSizeHeaders(reply, bytes);
      // HEAD: the headers, no piece read (fastify's HEAD ran this handler and read the whole stream
      // only to throw it away: a 500 MB script read from the staging file for a HEAD)
      if (isHead(req)) {
        snap.close();
        return headersOnly(reply, 'application/json; charset=utf-8');
      }
      const max = req.query.previewBytes;
      if (max !== undefined) {
        // the first previewBytes of each: the rest of a text kept in pieces is never read
        const script = snap.script === null ? null : await textPreview(shown(snap.script)!, max);
        const undo = snap.undoScript === null ? null : await textPreview(shown(snap.undoScript)!, max);
        snap.close();
        return reply.type('application/json; charset=utf-8').send(jsonWithLongStrings({ script: script?.text ?? null, undoScript: undo?.text ?? null, scriptBytes: bytes.script, undoScriptBytes: bytes.undo, scriptCut: script?.cut ?? false, undoScriptCut: undo?.cut ?? false }, ['script', 'undoScript']));
      }
      // streamed a slice at a time, as a dry run's answer (172 MB of scripts at 100,000 rows)
      const body = jsonWithLongStrings({ script: shown(snap.script), undoScript: shown(snap.undoScript), scriptBytes: bytes.script, undoScriptBytes: bytes.undo, scriptCut: false, undoScriptCut: false }, ['script', 'undoScript']);
      body.once('close', () => snap.close());
      return reply.type('application/json; charset=utf-8').send(body);
    } catch (e) {
      snap.close();
      throw e;
    }
  });

  app.get('/api/reinsert-runs/:runId/script/:kind', {
    config: { access: 'read' },
    schema: {
      tags: ['re-insert'], summary: "The run's script (kind script) or undo script (kind undo) itself, as a .sql file (application/sql, UTF-8), streamed piece by piece: the whole of a text GET …/script?previewBytes= cut",
      params: RunParams.extend({ kind: z.enum(['script', 'undo']) }),
      description: 'The text as GET /api/reinsert-runs/:runId/script gives it (a viewer\'s or reviewer\'s copy hides a live job\'s server and login in the warning line of its head), as an attachment rowback-run-N.sql / rowback-run-N-undo.sql; Content-Length is its size when nothing is hidden. 404 STAGING_RUN_TEXT_NOT_FOUND when the run has no such text (a real run\'s undo is written when the run ends). HEAD answers the headers alone, reading no piece.',
    },
  }, async (req, reply) => {
    const role = req.principal?.role;
    const { runId, kind } = req.params;
    const { snap, swaps, shown, bytes } = runTexts(runId, role);
    try {
      const text = kind === 'undo' ? snap.undoScript : snap.script;
      const size = kind === 'undo' ? bytes.undo : bytes.script;
      if (text === null) {
        throw new StagingError('STAGING_RUN_TEXT_NOT_FOUND', `re-insert run ${runId} has no ${kind === 'undo' ? 'undo script' : 'script'}${kind === 'undo' ? ' (a real run\'s undo script is written when the run ends: GET /api/reinsert-runs/' + runId + ')' : ''}`);
      }
      scriptSizeHeaders(reply, bytes);
      reply.header('content-disposition', `attachment; filename="rowback-run-${runId}${kind === 'undo' ? '-undo' : ''}.sql"`);
      // its size, when the text sent is the text kept (nothing hidden in it)
      const length = swaps.length ? null : size;
      if (isHead(req)) {
        snap.close();
        return headersOnly(reply, 'application/sql; charset=utf-8', length);
      }
      if (length !== null) reply.header('content-length', String(length));
      const src = shown(text)!;
      const body = Readable.from(typeof src === 'string' ? [src] : src, { objectMode: false });
      body.once('close', () => snap.close());
      return reply.type('application/sql; charset=utf-8').send(body);
    } catch (e) {
      snap.close();
      throw e;
    }
  });

  app.post('/api/reinsert-runs/:runId/resume', {
    config: { access: 'operate' },
    schema: { tags: ['re-insert'], summary: 'Resume an interrupted or failed run (same batches, same idempotency keys)', params: RunParams, body: z.object({ target: TargetSchema.optional(), targetName: z.string().min(1).max(64).optional() }).strict().refine((b) => Boolean(b.target) !== Boolean(b.targetName), { message: 'give target or targetName (exactly one)', path: ['target'] }) },
  }, async (req, reply) => {
    const run = await app.reinsert.resume(req.params.runId, req.principal!.name, targetOf(req.body, opts.targets, opts.allowedServers)!);
    req.log.info({ runId: run.id, jobId: run.jobId, targetName: req.body.targetName }, 're-insert resumed');
    return reply.code(202).send(run);
  });
}

/**
 * The sizes of a run's texts as kept, in UTF-8 bytes, as the headers x-rowback-script-bytes and
 * x-rowback-undo-script-bytes (each left out when its text is not written): both script routes give
 * them, GET and HEAD alike.
 */
function scriptSizeHeaders(reply: FastifyReply, bytes: { script: number | null; undo: number | null }): void {
  if (bytes.script !== null) reply.header('x-rowback-script-bytes', String(bytes.script));
  if (bytes.undo !== null) reply.header('x-rowback-undo-script-bytes', String(bytes.undo));
}
