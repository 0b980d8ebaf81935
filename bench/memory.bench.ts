/**
 * Flat memory at incident scale (issue 12): peak RSS of the compiled CLI, as a whole process, scanning
 * SYNTHETIC `.ldf` files (test/support/synthetic-log.ts; CRM contact rows from the test encoder):
 * - one transaction deleting ROWBACK_BENCH_ROWS rows (default 2,500,000; 10,000,000 for the issue's
 *   figure), committed at the end, so the committed filter holds every row, spills them to disk and
 *   reads them back (src/recover/held-candidates.ts);
 * - a log of ROWBACK_BENCH_GB (default 0.5; 10 for the figure) of short interleaved
 *   transactions, 10 % rolled back.
 * Each line gives the rows, the wall time beside sha256 of the same file read in the same run (a
 * ratio), and the peak RSS against the 300 MB the issue sets. Needs `npm run build` (dist/). Not a
 * test: nothing passes or fails. ROWBACK_BENCH_KEEP=dir keeps the written logs there between runs.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTACT_ALLOC_UNIT, CONTACT_DDL, contactImages } from './support/crm-contact.js';
import { writeSyntheticLdf } from '../test/support/synthetic-log.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stdout.write('memory: no dist/ (run `npm run build` first); skipped\n');
  process.exit(0);
}
const ROWS = Number(process.env.ROWBACK_BENCH_ROWS ?? 2_500_000);
const GB = Number(process.env.ROWBACK_BENCH_GB ?? 0.5);
const AU = CONTACT_ALLOC_UNIT;
const DDL = CONTACT_DDL;
const images = contactImages;

const keep = process.env.ROWBACK_BENCH_KEEP;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'rowback-bench-memory-'));
if (keep) mkdirSync(keep, { recursive: true });
const ddl = join(dir, 'contact.sql');
writeFileSync(ddl, DDL);

async function sha256Seconds(file: string): Promise<number> {
  const t0 = Date.now();
  const h = createHash('sha256');
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  h.digest();
  return (Date.now() - t0) / 1000;
}

async function run(label: string, file: string, write: () => void): Promise<void> {
  if (!existsSync(file)) write();
  const mb = statSync(file).size / 1048576;
  const shaS = await sha256Seconds(file);
  const rssFile = join(dir, 'rss.txt');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bench', 'support', 'max-rss.mjs'), main, 'scan', '--ldf', file, '--ddl', ddl, '--alloc-unit', AU, '--quiet', '--out', '/dev/null', '--report', join(dir, 'report.json')], {
    env: { ...process.env, ROWBACK_BENCH_RSS_OUT: rssFile },
    encoding: 'utf8',
  });
  const s = (Date.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${label}: scan exited ${r.status}: ${r.stderr}`);
  const rows = (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { rows: number }).rows;
  if (rows === 0) throw new Error(`${label}: the scan found no rows in the SYNTHETIC log (too small for its writer?): nothing measured`);
  // the peak RSS file holds KiB (GNU time %M); the limit is 300 MB, decimal: 300,000,000 bytes
  const rssBytes = Number(readFileSync(rssFile, 'utf8')) * 1024;
  process.stdout.write(`${label}: ${mb.toFixed(0)} MiB log, ${rows.toLocaleString('en-US')} rows in ${s.toFixed(1)} s (${(shaS / s).toFixed(3)} × sha256 of the file, ${(mb / shaS).toFixed(0)} MiB/s); peak RSS ${(rssBytes / 1048576).toFixed(0)} MiB (issue's limit 300 MB = 286 MiB: ${rssBytes < 300e6 ? 'within' : 'OVER'})\n`);
}

try {
  // ~184 bytes of log per deleted row of this table at scale (measured on the writer's output).
  const bigFile = join(dir, `one-txn-${ROWS}.ldf`);
  await run(`one transaction deleting ~${ROWS.toLocaleString('en-US')} rows (SYNTHETIC)`, bigFile, () =>
    writeSyntheticLdf(bigFile, { targetBytes: ROWS * 184, row: (t, r) => images[(t * 7 + r) % images.length]!, rowsPerTxn: () => 1e12, concurrency: 1, rollbackShare: 0, finishAtEnd: true }, { allocUnitId: AU }));
  const normFile = join(dir, `short-txns-${GB}gb.ldf`);
  await run(`${GB} GB of short transactions (SYNTHETIC)`, normFile, () =>
    writeSyntheticLdf(normFile, { targetBytes: GB * 1024 ** 3, row: (t, r) => images[(t * 7 + r) % images.length]! }, { allocUnitId: AU }));
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
