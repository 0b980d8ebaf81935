/**
 * Every `--help` ends with the exit codes a script branches on (README "Exit codes at a glance").
 * A responder scripting a recovery window reads `rowback scan --help`: it named --strict's 3 and
 * nothing else, so 1 (failure), 2 (bad input), 130/143 (interrupted, a partial result) and 141 (the
 * output cut by its reader) were in the README only.
 */
import { describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

const cli = captureCli();

describe('--help lists the exit codes', () => {
  for (const argv of [['--help'], ['scan', '--help'], ['log', '--help'], ['dump', '--help'], ['restore', 'plan', '--help']]) {
    it(`rowback ${argv.join(' ')}`, async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      const text = r.stdout.replace(/\s+/g, ' ');
      expect(text).toContain('Exit codes:');
      for (const line of [
        /\b0 done, result written; an "INCOMPLETE: …" line on stderr means it is only part of what the inputs hold \(--strict makes that 3\)/,
        /\b1 failure \(SOURCE_\*, STAGING_\*, REINSERT_\*, INTERNAL\)/,
        /\b2 bad input: arguments, or files missing, of the wrong kind, of two databases or too damaged to use/,
        /\b3 with --strict: the result is INCOMPLETE, rows carry warnings, or a WARNING:\/UNCHECKED: line was said/,
        /\b130\/143 interrupted/,
        /\b141 stdout closed by its reader/,
      ]) expect(text).toMatch(line);
      // once, after the command's own options
      expect(text.split('Exit codes:')).toHaveLength(2);
      expect(text.indexOf('Exit codes:')).toBeGreaterThan(text.indexOf('--help'));
    });
  }
});
