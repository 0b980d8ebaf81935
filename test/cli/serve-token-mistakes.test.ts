import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';

/**
 * A mistyped path to `token list` / `token revoke` made a new, empty staging file and listed no
 * tokens (exit 0); `serve --file-root` with a folder that does not exist started, and refused
 * every job's files later. Both are one-line refusals now, and no stray file is made.
 */
const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-token-mistakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('token list / revoke with a staging file that does not exist', async () => {
  const db = join(dir, 'typo.db');
  for (const args of [['token', 'list', '--db', db], ['token', 'revoke', 'olga', '--db', db]]) {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rowback: INPUT_FILE_UNREADABLE: --db ${db}: no such staging file (token create or serve makes one; list and revoke read an existing one) (file ${db})\n`);
    expect(existsSync(db)).toBe(false);
  }
});

it('token create makes the file; list then reads it', async () => {
  const db = join(dir, 'staging.db');
  expect((await cli('token', 'create', 'olga', '--role', 'operator', '--db', db)).code).toBe(0);
  const r = await cli('token', 'list', '--db', db);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^olga\toperator\t/);
});

it('serve --file-root with a folder that does not exist', async () => {
  const r = await cli('serve', '--db', join(dir, 'serve.db'), '--port', '0', '--file-root', join(dir, 'no-such-folder'));
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`rowback: INPUT_BAD_OPTION: --file-root ${join(dir, 'no-such-folder')}: no such folder (job files may come only from existing folders)\n`);
});
