/**
 * Which of rowback's own modules a command loads before it does anything (issue 12: `rowback
 * --version` and `rowback inspect FILE` start within 2× bare `node -e 0`; each command's module is
 * imported only when it is the one run, src/cli/main.ts COMMANDS). Nothing else guarded it: one
 * commit (d24d9c75) put `--type-alias`'s checks in cli/options.ts, which every command loads, and
 * `rowback --version` went from 16 of rowback's modules to 35 (the `--ddl` reader and the type
 * decoders) without a test failing; strace of its opens found it.
 *
 * Each case runs bin/rowback.js (the compiled dist/, or the source through tsx when the build is
 * older than it: both are named here by their path under dist/ or src/, without extension) with
 * node's module hooks recording every module it loads (test/support/record-modules.mjs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { suiteTempDir } from '../support/temp-dir.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = suiteTempDir('rowback-start-up-');

/** rowback's own modules (`cli/main`, `util/echo`, …) and the packages (`commander`, …) `argv` loads. */
function modulesLoaded(...argv: string[]): { own: string[]; packages: string[]; stdout: string } {
  const file = join(work(), `modules-${argv.join('-').replace(/[^a-z-]/gi, '')}`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(ROOT, 'test', 'support', 'record-modules.mjs')).href, join(ROOT, 'bin', 'rowback.js'), ...argv], {
    encoding: 'utf8',
    env: { ...process.env, ROWBACK_TEST_MODULES_FILE: file },
  });
  expect(r.status, r.stderr).toBe(0);
  const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const rootUrl = pathToFileURL(ROOT).href;
  const own = new Set<string>();
  const packages = new Set<string>();
  for (const url of urls) {
    const m = url.startsWith(`${rootUrl}/`) ? /^(?:dist|src)\/(.+)\.(?:js|ts)$/.exec(url.slice(rootUrl.length + 1)) : null;
    if (m) own.add(m[1]!);
    const p = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (p && p[1] !== 'tsx' && !p[1]!.startsWith('@esbuild') && p[1] !== 'esbuild' && p[1] !== 'get-tsconfig' && p[1] !== 'resolve-pkg-maps') packages.add(p[1]!);
  }
  return { own: [...own].sort(), packages: [...packages].sort(), stdout: r.stdout };
}

describe('start-up: what a command loads before it runs', () => {
  it('rowback --version loads the 19 modules of the command line and nothing else of rowback', () => {
    const { own, packages, stdout } = modulesLoaded('--version');
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
    // A module added here must be one every command needs before it is chosen: each command's own
    // dependencies load with it (main.ts COMMANDS), not in what main.ts or options.ts import.
    expect(own).toEqual([
      'cli/command-line',
      'cli/failed-report',
      'cli/files',
      'cli/interrupt',
      'cli/main',
      'cli/options',
      'cli/output-closed',
      // the one writer of every stderr note and warning line (imports util/echo alone)
      'cli/stderr-lines',
      'errors',
      'reconstruct/metadata/names',
      'util/append-all',
      'util/backup-magic',
      'util/echo',
      'util/files',
      // names in a one-line error's location (errors.ts formatLocation)
      'util/identifier-text',
      'util/redact',
      // shellWord, the one quoter of an advised command's words (cli/command-line.ts and the lower layers' advice)
      'util/shell-word',
      'util/table-list',
      'util/tsql',
    ]);
    expect(packages).toEqual(['commander']);
  });

  it("rowback inspect --help loads inspect's own modules, none of the service's, the scanner's or the re-insert's", () => {
    const { own, packages, stdout } = modulesLoaded('inspect', '--help');
    expect(stdout).toContain('Usage: rowback inspect');
    expect(own).toContain('cli/commands/inspect');
    const others = own.filter((m) => /^(api|staging|worker|reinsert|replay|recover\/(?!source$|source-identity$)|cli\/commands\/(?!inspect$))/.test(m));
    expect(others).toEqual([]);
    expect(packages.filter((p) => ['fastify', 'mssql', 'tedious', 'better-sqlite3', 'pino', 'p-queue', 'zod'].includes(p))).toEqual([]);
  });
});
