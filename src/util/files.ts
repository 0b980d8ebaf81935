/**
 * Input paths checked before they are opened: a regular file, or one typed line saying what it
 * is instead (a directory, a FIFO whose open would block, a device such as /dev/null, nothing).
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

/** null for a regular file; else what the path is ('a directory', 'no such file', …). */
export function fileKindProblem(path: string): string | null {
  try {
    const st = statSync(path);
    if (st.isFile()) return null;
    if (st.isDirectory()) return 'a directory';
    if (st.isFIFO()) return 'a FIFO (named pipe)';
    if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
    if (st.isSocket()) return 'a socket';
    return 'not a regular file';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'unreadable');
  }
}

/**
 * An input must be an existing regular file: a directory, FIFO (whose open would block), device
 * (`/dev/null`) or missing path throws InputError `INPUT_FILE_UNREADABLE` naming `flag` and path.
 */
export function assertRegularFile(flag: string, path: string): void {
  const why = fileKindProblem(path);
  if (why) throw new InputError('INPUT_FILE_UNREADABLE', `${flag ? `${flag} ` : ''}${path}: ${why}`, { file: path });
}


/**
 * `path` with every symbolic link resolved; for a path that does not exist, its deepest existing
 * ancestor resolved and the rest appended (so a missing file is placed where it would be).
 */
function resolveAsFarAsExists(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(resolveAsFarAsExists(parent), basename(abs));
  }
}

/**
 * Whether `path`, with every symbolic link resolved, lies inside one of `roots` (also resolved).
 * A path that does not exist is judged by where it would be (its existing ancestors resolved), so
 * checking the roots first tells a caller nothing about which files exist outside them. Used by
 * the service to keep job paths inside the file roots it is configured with.
 */
export function isInsideRoots(path: string, roots: string[]): boolean {
  const real = resolveAsFarAsExists(path);
  return roots.some((r) => {
    let root: string;
    try {
      root = realpathSync(r);
    } catch {
      return false;
    }
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  });
}
