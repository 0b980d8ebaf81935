/**
 * Worker side of the parallel log reader (parallel-reader.ts): reads one log file (an .ldf, or one
 * backup set of a .trn/.bak) with the same batch reader the one-thread scan uses, and posts its
 * record batches, skipped items and final stats to the parent in reading order. Byte fields are
 * copied out of their log block before posting (a view would carry the whole block across).
 * Flow control: at most `window` batches are unacknowledged; the parent acknowledges as it
 * consumes, so a worker ahead of the consumer waits instead of filling memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBackupLogStream } from '../../backup/log-stream.js';
import type { LogRecord } from '../log-record.js';
import { emptyLogScanStats, readLdfRecordBatches, type LogScanOptions, type RecordKeep } from '../ldf/reader.js';
import type { LogFileJob, ToParent, ToWorker } from './protocol.js';
import { withFileRoots } from '../../util/input-open.js';

const job = workerData as LogFileJob;
const port = parentPort!;
let acked = 0;
let sent = 0;
let wake: (() => void) | null = null;
let stopped = false;
port.on('message', (m: ToWorker) => {
  if (m.type === 'ack') acked += m.n;
  else if (m.type === 'stop') stopped = true;
  const w = wake;
  wake = null;
  w?.();
});

const BYTE_FIELDS = ['RowLog Contents 0', 'RowLog Contents 1', 'RowLog Contents 2', 'RowLog Contents 3', 'RowLog Contents 4', 'Log Record', 'Transaction SID'] as const;

function own(r: LogRecord): LogRecord {
  for (const k of BYTE_FIELDS) {
    const v = r[k];
    if (v instanceof Uint8Array) r[k] = v.slice();
  }
  return r;
}

async function run(): Promise<void> {
  const table = job.keepTable;
  const keep: RecordKeep | undefined = table ? (op, ctx) => table[(op << 8) | ctx] === 1 : undefined;
  const stats = emptyLogScanStats();
  const opts: LogScanOptions = {
    logFormat2IsSql2005: job.logFormat2IsSql2005,
    ...(job.vlfOrder ? { vlfOrder: job.vlfOrder } : {}),
    ...(job.includeStale !== undefined ? { includeStale: job.includeStale } : {}),
    onSkipped: (item) => port.postMessage({ type: 'skipped', item } satisfies ToParent),
  };
  const batches = job.kind === 'ldf' ? readLdfRecordBatches(job.file, opts, stats, keep, job.vlfs) : openBackupLogStream(job.file, job.kind, undefined, job.position).batches(opts, stats, keep);
  for await (const b of batches) {
    if (stopped) return;
    for (const r of b.records) own(r);
    port.postMessage({ type: 'batch', records: b.records, firstLsn: b.firstLsn, ...(b.sectors !== undefined ? { sectors: b.sectors } : {}), ...(b.offset !== undefined ? { offset: b.offset } : {}) } satisfies ToParent);
    sent++;
    while (sent - acked >= job.window && !stopped) await new Promise<void>((resolve) => (wake = resolve));
  }
  port.postMessage({ type: 'done', stats } satisfies ToParent);
}

// its file opened under the roots of the job that started it (util/input-open.ts)
withFileRoots(job.fileRoots, run).catch((e: unknown) => {
  const err = e as { name?: string; code?: string; message?: string; location?: unknown; stack?: string };
  port.postMessage({ type: 'error', error: { name: err?.name ?? 'Error', code: err?.code, message: err?.message ?? String(e), location: err?.location, stack: err?.stack } } satisfies ToParent);
});
