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
import { candidateToEvent, driftKind, hasOffRow, type RecoverEvent, type TxnFieldCache } from '../recover-rows.js';
import { rowJson } from '../../util/negative-zero.js';
import type { MetadataCatalog, RowCandidate, TransactionInfo } from '../source.js';
import {
  NULL_STRING,
  ROW,
  TXN,
  OP_DELETE,
  OUTCOME_EVENT,
  OUTCOME_MAIN,
  OUTCOME_ROW,
  ROW_STRIDE,
  TXN_STRIDE,
  type DecodeJob,
  type DecodeResult,
  type DecodeWorkerSetup,
  type FromDecodeWorker,
  type ToDecodeWorker,
} from './protocol.js';

const setup = workerData as DecodeWorkerSetup;
const port = parentPort!;
const layouts: TableLayout[] = [];
/** A catalog answering with the table the main thread resolved for the candidate (resolveTable's result there). */
let current: TableLayout;
const catalog: MetadataCatalog = { tables: () => [current], byAllocUnit: () => current, byName: () => current };

/** The job's strings, by index (protocol.ts: one concatenated string and the ends). */
function unpackStrings(job: DecodeJob): string[] {
  const out = new Array<string>(job.stringEnds.length);
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    const end = job.stringEnds[i];
    out[i] = job.strings.slice(start, end);
    start = end;
  }
  return out;
}

/** The job's transactions as the TransactionInfo (and principal name) the main thread had: the same fields, absent ones left out. */
function unpackTransactions(job: DecodeJob, s: string[]): Array<{ txn: TransactionInfo; dbUser: string | null }> {
  const f = job.txns;
  const n = f.length / TXN_STRIDE;
  const out = new Array<{ txn: TransactionInfo; dbUser: string | null }>(n);
  const sids = new Uint8Array(job.sids);
  const str = (i: number): string | null | undefined => (i >= 0 ? s[i] : i === NULL_STRING ? null : undefined);
  let sidStart = 0;
  for (let t = 0; t < n; t++) {
    const o = t * TXN_STRIDE;
    const sidEnd = f[o + TXN.SID_END];
    const txn = {
      transactionId: str(f[o + TXN.ID]),
      beginTime: str(f[o + TXN.BEGIN]),
      endTime: str(f[o + TXN.END]),
      name: str(f[o + TXN.NAME]),
      sid: f[o + TXN.SID_NULL] ? null : sids.subarray(sidStart, sidEnd),
      login: str(f[o + TXN.LOGIN]),
      spid: f[o + TXN.SPID_IS_NUMBER] ? f[o + TXN.SPID] : str(f[o + TXN.SPID]),
      host: str(f[o + TXN.HOST]),
      program: str(f[o + TXN.PROGRAM]),
    } as TransactionInfo;
    sidStart = sidEnd;
    const opposite = str(f[o + TXN.OPPOSITE]);
    if (opposite) {
      const [operation, entries] = JSON.parse(opposite) as ['insert' | 'delete', Array<[string, number]>];
      txn.opposite = { operation, perAllocUnit: new Map(entries) };
    }
    out[t] = { txn, dbUser: str(f[o + TXN.DB_USER]) ?? null };
  }
  return out;
}

/** The rows' text is written here, then copied out at its size (grown as a job needs). */
let scratch = Buffer.allocUnsafeSlow(1024 * 1024);

function run(job: DecodeJob): DecodeResult {
  for (const { index, layout } of job.newLayouts) layouts[index] = layout;
  const f = job.rows;
  const n = f.length / ROW_STRIDE;
  const images = new Uint8Array(job.images);
  const s = unpackStrings(job);
  const txns = unpackTransactions(job, s);
  const outcome = new Uint8Array(n);
  const drift = new Uint8Array(n);
  const textEnds = new Int32Array(n);
  const events: RecoverEvent[] = [];
  let text = scratch;
  let at = 0;
  // per job: the TransactionInfo objects are this job's
  const txnCache: TxnFieldCache = new WeakMap();
  let start = 0;
  for (let i = 0; i < n; i++) {
    const o = i * ROW_STRIDE;
    const end = f[o + ROW.IMAGE_END];
    const t = txns[f[o + ROW.TXN]];
    const source: LogRecordSource = { kind: s[f[o + ROW.SOURCE_KIND]] as LogRecordSource['kind'], file: s[f[o + ROW.SOURCE_FILE]], offset: f[o + ROW.SOURCE_OFFSET] };
    if (f[o + ROW.SOURCE_POSITION]) source.position = f[o + ROW.SOURCE_POSITION];
    if (f[o + ROW.STALE]) source.stale = true;
    const record: LogRecord = {
      'Current LSN': s[f[o + ROW.LSN]],
      Operation: f[o + ROW.OPERATION] === OP_DELETE ? LOP_DELETE_ROWS : LOP_INSERT_ROWS,
      Context: '',
      'Transaction ID': s[f[o + ROW.TRANSACTION_ID]],
      AllocUnitId: f[o + ROW.ALLOC_UNIT] < 0 ? null : s[f[o + ROW.ALLOC_UNIT]],
      'Page ID': f[o + ROW.PAGE] < 0 ? null : s[f[o + ROW.PAGE]],
      'Slot ID': f[o + ROW.SLOT] < 0 ? null : f[o + ROW.SLOT],
      'RowLog Contents 0': images.subarray(start, end),
      source,
    };
    start = end;
    current = layouts[f[o + ROW.LAYOUT]];
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
    const json = rowJson(ev.row);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit
    const need = json.length * 3 + 1;
    if (need > text.length - at) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(text.length * 2, at + need));
      text.copy(bigger, 0, 0, at);
      text = scratch = bigger;
    }
    at += text.write(json, at);
    text[at++] = 0x0a;
    outcome[i] = OUTCOME_ROW;
    drift[i] = driftKind(ev.row.warnings) | (ev.row.warnings.length ? 4 : 0);
    textEnds[i] = at;
  }
  // the lines in a buffer of their own size (the scratch buffer stays here for the next job): the
  // main thread's external memory, which paces its garbage collection, grows by the text only
  const out = new Uint8Array(at);
  out.set(text.subarray(0, at));
  return { type: 'result', id: job.id, outcome, drift, text: out.buffer, textEnds, events };
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
