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

/** The CLI's failure contract: exit ≠ 0, nothing on stdout, exactly one stderr line carrying the code. */
export function expectOneLineError(r: CliResult, code: string): string {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(`${code}: `);
  return r.stderr;
}
