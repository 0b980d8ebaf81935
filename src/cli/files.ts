/**
 * Files the CLI is pointed at, checked before any work starts so that an ordinary mistake is
 * one line naming the flag and the path (InputError, exit 2), never a stack trace or an
 * unhandled stream error halfway through a scan.
 */
import { accessSync, constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { fileKindProblem } from '../util/files.js';

export { assertRegularFile } from '../util/files.js';

/**
 * An output file (`--out`): checked now, synchronously, so that a missing folder, a directory or
 * a read-only place fails before the work starts (InputError `INPUT_OUTPUT_UNWRITABLE` naming the
 * flag and path); opened — created or emptied — only when the first bytes are written or the
 * stream is ended. So a command that fails before it has anything to write (a missing input, an
 * unknown table, bad metadata) leaves a previous result at that path as it was.
 */
export function openOutputFile(flag: string, path: string): Writable {
  checkOutputPath(flag, path);
  let file: WriteStream | null = null;
  const open = (): WriteStream => {
    if (file) return file;
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (e) {
      throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
    }
    file = createWriteStream(path, { fd });
    return file;
  };
  /** The opened file, or null after handing the open's error to `cb`. */
  const openOr = (cb: (e: Error) => void): WriteStream | null => {
    try {
      return open();
    } catch (e) {
      cb(e as Error);
      return null;
    }
  };
  return new Writable({
    // The file's own stream takes each chunk; its callback (written to the file) is this one's, so
    // backpressure is the file's.
    write(chunk: Buffer, _enc, cb) {
      const f = openOr(cb);
      if (f) f.write(chunk, (err) => cb(err ?? null));
    },
    final(cb) {
      const f = openOr(cb);
      if (f) f.end((err?: Error | null) => cb(err ?? null));
    },
    destroy(err, cb) {
      if (file) file.destroy();
      cb(err);
    },
  });
}

/**
 * The checks of an output path without touching it: its folder exists and is a folder, the path is
 * not a directory, and it can be written (the file if it exists, else its folder). Throws
 * InputError `INPUT_OUTPUT_UNWRITABLE` naming the flag and path.
 */
function checkOutputPath(flag: string, path: string): void {
  const dir = dirname(resolve(path));
  const dirKind = fileKindProblem(dir);
  if (dirKind !== 'a directory') {
    throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: its folder ${dir} ${dirKind === null ? 'is a file' : dirKind === 'no such file' ? 'does not exist' : `is ${dirKind}`}`, { file: path });
  }
  const existing = fileKindProblem(path);
  // a directory can't be written; a device or FIFO can (`--out /dev/null`, a named pipe to another tool)
  if (existing === 'a directory') throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: is ${existing}, not a file`, { file: path });
  try {
    accessSync(existing === 'no such file' ? dir : path, constants.W_OK);
  } catch (e) {
    throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
}

/**
 * Checks that `path` could be written (as openOutputFile), without creating or emptying it; for
 * outputs written whole at the end (`--report`).
 */
export function assertWritableOutput(flag: string, path: string): void {
  checkOutputPath(flag, path);
}
