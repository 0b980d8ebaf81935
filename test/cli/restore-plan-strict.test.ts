/**
 * `restore plan` / `restore run` `--strict` and `--quiet`. A plan carrying a WARNING (log the restore
 * needs lost and planned over with --accept-damaged-log; one copy of a backup's header damaged,
 * BACKUP_HEADER_WARNING) exited 0, so `rowback restore plan … && sqlcmd -i plan.sql` could not tell
 * it from a plan over whole backups, and neither command took `--strict` or `--quiet` (commander
 * refused both: exit 1). Now `--strict` exits 3 for such a plan (printed whole all the same) and
 * `--quiet` drops the notes, never a WARNING.
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL StopAt folder (copied to temp dirs,
 * never written to the repo): StopAt_2.trn's log block at offset 9216 (LSN 00000013:000000ba)
 * zeroed; or one byte of the server name in StopAt_2.trn's opening header copy (a
 * BACKUP_HEADER_WARNING, the set used), beside a whole copy of StopAt_1.trn (a note: which copy
 * the plan took).
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runRestoreRun } from '../../src/cli/commands/restore.js';
import type { RestoreExecutor } from '../../src/restore/run.js';
import { captureCli } from '../support/cli.js';
import { corpusAvailable, describeCorpus } from '../support/corpus.js';
import { headerCopyOffsets } from '../support/damaged-copy.js';
import { StopAtFolders, stopAtFile } from '../support/stopat-folder.js';

const cli = captureCli();
const S = stopAtFile;
const STOP = ['--stop-at', '2020-05-12T13:34:30'];
const folders = new StopAtFolders('rowback-plan-strict-');
/** A temp folder of the StopAt chain, `extra` files written into it by name. */
const folder = (extra: Record<string, Buffer>) => folders.make(extra);
let damagedLog = '';
let warnedHeader = '';
let intact = '';
beforeAll(() => {
  if (!corpusAvailable) return;
  const zeroed = Buffer.from(readFileSync(S('StopAt_2.trn')));
  expect(zeroed.readUInt32LE(9216 + 16)).toBe(0xba); // the block header's first LSN: block 0xba
  zeroed.fill(0, 9216, 9216 + 512);
  damagedLog = folder({ 'StopAt_2.trn': zeroed });
  const server = Buffer.from(readFileSync(S('StopAt_2.trn')));
  const o = headerCopyOffsets(S('StopAt_2.trn')).opening;
  server[o + server.readUInt16LE(o + 110)] ^= 0x01; // SCIN @110: the server name's offset in the record
  warnedHeader = folder({ 'StopAt_2.trn': server, 'StopAt_1.copy': Buffer.from(readFileSync(S('StopAt_1.trn'))) });
  intact = folder({ 'StopAt_1.copy': Buffer.from(readFileSync(S('StopAt_1.trn'))) });
});
afterAll(() => {
  folders.removeAll();
});
afterEach(() => {
  process.exitCode = undefined;
});

const plan = (dir: string, ...more: string[]) => cli('restore', 'plan', '--backups', dir, '--as', 'Side', ...STOP, ...more);
const NOTE = /^rowback restore plan: note: log backup LSN .* is in 2 files: used /m;

describeCorpus('restore plan --strict / --quiet', () => {
  it('--accept-damaged-log --strict: exit 3 in every format, the plan printed as without --strict (exit 0) and the WARNING said', async () => {
    for (const format of ['sql', 'text', 'json']) {
      const loose = await plan(damagedLog, '--accept-damaged-log', '--format', format);
      expect(loose.code).toBe(0);
      const r = await plan(damagedLog, '--accept-damaged-log', '--format', format, '--strict');
      expect([format, r.code]).toEqual([format, 3]);
      expect(r.stdout).toBe(loose.stdout);
      expect(r.stderr).toMatch(/^rowback restore plan: WARNING: .*StopAt_2\.trn: its log does not read whole and the restore needs the log it lost/m);
      if (format === 'json') expect((JSON.parse(r.stdout) as { warnings: string[] }).warnings).toContainEqual(expect.stringMatching(/^WARNING: .*StopAt_2\.trn: its log does not read whole/));
    }
  }, 120_000);

  it('a header WARNING (one copy damaged, the set used): --strict exits 3; --quiet drops the note of the copies chosen between, never the WARNING; json carries it', async () => {
    const r = await plan(warnedHeader, '--format', 'sql');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback restore plan: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the server name/m);
    expect(r.stderr).toMatch(NOTE);
    const q = await plan(warnedHeader, '--format', 'sql', '--quiet', '--strict');
    expect(q.code).toBe(3);
    expect(q.stdout).toBe(r.stdout);
    expect(q.stderr).toMatch(/^rowback restore plan: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: .* disagree on the server name/m);
    expect(q.stderr).not.toMatch(/note:/);
    const j = await plan(warnedHeader, '--format', 'json', '--quiet', '--strict');
    expect(j.code).toBe(3);
    const p = JSON.parse(j.stdout) as { warnings: string[]; notes: string[] };
    expect(p.warnings).toContainEqual(expect.stringMatching(/^WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: /));
    // --quiet is stderr only: the json plan still carries the note
    expect(p.notes).toContainEqual(expect.stringMatching(/is in 2 files: used /));
  }, 120_000);

  it('no false alarm: whole backups (a note of two whole copies) exit 0 under --strict; the WITH REPLACE warning asked for does not count', async () => {
    const r = await plan(intact, '--format', 'sql', '--strict');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(NOTE);
    expect(r.stderr).not.toContain('WARNING');
    const over = await cli('restore', 'plan', '--backups', intact, ...STOP, '--replace-original', '--format', 'sql', '--strict', '--quiet');
    expect(over.code).toBe(0);
    expect(over.stderr).toMatch(/^rowback restore plan: WARNING: this script OVERWRITES database StopAt/m);
    expect(over.stderr).not.toMatch(NOTE);
  }, 120_000);

  it('the help says what --strict and --quiet do', async () => {
    const h = await cli('restore', 'plan', '--help');
    const text = h.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--quiet no notes on stderr .*still said: every WARNING/);
    expect(text).toMatch(/--strict exit with code 3 instead of 0 when the plan carries a WARNING: log the restore needs lost and planned over \(--accept-damaged-log\), or a backup of the plan with one copy of its header damaged \(BACKUP_HEADER_WARNING\)/);
  });
});

describeCorpus('restore run --strict / --quiet', () => {
  /** A fake server: every statement recorded, none run. */
  const executor = (executed: string[]): RestoreExecutor => ({
    databaseExists: async () => false,
    execute: async (s) => {
      executed.push(s);
    },
    close: async () => {},
  });
  const capture = () => {
    const s = new PassThrough();
    let text = '';
    s.on('data', (c) => (text += c));
    return { s, text: () => text };
  };

  it('over accepted damage: --strict exits 3 once the restore ran; --quiet drops the step progress, never the WARNING; without --strict the code stays 0', async () => {
    const o = { server: 'fake', backups: [damagedLog], stopAt: STOP[1], as: 'Side', acceptDamagedLog: true };
    const loud = capture();
    const ran: string[] = [];
    await runRestoreRun(o, new PassThrough(), loud.s, { executor: () => executor(ran) });
    expect(process.exitCode).toBeUndefined();
    expect(loud.text()).toMatch(/^rowback restore run: restore step 1\//m);
    const quiet = capture();
    const ranQuiet: string[] = [];
    await runRestoreRun({ ...o, strict: true, quiet: true }, new PassThrough(), quiet.s, { executor: () => executor(ranQuiet) });
    expect(process.exitCode).toBe(3);
    expect(ranQuiet).toEqual(ran);
    expect(quiet.text()).toMatch(/^rowback restore run: WARNING: .*StopAt_2\.trn: its log does not read whole/m);
    expect(quiet.text()).not.toMatch(/restore step|note:/);
  }, 120_000);

  it('over whole backups: --strict leaves the code at 0', async () => {
    const ran: string[] = [];
    await runRestoreRun({ server: 'fake', backups: [intact], stopAt: STOP[1], as: 'Side', strict: true }, new PassThrough(), capture().s, { executor: () => executor(ran) });
    expect(ran.length).toBeGreaterThan(0);
    expect(process.exitCode).toBeUndefined();
  }, 120_000);
});
