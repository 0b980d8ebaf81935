import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StagingError } from '../../errors.js';
import { JobIdParams, ReinsertBody, TargetSchema } from './schemas.js';

const RunParams = z.object({ runId: z.coerce.number().int().positive() });

export default async function reinsertRoutes(fastify: FastifyInstance) {
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
    if (req.body.dryRun) {
      const d = await app.reinsert.dryRun(req.params.id, who.name, req.body);
      return { run: d.run, script: d.script, undoScript: d.undoScript, problems: d.plan.problems, tableOrder: d.plan.tableOrder, cycles: d.plan.cycles };
    }
    if (who.role !== 'operator') {
      return reply.code(403).send({ code: 'AUTH_FORBIDDEN', message: `role ${who.role} may preview but not run a re-insert` });
    }
    const run = await app.reinsert.start(req.params.id, who.name, req.body);
    req.log.info({ runId: run.id, jobId: req.params.id }, 're-insert started');
    return reply.code(202).send(run);
  });

  app.get('/api/jobs/:id/reinsert-runs', {
    config: { access: 'read' },
    schema: { tags: ['re-insert'], summary: "A job's re-insert runs (dry and real)", params: JobIdParams },
  }, async (req) => {
    app.staging.requireJob(req.params.id);
    return { items: app.reinsert.listRuns(req.params.id) };
  });

  app.get('/api/reinsert-runs/:runId', {
    config: { access: 'read' },
    schema: { tags: ['re-insert'], summary: 'One run: state, counts, outcome per row (conflicts show the existing row)', params: RunParams },
  }, async (req) => {
    const run = app.reinsert.getRun(req.params.runId);
    if (!run) throw new StagingError('STAGING_RUN_NOT_FOUND', `re-insert run ${req.params.runId} does not exist`);
    return { ...run, rows: app.reinsert.outcomes(run.id) };
  });

  app.get('/api/reinsert-runs/:runId/script', {
    config: { access: 'read' },
    schema: { tags: ['re-insert'], summary: "The run's T-SQL script and undo script", params: RunParams },
  }, async (req) => {
    const s = app.reinsert.script(req.params.runId);
    if (!s) throw new StagingError('STAGING_RUN_NOT_FOUND', `re-insert run ${req.params.runId} does not exist`);
    return s;
  });

  app.post('/api/reinsert-runs/:runId/resume', {
    config: { access: 'operate' },
    schema: { tags: ['re-insert'], summary: 'Resume an interrupted or failed run (same batches, same idempotency keys)', params: RunParams, body: z.object({ target: TargetSchema }) },
  }, async (req, reply) => reply.code(202).send(await app.reinsert.resume(req.params.runId, req.principal!.name, req.body.target)));
}
