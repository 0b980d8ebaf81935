/**
 * An input this user may not read (a log copied off the server, owned by SQL Server's service
 * account, mode 600) was refused with the errno code alone: `--ldf X_log.ldf: EACCES`. The line
 * now says permission denied, why it is common with SQL Server's files, and what to do.
 */
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unreadableWhy } from '../../src/util/files.js';
import { cliBoundByPermissions, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
const WORDS = "EACCES (permission denied: this user may not read it; files copied off a SQL Server are often readable by its service account only: make a copy you can read, or run as a user who can)";

describe('unreadableWhy', () => {
  it('EACCES and EPERM in words; ENOENT as "no such file"; another code as it is', () => {
    expect(unreadableWhy(err('EACCES'))).toBe(WORDS);
    expect(unreadableWhy(err('EPERM'))).toContain('EPERM (permission denied:');
    expect(unreadableWhy(err('ENOENT'))).toBe('no such file');
    expect(unreadableWhy(err('EIO'))).toBe('EIO');
  });
});

describeCorpus('scan/inspect of a log this user may not read', () => {
  // as a process bound by the file's mode, root too (cliBoundByPermissions): it was skipped as root, so never run in CI
  it('one line, in words', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-unreadable-'));
    const ldf = join(dir, 'Database1_log.ldf');
    copyFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), ldf);
    chmodSync(ldf, 0o000);
    try {
      const scan = cliBoundByPermissions('scan', '--mdf', corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), '--ldf', ldf);
      expect(expectOneLineError(scan, 'INPUT_FILE_UNREADABLE')).toContain(`--ldf ${ldf}: ${WORDS}`);
      expect(expectOneLineError(cliBoundByPermissions('inspect', ldf), 'INPUT_FILE_UNREADABLE')).toContain(`cannot open ${ldf}: ${WORDS}`);
    } finally {
      chmodSync(ldf, 0o600);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
