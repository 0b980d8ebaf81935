import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';

/**
 * The staging file holds recovered rows (deleted customer data), the audit log and token hashes.
 * It was made with the process's umask (0644 as a rule): readable by every local user.
 */
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-mode-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

it.skipIf(process.platform === 'win32')('a new staging file and its WAL are readable by their owner alone', () => {
  const path = join(dir, 'staging.db');
  const store = new StagingStore(path);
  store.createToken('olga', 'operator');
  expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
  expect((statSync(`${path}-wal`).mode & 0o077)).toBe(0);
  store.close();
});

it.skipIf(process.platform === 'win32')('an existing staging file keeps the mode its owner gave it', () => {
  const path = join(dir, 'shared.db');
  new StagingStore(path).close();
  chmodSync(path, 0o640);
  const store = new StagingStore(path);
  expect((statSync(path).mode & 0o777).toString(8)).toBe('640');
  store.close();
  // an empty file made beforehand is a staging file too (SQLite sets it up)
  const empty = join(dir, 'empty.db');
  writeFileSync(empty, '');
  new StagingStore(empty).close();
});

it.skipIf(process.platform === 'win32')('an --out file the CLI makes is readable by its owner alone', async () => {
  const { openOutputFile } = await import('../../src/cli/files.js');
  const path = join(dir, 'rows.csv');
  const out = openOutputFile('--out', path);
  await new Promise<void>((res, rej) => out.end('id,name\n1,x\n', () => res()).on('error', rej));
  expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
});
