/**
 * docs/scripting.md's example is the script an incident responder copies: it must run as written
 * and tell a result that is not whole from a whole one by the exit code and the report. Run here
 * with bash, `npx` on PATH being a shim that runs this checkout's bin/rowback.js (the doc says to
 * run it from a checkout, where `npx rowback` is that), over the real RestoreTimeClean backups.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(join(repo, 'docs', 'scripting.md'), 'utf8');
const block = /## Example[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

function runBlock(script: string): { stdout: string; stderr: string; status: number | null; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-scripting-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'npx'), `#!/bin/sh\n[ "$1" = rowback ] || exit 99\nshift\nexec "${process.execPath}" "${join(repo, 'bin', 'rowback.js')}" "$@"\n`);
  chmodSync(join(dir, 'bin', 'npx'), 0o755);
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, ROWBACK_CORPUS: CORPUS_DIR }, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, dir };
}

describeCorpus("docs/scripting.md's example", () => {
  it('runs as written: the chain with a log backup left out is NOT WHOLE, the reason printed from the report', () => {
    expect(block).toContain('npx rowback scan --bak $B/RestoreTimeClean.bak --trn $B/RestoreTimeClean_1.trn $B/RestoreTimeClean_3.trn');
    const r = runBlock(block);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('NOT WHOLE: 20 row(s) in rows.ndjson, and rows may be missing:');
    expect(lines[1]).toMatch(/^parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\); rows in those LSN ranges are missing from this result \(LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given\): add the missing log backups with --trn/);
    expect(lines).toHaveLength(2);
    expect(readFileSync(join(r.dir, 'rows.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(20);
    // what the doc says it prints
    expect(doc).toContain('It prints `NOT WHOLE: 20 row(s) in rows.ndjson, and rows may be missing:`');
  });

  it('with the missing log backup added: whole, 30 rows, as the doc says', () => {
    const r = runBlock(block.replace('$B/RestoreTimeClean_1.trn $B/RestoreTimeClean_3.trn', '$B/RestoreTimeClean_1.trn $B/RestoreTimeClean_2.trn $B/RestoreTimeClean_3.trn'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('whole: 30 row(s) in rows.ndjson\n');
    expect(doc).toMatch(/With `RestoreTimeClean_2\.trn` added to `--trn` it prints `whole: 30 row\(s\)\s+in rows\.ndjson`/);
  });

  it('a refused run goes to the failure branch with its code, not to "whole"', () => {
    const r = runBlock(block.replace('$B/RestoreTimeClean_3.trn', '$B/no-such-file.trn'));
    expect(r.stdout).toMatch(/^failed: exit 2 \(INPUT_[A-Z_]+\)\n$/);
  });
});
