import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/**
 * Runs `rowback` commands in-process through main(), capturing stdout and stderr.
 * Call once at the top of a test file: it installs the spies around every test.
 */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function captureCli(): (...argv: string[]) => Promise<CliResult> {
  let out = '';
  let err = '';
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    process.exitCode = undefined;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  return async (...argv: string[]) => {
    out = '';
    err = '';
    // each call is a process of its own: an exit code set by the one before (--strict's 3, an
    // interrupt's 130) is not this one's
    process.exitCode = undefined;
    const code = await main(argv);
    return { code, stdout: out, stderr: err };
  };
}

/**
 * `captured` (captureCli's runner) with `--out FILE` appended, FILE a new file in `dir()` for each
 * call, read back as `stdout` (dump waits on its writes' callbacks, which captureCli's stdout mock
 * never calls); the stdout captured when the command wrote no FILE (a refusal).
 */
export function cliWithOutFile(captured: (...argv: string[]) => Promise<CliResult>, dir: () => string): (...argv: string[]) => Promise<CliResult> {
  let outs = 0;
  return async (...argv: string[]) => {
    const out = join(dir(), `out-${++outs}`);
    const r = await captured(...argv, '--out', out);
    return { ...r, stdout: existsSync(out) ? readFileSync(out, 'utf8') : r.stdout };
  };
}

/** The CLI's failure contract: exit ≠ 0, nothing on stdout, exactly one stderr line carrying the code. */
export function expectOneLineError(r: CliResult, code: string): string {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(`${code}: `);
  return r.stderr;
}

/** bin/rowback.js of this checkout: the compiled CLI. */
const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bin', 'rowback.js');

/**
 * The compiled CLI (bin/rowback.js: `npm ci` builds dist/) run as a process that file permissions
 * bind, for the tests of a file this user may not read or a folder it may not write. Another user
 * runs it as it is; root (CI runs as root, and root reads and writes whatever the modes say) runs it
 * through util-linux's `setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped, so that a file
 * of mode 000 and a folder of mode 555 refuse it EACCES as they refuse any user (checked here:
 * readFileSync and writeFileSync both EACCES). Those tests were skipped as root: never run in CI.
 */
export function cliBoundByPermissions(...argv: string[]): CliResult {
  const root = process.getuid?.() === 0;
  const [cmd, args] = root
    ? ['setpriv', ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', process.execPath, BIN, ...argv]]
    : [process.execPath, [BIN, ...argv]];
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The compiled CLI (bin/rowback.js, dist/) run as a process in folder `cwd`: for advice naming a
 * path relative to where the command was typed, pasted back there.
 */
export function cliIn(cwd: string, ...argv: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', cwd });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
