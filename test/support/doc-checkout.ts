/**
 * Runs a shell block copied from the docs as a reader runs it: with bash, from a directory laid out
 * as a checkout (`bin/` of this one) that has NO `../shared/corpus` beside it, so a block finds the
 * corpus only through `$ROWBACK_CORPUS`, as the README tells a checkout elsewhere to set it. `npx`
 * on PATH is a shim that acts as npx does: from the checkout it runs bin/rowback.js, elsewhere it
 * fails (the real one would fetch a package named rowback from the registry). TMPDIR is a folder of
 * its own, so what `mktemp -d` made is found (`out`). Removed by `removeDocCheckouts` (afterAll).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR } from './corpus.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const made: string[] = [];

export interface DocBlockRun {
  stdout: string;
  stderr: string;
  /** bash's exit code; null when it was killed at `timeoutMs` (a block that waits for ever: SIGTERM) */
  status: number | null;
  /** the checkout-like folder the block ran in (holds `bin` only, unless the block wrote there) */
  checkout: string;
  /** the one folder `mktemp -d` made under TMPDIR, or null (none, or several) */
  out: string | null;
}

/**
 * Runs `script` with bash in a fresh checkout-like folder. `env` is laid over this process's
 * environment, ROWBACK_CORPUS set to the corpus by default; a key given `undefined` is removed
 * (`{ ROWBACK_CORPUS: undefined }`: a reader who did not set it). Killed after `timeoutMs`.
 */
export function runDocBlock(script: string, env: Record<string, string | undefined> = {}, timeoutMs = 60_000): DocBlockRun {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-doc-block-'));
  made.push(dir);
  const checkout = join(dir, 'checkout');
  mkdirSync(checkout);
  symlinkSync(join(repo, 'bin'), join(checkout, 'bin'));
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  mkdirSync(join(dir, 'shim'));
  writeFileSync(join(dir, 'shim', 'npx'), `#!/bin/sh\n[ "$1" = rowback ] && [ -e "$PWD/bin/rowback.js" ] || { echo "npx: would fetch rowback from the registry (not run from a checkout)" >&2; exit 99; }\nshift\nexec "${process.execPath}" "$PWD/bin/rowback.js" "$@"\n`);
  chmodSync(join(dir, 'shim', 'npx'), 0o755);
  const merged: Record<string, string | undefined> = { ...process.env, PATH: `${join(dir, 'shim')}:${process.env.PATH}`, ROWBACK_CORPUS: CORPUS_DIR, TMPDIR: tmp, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const r = spawnSync('bash', ['-c', script], { cwd: checkout, encoding: 'utf8', env: merged as NodeJS.ProcessEnv, timeout: timeoutMs });
  // mktemp -d's own name (tmp.XXXXXXXXXX); the CLI's runtime may keep a cache of its own there (tsx)
  const outs = readdirSync(tmp).filter((n) => n.startsWith('tmp.'));
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, checkout, out: outs.length === 1 ? join(tmp, outs[0]!) : null };
}

/** Removes every folder runDocBlock made (call from afterAll). */
export function removeDocCheckouts(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
