/**
 * Sizes rowback says in powers of 1024 are KiB and MiB, not KB and MB: the docs said "8 KB pages",
 * "60 KB" log blocks, "4 KB" compressed-backup blocks (8,192, 61,440, 4,096 bytes), and the CLI
 * printed progress in "MB of log" (bytes / 1,048,576), the UNCHECKED line's "(32 MB)" pair budget
 * (32 × 1024 × 1024), a skipped block's "up to 60 KB", a compressed backup's "4 KB block(s)", and
 * --hold-memory took "megabytes" it multiplied by 1024 × 1024. Checked here: no "KB" in README.md,
 * DEVELOPERS.md or docs/, and no KB/MB after a number in a string of the CLI's sources (src/ but
 * the service's api/ and staging/, whose owner is elsewhere), comments aside. Allowed: sqlcmd's own
 * "1 MB" limit (-y 0), quoted in the words of its documentation, whose exact size is not checked.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));

it('the docs say KiB, not KB', () => {
  const docs = [join(repo, 'README.md'), join(repo, 'DEVELOPERS.md'), ...walk(join(repo, 'docs')).filter((f) => f.endsWith('.md'))];
  const found = docs.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((l, i) => (/\bKB\b/.test(l) ? [`${relative(repo, f)}:${i + 1}: ${l.trim().slice(0, 100)}`] : [])));
  expect(found).toEqual([]);
});

it("the CLI's strings say KiB and MiB for sizes in powers of 1024", () => {
  const files = walk(join(repo, 'src')).filter((f) => f.endsWith('.ts') && !/[\\/]src[\\/](api|staging)[\\/]/.test(f));
  const found: string[] = [];
  for (const f of files) {
    readFileSync(f, 'utf8').split('\n').forEach((l, i) => {
      const t = l.trim();
      if (t.startsWith('*') || t.startsWith('//') || t.startsWith('/*')) return;
      // a number or an interpolation, then KB / MB, inside a string or template
      if (!/['"`]/.test(t) || !/(\d|\})\s?(KB|MB)\b/.test(t)) return;
      if (/sqlcmd/.test(t) && /\b1 MB\b/.test(t) && !/(\d|\})\s?KB\b/.test(t) && (t.match(/(\d|\})\s?MB\b/g) ?? []).every((m) => m.startsWith('1'))) return;
      found.push(`${relative(repo, f)}:${i + 1}: ${t.slice(0, 120)}`);
    });
  }
  expect(found).toEqual([]);
});

it("the docs name rowback's binary thresholds in MiB and the corpus sizes exactly", () => {
  // the --threads threshold (PARALLEL_MIN_BYTES, 64 × 1024 × 1024), the pair budget
  // (PAIR_BUDGET_BYTES, 32 × 1024 × 1024), the --hold-memory budget (DEFAULT_HOLD_BUDGET, 64 ×
  // 1024 × 1024): the CLI says MiB (cf4fa13e), these doc lines still said MB; Database1_log.ldf is
  // 851,968 bytes, 832 KiB, one line still said 850 KiB
  const docs = [join(repo, 'README.md'), join(repo, 'DEVELOPERS.md'), ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(repo, 'docs', f))];
  const wrong = /\b64 MB of log files\b|\b64 MB threshold\b|\b32 MB of pair keys\b|Pair keys are kept within 32 MB\b|\b64 MB budget\b|\b850 KiB AngularJs\b/;
  const found = docs.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((l, i) => (wrong.test(l) ? [`${relative(repo, f)}:${i + 1}`] : [])));
  expect(found).toEqual([]);
});
