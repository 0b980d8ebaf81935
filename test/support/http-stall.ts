/**
 * The service's responsiveness over REAL HTTP while a heavy request runs (app.inject's requests run
 * on microtasks and never see a blocked event loop): GET /api/me asked every 20 ms by a real
 * `fetch`, the longest wait for its answer being how long the event loop was held. Test support.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';

/** `app` listening on 127.0.0.1 at a free port (the caller closes the app); its base URL. */
export async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/**
 * Sends `init` to `base + path` with `fetch` (its body read as bytes: a client decoding a large
 * body would stall this process itself) while GET /api/me (as `token`) is asked every 20 ms.
 * Resolves to the answer's status and body (text, when under 64 MB), the longest /api/me wait
 * (`maxStallMs`, milliseconds) and how many were asked (`pings`).
 */
export async function whilePinged(base: string, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: string | null; bytes: number; maxStallMs: number; pings: number }> {
  let done = false;
  let maxStallMs = 0;
  let pings = 0;
  const pinger = (async () => {
    while (!done) {
      const t0 = performance.now();
      const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      await me.arrayBuffer();
      if (me.status !== 200) throw new Error(`GET /api/me answered ${me.status}`);
      maxStallMs = Math.max(maxStallMs, performance.now() - t0);
      pings++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  let answer: { status: number; buf: Buffer };
  try {
    const r = await fetch(`${base}${path}`, init);
    answer = { status: r.status, buf: Buffer.from(await r.arrayBuffer()) };
  } finally {
    done = true;
    await pinger;
  }
  const { status, buf } = answer;
  return { status, body: buf.length < 64e6 ? buf.toString('utf8') : null, bytes: buf.length, maxStallMs, pings };
}
