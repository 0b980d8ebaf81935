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
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
// every decoder source against its compiled file (only record/cd.ts was compared: an unbuilt change
// to record/fixedvar.ts or a type decoder went unnoticed)
const stale = (readdirSync(join(root, 'src', 'reconstruct'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => {
    const js = join(dist, 'reconstruct', f.replace(/\.ts$/, '.js'));
    return !existsSync(js) || statSync(join(root, 'src', 'reconstruct', f)).mtimeMs > statSync(js).mtimeMs;
  });
if (stale.length) {
  process.stdout.write(`decode-compiled: note: src/reconstruct is newer than dist/ (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}); run \`npm run build\` to measure the current code\n`);
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
  // values that vary from row to row as a CRM's do (a GUID, a time and a company per row, a few
  // cities): one GUID, time, company and city for every row let the decoders' caches (the day's
  // text, V8's number strings) hit on each row and overstated the rate (speed helper, session 17)
  const companies = ['北京华信科技有限公司', '上海明达贸易有限公司', '深圳新世纪电子有限公司', '广州恒通物流有限公司', '杭州云帆软件有限公司'];
  const cities = ['北京', '上海', '深圳', '广州', '杭州', '成都', '武汉', '南京'];
  const names = ['王伟', '李娜', '张敏', '刘洋', '陈静', '杨帆', '赵磊', '黄丽'];
  for (let i = 0; i < 1000; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + i * 7_919_000).toISOString().slice(0, 19);
    const guid = `${(0x1234567 * (i + 1) >>> 0).toString(16).padStart(8, '0')}-${(i * 37 & 0xffff).toString(16).padStart(4, '0')}-4${(i & 0xfff).toString(16).padStart(3, '0')}-8${(i * 11 & 0xfff).toString(16).padStart(3, '0')}-${(i * 2654435761 >>> 0).toString(16).padStart(12, '0')}`.toUpperCase();
    imgs.push(Buffer.from(encodeRow(layout, { ContactId: i + 1, Name: names[i % names.length], Company: `${companies[i % companies.length]}${i % 7 === 0 ? '' : `第${i % 50}分公司`}`, Email: `user${i}@example.com`, Phone: `+86-10-${10000000 + i}`, Fax: i % 4 === 0 ? `+86-10-${20000000 + i}` : null, City: cities[(i * 3) % cities.length], CreatedAt: `${t}.${String((i * 7_654_321) % 10_000_000).padStart(7, '0')}`, Balance: `${i * 7}.${String(i % 100).padStart(2, '0')}`, IsActive: i % 3 !== 0, ContactGuid: guid, Score: i })).toString('hex'));
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
