/**
 * The one way readers open an input file (a data file, log, backup, export): read-only, and — inside
 * a job of `rowback serve`, whose files must lie in its file roots — checked on the OPENED
 * descriptor, not on the path before the open.
 *
 * A job's files are checked against the roots when the job is created and when the worker starts it,
 * but each reader opens its file by path later (milliseconds to minutes): a file swapped in between
 * for a link out of the roots was opened and read. So every open made while roots are in force
 * (`withFileRoots`) is verified after it: the path's real path (links resolved) inside the roots,
 * and the descriptor's device and inode those of that real path (a link swapped in before the open
 * and swapped back before the check is caught by the second). Refused: InputError
 * INPUT_PATH_NOT_ALLOWED, the descriptor closed, nothing read. With no roots in force (the CLI, which
 * reads whatever its user may read) an open is the plain read-only open it always was.
 *
 * The roots travel with the async context (AsyncLocalStorage), so a reader needs no parameter for
 * them; a worker thread does not inherit it: whoever spawns one that opens files passes
 * `currentFileRoots()` in its workerData and runs it inside `withFileRoots` (parallel log reader).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, constants, createReadStream, fstatSync, openSync, realpathSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { open as openAsync, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { isInsideRoots, isInsideRootsAsWritten } from './files.js';

/** What is in force while a job's files are read. */
export interface FileConfinement {
  /** Folders the files must lie in, links resolved. */
  roots: string[];
  /** The request field of each file by its path as given (`ldf`, `trn.1`), for the refusal's words. */
  fields?: Map<string, string>;
}

const confinement = new AsyncLocalStorage<FileConfinement>();

/**
 * Runs `fn` with `roots` in force for every input opened in it and in the async work it starts
 * (`roots` undefined: `fn` as it is, nothing confined). Returns what `fn` returns.
 */
export function withFileRoots<T>(roots: string[] | undefined, fn: () => T, fields?: Map<string, string>): T {
  if (!roots) return fn();
  return confinement.run({ roots, ...(fields ? { fields } : {}) }, fn);
}

/** The roots in force here (withFileRoots), undefined when none. */
export function currentFileRoots(): string[] | undefined {
  return confinement.getStore()?.roots;
}

/**
 * Read-only, and a FIFO swapped in does not block the open (O_NONBLOCK means nothing for a regular
 * file, and only regular files pass the check after it).
 */
const CONFINED_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** The roots' words (as job-validate's allowanceClause; kept here so util needs nothing of worker). */
function rootsClause(roots: string[]): string {
  return `now ${roots.join(', ')}; start \`rowback serve --file-root DIR\`, repeatable, or set fileRoots in its config file (\`rowback serve --config FILE\`) to allow others`;
}

function notAllowed(path: string, c: FileConfinement, why: 'outside' | 'changed'): InputError {
  const field = c.fields?.get(path);
  const link = why === 'changed' ? ' (it was replaced while it was being opened)' : isInsideRootsAsWritten(path, c.roots) ? ' (it is a link to a place outside them)' : '';
  return new InputError('INPUT_PATH_NOT_ALLOWED', `${field ? `${field} ` : ''}${path} is outside the folders this service may read${link} (${rootsClause(c.roots)})`, { file: path, ...(field ? { field } : {}) });
}

/**
 * Throws INPUT_PATH_NOT_ALLOWED unless the descriptor `fd`, opened from `path`, is the file `path`
 * names inside `roots`: its real path (every link resolved) inside them, and `fd`'s device and inode
 * those of that real path. Throws INPUT_FILE_UNREADABLE when `fd` is not a regular file. Closes
 * nothing (the caller closes `fd` on a throw).
 */
export function verifyOpenedInput(fd: number, path: string, c: FileConfinement): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    // gone or made a dangling link since the open: whatever was opened is not known to be the file
    throw notAllowed(path, c, isInsideRoots(path, c.roots) ? 'changed' : 'outside');
  }
  if (!isInsideRoots(real, c.roots)) throw notAllowed(path, c, 'outside');
  const opened = fstatSync(fd, { bigint: true });
  let named;
  try {
    named = statSync(real, { bigint: true });
  } catch {
    throw notAllowed(path, c, 'changed');
  }
  if (opened.dev !== named.dev || opened.ino !== named.ino) throw notAllowed(path, c, 'changed');
  if (!opened.isFile()) throw new InputError('INPUT_FILE_UNREADABLE', `${c.fields?.get(path) ? `${c.fields.get(path)} ` : ''}${path}: not a regular file`, { file: path });
}

/**
 * An open that failed under confinement: a path outside the roots (a dangling link swapped in) is
 * refused as outside, whether its target exists or not; else the open's own error.
 */
function openFailed(e: unknown, path: string, c: FileConfinement): never {
  if (!isInsideRoots(path, c.roots)) throw notAllowed(path, c, 'outside');
  throw e;
}

/**
 * Opens `path` read-only (`openSync(path, 'r')`), verified under the roots in force
 * (verifyOpenedInput). Returns the descriptor; the caller closes it. Throws what openSync throws
 * (ENOENT, EACCES…), or INPUT_PATH_NOT_ALLOWED / INPUT_FILE_UNREADABLE under roots.
 */
export function openInputSync(path: string): number {
  const c = confinement.getStore();
  if (!c) return openSync(path, 'r');
  let fd: number;
  try {
    fd = openSync(path, CONFINED_FLAGS);
  } catch (e) {
    openFailed(e, path, c);
  }
  try {
    verifyOpenedInput(fd, path, c);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** As openInputSync, a FileHandle (`fs/promises` open(path, 'r')); the caller closes it. */
export async function openInput(path: string): Promise<FileHandle> {
  const c = confinement.getStore();
  if (!c) return openAsync(path, 'r');
  let fh: FileHandle;
  try {
    fh = await openAsync(path, CONFINED_FLAGS);
  } catch (e) {
    openFailed(e, path, c);
  }
  try {
    verifyOpenedInput(fh.fd, path, c);
  } catch (e) {
    await fh.close();
    throw e;
  }
  return fh;
}

/**
 * `createReadStream(path, options)` on a descriptor from openInputSync (opened now, verified under
 * the roots in force; closed when the stream ends or is destroyed). A failed open or check is the
 * stream's 'error', as createReadStream reports its own open's.
 */
export function createInputReadStream(path: string, options: { highWaterMark?: number; start?: number; end?: number } = {}): Readable {
  const c = confinement.getStore();
  if (!c) return createReadStream(path, options);
  let fd: number;
  try {
    fd = openInputSync(path);
  } catch (e) {
    const failed = new Readable({ read() {} });
    process.nextTick(() => failed.destroy(e as Error));
    return failed;
  }
  return createReadStream(path, { ...options, fd, autoClose: true });
}
