/**
 * Worker side of the decode pool (decode-pool.ts): turns packed committed candidates (protocol.ts)
 * into output with the very code the main thread runs — candidateToEvent, the principal's name,
 * JSON.stringify — and posts the rows' NDJSON lines as one transferable UTF-8 buffer per job.
 * A candidate it cannot finish (a value stored off-row that the source resolves from pages, or an
 * exception candidateToEvent throws) is marked OUTCOME_MAIN: the main thread converts it itself,
 * in its place, so what is printed or thrown is what the one-thread scan prints or throws.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LogRecord, LogRecordSource } from '../../logreader/log-record.js';
import { LOP_DELETE_ROWS, LOP_INSERT_ROWS } from '../../logreader/log-record.js';
import type { TableLayout } from '../../reconstruct/metadata/table-layout.js';
import { candidateToEvent, hasDriftWarning, hasOffRow, type RecoverEvent, type TxnFieldCache } from '../recover-rows.js';
import type { MetadataCatalog, RowCandidate } from '../source.js';
import { OP_DELETE, OUTCOME_EVENT, OUTCOME_MAIN, OUTCOME_ROW, type DecodeJob, type DecodeResult, type DecodeWorkerSetup, type FromDecodeWorker, type ToDecodeWorker } from './protocol.js';

const setup = workerData as DecodeWorkerSetup;
const port = parentPort!;
const layouts: TableLayout[] = [];
/** A catalog answering with the table the main thread resolved for the candidate (resolveTable's result there). */
let current: TableLayout;
const catalog: MetadataCatalog = { tables: () => [current], byAllocUnit: () => current, byName: () => current };

function run(job: DecodeJob): DecodeResult {
  for (const { index, layout } of job.newLayouts) layouts[index] = layout;
  const n = job.operation.length;
  const images = new Uint8Array(job.images);
  const s = job.strings;
  const outcome = new Uint8Array(n);
  const drift = new Uint8Array(n);
  const textEnds = new Int32Array(n);
  const events: RecoverEvent[] = [];
  let text = Buffer.allocUnsafeSlow(Math.max(64 * 1024, job.images.byteLength * 4));
  let at = 0;
  // per job: the TransactionInfo objects are this job's clones
  const txnCache: TxnFieldCache = new WeakMap();
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = job.imageEnds[i];
    const t = job.txns[job.txn[i]];
    const source: LogRecordSource = { kind: s[job.kind[i]] as LogRecordSource['kind'], file: s[job.file[i]], offset: job.offset[i] };
    if (job.stale[i]) source.stale = true;
    const record: LogRecord = {
      'Current LSN': s[job.lsn[i]],
      Operation: job.operation[i] === OP_DELETE ? LOP_DELETE_ROWS : LOP_INSERT_ROWS,
      Context: '',
      'Transaction ID': s[job.transactionId[i]],
      AllocUnitId: job.allocUnit[i] < 0 ? null : s[job.allocUnit[i]],
      'Page ID': job.page[i] < 0 ? null : s[job.page[i]],
      'Slot ID': job.slot[i] < 0 ? null : job.slot[i],
      'RowLog Contents 0': images.subarray(start, end),
      source,
    };
    start = end;
    current = layouts[job.layout[i]];
    const c: RowCandidate = { record, txn: t.txn };
    let ev: RecoverEvent;
    try {
      ev = candidateToEvent(c, catalog, undefined, txnCache);
    } catch {
      outcome[i] = OUTCOME_MAIN;
      textEnds[i] = at;
      continue;
    }
    if (ev.kind === 'skipped') {
      outcome[i] = OUTCOME_EVENT;
      events.push(ev);
      textEnds[i] = at;
      continue;
    }
    // RowConverter.push's order: the principal, then the off-row values (main thread)
    if (t.dbUser !== null) ev.row = { ...ev.row, dbUser: t.dbUser };
    if (setup.offRowOnMain && hasOffRow(ev.row)) {
      outcome[i] = OUTCOME_MAIN;
      textEnds[i] = at;
      continue;
    }
    const json = JSON.stringify(ev.row);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit
    const need = json.length * 3 + 1;
    if (need > text.length - at) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(text.length * 2, at + need));
      text.copy(bigger, 0, 0, at);
      text = bigger;
    }
    at += text.write(json, at);
    text[at++] = 0x0a;
    outcome[i] = OUTCOME_ROW;
    drift[i] = hasDriftWarning(ev.row.warnings) ? 1 : 0;
    textEnds[i] = at;
  }
  return { type: 'result', id: job.id, outcome, drift, text: text.buffer as ArrayBuffer, textEnds, events };
}

port.on('message', (m: ToDecodeWorker) => {
  try {
    const r = run(m);
    port.postMessage(r satisfies FromDecodeWorker, [r.text, r.outcome.buffer as ArrayBuffer, r.drift.buffer as ArrayBuffer, r.textEnds.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as { name?: string; message?: string; stack?: string };
    port.postMessage({ type: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(e), stack: err?.stack } } satisfies FromDecodeWorker);
  }
});
