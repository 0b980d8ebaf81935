import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * `token create --db /dev/full` (a store path SQLite cannot set up) printed `rowback: INTERNAL:
 * database or disk is full` — and left /dev/full-journal behind; a file that is no database printed
 * `INTERNAL: file is not a database`. Now one line naming the file and why, as a missing folder was.
 */
it.each([
  ['a device', '/dev/full', 'it is a device, not a regular file'],
  ['a folder', tmpdir(), 'it is a folder, not a regular file'],
])('token create, list and serve --db on %s: one STAGING_OPEN_FAILED line naming it, nothing written beside it', async (_, db, why) => {
  for (const args of [['token', 'create', 'olga', '--role', 'operator', '--db', db], ['token', 'list', '--db', db], ['serve', '--db', db, '--port', '0']]) {
    const r = await cli(...args);
    // a path the user gave that cannot be a staging file is bad input: exit 2, as other input errors
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr, args.join(' ')).toBe(`rowback: STAGING_OPEN_FAILED: cannot open staging file ${db}: ${why} (file ${db})\n`);
  }
  expect(existsSync(`${db}-journal`)).toBe(false);
  expect(existsSync(`${db}-wal`)).toBe(false);
});

/**
 * `token create` / `serve --db` with a staging file in a folder that does not exist: SQLite's
 * "Cannot open database because the directory does not exist" (serve: the lock file's bare
 * "ENOENT: no such file or directory, open '….lock'"), exit 1, no word of the folder or of what to
 * do. Now one line naming the folder, how to make it, and exit 2 (bad input); nothing is made.
 */
it('token create and serve --db in a folder that does not exist: the folder named, mkdir -p, exit 2', async () => {
  const folder = join(dir, 'no-such-folder', 'deeper');
  const db = join(folder, 'staging.db');
  for (const args of [['token', 'create', 'olga', '--role', 'operator', '--db', db], ['serve', '--db', db, '--port', '0']]) {
    const r = await cli(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr, args.join(' ')).toBe(`rowback: STAGING_OPEN_FAILED: cannot open staging file ${db}: its folder ${folder} does not exist: create it first (mkdir -p ${folder}), or give a staging file path in an existing folder (file ${db})\n`);
  }
  expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
});

it('token create --db on a file that is not a SQLite database: SQLite\'s reason, not INTERNAL', async () => {
  const db = join(dir, 'notes.txt');
  writeFileSync(db, 'these are my notes, not a staging database\n'.repeat(100));
  const r = await cli('token', 'create', 'olga', '--role', 'operator', '--db', db);
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`rowback: STAGING_OPEN_FAILED: cannot open staging file ${db}: file is not a database (SQLITE_NOTADB) (file ${db})\n`);
});

it('a role that is not one names the value given, as every other choice does', async () => {
  const db = join(dir, 'roles.db');
  const r = await cli('token', 'create', 'bob', '--role', 'admin', '--db', db);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe("rowback: INPUT_BAD_OPTION: --role 'admin' is not one of: operator, reviewer, viewer\n");
  const s = await cli('serve', '--db', db, '--create-token', 'bob');
  expect(s.code).toBe(2);
  expect(s.stderr).toBe('rowback: INPUT_BAD_OPTION: --role is needed: one of operator, reviewer, viewer\n');
});

it('token create --role in any case, as every other choice (--role Reviewer was refused as not one of them)', async () => {
  const db = join(dir, 'role-case.db');
  expect((await cli('token', 'create', 'alice', '--role', 'Reviewer', '--db', db)).code).toBe(0);
  const r = await cli('token', 'list', '--db', db);
  expect(r.stdout).toMatch(/^alice\treviewer\t/);
  const bad = await cli('token', 'create', 'bob', '--role', 'admin', '--db', db);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toBe("rowback: INPUT_BAD_OPTION: --role 'admin' is not one of: operator, reviewer, viewer\n");
});

it('token --help says what list and revoke do (they had no description)', async () => {
  const h = (await cli('token', '--help')).stdout.replace(/\s+/g, ' ');
  expect(h).toMatch(/list \[options\] list the tokens of a staging file/);
  expect(h).toMatch(/revoke \[options\] <name> revoke the active token of that name/);
});
