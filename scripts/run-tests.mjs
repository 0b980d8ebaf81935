#!/usr/bin/env node
// Runs vitest with its JSON reporter beside the default one and closes with the line CI reads:
// "N passed, N failed, N skipped". Skipped tests are never counted as passed.
// Usage: node scripts/run-tests.mjs <project> [extra vitest args]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [project = 'unit', ...extra] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'rowback-vitest-'));
const report = join(dir, 'report.json');
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--project', project,
    '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra],
  { stdio: 'inherit' },
);

let passed = 0, failed = 0, skipped = 0, suitesFailed = 0;
/** file → titles of its skipped tests, for the closing summary. */
const skippedByFile = new Map();
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  for (const t of r.testResults ?? []) {
    for (const a of t.assertionResults ?? []) {
      if (a.status === 'pending' || a.status === 'skipped' || a.status === 'todo') {
        const f = (t.name ?? '').replace(process.cwd() + '/', '');
        skippedByFile.set(f, [...(skippedByFile.get(f) ?? []), a.title]);
      }
    }
  }
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load has no failed test in it but is a failure all the same.
  suitesFailed = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).every((a) => a.status !== 'failed')).length;
} else {
  console.error('run-tests: vitest wrote no JSON report');
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
failed += suitesFailed;
if (skipped > 0) {
  console.log(`note: ${skipped} test(s) were SKIPPED and are not counted as passed:`);
  for (const [f, titles] of skippedByFile) console.log(`  ${f}: ${titles.length} skipped (${titles.slice(0, 2).join('; ')}${titles.length > 2 ? '; …' : ''})`);
  const why = [];
  if (!existsSync(process.env.ROWBACK_CHROMIUM ?? '/usr/bin/chromium')) why.push('the browser test needs Debian\'s chromium: apt-get install -y chromium (or set ROWBACK_CHROMIUM)');
  const corpus = process.env.ROWBACK_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus');
  if (!existsSync(join(corpus, 'README.md'))) why.push(`the corpus tests need the real files at ${corpus} (set ROWBACK_CORPUS)`);
  for (const w of why) console.log(`  why: ${w}`);
  console.log('  the full run: README "Tests and benchmarks"; CI (CI=true) fails instead of skipping.');
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const code = run.status ?? 1;
process.exit(failed > 0 && code === 0 ? 1 : code);
