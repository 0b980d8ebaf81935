import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { StagingError } from '../errors.js';
import { missingFolderError } from './open.js';
import type { Logger } from '../util/logger.js';

/**
 * One server per staging file. A server holds `<db>.lock` beside the staging file: created with
 * O_EXCL (`wx`), holding `{pid, host, startedAt}` as JSON, removed when the server closes.
 *
 * Another server finding the lock checks the pid with `process.kill(pid, 0)`: alive (or alive
 * under another user: EPERM) → refused with STAGING_LOCKED naming the file and the pid; gone →
 * the lock is stale (a crashed server) and is taken over, with a log line. A lock written on
 * another host (a staging file on a network share) cannot be checked and is always refused.
 * This process's own pid counts as alive: two apps in one process on one file are refused too.
 */
export interface StagingLock {
  readonly file: string;
  release(): void;
}

interface LockContent { pid: number; host?: string; startedAt?: string }

export function lockPathOf(dbPath: string): string {
  return `${resolve(dbPath)}.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { exists: boolean; text: string; content: LockContent | null } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, text: '', content: null };
    throw e;
  }
  try {
    const c = JSON.parse(text) as LockContent;
    return { exists: true, text, content: Number.isInteger(c.pid) && c.pid > 0 ? c : null };
  } catch {
    return { exists: true, text, content: null };
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function acquireStagingLock(dbPath: string, logger?: Logger): StagingLock {
  const file = lockPathOf(dbPath);
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        // the staging file's folder missing: said as openStagingStore says it (the folder, mkdir -p; exit 2)
        const missing = code === 'ENOENT' ? missingFolderError(dbPath) : null;
        if (missing) throw missing;
        throw new StagingError('STAGING_OPEN_FAILED', `cannot create the lock file ${file}: ${(e as Error).message}`, { file }, { cause: e });
      }
      let { exists, text, content } = readLock(file);
      if (!exists) continue; // removed meanwhile: try again
      if (text === '') {
        // just created by another server, not yet written: give it a moment
        sleepSync(100);
        ({ exists, text, content } = readLock(file));
        if (!exists) continue;
      }
      if (content && content.host && content.host !== hostname()) {
        throw new StagingError('STAGING_LOCKED', `staging file ${resolve(dbPath)} is in use by rowback serve pid ${content.pid} on host ${content.host} (lock ${file}); stop that server, or delete the lock if it is gone`, { file });
      }
      if (content && alive(content.pid)) {
        throw new StagingError('STAGING_LOCKED', `staging file ${resolve(dbPath)} is in use by rowback serve pid ${content.pid} (lock ${file}); one server per staging file`, { file });
      }
      // Stale: the server that wrote it is gone (or the file is unreadable). Remove it unless it
      // changed meanwhile (another server taking it over first), then create ours with O_EXCL.
      if (readLock(file).text !== text) continue;
      logger?.warn({ lock: file, stalePid: content?.pid ?? null, staleSince: content?.startedAt ?? null }, 'taking over a stale staging lock (the server that held it is gone)');
      try { unlinkSync(file); } catch (e2) { if ((e2 as NodeJS.ErrnoException).code !== 'ENOENT') throw e2; }
      continue;
    }
    try {
      writeSync(fd, mine);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        // only our own lock: never remove one another server took over
        if (readLock(file).text === mine) {
          try { unlinkSync(file); } catch { /* already gone */ }
        }
      },
    };
  }
  throw new StagingError('STAGING_LOCKED', `could not take the lock ${file} for staging file ${resolve(dbPath)}: other servers are starting on it`, { file });
}
