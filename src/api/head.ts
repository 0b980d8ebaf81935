import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whether `req` is a HEAD request. Fastify answers HEAD with the GET route's handler (its
 * exposeHeadRoutes) and, for a streamed answer, reads the stream to its end to throw it away
 * (node_modules/fastify/lib/head-route.js): a HEAD of a run's 500 MB script read every piece from
 * the staging file, a HEAD of an export read every row of the job. The streaming routes ask this
 * and answer headersOnly once their headers are known.
 */
export function isHead(req: FastifyRequest): boolean {
  return req.method === 'HEAD';
}

/**
 * A HEAD request's answer: the headers the GET answer has (set on `reply` before), of type `type`,
 * no body read or written. No Content-Length unless `length` (the GET answer's size, when known):
 * sent as an empty stream, for which fastify says none of its own (for a payload of none it says 0,
 * which is not the length of the GET answer).
 */
export function headersOnly(reply: FastifyReply, type: string, length?: number | null): FastifyReply {
  if (length !== undefined && length !== null) reply.header('content-length', String(length));
  return reply.type(type).send(Readable.from([]));
}
