import type { RecoverEvent } from '../../src/recover/recover-rows.js';
import { catalogFromLayouts, type RecoverySource, type SkippedItem, type SourceProgress } from '../../src/recover/source.js';
import type { RecoverFn } from '../../src/worker/worker.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';

/**
 * A RecoverySource for service tests: its rows are recovered rows built from real corpus row
 * images (see test/staging/fixtures.ts). `recover` replaces recoverRows and yields them,
 * optionally failing after `failAfter` rows or waiting on `gate` between rows.
 */
export interface FakeOptions {
  rows: number;
  failAfter?: number;
  skipEvery?: number;
  /** Yield rows out of LSN order (as commit order does: a transaction that began earlier commits later). */
  commitOrder?: boolean;
  /** Called before each row; may delay. */
  beforeRow?: (i: number) => Promise<void> | void;
}

export function fakeSource(): RecoverySource {
  const skipped: SkippedItem[] = [];
  return {
    description: 'test source (corpus row images)',
    metadata: async () => catalogFromLayouts(Object.values(LAYOUTS)),
    candidates: async function* () { /* rows come through the fake recover */ },
    skipped: () => skipped,
    close: async () => {},
  };
}

export function fakeRecover(o: FakeOptions): RecoverFn {
  return (_source, _filter, opts) => ({
    async *[Symbol.asyncIterator](): AsyncIterator<RecoverEvent> {
      const all = corpusRows(o.rows);
      const rows = o.commitOrder ? all.map((r, i) => ({ r, k: (i % 7) * o.rows + i })).sort((a, b) => a.k - b.k).map((x) => x.r) : all;
      for (let i = 0; i < rows.length; i++) {
        if (opts?.signal?.aborted) return;
        await o.beforeRow?.(i);
        if (o.failAfter !== undefined && i === o.failAfter) throw new Error('source went away');
        if (o.skipEvery && i % o.skipEvery === 0) {
          yield { kind: 'skipped', item: { code: 'DECODE_TRUNCATED', reason: 'test skip', location: { lsn: rows[i].lsn }, raw: rows[i].raw } };
          continue;
        }
        yield { kind: 'row', row: rows[i] };
      }
    },
  });
}

/**
 * A source that reports its own progress like a two-pass log scan: pass 1 reads `total` bytes and
 * `records` records in ten steps without finding rows, waits on `betweenPasses`, then pass 2 reads
 * the log again and yields `rows` recovered rows (real corpus row images) as it goes.
 */
export interface ProgressScan {
  source: RecoverySource;
  recover: RecoverFn;
  state: SourceProgress;
}

export function progressScan(o: { rows: number; total: number; records: number; betweenPasses?: () => Promise<void>; stepMs?: number }): ProgressScan {
  const state: SourceProgress = { bytesRead: 0, recordsRead: 0, pass: 0, passes: 2 };
  const source: RecoverySource = { ...fakeSource(), progress: () => ({ ...state, bytesTotal: o.total }) };
  const recover: RecoverFn = (_source, _filter, opts) => ({
    async *[Symbol.asyncIterator](): AsyncIterator<RecoverEvent> {
      state.pass = 1;
      for (let k = 1; k <= 10; k++) {
        if (opts?.signal?.aborted) return;
        state.bytesRead = (o.total * k) / 10;
        state.recordsRead = (o.records * k) / 10;
        await new Promise((r) => setTimeout(r, o.stepMs ?? 5));
      }
      await o.betweenPasses?.();
      state.pass = 2;
      state.bytesRead = 0;
      state.recordsRead = 0;
      const rows = corpusRows(o.rows);
      for (let i = 0; i < rows.length; i++) {
        if (opts?.signal?.aborted) return;
        state.bytesRead = Math.floor((o.total * (i + 1)) / rows.length);
        state.recordsRead = Math.floor((o.records * (i + 1)) / rows.length);
        yield { kind: 'row', row: rows[i] };
      }
      state.bytesRead = o.total;
      state.recordsRead = o.records;
    },
  });
  return { source, recover, state };
}
