/**
 * Input paths checked before they are opened: a regular file, or one typed line saying what it
 * is instead (a directory, a FIFO whose open would block, a device such as /dev/null, nothing).
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { InputError, isRowbackError } from '../errors.js';
import { backupMagic } from './backup-magic.js';
import { shellGlob, shellPath } from './shell-word.js';

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
 * Why a file cannot be read, in words: the errno code alone (`--ldf X.ldf: EACCES`) left a DBA
 * with a log copied off the server (owned by SQL Server's service account, mode 600) to look it up.
 * ENOENT, EACCES/EPERM, EISDIR (a folder given for the file), ENOTDIR; any other code as it is.
 */
export function unreadableWhy(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `no such file${relativePathAdvice((e as NodeJS.ErrnoException).path)}`;
  if (code === 'EACCES' || code === 'EPERM') {
    return `${code} (permission denied: this user may not read it; files copied off a SQL Server are often readable by its service account only: make a copy you can read, or run as a user who can)`;
  }
  // a folder where a file is taken (readSync/createReadStream on a folder), a path through a file
  if (code === 'EISDIR') return 'EISDIR (it is a folder, not a file: give the file in it)';
  if (code === 'ENOTDIR') return 'ENOTDIR (a part of the path before the last is a file, not a folder: check the path)';
  return code ?? (e as Error).message;
}

/**
 * Why a folder cannot be listed, in words with what to do (restore plan --backups): the errno code
 * alone (`cannot read folder X: EACCES`) was printed. ENOENT no such folder, ENOTDIR a file given
 * for the folder, EACCES/EPERM permission denied; any other code as it is.
 */
export function unlistableWhy(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `no such folder${relativePathAdvice((e as NodeJS.ErrnoException).path)}`;
  if (code === 'ENOTDIR') return 'ENOTDIR (it is a file, not a folder: give the folder the backups are in)';
  if (code === 'EACCES' || code === 'EPERM') {
    return `${code} (permission denied: this user may not list the folder; backups copied off a SQL Server are often readable by its service account only: copy them to a folder you can read, or run as a user who can)`;
  }
  return code ?? (e as Error).message;
}

/**
 * After "PATH: no such file" (or folder): for a relative PATH, the folder it was looked for from,
 * ` (a relative path, looked for from /home/dba, the folder rowback was started in)`; '' for an
 * absolute path or none. A path copied from the docs (`../shared/corpus/…`, which holds beside a
 * checkout only) or a command run from another folder read as a file that is not there at all.
 * Reads process.cwd() (where Node resolves a relative path).
 */
export function relativePathAdvice(path: string | undefined): string {
  if (path === undefined || path === '' || isAbsolute(path)) return '';
  return ` (a relative path, looked for from ${process.cwd()}, the folder rowback was started in)`;
}

/** The flags that take backup files, one of which a DBA may give the backup folder (restore plan's --backups takes one). */
const BACKUP_FLAGS = new Set(['--bak', '--trn', '--after-bak', '--after-trn']);

/**
 * After "FLAG PATH: a directory": for a backup folder given where backup files are taken, how to give
 * its files and what takes the folder itself; after "FLAG PATH: no such file", relativePathAdvice;
 * '' otherwise.
 */
export function folderAdvice(flag: string, path: string, why: string): string {
  if (why === 'no such file') return relativePathAdvice(path);
  if (why !== 'a directory' || !BACKUP_FLAGS.has(flag)) return '';
  return `: give the backup files in it (${flag} ${shellGlob(path, flag.endsWith('trn') ? '*.trn' : '*.bak')} …), or plan a restore from the folder with rowback restore plan --backups ${shellPath(path)}`;
}

/**
 * An input must be an existing regular file: a directory, FIFO (whose open would block), device
 * (`/dev/null`) or missing path throws InputError `INPUT_FILE_UNREADABLE` naming `flag` and path.
 */
export function assertRegularFile(flag: string, path: string): void {
  const why = fileKindProblem(path);
  if (why) throw new InputError('INPUT_FILE_UNREADABLE', `${flag ? `${flag} ` : ''}${path}: ${why}${folderAdvice(flag, path, why)}`, { file: path });
  assertNotEmpty(flag, path);
}

/**
 * An input file of 0 bytes is said as such, naming the flag and the file: InputError
 * `INPUT_EMPTY_FILE` (exit 2). It was read as a file of the wrong kind ("not a Microsoft Tape
 * Format backup", "does not start with a SQL Server file header page", "not JSON"), which sent a
 * user looking for damage in a copy that never got any bytes. `flag` may be '' (a positional
 * argument). A path that cannot be stat'ed is left to the caller's own check.
 */
export function assertNotEmpty(flag: string, path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.size === 0 && st.isFile()) throw emptyFileError(flag, path);
}

/** The INPUT_EMPTY_FILE error for `path` given as `flag` ('' for none). */
export function emptyFileError(flag: string, path: string): InputError {
  return new InputError('INPUT_EMPTY_FILE', `${flag ? `${flag} ` : ''}${path} is empty (0 bytes): there is nothing in it to read (a copy or download that did not finish?)`, { file: path });
}


/**
 * `path` with every symbolic link resolved; for a path that does not exist, its deepest existing
 * ancestor resolved and the rest appended (so a missing file is placed where it would be). A link
 * whose target is missing is placed where its target would be, not where the link is: a dangling
 * link inside a root to a missing file outside was judged inside the roots and answered "no such
 * file", where a link to an existing file outside was refused as outside (telling apart which
 * files exist outside the roots).
 */
function resolveAsFarAsExists(path: string, depth = 0): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    if (parent === abs) return abs;
    const at = join(resolveAsFarAsExists(parent, depth), basename(abs));
    let target: string | null = null;
    try {
      if (depth < 40 && lstatSync(at).isSymbolicLink()) target = readlinkSync(at);
    } catch {
      target = null;
    }
    return target === null ? at : resolveAsFarAsExists(resolve(dirname(at), target), depth + 1);
  }
}

/**
 * `path` as one file is named whatever path reaches it: absolute, `..` and every symbolic link
 * resolved (for a path that does not exist, as far as it exists). Two paths of one file compare
 * equal: a backup given twice through a link, the same backup on both sides of a comparison.
 */
export function realPath(path: string): string {
  return resolveAsFarAsExists(path);
}

/**
 * Whether `path`, with every symbolic link resolved, lies inside one of `roots` (also resolved).
 * A path that does not exist is judged by where it would be (its existing ancestors resolved), so
 * checking the roots first tells a caller nothing about which files exist outside them. Used by
 * the service to keep job paths inside the file roots it is configured with.
 */
export function isInsideRoots(path: string, roots: string[]): boolean {
  return insideRoots(resolveAsFarAsExists(path), roots);
}

/**
 * Whether `path` lies inside one of `roots` as written, its own symbolic links not followed (the
 * roots' are): with isInsideRoots false, it is a link (or under a linked folder) inside the roots
 * that leads out of them.
 */
export function isInsideRootsAsWritten(path: string, roots: string[]): boolean {
  return insideRoots(resolve(path), roots) || insideRoots(resolve(path), roots, false);
}

function insideRoots(real: string, roots: string[], realRoots = true): boolean {
  return roots.some((r) => {
    let root: string;
    try {
      root = realRoots ? realpathSync(r) : resolve(r);
    } catch {
      return false;
    }
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  });
}

/**
 * The text of a script or JSON file a person saved (`--ddl`, `--schema`): UTF-16 (little- or
 * big-endian) after its byte-order mark, else UTF-8 with any BOM dropped. SSMS's "Generate
 * Scripts" and Windows PowerShell 5.1's `Out-File`/`>` write UTF-16LE with a BOM; read as UTF-8,
 * such a script failed with `SCHEMA_DDL_PARSE: line 1, column 4: unexpected character` (its
 * NUL bytes) and a catalog with `INPUT_BAD_JSON`. Unreadable: INPUT_FILE_UNREADABLE naming it;
 * 0 bytes: INPUT_EMPTY_FILE naming it and `flag` (`--ddl`, `--schema`; '' for none) (`assertNotEmpty`).
 */
export function readTextFile(path: string, flag = ''): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `cannot read ${path}: ${unreadableWhy(e)}`, { file: path });
  }
  if (bytes.length === 0) throw emptyFileError(flag, path);
  const binary = binaryFileKind(bytes);
  if (binary) {
    const what = flag === '--schema' ? 'a catalog JSON file' : flag === '--ddl' ? 'a T-SQL script' : 'a text file';
    throw new InputError(flag === '--schema' ? 'INPUT_BAD_JSON' : 'INPUT_NOT_A_SCRIPT', `${path} is ${binary.kind}, not ${what}${flag ? ` (${flag})` : ''}: ${binary.advice}`, { file: path, offset: 0 });
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * A SQL Server file given where a text file (a script, catalog JSON) was expected, told by its first
 * bytes: page 0 of a data or log file is a file header page (page header version 1, type 15; a log
 * has its first VLF header, 0xAB, at 0x2000, a data file its PFS page), a backup starts with a TAPE
 * block or MSSQLBAK; other text never starts with a NUL or these. `--ddl Database1.mdf` said
 * `SCHEMA_DDL_PARSE: … unexpected character ''`. Null for anything else.
 */
function binaryFileKind(bytes: Buffer): { kind: string; advice: string } | null {
  if (bytes.length >= 2 && bytes[0] === 1 && bytes[1] === 15) {
    if (bytes.length > 0x2000 && bytes[0x2000] === 0xab) return { kind: 'a SQL Server transaction log file (.ldf: page 0 is a file header page, a VLF header at 0x2000)', advice: 'give it with --ldf, and the table layout with --mdf, --bak, --ddl (a CREATE TABLE script) or --schema (catalog JSON)' };
    return { kind: 'a SQL Server data file (.mdf/.ndf: page 0 is a file header page)', advice: 'give it with --mdf; it holds the table layout itself' };
  }
  const magic = backupMagic(bytes);
  if (magic) return { kind: `a SQL Server backup (it starts with ${magic})`, advice: 'give a full or differential backup with --bak (it holds the table layout), a log backup with --trn' };
  // two NULs first: no text, UTF-16 without its BOM included (one NUL per character)
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] === 0) return { kind: 'a binary file (NUL bytes at its start)', advice: 'give the table layout as a CREATE TABLE script (--ddl) or catalog JSON (--schema), or the database with --mdf or --bak' };
  return null;
}

/**
 * `fn()`, with `file` added to the location of a rowback error it throws that names no file: a
 * `--ddl` script's `SCHEMA_DDL_PARSE: line 4, column 43: …` said the line but not which file.
 */
export function namingFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isRowbackError(e) && e.location.file === undefined) e.location.file = file;
    throw e;
  }
}
