/**
 * Log-scan throughput on the largest corpus log (SessionShoppingCart/NORTHWND_log.ldf, 3 MB)
 * and on the log inside a backup: MB of log per second, records per second, and the process's
 * peak RSS. The file is small, so it is scanned repeatedly for about two seconds. Figures only;
 * nothing passes or fails on them.
 *
 * Compressed backup (TSQLV4-compressed/TSQLV4.bak, MSSQLBAK): the whole decompressed MTF stream
 * read through `BackupBytes` (every chunk decompressed once), and the page index built over it,
 * each as MB/s of the file on disk and as a ratio to sha256 of the same bytes timed in the same
 * run (so the ratio, not the absolute figure, is what compares across loaded machines).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { openBackupBytes } from '../src/backup/bytes.js';
import { openBackupPageSource } from '../src/backup/page-source.js';
import { corpusPath, corpusAvailable } from '../test/support/corpus.js';
import { openBackupLogStream } from '../src/backup/log-stream.js';
import { emptyLogScanStats, readLdfRecords } from '../src/logreader/ldf/reader.js';
import { openFileSource } from '../src/recover/sources/files.js';

async function bench(label: string, bytesPerRun: number, run: () => Promise<number>): Promise<void> {
  await run(); // warm-up
  const started = process.hrtime.bigint();
  let runs = 0;
  let records = 0;
  while (Number(process.hrtime.bigint() - started) / 1e9 < 2) {
    records += await run();
    runs++;
  }
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = (bytesPerRun * runs) / 1048576;
  console.log(`${label.padEnd(44)} ${(mb / s).toFixed(1).padStart(7)} MiB/s  ${Math.round(records / s).toString().padStart(9)} records/s  (${runs} runs, ${s.toFixed(2)} s)`);
}

const baselineRss = process.memoryUsage().rss;
if (!corpusAvailable) {
  console.log('corpus not available: nothing to measure');
} else {
  const ldf = corpusPath('SessionShoppingCart/App_Data/NORTHWND_log.ldf');
  await bench('ldf scan NORTHWND_log.ldf', statSync(ldf).size, async () => {
    const st = emptyLogScanStats();
    for await (const _ of readLdfRecords(ldf, {}, st)) void _;
    return st.records;
  });
  const trn = corpusPath('appveyor-lab/sql2008-backups/db1/LOG/SQL2008_db1_LOG_20170518_041831.trn');
  const stream = openBackupLogStream(trn);
  await bench('trn scan SQL2008_db1_LOG_…041831.trn', stream.bytes, async () => {
    const st = emptyLogScanStats();
    for await (const _ of stream.records({}, st)) void _;
    return st.records;
  });
  const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const alog = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  await bench('one-pass candidates AngularJs (mdf+ldf)', statSync(alog).size, async () => {
    const src = openFileSource({ mdf, ldf: alog });
    for await (const _ of src.candidates({ operations: ['delete', 'insert', 'update'] })) void _;
    await src.close();
    return src.logStats.records;
  });
  // the reference for the figures above, in the same run: sha256 of the same bytes
  const bytes = readFileSync(ldf);
  await bench('reference: sha256 of NORTHWND_log.ldf', bytes.length, async () => {
    createHash('sha256').update(bytes).digest();
    return 0;
  });
  const bak = corpusPath('TSQLV4-compressed/TSQLV4.bak');
  const onDisk = statSync(bak).size;
  const fileBytes = readFileSync(bak);
  const timed = async (run: () => void): Promise<number> => {
    run();
    const started = process.hrtime.bigint();
    let runs = 0;
    while (Number(process.hrtime.bigint() - started) / 1e9 < 2) {
      run();
      runs++;
    }
    return (onDisk * runs) / 1048576 / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const sha = await timed(() => void createHash('sha256').update(fileBytes).digest());
  let streamSize = 0;
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const readAll = await timed(() => {
    const b = openBackupBytes(bak);
    const buf = Buffer.alloc(1 << 20);
    streamSize = b.size;
    for (let at = 0; at < b.size; at += buf.length) b.readSync(buf, 0, buf.length, at);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    b.close();
  });
  const index = await timed(() => {
    const p = openBackupPageSource(bak);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    p.close();
  });
  console.log(`${'sha256 of TSQLV4.bak (same bytes)'.padEnd(44)} ${sha.toFixed(1).padStart(7)} MiB/s`);
  console.log(`${'compressed .bak: read whole MTF stream'.padEnd(44)} ${readAll.toFixed(1).padStart(7)} MiB/s on disk (${((readAll * streamSize) / onDisk).toFixed(1)} MiB/s decompressed), ${(readAll / sha).toFixed(3)} × sha256`);
  console.log(`${'compressed .bak: page index'.padEnd(44)} ${index.toFixed(1).padStart(7)} MiB/s on disk, ${(index / sha).toFixed(3)} × sha256`);
  console.log(`compressed .bak: RSS ${(rssBefore / 1048576).toFixed(1)} MiB before, ${(rssPeak / 1048576).toFixed(1)} MiB at most while reading (file ${(onDisk / 1048576).toFixed(2)} MiB, stream ${(streamSize / 1048576).toFixed(2)} MiB)`);
  // maxRSS includes the runtime and the TypeScript loader; the RSS before any scan is printed for comparison.
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB (RSS before the scans: ${(baselineRss / 1048576).toFixed(1)} MiB)`);
}
