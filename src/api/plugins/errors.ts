import { redactDeep, redactSecrets } from '../../util/redact.js';
import { duplicateJsonKey } from '../../util/json-duplicate-key.js';
import { cutOneLineText, oneLineText } from '../../util/echo.js';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isRowbackError, type RowbackError } from '../../errors.js';

/** HTTP status for a rowback error code. */
export function statusFor(e: RowbackError): number {
  if (/_NOT_FOUND$/.test(e.code)) return 404;
  // Bad input of any family: arguments, and files that are missing, damaged, of the wrong kind or of two databases.
  if (['input', 'format', 'schema', 'decode'].includes(e.family) || e.code === 'STAGING_BAD_CURSOR' || e.code === 'REINSERT_BAD_VALUE') return 400;
  if (e.code === 'STAGING_TOKEN_EXISTS' || /NOT_RESUMABLE|NOT_RUNNING|NEEDS_SPEC|ROWS_NOT_APPROVED|NOTHING_TO_DO|NO_TARGET|PLAN_CHANGED|RUN_ACTIVE|OTHER_DATABASE|LEDGER_IN_DOUBT|DECISION_STALE|DRY_RUN_INTERRUPTED/.test(e.code)) return 409;
  if (e.code === 'REINSERT_CONNECT_FAILED') return 502;
  // the target did not answer within its request timeout (mssql-target.ts timeoutError)
  if (e.code === 'REINSERT_TIMEOUT') return 504;
  if (e.code === 'STAGING_INDEX_BUSY') return 503;
  // an answer (a dry run's scripts) larger than the service can keep: the request asks too much at once
  if (e.code === 'REINSERT_SCRIPT_TOO_LARGE') return 413;
  return 500;
}

/**
 * The message for a query-string key that takes one value and was given several (`?limit=1&limit=2`,
 * `?table=A&table=B`): the parser hands the schema a list, and zod's own words were "expected
 * number, received NaN" or "expected string, received array", naming neither the repeat nor the
 * values. Undefined for any other issue (a key that takes a list, such as `status`, keeps its own).
 */
export function repeatedKeyMessage(context: string | undefined, path: string, query: unknown, zodMessage: string | undefined): string | undefined {
  if (context !== 'querystring' || !path || path.includes('.') || !query || typeof query !== 'object') return undefined;
  const raw = (query as Record<string, unknown>)[path];
  if (!Array.isArray(raw) || raw.length < 2) return undefined;
  if (!/received (array|NaN)|^Invalid option/.test(zodMessage ?? '')) return undefined;
  const shown = raw.slice(0, 5).map((x) => `'${redactSecrets(String(x)).slice(0, 100)}'`).join(', then ');
  return `given more than once (${shown}${raw.length > 5 ? ', …' : ''}); it takes one value: give it once`;
}

/**
 * The answer to a request fastify refuses before any route is matched (its `frameworkErrors`): a
 * path that is not valid percent-encoding (`/api/jobs/%`, FST_ERR_BAD_URL) or with a segment longer
 * than the router takes (FST_ERR_MAX_PARAM_LENGTH). fastify's own answer was `{"error":"Bad
 * Request","code":"FST_ERR_…"}` echoing the whole path, sent without the headers every other answer
 * carries (nosniff, no-store, the CSP); this one is the API's: `INPUT_BAD_REQUEST`, one line naming
 * the problem, sent through the reply so that the onSend hooks add them.
 */
export function frameworkErrorAnswer(err: { code?: string }, url: string): { status: number; body: { code: string; message: string } } {
  const raw = url.split('?')[0] ?? '';
  const path = redactSecrets(raw.length > 100 ? `${raw.slice(0, 100)}…` : raw);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return { status: 414, body: { code: 'INPUT_BAD_REQUEST', message: `a part of the path ${path} is longer than 100 characters: no id or name this API takes is that long` } };
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return { status: 400, body: { code: 'INPUT_BAD_REQUEST', message: `the path ${path} is not valid percent-encoding (a % must be followed by two hex digits of UTF-8): encode the path, e.g. with encodeURIComponent` } };
  }
  return { status: 400, body: { code: 'INPUT_BAD_REQUEST', message: 'the request could not be routed' } };
}

/** A refusal of the request's body, as the error handler answers it: 400 INPUT_BAD_REQUEST with `message`. */
function badBody(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, code: 'INPUT_BAD_REQUEST' });
}

/**
 * The key path of the first `__proto__` key, or `constructor` key holding `prototype`, in a parsed
 * body (`filter.__proto__`); null when none. fastify's parser refuses both (prototype poisoning), as
 * this one does, but said "Body is not valid JSON" of a body that is valid JSON.
 */
export function poisonedKey(v: unknown): string | null {
  // depth first, in the body's order, without recursion, each path written only for the key found:
  // JSON.parse takes a body nested a million deep (`[[[…]]]` within the body limit), which a
  // recursive walk answered with a stack overflow (500), and a path string per level took seconds
  type Step = { v: unknown; key: string; up: Step | null };
  const pathOf = (s: Step, last: string): string => {
    const keys = [last];
    for (let at: Step | null = s; at && at.up; at = at.up) keys.push(at.key);
    return keys.reverse().join('.');
  };
  const stack: Step[] = v && typeof v === 'object' ? [{ v, key: '', up: null }] : [];
  while (stack.length) {
    const step = stack.pop()!;
    const x = step.v as object;
    const next: Step[] = [];
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) if (x[i] && typeof x[i] === 'object') next.push({ v: x[i], key: String(i), up: step });
    } else {
      for (const [k, y] of Object.entries(x)) {
        if (k === '__proto__') return pathOf(step, k);
        if (k === 'constructor' && y && typeof y === 'object' && Object.hasOwn(y, 'prototype')) return pathOf(step, `${k}.prototype`);
        if (y && typeof y === 'object') next.push({ v: y, key: k, up: step });
      }
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
  return null;
}

/**
 * V8's reason a text is not JSON, without the piece of the text some of its messages quote: V8 writes
 * `Unexpected token 'o', "not json" is not valid JSON` for a short text and, for a longer one, ten or
 * so characters either side of the fault, `Unexpected token '}', ..."word=hunter2",x:tru}" is not
 * valid JSON` or `…"... is not valid JSON`: a body may hold a connection string. Everything from the
 * quote on is left out (the token itself, one character, stays, a control or format character as
 * `\u{1b}`, `\u{202e}`: util/echo.ts oneLineText); one line, at most 200 characters.
 */
export function jsonParseReason(message: string | undefined): string {
  const m = message ?? 'it does not parse';
  const cut = m.search(/, (?:\.\.\.)?"/);
  // one line in the one notation of every message (oneLineText: the character V8 quotes at the fault,
  // `Unexpected token '<ESC>'` or U+202E, reached the answer raw), cut between characters as written
  return cutOneLineText(oneLineText((cut >= 0 ? m.slice(0, cut) : m).replace(/ is not valid JSON$/, '')), 200);
}

/**
 * A body key path as a refusal names it: its last 200 UTF-16 units (never starting inside a
 * surrogate pair), one line in the one notation of every message (util/echo.ts oneLineText: a
 * control as `\u{a}`, a format character such as U+202E or a tag U+E0041 as `\u{202e}`). It wrote
 * controls as `?`, which a key may hold itself, and format characters raw: a key holding U+202E
 * showed the rest of the refusal reversed.
 */
function shownKey(path: string): string {
  if (path.length <= 200) return oneLineText(path);
  const from = /[\udc00-\udfff]/.test(path[path.length - 200]!) ? path.length - 199 : path.length - 200;
  return `…${oneLineText(path.slice(from))}`;
}

/**
 * The JSON body parser: as fastify's (an empty body refused, `__proto__` and `constructor.prototype`
 * refused), a key given twice in one object refused (util/json-duplicate-key.ts: RFC 8259 §4), with the reason said in one line: where the text stops being JSON (the parser's own
 * position), or which key is refused. fastify's answer was "Body is not valid JSON but content-type
 * is set to 'application/json'" for both, naming neither the place nor the key.
 */
export function parseJsonBody(body: string): unknown {
  // a UTF-8 byte order mark before the JSON is skipped, as fastify's parser (secure-json-parse) does:
  // clients that write one (.NET's Encoding.UTF8, PowerShell 5's -InFile of a file saved with it) were
  // answered 400 "Unexpected token" for a body fastify took
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
  if (body.length === 0) throw badBody('the body is empty: send a JSON object (or no content-type header)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw badBody(`the body is not JSON: ${jsonParseReason((e as Error).message)}`);
  }
  const key = poisonedKey(parsed);
  if (key) throw badBody(`the body holds the key ${key.length > 200 ? `…${key.slice(-200)}` : key}, which no request takes (it could change the prototype of every object): leave it out`);
  // a key given twice in one object: JSON.parse kept the last value and dropped the first unsaid
  // (`"decision":"reject", …, "decision":"approve"` approved; `"dryRun":true, …, "dryRun":false` ran)
  const fault = duplicateJsonKey(body);
  if (fault?.kind === 'duplicate') throw badBody(`the body gives the key ${shownKey(fault.path)} twice in one object: JSON readers differ in which value they keep (this one would keep the last, unsaid), so the request could be done otherwise than it reads: give each key once`);
  if (fault?.kind === 'too-deep') throw badBody(`the body nests objects and arrays more than ${fault.limit} levels deep, which no request takes (its keys cannot be checked): send the request's own shape`);
  return parsed;
}

/**
 * Every error leaves as JSON `{ code, message, … }` with a stable code:
 * validation → 400 `INPUT_VALIDATION` naming the field; rowback errors keep their own code.
 */
export default fp(async function errors(app: FastifyInstance) {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // a POST sent with no body at all (`curl -X POST …/resume`, no -d) reaches validation as null
  // (fastify validates an absent body as null): a route whose body is optional (resume: `{spec}` for
  // live jobs only) refused it as "body: Invalid input: expected object, received null". No body is
  // the empty object such a route takes
  app.addHook('preValidation', async (req) => {
    if (req.body !== null && req.body !== undefined) return;
    const schema = req.routeOptions.schema?.body as { safeParse?: (v: unknown) => { success: boolean } } | undefined;
    if (typeof schema?.safeParse === 'function' && schema.safeParse(undefined).success && schema.safeParse({}).success) req.body = {};
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // a route that needs a body, sent none: said so, with how to send one, not in zod's words
    if ((hasZodFastifySchemaValidationErrors(err) || err.validation) && err.validationContext === 'body' && (req.body === null || req.body === undefined)) {
      return reply.code(400).send({ code: 'INPUT_VALIDATION', message: 'body: the request has no body: send a JSON object (-H \'content-type: application/json\' -d \'{…}\')', field: 'body', issues: [{ field: 'body', message: 'no body' }] });
    }
    if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      const issues = (err.validation ?? []).map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        return { field: [err.validationContext, path].filter(Boolean).join('.'), message: repeatedKeyMessage(err.validationContext, path, req.query, v.message) ?? v.message ?? 'invalid' };
      });
      const first = issues[0];
      return reply.code(400).send({
        code: 'INPUT_VALIDATION',
        message: first ? `${first.field}: ${first.message}` : 'the request is not valid',
        field: first?.field,
        issues,
      });
    }
    if (isRowbackError(err)) {
      const status = statusFor(err);
      if (status >= 500) req.log.error({ err }, 'request failed');
      return reply.code(status).send(redactDeep({ code: err.code, message: err.message, ...(err.location.field ? { field: err.location.field } : {}), location: err.location }));
    }
    if (err.statusCode === 429) {
      return reply.code(429).send({ code: 'AUTH_RATE_LIMITED', message: err.message });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // fastify's own refusals (a body that is not JSON, an empty JSON body, too large, a media type
      // it does not parse) carry FST_ERR_* codes, which are fastify's, not this API's: a client
      // got `FST_ERR_CTP_INVALID_JSON_BODY` where README promises INPUT_BAD_REQUEST
      const code = err.code && !err.code.startsWith('FST_') ? err.code : 'INPUT_BAD_REQUEST';
      // a body sent without the JSON header (curl -d alone sends application/x-www-form-urlencoded)
      // was answered "Unsupported Media Type", with no word of what to send
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().slice(0, 60);
        return reply.code(err.statusCode).send({ code, message: `the body is sent as ${type ? `'${type.replace(/[^\x20-\x7e]/g, '?')}'` : 'no content-type'}, not JSON: send it with the header content-type: application/json (curl -H 'content-type: application/json' -d '{…}')` });
      }
      return reply.code(err.statusCode).send({ code, message: redactSecrets(err.message) });
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send({ code: 'INTERNAL', message: 'internal error (see the server log)' });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
}, { name: 'rowback-errors' });
