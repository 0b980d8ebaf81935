import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A temporary folder for the test file (or the describe block) that calls it: made in `beforeAll`
 * under the run's own temporary folder (run-tmpdir.ts) with `prefix`, removed with what it holds in
 * `afterAll`. Returns its path's getter (the folder exists from the first test on); `beforeAll`
 * hooks registered after this call may use it. The set-up many test files wrote out by hand.
 */
export function suiteTempDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error(`suiteTempDir('${prefix}') read before its beforeAll ran`);
    return dir;
  };
}
