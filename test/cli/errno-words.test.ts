/**
 * Errno codes shown bare to users where other inputs said them in words (input-unreadable-words):
 * `dump --bak X.bak` / `dump --mdf X.mdf` of a file this user may not read printed `cannot open X:
 * EACCES`, a missing one `ENOENT`; `restore plan --backups FOLDER` of a folder it may not list
 * `cannot read folder FOLDER: EACCES`; and the export reader, given a folder for the export file
 * (a job's check, the stream's open), threw Node's own `EISDIR: illegal operation on a directory,
 * read`, no INPUT_FILE_UNREADABLE, no path. Each is now in words (unreadableWhy, unlistableWhy)
 * with what to do. SYNTHETIC folders; real corpus files.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackupBytes } from '../../src/backup/bytes.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { checkExportStart, openExportStream } from '../../src/logreader/export/export-stream.js';
import { unlistableWhy, unreadableWhy } from '../../src/util/files.js';
import { cliBoundByPermissions, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
const READ = 'EACCES (permission denied: this user may not read it;';
const LIST = 'EACCES (permission denied: this user may not list the folder;';
const dir = mkdtempSync(join(tmpdir(), 'rowback-errno-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errno codes in words', () => {
  it('unreadableWhy: EISDIR and ENOTDIR say what the path is; unlistableWhy: a folder\'s', () => {
    expect(unreadableWhy(err('EISDIR'))).toBe('EISDIR (it is a folder, not a file: give the file in it)');
    expect(unreadableWhy(err('ENOTDIR'))).toMatch(/^ENOTDIR \(a part of the path before the last is a file, not a folder/);
    expect(unlistableWhy(err('ENOENT'))).toBe('no such folder');
    expect(unlistableWhy(err('ENOTDIR'))).toMatch(/^ENOTDIR \(it is a file, not a folder/);
    expect(unlistableWhy(err('EACCES'))).toMatch(/^EACCES \(permission denied: this user may not list the folder; .*: copy them to a folder you can read, or run as a user who can\)$/);
    expect(unlistableWhy(err('EIO'))).toBe('EIO');
  });

  it('a backup or data file that does not exist: "no such file", not ENOENT', () => {
    const missing = join(dir, 'missing.bak');
    expect(() => openBackupBytes(missing)).toThrow(`cannot open ${missing}: no such file`);
    expect(() => new MdfPageSource(missing)).toThrow(`cannot open ${missing}: no such file`);
  });

  it('the export reader given a folder: INPUT_FILE_UNREADABLE naming it, in words, not Node\'s EISDIR error', async () => {
    const folder = join(dir, 'export-folder');
    mkdirSync(folder);
    // each call made when it is awaited: a second promise made up front rejected unhandled while the first was awaited (CI: 'Unhandled Rejection', exit 1)
    for (const call of [() => checkExportStart(folder), () => openExportStream(folder)]) {
      await expect(call()).rejects.toMatchObject({ code: 'INPUT_FILE_UNREADABLE', message: `cannot read ${folder}: EISDIR (it is a folder, not a file: give the file in it)`, location: { file: folder } });
    }
  });
});

describeCorpus('files and folders this user may not read, through the CLI', () => {
  // as a process bound by the file's mode, root too (cliBoundByPermissions)
  it('dump --bak, dump --mdf and restore plan --backups: one line, in words', () => {
    const bak = join(dir, 'RestoreTimeClean.bak');
    const mdf = join(dir, 'Database1.mdf');
    const folder = join(dir, 'backups');
    copyFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), bak);
    copyFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), mdf);
    mkdirSync(folder);
    for (const p of [bak, mdf, folder]) chmodSync(p, 0o000);
    try {
      expect(expectOneLineError(cliBoundByPermissions('dump', '--bak', bak, '--table', 'dbo.T'), 'INPUT_FILE_UNREADABLE')).toContain(`cannot open ${bak}: ${READ}`);
      expect(expectOneLineError(cliBoundByPermissions('dump', '--mdf', mdf, '--table', 'dbo.T'), 'INPUT_FILE_UNREADABLE')).toContain(`cannot open ${mdf}: ${READ}`);
      expect(expectOneLineError(cliBoundByPermissions('restore', 'plan', '--backups', folder, '--stop-at', '2024-01-01 00:00', '--as', 'Side'), 'INPUT_FILE_UNREADABLE')).toContain(`cannot read folder ${folder}: ${LIST}`);
    } finally {
      for (const p of [bak, mdf]) chmodSync(p, 0o600);
      chmodSync(folder, 0o700);
    }
  });
});
