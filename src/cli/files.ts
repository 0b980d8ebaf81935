/**
 * Files the CLI is pointed at, checked before any work starts so that an ordinary mistake is
 * one line naming the flag and the path (InputError, exit 2), never a stack trace or an
 * unhandled stream error halfway through a scan.
 */
import { closeSync, createWriteStream, openSync, statSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';

function kindOf(path: string): string | null {
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
  const why = kindOf(path);
  if (why) throw new InputError('INPUT_FILE_UNREADABLE', `${flag ? `${flag} ` : ''}${path}: ${why}`, { file: path });
}

/**
 * Opens an output file (`--out`, `--report`) now, synchronously, so that a missing folder, a
 * directory or a read-only place fails before the work starts: InputError `INPUT_OUTPUT_UNWRITABLE`
 * naming the flag and path. Returns a write stream on the opened descriptor.
 */
export function openOutputFile(flag: string, path: string): WriteStream {
  return createWriteStream(path, { fd: openOutputFd(flag, path) });
}

function openOutputFd(flag: string, path: string): number {
  const dir = dirname(resolve(path));
  const dirKind = kindOf(dir);
  if (dirKind !== 'a directory') {
    throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: its folder ${dir} ${dirKind === null ? 'is a file' : dirKind === 'no such file' ? 'does not exist' : `is ${dirKind}`}`, { file: path });
  }
  const existing = kindOf(path);
  if (existing && existing !== 'no such file') throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: is ${existing}, not a file`, { file: path });
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  return fd;
}

/** Checks that `path` could be written (as openOutputFile), creating it empty; for outputs written at the end (`--report`). */
export function assertWritableOutput(flag: string, path: string): void {
  closeSync(openOutputFd(flag, path));
}
