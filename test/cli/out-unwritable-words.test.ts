/**
 * An --out or --report path that cannot be written was refused with the errno code alone
 * (`rowback: INPUT_OUTPUT_UNWRITABLE: --out /evidence/rows.csv: EACCES`): a newcomer had to look
 * the code up and was not told to give another path. The line now says it in words (permission
 * denied and where, a read-only file system, no file can be made there) and what to do.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannotWrite } from '../../src/cli/files.js';
import { cliBoundByPermissions, expectOneLineError } from '../support/cli.js';

const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('an unwritable output path is said in words, with what to do', () => {
  it('EACCES, EROFS, ENOENT: named and explained; another code as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-unwritable-'));
    try {
      expect(cannotWrite(err('EACCES'), '--out', join(dir, 'rows.csv'))).toBe(
        `EACCES (permission denied: this user may not create files in ${dir}); give --out a path in a folder you can write (e.g. your home folder)`);
      expect(cannotWrite(err('EROFS'), '--report', join(dir, 'r.json'))).toBe(
        `EROFS (${dir} is on a read-only file system, as evidence mounts often are); give --report a path in a folder you can write (e.g. your home folder)`);
      expect(cannotWrite(err('ENOENT'), '--out', join(dir, 'x.csv'))).toContain('ENOENT (no file can be made at that path in');
      expect(cannotWrite(err('EIO'), '--out', join(dir, 'x.csv'))).toBe('EIO');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // as a process bound by the folder's mode, root too (cliBoundByPermissions): it was skipped as root, so never run in CI
  it('scan --out into a folder this user may not write: one line, in words', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-unwritable-'));
    chmodSync(dir, 0o555);
    try {
      const r = cliBoundByPermissions('scan', '--ldf', join(dir, 'none.ldf'), '--ddl', join(dir, 'none.sql'), '--out', join(dir, 'rows.csv'));
      const line = expectOneLineError(r, 'INPUT_OUTPUT_UNWRITABLE');
      expect(line).toContain(`EACCES (permission denied: this user may not create files in ${dir}); give --out a path in a folder you can write`);
    } finally {
      chmodSync(dir, 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
