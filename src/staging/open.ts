import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StagingError } from '../errors.js';
import { StagingStore, type OpenOptions } from './store.js';

/**
 * Opens the staging store at `path` (a SQLite file, made when missing; `:memory:` for none) with
 * StagingStore's options, for every command and the service: a path that cannot be a staging
 * file is one StagingError STAGING_OPEN_FAILED, `cannot open staging file <path>: <reason>`, with
 * `location.file`, never an INTERNAL error.
 *
 * Refused before SQLite touches it: a path that exists and is not a regular file (a folder, a
 * device such as /dev/full or /dev/null: SQLite would write a `-journal` file beside it and then
 * fail with "disk I/O error" or "database or disk is full"). SQLite's own failures while the store
 * sets up the file (SqliteError: "file is not a database", a full disk, a read-only file) become
 * STAGING_OPEN_FAILED with SQLite's message and code (the StagingStore constructor does that). Other RowbackErrors (STAGING_SCHEMA_TOO_NEW)
 * pass through as they are; anything else is rethrown.
 */
export function openStagingStore(path: string, opts: OpenOptions = {}): StagingStore {
  if (path !== ':memory:' && path !== '') {
    let kind: string | undefined;
    try {
      const st = statSync(path);
      if (!st.isFile()) kind = st.isDirectory() ? 'a folder' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'not a file';
    } catch {
      /* missing: the store makes it (in a missing folder: missingFolderError below) */
    }
    if (kind) throw new StagingError('STAGING_OPEN_FAILED', `cannot open staging file ${path}: it is ${kind}, not a regular file`, { file: path }, { userInput: true });
    const missing = missingFolderError(path);
    if (missing) throw missing;
  }
  // SQLite's own failures while setting the file up are STAGING_OPEN_FAILED from the store itself
  return new StagingStore(path, opts);
}

/**
 * STAGING_OPEN_FAILED (exit 2, bad input) when the folder `path` would be made in does not exist,
 * naming the folder and what to do; null when it exists (or `path` is `:memory:`, '' or a `file:`
 * URI). SQLite said only "Cannot open database because the directory does not exist", and the
 * lock file `serve` makes first "ENOENT: no such file or directory, open '….lock'" (exit 1).
 */
export function missingFolderError(path: string): StagingError | null {
  if (path === ':memory:' || path === '' || path.startsWith('file:')) return null;
  const dir = dirname(resolve(path));
  if (existsSync(dir)) return null;
  return new StagingError('STAGING_OPEN_FAILED', `cannot open staging file ${path}: its folder ${dir} does not exist: create it first (mkdir -p ${dir}), or give a staging file path in an existing folder`, { file: path }, { userInput: true });
}

/**
 * Checks, before a long run, that `path` can be a staging file (openStagingStore's refusals, the
 * same errors), without leaving one behind: a file this check made is removed again (with SQLite's
 * `-wal`/`-shm`/`-journal` beside it), so a run refused afterwards leaves no empty staging file
 * where none was (a refused `diff --stage new.db` left a 147 KB store with no job). A file that was
 * there is opened (its schema migrated, as staging would) and kept.
 */
export function checkStagingStore(path: string): void {
  const made = path !== ':memory:' && path !== '' && !existsSync(path);
  openStagingStore(path).close();
  if (made) for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(f, { force: true });
}
