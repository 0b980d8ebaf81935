import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openStagingStore } from '../../src/staging/open.js';

/**
 * A job file outside the folders `rowback serve` may read was refused with "(fileRoots in its
 * config)", though a user who started serve with no config file sets them with `--file-root`, and
 * nothing said which folders were allowed. The refusal names both ways and the folders now (the
 * folder serve started in, when neither was given). Run through the built CLI (bin/rowback.js runs
 * dist/ when it is fresh: rebuild first), started with no config in a temp folder.
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rowback-serve-root-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serve with no config and no --file-root: a job file outside the folder it started in is refused naming --file-root, fileRoots and that folder', async () => {
  const db = join(dir, 'serve.db');
  const store = openStagingStore(db);
  const token = store.createToken('olga', 'operator').token;
  store.close();
  const child = spawn(process.execPath, [join(repo, 'bin', 'rowback.js'), 'serve', '--db', db, '--port', '0'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ROWBACK_LOG_LEVEL: 'warn' } });
  let stderr = '';
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${stderr}`)); });
    });
    const r = await fetch(`${address}/api/jobs`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'export', file: '/etc/hostname' }) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({
      code: 'INPUT_PATH_NOT_ALLOWED',
      field: 'file',
      message: `file /etc/hostname is outside the folders this service may read (now ${dir}; start \`rowback serve --file-root DIR\`, repeatable, or set fileRoots in its config file (\`rowback serve --config FILE\`) to allow others)`,
    });
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}, 90_000);
