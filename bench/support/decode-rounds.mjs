// Child of bench/decode-compiled.bench.ts: decodes the given SYNTHETIC images with the compiled
// decoder (dist/) for 8 rounds and prints JSON: best rows per CPU-second, and a plain byte-walk
// over the same images (the same-run reference).
import { readFileSync } from 'node:fs';
const [, , file, which, dist] = process.argv;
const { decodeRow } = await import(`${dist}/reconstruct/decode-row.js`);
const { layout, imgs } = JSON.parse(readFileSync(file, 'utf8'))[which];
const bufs = imgs.map((h) => Buffer.from(h, 'hex'));
const N = 200_000;
let best = 0;
let walk = 0;
let sink = 0;
for (let round = 0; round < 8; round++) {
  let c0 = process.cpuUsage();
  for (let k = 0; k < N; k++) sink += decodeRow(bufs[k % bufs.length], layout).columnCount;
  let c = process.cpuUsage(c0);
  best = Math.max(best, N / ((c.user + c.system) / 1e6));
  c0 = process.cpuUsage();
  for (let k = 0; k < N; k++) { const b = bufs[k % bufs.length]; for (let i = 0; i < b.length; i++) sink += b[i]; }
  c = process.cpuUsage(c0);
  walk = Math.max(walk, N / ((c.user + c.system) / 1e6 || 1e-6));
}
process.stdout.write(JSON.stringify({ which, best: Math.round(best), walk: Math.round(walk), sink: sink % 7 }) + '\n');
