/**
 * `--position N` (RESTORE … WITH FILE = N) as every command takes it: each parsed it its own way, and
 * `Number()` took `0x1`, `1e0`, `1.0` and `0b1` as set 1 (breaker N, session 44), so a typo'd or
 * scripted value read a backup set nobody named without a word. One parser now
 * (backup/set-position.ts); every command refuses what is not a whole decimal number from 1.
 * StDb2Sql.bak (REAL corpus) holds two full backup sets of StDb2SQL (2009, 2010).
 */
import { describe, expect, it } from 'vitest';
import { parseBackupSetPosition } from '../../src/backup/set-position.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describe('parseBackupSetPosition', () => {
  it.each([
    ['1', 1], [' 2 ', 2], ['2147483647', 2147483647], [3, 3], [undefined, undefined],
  ] as const)('%j → %j', (v, n) => {
    expect(parseBackupSetPosition('--position', v)).toBe(n);
  });
  it.each(['0x1', '1e0', '1.0', '0b1', '0', '-1', '', ' ', '1 2', '2147483648', '+1', 'one'])('refuses %j, naming the flag and the value', (v) => {
    expect(() => parseBackupSetPosition('--after-position', v)).toThrow(expect.objectContaining({ code: 'INPUT_BAD_OPTION', message: `--after-position must be a backup set number (a whole number from 1, as RESTORE … WITH FILE = n), not '${v}'` }));
  });
});

describeCorpus('every command refuses a --position that is not a set number', () => {
  const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
  it.each([
    ['inspect', ['inspect', bak]],
    ['dump', ['dump', '--bak', bak, '--table', 'dbo.Students']],
    ['log', ['log', bak]],
    ['scan', ['scan', '--bak', bak]],
    ['diff', ['diff', '--bak', bak, '--after-bak', bak, '--table', 'dbo.Students', '--after-position', '2']],
  ])('%s --position 0x1', async (_name, args) => {
    const err = expectOneLineError(await cli(...args, '--position', '0x1'), 'INPUT_BAD_OPTION');
    expect(err).toContain("--position must be a backup set number (a whole number from 1, as RESTORE … WITH FILE = n), not '0x1'");
  }, 60_000);
});
