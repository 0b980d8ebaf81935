/**
 * Start-up cost of the CLI as a whole process, as a ratio to bare `node -e 0` measured in the
 * same run (medians of 15 alternated runs). Needs the compiled CLI (`npm run build`, done by
 * `npm ci`'s prepare step); without it bin/rowback.js falls back to tsx and the figure says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'rowback.js');
const corpus = process.env.ROWBACK_CORPUS ?? join(root, '..', 'shared', 'corpus');
const ldf = join(corpus, 'AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases: Array<[string, string[]]> = [
  ['node -e 0 (reference)', ['-e', '0']],
  ['rowback --version', [bin, '--version']],
  ['rowback inspect --help', [bin, 'inspect', '--help']],
  ...(existsSync(ldf) ? ([['rowback inspect Database1_log.ldf (850 KB)', [bin, 'inspect', ldf]]] as Array<[string, string[]]>) : []),
];
const runs = new Map<string, number[]>(cases.map(([n]) => [n, []]));
for (let i = 0; i < 15; i++) for (const [n, a] of cases) runs.get(n)!.push(time(a));
const ref = median(runs.get(cases[0][0])!);
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
process.stdout.write(`start-up (${built ? 'compiled dist/' : 'NOT BUILT: tsx fallback'}; load ${(await import('node:os')).loadavg()[0].toFixed(1)})\n`);
for (const [n] of cases) {
  const m = median(runs.get(n)!);
  process.stdout.write(`  ${n.padEnd(44)} ${m.toFixed(0).padStart(5)} ms  ${(m / ref).toFixed(2)}× node -e 0\n`);
}
