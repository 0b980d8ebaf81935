/**
 * `restore plan` / `restore run` `--strict` / `--quiet` over a backup used despite a damaged MTF
 * trailer (FORMAT_BAD_MTF_TRAILER: its finish date unknown, its place by --stop-at read from its
 * commit times, and whether SQL Server's RESTORE reads it only the server tells). `--quiet` dropped
 * its line, so `restore plan --format sql --quiet` (the script alone on stdout, which carries no
 * notes) and `restore run --quiet` used the damaged file without a word anywhere, undoing
 * restore-caveat-stderr's fix; and `--strict` exited 0, so `restore plan … --strict && sqlcmd -i`
 * ran a plan over a damaged backup as if it were whole. Now the line is said also with `--quiet`,
 * and `--strict` exits 3 for it.
 *
 * SYNTHETIC damage, made at test time from copies of the corpus's REAL RestoreTimeClean (temp
 * dirs, never the repo): one bit of _1.trn's ESET block header (test/backup/mtf-trailer.test.ts).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runRestoreRun } from '../../src/cli/commands/restore.js';
import type { RestoreExecutor } from '../../src/restore/run.js';
import { captureCli } from '../support/cli.js';
import { corpusAvailable, corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const LSN = ['--stop-before-lsn', '25000000014000001'];
let dir = '';
let clean = '';
beforeAll(() => {
  if (!corpusAvailable) return;
  dir = mkdtempSync(join(tmpdir(), 'rowback-strict-caveat-'));
  copyFileSync(R('RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
  const b = Buffer.from(readFileSync(R('RestoreTimeClean_1.trn')));
  b[78848 + 20] ^= 0x01; // the ESET's block header
  writeFileSync(join(dir, 'RestoreTimeClean_1.trn'), b);
  clean = mkdtempSync(join(tmpdir(), 'rowback-strict-caveat-clean-'));
  copyFileSync(R('RestoreTimeClean.bak'), join(clean, 'RestoreTimeClean.bak'));
  copyFileSync(R('RestoreTimeClean_1.trn'), join(clean, 'RestoreTimeClean_1.trn'));
});
afterAll(() => {
  for (const d of [dir, clean]) if (d) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});
const TRAILER = /^rowback restore (plan|run): .*RestoreTimeClean_1\.trn: FORMAT_BAD_MTF_TRAILER: /m;

describeCorpus('restore plan / run over a backup with a damaged trailer: --strict and --quiet', () => {
  it('restore plan: --quiet still says the damaged backup used (sql: on stderr; text, json: in the plan); --strict exits 3; the intact chain exits 0', async () => {
    for (const format of ['sql', 'text', 'json']) {
      const loose = await cli('restore', 'plan', '--backups', dir, '--as', 'Side', ...LSN, '--format', format);
      expect([format, loose.code]).toEqual([format, 0]);
      const r = await cli('restore', 'plan', '--backups', dir, '--as', 'Side', ...LSN, '--format', format, '--quiet', '--strict');
      expect([format, r.code]).toEqual([format, 3]);
      expect(r.stdout).toBe(loose.stdout);
      // sql: the script alone on stdout, the line on stderr; text and json carry it in the plan
      if (format === 'sql') expect(r.stderr).toMatch(TRAILER);
      else expect([format, r.stdout.includes('FORMAT_BAD_MTF_TRAILER')]).toEqual([format, true]);
    }
    const whole = await cli('restore', 'plan', '--backups', clean, '--as', 'Side', ...LSN, '--format', 'sql', '--quiet', '--strict');
    expect(whole.code).toBe(0);
    expect(whole.stderr).toBe('');
  }, 120_000);

  it('restore run --quiet --strict: the damaged backup said before it runs, exit 3 once the restore ran', async () => {
    const ran: string[] = [];
    const ex: RestoreExecutor = { databaseExists: async () => false, execute: async (s) => void ran.push(s), close: async () => {} };
    const err = new PassThrough();
    let text = '';
    err.on('data', (c) => (text += c));
    await runRestoreRun({ server: 'fake', backups: [dir], stopBeforeLsn: LSN[1], as: 'Side', quiet: true, strict: true }, new PassThrough(), err, { executor: () => ex });
    expect(ran.some((s) => s.includes('RestoreTimeClean_1.trn'))).toBe(true);
    expect(text).toMatch(TRAILER);
    expect(text).not.toMatch(/restore step/);
    expect(process.exitCode).toBe(3);
  }, 120_000);
});
