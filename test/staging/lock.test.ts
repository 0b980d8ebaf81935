import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStagingLock, lockPathOf } from '../../src/staging/lock.js';
import { createLogger } from '../../src/util/logger.js';

/** A pid that certainly ran and is now gone: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('staging lock (one server per staging file)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-lock-'));
    db = join(dir, 'staging.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds <db>.lock with this pid; a second holder is refused with STAGING_LOCKED naming the file and pid; release frees it', () => {
    const a = acquireStagingLock(db);
    expect(a.file).toBe(lockPathOf(db));
    expect(JSON.parse(readFileSync(a.file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    let err: { code?: string; message?: string } = {};
    try { acquireStagingLock(db); } catch (e) { err = e as typeof err; }
    expect(err.code).toBe('STAGING_LOCKED');
    expect(err.message).toContain(db);
    expect(err.message).toContain(`pid ${process.pid}`);
    a.release();
    expect(existsSync(a.file)).toBe(false);
    const b = acquireStagingLock(db);
    b.release();
    a.release(); // twice: harmless
  });

  it('a stale lock (its pid is gone) is taken over, with a log line', () => {
    const pid = deadPid();
    writeFileSync(lockPathOf(db), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info' }, { write: (l: string) => { lines.push(JSON.parse(l)); } });
    const lock = acquireStagingLock(db, logger);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    expect(lines).toEqual([expect.objectContaining({ msg: 'taking over a stale staging lock (the server that held it is gone)', stalePid: pid, level: 40 })]);
    lock.release();
  });

  it('an unreadable (garbage) lock counts as stale; a lock from another host is refused', () => {
    writeFileSync(lockPathOf(db), 'not json');
    acquireStagingLock(db).release();
    writeFileSync(lockPathOf(db), JSON.stringify({ pid: 1, host: 'some-other-host' }));
    expect(() => acquireStagingLock(db)).toThrow(/in use by rowback serve pid 1 on host some-other-host/);
  });

  it('release never removes a lock another server took over', () => {
    const a = acquireStagingLock(db);
    writeFileSync(a.file, JSON.stringify({ pid: 424242, host: hostname() }));
    a.release();
    expect(existsSync(a.file)).toBe(true);
  });
});
