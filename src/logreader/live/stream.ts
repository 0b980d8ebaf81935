import { SourceError } from '../../errors.js';

/**
 * Turns an event-emitting streaming request (mssql with `request.stream = true`) into an
 * async iterator with bounded memory: rows are buffered up to HIGH_WATER, then the request
 * is paused (mssql pauses the TDS socket) until the consumer has drained to LOW_WATER.
 * Cancellation (AbortSignal) and a per-query timeout both cancel the request on the server.
 */
export type Row = Record<string, unknown>;

export interface StreamingRequest {
  on(event: 'row', listener: (row: Row) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  on(event: 'done', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  cancel(): unknown;
}

export const DEFAULT_HIGH_WATER = 1000;
export const DEFAULT_LOW_WATER = 250;

export interface StreamRowsOptions {
  signal?: AbortSignal;
  /** Whole-query limit in ms; 0 or undefined = none. */
  timeoutMs?: number;
  highWater?: number;
  lowWater?: number;
  /** Called every `batchSize` rows (progress logging). */
  onBatch?: (rowsSoFar: number) => void;
  batchSize?: number;
  /** For error messages: what the query was for. */
  label?: string;
}

export async function* streamRows(req: StreamingRequest, start: () => void, o: StreamRowsOptions = {}): AsyncGenerator<Row> {
  const highWater = o.highWater ?? DEFAULT_HIGH_WATER;
  const lowWater = Math.min(o.lowWater ?? DEFAULT_LOW_WATER, highWater - 1);
  const label = o.label ?? 'query';
  let buffer: Row[] = [];
  let head = 0;
  let paused = false;
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const fail = (e: unknown) => {
    if (failure === null) failure = e;
    notify();
  };

  req.on('row', (row) => {
    buffer.push(row);
    if (!paused && buffer.length - head >= highWater) {
      paused = true;
      req.pause();
    }
    notify();
  });
  req.on('error', (e) => fail(e));
  req.on('done', () => {
    done = true;
    notify();
  });

  const onAbort = () => {
    fail(new SourceError('SOURCE_CANCELLED', `${label} was cancelled`));
    req.cancel();
  };
  if (o.signal?.aborted) throw new SourceError('SOURCE_CANCELLED', `${label} was cancelled before it started`);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = o.timeoutMs
    ? setTimeout(() => {
        fail(new SourceError('SOURCE_TIMEOUT', `${label} did not finish within ${Math.round(o.timeoutMs! / 1000)} s and was cancelled on the server`));
        req.cancel();
      }, o.timeoutMs)
    : null;

  let count = 0;
  const batchSize = o.batchSize ?? highWater;
  try {
    start();
    for (;;) {
      if (failure !== null) throw failure;
      if (head < buffer.length) {
        const row = buffer[head];
        buffer[head++] = undefined as unknown as Row; // let the row be collected once yielded
        if (head > highWater && head * 2 > buffer.length) {
          buffer = buffer.slice(head);
          head = 0;
        }
        if (paused && buffer.length - head <= lowWater) {
          paused = false;
          req.resume();
        }
        count++;
        if (o.onBatch && count % batchSize === 0) o.onBatch(count);
        yield row;
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    // The consumer stopped early (break, error downstream): stop the server's work too.
    if (!done && failure === null) req.cancel();
  }
}
