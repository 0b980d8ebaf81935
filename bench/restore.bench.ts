/**
 * Offline point-in-time replay (`rowback dump --bak --trn --stop-at`) on the corpus chains, as
 * ratios to sha256 of the same backup files measured in the same run: MB of backup files per
 * second (the sizes of every file given, full + differential + log backups, whether or not the
 * chain uses it, divided by the time of one whole replay, median of the repetitions) and peak RSS (each side in its own child
 * process, so the figure is that work's own peak). A figure, not a test.
 *
 * `npm run bench -- restore`; the children are this file run with `--child sha|replay CASE`.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.ROWBACK_CORPUS ?? join(root, '..', 'shared', 'corpus');
const RTC = (f: string) => join(corpus, 'appveyor-lab', 'RestoreTimeClean', f);
const SA = (f: string) => join(corpus, 'appveyor-lab', 'sql2008-backups', 'StopAt', f);

const CASES: Record<string, { bak: string[]; trn: string[]; stopAt: string }> = {
  'RestoreTimeClean all 8 files to 13:29:13 (chain: full+diff+3 logs)': {
    bak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')],
    trn: ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC),
    stopAt: '2017-06-01T13:29:13.000',
  },
  'RestoreTimeClean full+6 logs to before the differential LSN (chain: full+4 logs)': {
    bak: [RTC('RestoreTimeClean.bak')],
    trn: ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC),
    stopAt: 'lsn:25000000019000001',
  },
  'StopAt full+4 logs to 13:34:44': { bak: [SA('StopAt.bak')], trn: ['StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'].map(SA), stopAt: '2020-05-12T13:34:44.000' },
};
/**
 * Several tables at one point: one pass over the chain (replayTablesAt) against each table replayed
 * on its own (replayTableAt per table, the chain read once per table: how a dump of several tables
 * ran before), the reference measured in the same run.
 */
const TSQLV4 = join(corpus, 'TSQLV4-compressed', 'TSQLV4.bak');
const TABLE_CASES: Record<string, { bak: string[]; trn: string[]; stopAt: string; tables: string[] }> = {
  'TSQLV4.bak through its own log, 4 tables (HR.Employees, Sales.Customers, Sales.Orders, Sales.OrderDetails)': {
    bak: [TSQLV4], trn: [], stopAt: 'lsn:39000000375200001', tables: ['HR.Employees', 'Sales.Customers', 'Sales.Orders', 'Sales.OrderDetails'],
  },
  'RestoreTimeClean all 8 files to 13:29:13, dbo.steps under 4 names (looked up each)': {
    ...CASES['RestoreTimeClean all 8 files to 13:29:13 (chain: full+diff+3 logs)']!, tables: ['dbo.steps', 'DBO.steps', 'dbo.STEPS', 'DBO.STEPS'],
  },
};
const REPS = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function child(kind: string, name: string): Promise<void> {
  if (kind === 'one-pass' || kind === 'per-table') {
    const c = TABLE_CASES[name]!;
    const target = c.stopAt.startsWith('lsn:') ? { kind: 'lsn' as const, lsn: c.stopAt.slice(4) } : { kind: 'time' as const, time: c.stopAt };
    const { replayTableAt, replayTablesAt } = await import('../src/replay/point-in-time.js');
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < REPS; i++) {
      const t0 = process.hrtime.bigint();
      if (kind === 'one-pass') rows = (await replayTablesAt({ bak: c.bak, trn: c.trn, tables: c.tables, target })).reduce((n, r) => n + r.rows.length, 0);
      else {
        rows = 0;
        for (const table of c.tables) rows += (await replayTableAt({ bak: c.bak, trn: c.trn, table, target })).rows.length;
      }
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    process.stdout.write(JSON.stringify({ first: times[0], median: median(times.slice(1)), maxRssKb: process.resourceUsage().maxRSS, rows }));
    return;
  }
  const c = CASES[name];
  const files = [...c.bak, ...c.trn];
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < REPS; i++) {
    const t0 = process.hrtime.bigint();
    if (kind === 'sha') {
      for (const f of files) createHash('sha256').update(readFileSync(f)).digest();
    } else {
      const { replayTableAt } = await import('../src/replay/point-in-time.js');
      const target = c.stopAt.startsWith('lsn:') ? { kind: 'lsn' as const, lsn: c.stopAt.slice(4) } : { kind: 'time' as const, time: c.stopAt };
      rows = (await replayTableAt({ bak: c.bak, trn: c.trn, table: 'dbo.steps', target })).rows.length;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  // the first run pays module loading and JIT: reported apart, the median is of the rest
  process.stdout.write(JSON.stringify({ first: times[0], median: median(times.slice(1)), maxRssKb: process.resourceUsage().maxRSS, rows }));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (kind: string, name: string) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', kind, name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${kind} ${name}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { first: number; median: number; maxRssKb: number; rows: number };
  };
  process.stdout.write(`point-in-time replay vs sha256 of the same files (median of ${REPS - 1} runs after the first; load ${(await import('node:os')).loadavg()[0].toFixed(1)})\n`);
  for (const name of Object.keys(CASES)) {
    const files = [...CASES[name].bak, ...CASES[name].trn];
    const mb = files.reduce((n, f) => n + statSync(f).size, 0) / 1e6;
    const sha = run('sha', name);
    const rep = run('replay', name);
    const mbps = (ms: number) => mb / (ms / 1000);
    process.stdout.write(
      `  ${name}: ${mb.toFixed(2)} MB in ${files.length} files, ${rep.rows} rows\n` +
        `    replay ${rep.median.toFixed(1)} ms (${mbps(rep.median).toFixed(1)} MB/s; first run ${rep.first.toFixed(0)} ms), sha256 ${sha.median.toFixed(2)} ms (${mbps(sha.median).toFixed(0)} MB/s): throughput ${(mbps(rep.median) / mbps(sha.median)).toFixed(3)}× sha256\n` +
        `    peak RSS replay ${(rep.maxRssKb / 1024).toFixed(0)} MiB, sha256 ${(sha.maxRssKb / 1024).toFixed(0)} MiB: ${(rep.maxRssKb / sha.maxRssKb).toFixed(2)}× sha256\n`,
    );
  }
  process.stdout.write(`several tables: one pass over the chain vs each table replayed on its own (median of ${REPS - 1} runs after the first)\n`);
  for (const name of Object.keys(TABLE_CASES)) {
    const one = run('one-pass', name);
    const each = run('per-table', name);
    process.stdout.write(
      `  ${name}: ${one.rows} rows (${each.rows} per table)\n` +
        `    one pass ${one.median.toFixed(1)} ms, per table ${each.median.toFixed(1)} ms: ${(one.median / each.median).toFixed(2)}× the time; peak RSS ${(one.maxRssKb / 1024).toFixed(0)} MiB vs ${(each.maxRssKb / 1024).toFixed(0)} MB\n`,
    );
  }
}
