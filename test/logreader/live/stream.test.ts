import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isTransient, toSourceError } from '../../../src/logreader/live/errors.js';
import { retryDelayMs, withRetries, queueFor, mssqlConfig } from '../../../src/logreader/live/runner.js';
import { streamRows, type Row } from '../../../src/logreader/live/stream.js';
import { resolveConnection } from '../../../src/util/connection.js';

/** A stand-in for an mssql streaming request: records pause/resume/cancel calls. */
class FakeRequest extends EventEmitter {
  paused = false;
  pauses = 0;
  resumes = 0;
  cancels = 0;
  maxBuffered = 0;
  pause() {
    this.paused = true;
    this.pauses++;
  }
  resume() {
    this.paused = false;
    this.resumes++;
  }
  cancel() {
    this.cancels++;
    queueMicrotask(() => {
      this.emit('error', Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
      this.emit('done');
    });
  }
}

/** Emits `total` rows, honouring pause like a TDS socket: it stops while paused. */
function producer(req: FakeRequest, total: number): () => void {
  return () => {
    let i = 0;
    const pump = () => {
      while (i < total && !req.paused) req.emit('row', { n: i++ });
      if (i < total) setTimeout(pump, 0);
      else req.emit('done');
    };
    setTimeout(pump, 0);
  };
}

describe('streamRows', () => {
  it('delivers every row in order while pausing at the high-water mark', async () => {
    const req = new FakeRequest();
    const got: number[] = [];
    for await (const r of streamRows(req, producer(req, 5000), { highWater: 100, lowWater: 10 })) got.push((r as { n: number }).n);
    expect(got).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(req.pauses).toBeGreaterThan(10);
    expect(req.resumes).toBe(req.pauses);
  });

  it('keeps the buffer bounded with a slow consumer', async () => {
    const req = new FakeRequest();
    let maxPending = 0;
    let emitted = 0;
    req.on('row', () => emitted++);
    let consumed = 0;
    for await (const _ of streamRows(req, producer(req, 2000), { highWater: 50, lowWater: 5 })) {
      consumed++;
      maxPending = Math.max(maxPending, emitted - consumed);
      if (consumed % 7 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    expect(consumed).toBe(2000);
    expect(maxPending).toBeLessThanOrEqual(50);
  });

  it('surfaces a server error as thrown', async () => {
    const req = new FakeRequest();
    const it = streamRows(req, () => setTimeout(() => req.emit('error', Object.assign(new Error('Invalid object name'), { number: 208 })), 0));
    await expect(it.next()).rejects.toThrow('Invalid object name');
  });

  it('cancels on the server when the signal aborts, with SOURCE_CANCELLED', async () => {
    const req = new FakeRequest();
    const ac = new AbortController();
    const rows: Row[] = [];
    const run = (async () => {
      for await (const r of streamRows(req, () => setTimeout(() => req.emit('row', { n: 1 }), 0), { signal: ac.signal })) {
        rows.push(r);
        ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'SOURCE_CANCELLED' });
    expect(req.cancels).toBe(1);
    expect(rows).toHaveLength(1);
  });

  it('cancels on the server after the per-query timeout, with SOURCE_TIMEOUT', async () => {
    const req = new FakeRequest();
    const it = streamRows(req, () => undefined, { timeoutMs: 20, label: 'log scan' });
    await expect(it.next()).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT', message: expect.stringContaining('log scan') });
    expect(req.cancels).toBe(1);
  });

  it('cancels the request when the consumer stops early', async () => {
    const req = new FakeRequest();
    const someRows = () => setTimeout(() => [1, 2, 3].forEach((n) => req.emit('row', { n })), 0);
    for await (const _ of streamRows(req, someRows)) break;
    expect(req.cancels).toBe(1);
  });
});

describe('driver errors', () => {
  it.each([
    [{ number: 1205 }, true],
    [{ number: 40613 }, true],
    [{ number: 49918 }, true],
    [{ code: 'ESOCKET' }, true],
    [{ code: 'ETIMEOUT' }, true],
    [{ originalError: { number: 40501 } }, true],
    [{ number: 229 }, false],
    [{ number: 208 }, false],
    [{ code: 'ECANCEL' }, false],
  ])('%j transient=%s', (e, t) => expect(isTransient(e)).toBe(t));

  it.each([
    [{ number: 229, message: 'The SELECT permission was denied' }, 'SOURCE_PERMISSION'],
    [{ number: 2571, message: 'User does not have permission to use DBCC TRACEON' }, 'SOURCE_PERMISSION'],
    [{ number: 18456, code: 'ELOGIN', message: "Login failed for user 'x'" }, 'SOURCE_CONNECT'],
    [{ number: 4060, message: 'Cannot open database' }, 'SOURCE_CONNECT'],
    [{ code: 'ESOCKET', message: 'connect ECONNREFUSED' }, 'SOURCE_CONNECT'],
    [{ code: 'ETIMEOUT', message: 'Failed to connect in 15000ms' }, 'SOURCE_TIMEOUT'],
    [{ code: 'ECANCEL', message: 'Canceled.' }, 'SOURCE_CANCELLED'],
    [{ number: 208, message: "Invalid object name 'sys.dm_db_log_info'" }, 'SOURCE_QUERY'],
  ])('%j → %s', (e, code) => expect(toSourceError(Object.assign(new Error(e.message ?? 'x'), e), 'scan').code).toBe(code));
});

describe('withRetries', () => {
  const noSleep = async () => undefined;
  it('retries a transient failure that happens before any row', async () => {
    let calls = 0;
    async function* once() {
      calls++;
      if (calls < 3) throw Object.assign(new Error('deadlock'), { number: 1205 });
      yield 1;
      yield 2;
    }
    const got: number[] = [];
    for await (const x of withRetries(once, { what: 'scan', sleep: noSleep })) got.push(x);
    expect(got).toEqual([1, 2]);
    expect(calls).toBe(3);
  });
  it('never retries once rows were handed on', async () => {
    let calls = 0;
    async function* once() {
      calls++;
      yield 1;
      throw Object.assign(new Error('socket hang up'), { code: 'ESOCKET' });
    }
    const got: number[] = [];
    await expect((async () => { for await (const x of withRetries(once, { what: 'scan', sleep: noSleep })) got.push(x); })()).rejects.toMatchObject({ code: 'SOURCE_CONNECT', message: expect.stringContaining('after 1 row') });
    expect(calls).toBe(1);
    expect(got).toEqual([1]);
  });
  it('does not retry permission errors and gives up after the last attempt', async () => {
    let calls = 0;
    const perm = async function* () { calls++; throw Object.assign(new Error('denied'), { number: 229 }); };
    await expect(withRetries(perm, { what: 'scan', sleep: noSleep }).next()).rejects.toMatchObject({ code: 'SOURCE_PERMISSION' });
    expect(calls).toBe(1);
    calls = 0;
    const busy = async function* () { calls++; throw Object.assign(new Error('busy'), { number: 40501 }); };
    await expect(withRetries(busy, { what: 'scan', sleep: noSleep, maxAttempts: 3 }).next()).rejects.toMatchObject({ code: 'SOURCE_QUERY' });
    expect(calls).toBe(3);
  });
  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelayMs(1, () => 1)).toBe(500);
    expect(retryDelayMs(3, () => 1)).toBe(2000);
    expect(retryDelayMs(3, () => 0)).toBe(1000);
    expect(retryDelayMs(10, () => 1)).toBe(8000);
  });
});

describe('per-server queue and driver config', () => {
  it('shares one queue per server', () => {
    expect(queueFor('db1:1433')).toBe(queueFor('db1:1433'));
    expect(queueFor('db1:1433')).not.toBe(queueFor('db2:1433'));
    expect(queueFor('db1:1433').concurrency).toBe(1);
  });
  it('maps settings to mssql: app name, TLS, read-only intent, NTLM domain, no driver request timeout', () => {
    const c = mssqlConfig(resolveConnection('Server=db1,1444;Database=CRM;User Id=ro;Password=pw;Domain=CORP;TrustServerCertificate=true', {}));
    expect(c).toMatchObject({
      server: 'db1', port: 1444, database: 'CRM', user: 'ro', password: 'pw', domain: 'CORP', requestTimeout: 0,
      options: { encrypt: true, trustServerCertificate: true, appName: 'rowback', readOnlyIntent: true },
    });
  });
});
