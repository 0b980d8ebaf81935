import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { summariseTargets, type ConfiguredTargetSpec } from '../targets.js';
import { runningTimeZone, zoneOffsetMinutes } from '../../recover/time-window.js';

export interface InfoOptions {
  targets?: Record<string, ConfiguredTargetSpec>;
  timeZone?: string;
  fileRoots?: string[];
  allowedServers?: string[];
}

/** The minutes a zone is ahead of UTC at an instant: recover/time-window.ts's, kept here for the route's callers. */
export { zoneOffsetMinutes };

/**
 * `GET /api/info`: what the page needs to offer its forms: the time zone every time is shown in,
 * the configured re-insert targets (names, database; never a connection string; their server for
 * operators only, as a run's target host is: reinsert.ts targetFor, docs/security.md), and for
 * operators the folders job files may come from and the servers live jobs may reach. Viewers and
 * reviewers were shown every target's host here while a run's answer hid the same host from them.
 */
export default async function infoRoutes(fastify: FastifyInstance, o: InfoOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // a zone Intl cannot use (TZ set empty: 'Etc/Unknown') failed every GET /api/info with a 500
  const timeZone = o.timeZone ?? runningTimeZone() ?? 'UTC';
  app.get('/api/info', {
    config: { access: 'read' },
    schema: { tags: ['access'], summary: "The page's settings: time zone, configured re-insert targets (no secrets; their server for operators), file roots and allowed servers (operators)" },
  }, async (req) => {
    const operator = req.principal?.role === 'operator';
    return {
      timeZone,
      utcOffsetMinutes: zoneOffsetMinutes(timeZone),
      logTimes: 'Begin/End Time as the SQL Server\'s clock wrote them in the log (that server\'s local time, no zone stored)',
      targets: summariseTargets(o.targets).map(({ server, ...rest }) => (operator ? { ...rest, server } : rest)),
      ...(operator ? { fileRoots: o.fileRoots ?? null, allowedServers: o.allowedServers ?? null } : {}),
    };
  });
}
