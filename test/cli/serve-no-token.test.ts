import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { noTokenAdvice } from '../../src/cli/commands/serve.js';
import { shellWord } from '../../src/util/shell-word.js';
import { openStagingStore } from '../../src/staging/open.js';
import { captureCli } from '../support/cli.js';

/**
 * `rowback serve` on a new staging file started silently with no token in it: the review page
 * asked for a token that did not exist, and nothing said how to make one. serve now says so on
 * stderr (once, at start), naming the file and the `token create` command, which works while the
 * server runs.
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-serve-no-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('noTokenAdvice: a line naming the file and token create when no active token exists; nothing once one does', async () => {
  const db = join(dir, 'advice.db');
  openStagingStore(db).close();
  expect(noTokenAdvice(db)).toBe(`no API token in ${db} yet: nobody can sign in; make one (the server may keep running): rowback token create NAME --role operator --db ${shellWord(db)} (and --role reviewer for the person who approves)`);
  expect((await cli('token', 'create', 'olga', '--role', 'operator', '--db', db)).code).toBe(0);
  expect(noTokenAdvice(db)).toBeUndefined();
  expect((await cli('token', 'revoke', 'olga', '--db', db)).code).toBe(0);
  expect(noTokenAdvice(db)).toContain('no API token in');
  // a file that cannot be read: no advice, no throw (the server reports its own errors)
  expect(noTokenAdvice(join(dir, 'no-such-folder', 'x.db'))).toBeUndefined();
});

it('noTokenAdvice: its command line names the staging file when pasted, whatever the name (a space, a line break, U+2028)', async () => {
  if (process.platform === 'win32') return;
  const { oneLineText } = await import('../../src/util/echo.js');
  const { shellWordsOf } = await import('../support/shell-words.js');
  for (const [i, name] of ['my stage.db', 'line\nbreak.db', 'sep\u2028.db'].entries()) {
    const db = join(dir, name);
    openStagingStore(db).close();
    const advice = noTokenAdvice(db)!;
    const said = /make one \(the server may keep running\): (rowback token create .*) \(and --role reviewer/.exec(advice)?.[1];
    expect(said, advice).toBeDefined();
    // as serve prints it (stderr-lines.ts): the command is printed as it is, on one line
    expect(oneLineText(said!), name).toBe(said);
    const words = shellWordsOf(said!);
    expect(words, said).toEqual(['rowback', 'token', 'create', 'NAME', '--role', 'operator', '--db', db]);
    // followed (another token name), it makes the token in that file
    expect((await cli(...words.slice(1, 3), `t${i}`, ...words.slice(4))).code).toBe(0);
    expect(noTokenAdvice(db)).toBeUndefined();
  }
});

it('serve on a new staging file says no token exists and how to make one', async () => {
  const db = join(dir, 'serve.db');
  const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), 'serve', '--db', db, '--port', '0', '--file-root', dir], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ROWBACK_DEV: '1' } });
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('no API token in')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited ${code}: ${stderr}`));
      });
    });
  } finally {
    child.kill('SIGTERM');
  }
  expect(stderr).toMatch(/rowback serving on http:\/\/127\.0\.0\.1:\d+ /);
  // the staging file whose tokens sign in, so a token made on another --db is not a mystery
  expect(stderr).toContain(`; staging file ${db}: its tokens sign in (rowback token create NAME --role ROLE --db ${shellWord(db)})\n`);
  expect(stderr).toContain(`no API token in ${db} yet: nobody can sign in; make one (the server may keep running): rowback token create NAME --role operator --db ${shellWord(db)}`);
}, 90_000);
