/**
 * The service's responsiveness over REAL HTTP while a heavy request runs (app.inject's requests run
 * on microtasks and never see a blocked event loop): GET /api/me asked every 20 ms by a real
 * `fetch` from a worker thread (its own event loop: a pinger in the test's own thread would be held
 * with the server and miss a block that falls between its pings), the longest wait for an answer
 * being how long the service's event loop was held. Test support.
 */
import { Worker } from 'node:worker_threads';
import type { FastifyInstance } from 'fastify';

/** `app` listening on 127.0.0.1 at a free port (the caller closes the app); its base URL. */
export async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

const PINGER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
let done = false, maxStallMs = 0, pings = 0, failed = null;
parentPort.on('message', () => { done = true; });
(async () => {
  while (!done) {
    const t0 = performance.now();
    try {
      const me = await fetch(workerData.base + '/api/me', { headers: { authorization: 'Bearer ' + workerData.token } });
      await me.arrayBuffer();
      if (me.status !== 200) failed = 'GET /api/me answered ' + me.status;
    } catch (e) { failed = String(e); }
    maxStallMs = Math.max(maxStallMs, performance.now() - t0);
    pings++;
    await new Promise((r) => setTimeout(r, 20));
  }
  parentPort.postMessage({ maxStallMs, pings, failed });
})();
`;

/**
 * Sends `init` to `base + path` with `fetch` (its body read as bytes) while a worker thread asks
 * GET /api/me (as `token`) every 20 ms. Resolves to the answer's status and body (text, when under
 * 512 MB), the longest /api/me wait (`maxStallMs`, milliseconds), how many were asked (`pings`) and
 * how long the request took, its body read (`elapsedMs`, milliseconds). A test on a loaded machine
 * (the CI runs other test files beside it: walls of 4–10× an idle machine's) bounds the share
 * `maxStallMs / elapsedMs`, which the load stretches on both sides, rather than `maxStallMs` alone.
 * Rejects when a ping failed (not 200, or no answer).
 */
export async function whilePinged(base: string, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: string | null; bytes: number; maxStallMs: number; pings: number; elapsedMs: number }> {
  const { value: answer, maxStallMs, pings, elapsedMs } = await pingedWhile(base, token, async () => {
    const r = await fetch(`${base}${path}`, init);
    return { status: r.status, buf: Buffer.from(await r.arrayBuffer()) };
  }, path);
  const { status, buf } = answer;
  return { status, body: buf.length < 512e6 ? buf.toString('utf8') : null, bytes: buf.length, maxStallMs, pings, elapsedMs };
}

/**
 * Runs `work` (what the service is asked to do over real HTTP, and waited for: a request, or a
 * request and the background run it starts) while a worker thread asks GET /api/me (as `token`)
 * every 20 ms, as whilePinged. Resolves to what `work` resolved to (`value`), the longest /api/me
 * wait (`maxStallMs`, milliseconds), how many were asked (`pings`) and how long `work` took
 * (`elapsedMs`, milliseconds); bound the share `maxStallMs / elapsedMs` (whilePinged). Rejects with
 * `work`'s error, or when a ping failed (not 200, or no answer); `what` names the work in that error.
 */
export async function pingedWhile<T>(base: string, token: string, work: () => Promise<T>, what = 'the work'): Promise<{ value: T; maxStallMs: number; pings: number; elapsedMs: number }> {
  const worker = new Worker(PINGER, { eval: true, workerData: { base, token } });
  const report = new Promise<{ maxStallMs: number; pings: number; failed: string | null }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // the pinger's first answer before the request: it is pinging when the request starts
  await new Promise((r) => setTimeout(r, 100));
  let value: T;
  const started = performance.now();
  let elapsedMs = 0;
  try {
    value = await work();
    elapsedMs = performance.now() - started;
  } finally {
    worker.postMessage('stop');
  }
  const { maxStallMs, pings, failed } = await report;
  await worker.terminate();
  if (failed) throw new Error(`while ${what} ran: ${failed}`);
  return { value, maxStallMs, pings, elapsedMs };
}
