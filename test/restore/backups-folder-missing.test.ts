import { expect, it } from 'vitest';
import { readFolderHistory } from '../../src/restore/history.js';

/** `restore plan --backups /no/such/folder` says so in words (it printed "--backups /no/such/folder: ENOENT"). */
it('a --backups path that does not exist is named with the reason in words', () => {
  expect(() => readFolderHistory(['/nonexistent-rowback/backups'])).toThrow(
    expect.objectContaining({ code: 'INPUT_FILE_UNREADABLE', message: '--backups /nonexistent-rowback/backups: no such file or folder' }),
  );
});
