/**
 * Files the CLI is pointed at, checked before any work starts so that an ordinary mistake is
 * one line naming the flag and the path (InputError, exit 2), never a stack trace or an
 * unhandled stream error halfway through a scan.
 */
import { accessSync, constants, createWriteStream, fstatSync, openSync, statSync, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { isatty } from 'node:tty';
import { InputError } from '../errors.js';
import { fileKindProblem } from '../util/files.js';

export { assertRegularFile } from '../util/files.js';

/** Bytes of output an `--out` file may hold in memory waiting for the disk (bounded; the writers hand over 64 KB chunks). */
export const OUTPUT_BUFFER_BYTES = 1024 * 1024;

/**
 * An output file (`--out`): checked now, synchronously, so that a missing folder, a directory or
 * a read-only place fails before the work starts (InputError `INPUT_OUTPUT_UNWRITABLE` naming the
 * flag and path); opened — created or emptied — only when the first bytes are written or the
 * stream is ended. So a command that fails before it has anything to write (a missing input, an
 * unknown table, bad metadata) leaves a previous result at that path as it was.
 */
export function openOutputFile(flag: string, path: string, inputs?: CommandInputs): Writable {
  checkOutputPath(flag, path);
  if (inputs) assertNotAnInput(flag, path, inputs);
  let file: WriteStream | null = null;
  const open = (): WriteStream => {
    if (file) return file;
    let fd: number;
    try {
      // 0600 when made: it holds recovered rows (deleted customer data); it was made with the umask (0644)
      fd = openSync(path, 'w', 0o600);
    } catch (e) {
      throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: ${cannotWrite(e, flag, path)}`, { file: path });
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
  // A write that fails once the file is open (a full disk: ENOSPC, an I/O error) is one line naming
  // the flag and path, handed to the command through its write/end callback; it was an unhandled
  // 'error' event (a Node stack trace, exit 1) on every command.
  const failed = (err: Error | null | undefined): Error | null => {
    if (!err) return null;
    if (err instanceof InputError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOSPC' ? 'ENOSPC (no space left on device)' : (code ?? err.message);
    return new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: writing failed: ${what}; the file holds only part of the result: free space or give another --out, and run the command again`, { file: path });
  };
  const out = new Writable({
    // Up to OUTPUT_BUFFER_BYTES may wait for the disk while the command goes on producing rows;
    // with the default 16 KB every 64 KB chunk a writer hands over waited for its own write to
    // the file, so the disk and the decoding took turns (CPU profile of a 128 MB SYNTHETIC scan to
    // --out: 23 % of its samples idle before, 5 % after; docs/performance.md).
    highWaterMark: OUTPUT_BUFFER_BYTES,
    // The file's own stream takes each chunk; its callback (written to the file) is this one's, so
    // backpressure is the file's.
    write(chunk: Buffer, _enc, cb) {
      const f = openOr(cb);
      if (f) f.write(chunk, (err) => cb(failed(err)));
    },
    // Every chunk waiting here goes to the file's stream at once, which writes them in one
    // writev (fs.WriteStream's own): with `write` alone one 64 KB chunk reached the file per turn
    // of the event loop, and the loop turns only between the command's batches of rows, so the
    // buffer filled and the command waited for the disk one chunk at a time (a CPU profile of
    // the delete-dense 256 MB SYNTHETIC scan: 12.6 % idle; docs/performance.md, 2026-12-03).
    // The callback runs once every chunk is written, with the first error.
    writev(chunks, cb) {
      const f = openOr(cb);
      if (!f) return;
      let left = chunks.length;
      let first: Error | null = null;
      const done = (err?: Error | null): void => {
        // the failed write's own error (ENOSPC), not the 'destroyed' of the chunks after it
        if (err && (first === null || (first as NodeJS.ErrnoException).code === 'ERR_STREAM_DESTROYED')) first = err;
        if (--left === 0) cb(failed(first));
      };
      for (const c of chunks) f.write(c.chunk as Buffer, done);
    },
    final(cb) {
      const f = openOr(cb);
      if (f) f.end((err?: Error | null) => cb(failed(err)));
    },
    destroy(err, cb) {
      if (file) file.destroy();
      cb(err);
    },
  });
  // The error reaches the command through the pending write's or end's callback, or its next write
  // (writers check `errored`); the event itself must not end the process with a stack trace.
  out.on('error', () => {});
  return out;
}

/**
 * The checks of an output path without touching it: its folder exists and is a folder, the path is
 * not a directory, and it can be written (the file if it exists, else its folder). Throws
 * InputError `INPUT_OUTPUT_UNWRITABLE` naming the flag and path.
 */
function checkOutputPath(flag: string, path: string): void {
  // `--out -` wrote a file named '-' in the current folder: a pipeline read nothing, exit 0
  if (path === '-') {
    throw new InputError('INPUT_BAD_OPTION', flag === '--out'
      ? "--out -: the rows go to stdout when --out is left out; '-' would be a file named '-' (write ./- for that)"
      : `${flag} -: ${flag} writes a file, and stdout carries the rows; give a file name ('-' would be a file named '-': write ./- for that)`);
  }
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
    throw new InputError('INPUT_OUTPUT_UNWRITABLE', `${flag} ${path}: ${cannotWrite(e, flag, path)}`, { file: path });
  }
}

/**
 * Why an output path cannot be written, in words, with what to do: the errno code alone
 * (`--out /evidence/rows.csv: EACCES`) left a newcomer to look it up, and said nothing of the
 * folder or of giving another path.
 */
export function cannotWrite(e: unknown, flag: string, path: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  const dir = dirname(resolve(path));
  const exists = fileKindProblem(path) !== 'no such file';
  const where = exists ? `the file ${path} is not writable by this user` : `this user may not create files in ${dir}`;
  const instead = `give ${flag} a path in a folder you can write (e.g. your home folder)`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${code} (permission denied: ${where}); ${instead}`;
    case 'EROFS':
      return `EROFS (${dir} is on a read-only file system, as evidence mounts often are); ${instead}`;
    case 'ENOENT':
      return `ENOENT (no file can be made at that path in ${dir}); ${instead}`;
    default:
      return code ?? (e as Error).message;
  }
}

/**
 * Checks that `path` could be written (as openOutputFile), without creating or emptying it; for
 * outputs written whole at the end (`--report`).
 */
export function assertWritableOutput(flag: string, path: string, inputs?: CommandInputs): void {
  checkOutputPath(flag, path);
  if (inputs) assertNotAnInput(flag, path, inputs);
}

/**
 * What a command was given: its parsed options (commander's `opts`, option name → value) and its
 * positional arguments. Every option value that names an existing regular file (a string, or each
 * string of an array), other than the output options themselves, counts as an input.
 */
export interface CommandInputs {
  opts: object;
  args?: readonly string[];
  /** Option names that are outputs (never inputs): default `out` and `report`. */
  outputs?: readonly string[];
}

/** Option names of outputs (written, never read). */
const OUTPUT_OPTIONS = ['out', 'report'];

/**
 * Refuses an output path that is one of the command's inputs (the same path, or the same file by
 * device and inode: a hard link, a symbolic link, `./x` for `x`), or another output of the same
 * command (`--out F --report F`): writing it would destroy the evidence being read (a scan with
 * `--out` naming its own .ldf emptied the log and printed success) or one result the other. Throws
 * InputError `INPUT_OUTPUT_IS_INPUT` naming both flags; never touches the file.
 */
export function assertNotAnInput(flag: string, path: string, inputs: CommandInputs): void {
  const outputs = inputs.outputs ?? OUTPUT_OPTIONS;
  const target = identity(path);
  assertNotStdStream(flag, path, target, inputs);
  const same = (other: string): boolean => {
    if (resolve(other) === resolve(path)) return true;
    const o = identity(other);
    return target !== null && o !== null && o === target;
  };
  const entries = Object.entries(inputs.opts as Record<string, unknown>);
  // another output of the same command naming the same file
  for (const [name, v] of entries) {
    if (!outputs.includes(name) || `--${name}` === flag || typeof v !== 'string') continue;
    if (same(v)) throw new InputError('INPUT_OUTPUT_IS_INPUT', `${flag} ${path} is also given as --${name}: one would overwrite the other; give two different files`, { file: path });
  }
  const candidates: Array<[string, string]> = [];
  for (const [name, v] of entries) {
    if (outputs.includes(name)) continue;
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' && x !== '') candidates.push([`--${kebab(name)}`, x]);
  }
  for (const a of inputs.args ?? []) candidates.push(['the input', a]);
  for (const [from, file] of candidates) {
    if (!isRegularFile(file)) continue;
    if (same(file)) {
      throw new InputError('INPUT_OUTPUT_IS_INPUT', `${flag} ${path} is the file given as ${from === 'the input' ? 'an input' : from}: writing it would destroy what is being read; give another output path`, { file: path });
    }
  }
}

/** `dev:ino` of an open descriptor, or null (closed). */
function fdIdentity(fd: number): string | null {
  try {
    const st = fstatSync(fd);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/**
 * Refuses an output path that is this process's stderr, or its stdout while the rows go there (no
 * `--out`): `--report /dev/stdout` (or /dev/fd/1, /proc/self/fd/1, the file or pipe stdout is) of
 * `scan … > rows.ndjson` opened that file again with O_TRUNC when the report was written at the
 * end, so rows.ndjson held the report alone, every row gone, exit 0 (into a pipe or terminal: the
 * report mixed into the rows); /dev/stderr likewise cut the INCOMPLETE/WARNING lines written
 * before it. Told by device and inode against fstat of fd 1 and 2 (a path's spelling is not
 * enough: a link, a pipe). /dev/null is not refused (both may be it). `--report -` is refused
 * apart (checkOutputPath). stderr a terminal is not refused: nothing there is cut, and a report
 * shown among the messages on screen is what `--report /dev/stdout` or `/dev/stderr` typed at a
 * prompt asks for (stdout the same terminal is still refused while the rows go there). Throws
 * InputError INPUT_OUTPUT_IS_INPUT naming the flag and the stream.
 */
function assertNotStdStream(flag: string, path: string, target: string | null, inputs: CommandInputs): void {
  if (target === null || target === identity('/dev/null')) return;
  const rowsOnStdout = flag === '--out' ? false : !(inputs.opts as { out?: unknown }).out;
  // a terminal is read, not parsed or cut: in one (stdout and stderr the same tty, `--out F
  // --report /dev/stdout` typed at a prompt) the report is shown among the messages, as asked; it
  // was refused as stderr (same dev:ino), a false refusal
  if (target === fdIdentity(2) && !isatty(2)) {
    throw new InputError('INPUT_OUTPUT_IS_INPUT', `${flag} ${path} is this command's stderr, which carries its messages (INCOMPLETE, WARNING, the summary): writing it there would cut or mix them; give a file`, { file: path });
  }
  if (rowsOnStdout && target === fdIdentity(1)) {
    throw new InputError('INPUT_OUTPUT_IS_INPUT', `${flag} ${path} is this command's stdout, which carries the rows: the ${flag} written there would replace them (stdout a file) or mix into them; give a file, or the rows one with --out`, { file: path });
  }
}

/** `dev:ino` of an existing file (links followed), or null. */
function identity(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** commander's camelCase option name back to its flag (`afterMdf` → `after-mdf`). */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
