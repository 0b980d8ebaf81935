/**
 * decodeRow as users run it: the compiled decoder (dist/, built by `npm ci`'s prepare step or
 * `npm run build`), FixedVar and row-compressed (CD) forms of the 12-column CRM contact row of
 * decode.bench.ts, each in fresh processes (3 alternating pairs: a process's JIT timing makes
 * single runs bimodal), best of 8 rounds of 200,000 rows per process, in rows per CPU-second,
 * with a plain byte-walk over the same images in the same process as the reference.
 * Rows are SYNTHETIC (test/support/synthetic-encoder.ts). Not a test: nothing passes or fails.
 *
 * Before/after: `ROWBACK_BENCH_BEFORE_DIST=/path/to/other/dist` (a copy of another commit's dist/)
 * alternates fresh processes of that build and of this one (before, after, before, after, … for
 * each form; `ROWBACK_BENCH_PAIRS` pairs, default 3) and prints both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLayout, encodeRow } from '../test/support/synthetic-encoder.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'reconstruct', 'decode-row.js'))) {
  process.stdout.write('decode-compiled: no dist/ (run `npm run build` first); skipped\n');
  process.exit(0);
}
if (statSync(join(root, 'src', 'reconstruct', 'record', 'cd.ts')).mtimeMs > statSync(join(dist, 'reconstruct', 'record', 'cd.js')).mtimeMs) {
  process.stdout.write('decode-compiled: note: src/ is newer than dist/; run `npm run build` to measure the current code\n');
}
const cols = [
  { name: 'ContactId', type: 'int' }, { name: 'Name', type: 'nvarchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Company', type: 'varchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' }, { name: 'Email', type: 'varchar', maxLength: 100 },
  { name: 'Phone', type: 'varchar', maxLength: 20 }, { name: 'Fax', type: 'varchar', maxLength: 20 },
  { name: 'City', type: 'nvarchar', maxLength: 60, collation: 'Chinese_PRC_CI_AS' }, { name: 'CreatedAt', type: 'datetime2', scale: 7 },
  { name: 'Balance', type: 'decimal', precision: 18, scale: 2 }, { name: 'IsActive', type: 'bit' },
  { name: 'ContactGuid', type: 'uniqueidentifier' }, { name: 'Score', type: 'int' },
] as Parameters<typeof buildLayout>[1];
const data: Record<string, unknown> = {};
for (const comp of ['NONE', 'ROW'] as const) {
  const layout = buildLayout('Contact', cols, comp);
  const imgs: string[] = [];
  for (let i = 0; i < 1000; i++) {
    imgs.push(Buffer.from(encodeRow(layout, { ContactId: i + 1, Name: '王伟', Company: '北京华信科技有限公司', Email: `user${i}@example.com`, Phone: `+86-10-${10000000 + i}`, Fax: null, City: '北京', CreatedAt: '2026-01-10T01:12:23.1234567', Balance: `${i * 7}.25`, IsActive: i % 3 !== 0, ContactGuid: '01234567-89AB-CDEF-0123-456789ABCDEF', Score: i })).toString('hex'));
  }
  data[comp] = { layout, imgs };
}
const dir = mkdtempSync(join(tmpdir(), 'rowback-bench-decode-'));
try {
  const file = join(dir, 'rows.json');
  writeFileSync(file, JSON.stringify(data));
  const before = process.env.ROWBACK_BENCH_BEFORE_DIST;
  const pairs = Number(process.env.ROWBACK_BENCH_PAIRS ?? 3);
  const builds: [string, string][] = before ? [['before', before], ['after', dist]] : [['', dist]];
  const got: Record<string, { best: number; walk: number }[]> = {};
  for (let pair = 0; pair < pairs; pair++) {
    for (const which of ['NONE', 'ROW']) {
      for (const [label, d] of builds) {
        const r = spawnSync(process.execPath, [join(root, 'bench', 'support', 'decode-rounds.mjs'), file, which, d], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
        (got[`${which} ${label}`] ??= []).push(JSON.parse(r.stdout) as { best: number; walk: number });
      }
    }
  }
  const fmt = (n: number) => n.toLocaleString('en-US');
  for (const [key, runs] of Object.entries(got)) {
    const [which, label] = key.split(' ');
    const best = runs.map((x) => x.best);
    const ratio = runs.map((x) => (x.best / x.walk).toFixed(3));
    process.stdout.write(`decodeRow ${which === 'ROW' ? 'row-compressed (CD)' : 'FixedVar'}${label ? ` ${label}` : ''}, compiled, 12-column CRM row (SYNTHETIC): ${best.map(fmt).join(' / ')} rows per CPU-second (best of 8 rounds, ${runs.length} fresh processes); ÷ a byte-walk of the same images: ${ratio.join(' / ')}\n`);
  }
  const last = before ? ' after' : ' ';
  const cd = Math.max(...got[`ROW${last}`]!.map((x) => x.best));
  const fv = Math.max(...got[`NONE${last}`]!.map((x) => x.best));
  process.stdout.write(`CD ÷ FixedVar (best processes): ${(cd / fv).toFixed(2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
