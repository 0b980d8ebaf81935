/**
 * A fresh staging store for each test of the calling describe: a new temporary folder (`prefix` +
 * random) holding `staging.db`, closed and removed after the test. The lines (mkdtemp, new
 * StagingStore, close, rm) that many store tests write out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';

/** `const env = tempStore('rowback-x-')`, then `env.store` (and `env.dir`) inside the tests. */
export function tempStore(prefix: string): { store: StagingStore; dir: string } {
  const env = {} as { store: StagingStore; dir: string };
  beforeEach(() => {
    env.dir = mkdtempSync(join(tmpdir(), prefix));
    env.store = new StagingStore(join(env.dir, 'staging.db'));
  });
  afterEach(() => {
    env.store.close();
    rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}
