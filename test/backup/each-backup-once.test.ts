/**
 * assertEachBackupOnce (backup/open.ts): a long --bak list is checked with each path resolved once.
 * Every comparison resolved both paths again (realPath: a walk up the path with lstat/readlink), so
 * 1,000 distinct backup files took 17 s of checking before any was read, 2,000 nonexistent ones
 * nearly 5 minutes. Counted here by the number of realPath calls; the refusal of a file given twice
 * is unchanged (its words: test/cli/bak-given-twice). No file is read.
 */
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/util/files.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/files.js')>();
  return {
    ...real,
    realPath: (p: string) => {
      calls.n++;
      return real.realPath(p);
    },
  };
});

const { assertEachBackupOnce } = await import('../../src/backup/open.js');

describe('assertEachBackupOnce over a long list', () => {
  it('resolves each path once: 400 distinct files, 400 realPath calls (it was one per comparison, 159,600)', () => {
    const paths = Array.from({ length: 400 }, (_, i) => `/no/such/dir/backup-${i}.bak`);
    calls.n = 0;
    assertEachBackupOnce(paths);
    expect(calls.n).toBe(400);
    calls.n = 0;
    assertEachBackupOnce(paths, paths.map(() => 1));
    expect(calls.n).toBe(400);
  });

  it('still refuses one file given twice, the later item named', () => {
    const paths = ['/no/such/dir/full.bak', '/no/such/dir/diff.bak', '/no/such/dir/./diff.bak'];
    expect(() => assertEachBackupOnce(paths)).toThrow(/\/no\/such\/dir\/diff\.bak and \/no\/such\/dir\/\.\/diff\.bak are one file, given twice: give each backup file once: --bak \/no\/such\/dir\/full\.bak \/no\/such\/dir\/diff\.bak \(/);
  });
});
