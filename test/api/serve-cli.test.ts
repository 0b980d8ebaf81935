import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/cli/commands/serve.js';
import { StagingStore } from '../../src/staging/store.js';

const MAIN = resolve('src/cli/main.ts');
const rowback = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

describe('rowback serve / rowback token', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('config: flags over file over env over defaults; binds 127.0.0.1 by default; bad config names the field', () => {
    expect(resolveConfig({}, {})).toMatchObject({ db: 'rowback-staging.db', host: '127.0.0.1', port: 8080, concurrency: 2 });
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ db: 'from-file.db', port: 9000 }));
    expect(resolveConfig({ config: file, port: '9100' }, { ROWBACK_DB: 'env.db', ROWBACK_HOST: '0.0.0.0' })).toMatchObject({ db: 'from-file.db', host: '0.0.0.0', port: 9100 });
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(() => resolveConfig({ config: file }, {})).toThrow(/config/);
    expect(() => resolveConfig({ concurrency: '0' }, {})).toThrow(/concurrency/);
  }, 180_000);

  it('token create prints the token once and stores only its hash; serve --create-token too; revoke works', () => {
    const db = join(dir, 's.db');
    const r = rowback('token', 'create', 'alice', '--role', 'reviewer', '--db', db);
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^rbk_[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toContain('shown only this once');
    const s = rowback('serve', '--create-token', 'bob', '--role', 'operator', '--db', db);
    expect(s.status).toBe(0);
    const bad = rowback('token', 'create', 'carol', '--role', 'admin', '--db', db);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('INPUT_BAD_OPTION');
    const store = new StagingStore(db);
    expect(store.verifyToken(token)).toEqual({ name: 'alice', role: 'reviewer' });
    expect(store.verifyToken(s.stdout.trim())).toEqual({ name: 'bob', role: 'operator' });
    store.close();
    expect(rowback('token', 'revoke', 'alice', '--db', db).status).toBe(0);
    expect(rowback('token', 'list', '--db', db).stdout).toMatch(/alice\treviewer\t\S+\trevoked/);
    // for a script: JSON, the same tokens, never their values
    const json = rowback('token', 'list', '--db', db, '--format', 'json');
    expect(json.status).toBe(0);
    const list = JSON.parse(json.stdout) as Array<{ name: string; role: string; createdAt: string; revokedAt: string | null }>;
    expect(list.map((t) => [t.name, t.role, t.revokedAt !== null])).toEqual([['alice', 'reviewer', true], ['bob', 'operator', false]]);
    expect(json.stdout).not.toContain('rbk_');
  }, 180_000);

  it('serve listens on 127.0.0.1 and answers; a second serve on the same staging file is refused', async () => {
    const db = join(dir, 's.db');
    const token = rowback('token', 'create', 'v', '--role', 'viewer', '--db', db).stdout.trim();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ROWBACK_LOG_LEVEL: 'warn' } });
    try {
      const address = await new Promise<string>((res, rej) => {
        let err = '';
        const t = setTimeout(() => rej(new Error('serve did not start: ' + err)), 30_000);
        child.stderr.on('data', (d) => {
          err += String(d);
          const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
          if (m) { clearTimeout(t); res(m[1]); }
        });
      });
      expect((await fetch(address + '/api/jobs')).status).toBe(401);
      const ok = await fetch(address + '/api/jobs', { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { items: unknown[] }).items).toEqual([]);
      // one server per staging file: a second serve on the same file is refused, naming file and pid
      const second = rowback('serve', '--db', db, '--port', '0');
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('STAGING_LOCKED');
      expect(second.stderr).toContain(`in use by rowback serve pid ${child.pid}`);
      expect(second.stderr).toContain(db);
      expect((await fetch(address + '/api/jobs', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // a clean shutdown removes the lock
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 180_000);
});
