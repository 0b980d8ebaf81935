import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readFolderHistory } from '../../src/restore/history.js';

/**
 * `restore plan --backups P` with P a FIFO or a device: said as what it is (INPUT_FILE_UNREADABLE,
 * as every other file flag says it), not "P is empty (0 bytes)" — the size stat gives a pipe or
 * /dev/null — and not, as before that, an INTERNAL "ESPIPE: invalid seek" from reading a pipe.
 */
const refusal = (path: string) => {
  try {
    readFolderHistory([path]);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`readFolderHistory(${path}) did not refuse`);
};

it('a FIFO named as --backups: INPUT_FILE_UNREADABLE saying it is a FIFO, not that it is empty', () => {
  const fifo = join(mkdtempSync(join(tmpdir(), 'rowback-backups-fifo-')), 'db.bak');
  execFileSync('mkfifo', [fifo]);
  const e = refusal(fifo);
  expect([e.code, e.message]).toEqual(['INPUT_FILE_UNREADABLE', `--backups ${fifo}: a FIFO (named pipe)`]);
});

it('a device named as --backups (/dev/null): INPUT_FILE_UNREADABLE saying it is a device', () => {
  const e = refusal('/dev/null');
  expect([e.code, e.message]).toEqual(['INPUT_FILE_UNREADABLE', '--backups /dev/null: a device']);
});
