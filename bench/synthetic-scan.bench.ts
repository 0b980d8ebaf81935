/**
 * Scan throughput at incident scale on a SYNTHETIC `.ldf` (test/support/synthetic-log.ts: real
 * on-disk layout, CRM contact rows from the test encoder, 10 % rolled back, interleaved
 * transactions). Default 1 GB; `ROWBACK_BENCH_GB=10` for 10 GB; `ROWBACK_BENCH_BIG_TXN=1` makes
 * one transaction delete every row and commit at the end (exercises the committed filter's spill to disk).
 * Prints the log scan decoded to NDJSON (a discarding sink) as MB/s and rows/s, beside sha256 of
 * the same file read the same way in the same run, as a ratio; and peak RSS. Not a test.
 *
 * `ROWBACK_BENCH_CHAIN=1`: the same records are also written as a SYNTHETIC chain of log backups
 * (test/support/synthetic-trn.ts; `ROWBACK_BENCH_TRN_MB` of log per backup, default 32), and the
 * chain is scanned too, beside sha256 of its files; the output must equal the .ldf's (same sha256).
 * `ROWBACK_BENCH_UPDATE_SHARE=0.98`: that share of the transactions do update work (LOP_MODIFY_ROW,
 * a nonclustered index insert) instead of deleting, so the deletes are a small part of the log, as in
 * an incident; the default (0) makes every transaction a delete (the decode and output's worst case).
 * `ROWBACK_BENCH_THREADS=N` scans with N worker threads (`scan --threads N`); default 1;
 * `ROWBACK_BENCH_LDF_RANGES=1` with it also splits the one .ldf into VLF ranges on workers (ldfVlfRanges).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { withMetadata } from '../src/recover/metadata-override.js';
import { recoverRows } from '../src/recover/recover-rows.js';
import { openFileSource } from '../src/recover/sources/files.js';
import { createRowWriter } from '../src/recover/writers.js';
import { CONTACT_ALLOC_UNIT, contactImages, contactLayout } from './support/crm-contact.js';
import { ldfSink, writeSyntheticLog } from '../test/support/synthetic-log.js';
import { trnChainSink } from '../test/support/synthetic-trn.js';

const GB = Number(process.env.ROWBACK_BENCH_GB ?? 1);
const bigTxn = process.env.ROWBACK_BENCH_BIG_TXN === '1';
const withChain = process.env.ROWBACK_BENCH_CHAIN === '1';
const trnMb = Number(process.env.ROWBACK_BENCH_TRN_MB ?? 32);
const threads = Number(process.env.ROWBACK_BENCH_THREADS ?? 1);
const ldfVlfRanges = process.env.ROWBACK_BENCH_LDF_RANGES === '1';
const updateShare = Number(process.env.ROWBACK_BENCH_UPDATE_SHARE ?? 0);
const AU = CONTACT_ALLOC_UNIT;
const layout = contactLayout;
const images = contactImages;

const dir = mkdtempSync(join(tmpdir(), 'rowback-bench-synth-'));
// ROWBACK_BENCH_LDF=path: reuse (or write once and keep) the SYNTHETIC log there, for profiling runs.
const keep = process.env.ROWBACK_BENCH_LDF;
const file = keep ?? join(dir, 'crm_log.ldf');
let peak = process.memoryUsage().rss;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
try {
  let t0 = Date.now();
  if (withChain && keep && existsSync(keep)) throw new Error('ROWBACK_BENCH_CHAIN=1 writes the .ldf and the chain together: give a ROWBACK_BENCH_LDF path that does not exist yet, or none');
  const chain = withChain ? trnChainSink({ dir, baseName: 'crm_log', backupBytes: trnMb * 1048576 }) : null;
  const w = keep && existsSync(keep) ? { bytes: statSync(keep).size, transactions: NaN } : writeSyntheticLog([ldfSink(file), ...(chain ? [chain.sink] : [])], {
    targetBytes: GB * 1024 ** 3,
    row: (t, r) => images[(t * 7 + r) % images.length],
    updateShare,
    ...(bigTxn ? { rowsPerTxn: () => 1e12, concurrency: 1, rollbackShare: 0, finishAtEnd: true } : {}),
  }, { allocUnitId: AU, vlfSize: 64 * 1024 * 1024 });
  if (chain) console.log(`SYNTHETIC log backups: ${chain.backups.length} .trn files of ~${trnMb} MiB of log each, ${(chain.backups.reduce((n, b) => n + statSync(b.file).size, 0) / 1048576).toFixed(0)} MiB in all, holding the same records as the .ldf`);
  console.log(`SYNTHETIC log: ${(w.bytes / 1048576).toFixed(0)} MiB, ${Number.isNaN(w.transactions) ? `kept from an earlier run (${file})` : `${w.transactions} transactions${updateShare ? `, ${Math.round(updateShare * 100)} % of them update work` : ''}`}, written in ${((Date.now() - t0) / 1000).toFixed(1)} s${bigTxn ? ' (one transaction deleting every row, committed at the end: the scan holds it, spills it to disk, and reads it back at the commit)' : ''}`);

  const sha = async (files: string[]) => {
    const t = Date.now();
    const h = createHash('sha256');
    for (const f of files) for await (const c of createReadStream(f, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
    h.digest();
    return (Date.now() - t) / 1000;
  };
  const shaS = await sha([file]);

  const rssBefore = process.memoryUsage().rss;
  peak = rssBefore;
  type Api = { withMetadata: typeof withMetadata; recoverRows: typeof recoverRows; openFileSource: typeof openFileSource; createRowWriter: typeof createRowWriter };
  const scanWith = async (api: Api, inputs: { ldf?: string; trn?: string[] } = { ldf: file }) => {
    t0 = Date.now();
    const out = createHash('sha256');
    const sink = new Writable({ write(c, _e, cb) { out.update(c as Buffer); cb(); } });
    const writer = api.createRowWriter('ndjson', sink);
    const src = api.withMetadata(api.openFileSource({ ...inputs, threads, ldfVlfRanges }), [layout]);
    let rows = 0;
    // what must not depend on the log's container: a row's source (file, offset) does, the rest must not
    const same = createHash('sha256');
    for await (const ev of api.recoverRows(src, { operations: ['delete'] })) {
      if (ev.kind === 'row') {
        rows++;
        const r = ev.row;
        same.update(`${r.lsn}|${r.transactionId}|${r.beginTime}|${r.endTime}|${r.table}|${r.raw}\n`);
        await writer.write(r);
      }
    }
    await writer.end();
    await src.close();
    return { s: (Date.now() - t0) / 1000, rows, output: out.digest('hex').slice(0, 16), rowsHash: same.digest('hex').slice(0, 16) };
  };
  const mb = w.bytes / 1048576;
  const line = (label: string, r: { s: number; rows: number; output: string; rowsHash: string }, ref = shaS, bytes = mb) => {
    // A scan that found nothing measured nothing (a log smaller than one of the writer's VLFs holds no finished transaction).
    if (r.rows === 0) throw new Error(`${label}: no rows in the SYNTHETIC log (${bytes.toFixed(0)} MiB; give ROWBACK_BENCH_GB of at least 0.1): nothing measured`);
    console.log(`${label.padEnd(38)} ${(bytes / r.s).toFixed(0).padStart(6)} MiB/s  ${Math.round(r.rows / r.s).toString().padStart(8)} rows/s  ${(ref / r.s).toFixed(3)} × sha256  (${r.rows} rows, output sha256 ${r.output}…, rows without their source ${r.rowsHash}…)`);
  };
  console.log(`sha256 of the file (reference)        ${(mb / shaS).toFixed(0).padStart(6)} MiB/s`);
  const ldfRun = await scanWith({ withMetadata, recoverRows, openFileSource, createRowWriter });
  line(`scan → committed deletes → NDJSON${threads > 1 ? ` (--threads ${threads})` : ''}`, ldfRun);
  if (chain) {
    const files = chain.backups.map((b) => b.file);
    const trnMbAll = files.reduce((n, f) => n + statSync(f).size, 0) / 1048576;
    const trnSha = await sha(files);
    console.log(`sha256 of the ${files.length} .trn files (reference) ${(trnMbAll / trnSha).toFixed(0).padStart(6)} MiB/s`);
    const trnRun = await scanWith({ withMetadata, recoverRows, openFileSource, createRowWriter }, { trn: files });
    line(`same records as a .trn chain${threads > 1 ? ` (--threads ${threads})` : ''}`, trnRun, trnSha, trnMbAll);
    console.log(`chain ÷ .ldf: ${(ldfRun.s / trnRun.s).toFixed(2)} × the .ldf's rate (wall time ${ldfRun.s.toFixed(1)} s vs ${trnRun.s.toFixed(1)} s); rows ${trnRun.rowsHash === ldfRun.rowsHash && trnRun.rows === ldfRun.rows ? 'identical' : 'DIFFERENT (a bug)'} but for their source (file, offset)`);
  }
  // ROWBACK_BENCH_BEFORE_DIST=/path/to/dist: the same scan through an earlier build (tsc output of
  // an older commit) in the same run, so before/after compare on the same machine load.
  const before = process.env.ROWBACK_BENCH_BEFORE_DIST;
  if (before) {
    const api = {
      withMetadata: (await import(join(before, 'recover/metadata-override.js'))).withMetadata,
      recoverRows: (await import(join(before, 'recover/recover-rows.js'))).recoverRows,
      openFileSource: (await import(join(before, 'recover/sources/files.js'))).openFileSource,
      createRowWriter: (await import(join(before, 'recover/writers.js'))).createRowWriter,
    } as Api;
    line(`same scan, ${before}`, await scanWith(api));
  }
  console.log(`peak RSS during the scan ${(peak / 1048576).toFixed(0)} MiB (before it: ${(rssBefore / 1048576).toFixed(0)} MiB)`);
} finally {
  clearInterval(sample);
  rmSync(dir, { recursive: true, force: true });
}
