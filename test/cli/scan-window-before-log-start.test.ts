/**
 * `scan --from` before the first transaction the log read holds. An .ldf keeps only the log since
 * its oldest VLF not yet reused: AngularJs_CRUD's Database1_log.ldf holds VLFs 0x23–0x25 (0x01–0x22
 * reused), its first transaction began 2018-08-26 21:19:07.573, and the database was created
 * 2018-01-31 15:04:49.670 (Database1.mdf's boot page). `--from 2018-03-01 --to 2018-08-29` printed
 * the 11 rows of 26–29 August as the whole window, exit 0 under --strict: deletes of March to
 * August were in no file given. Now INCOMPLETE (also with --quiet; exit 3 with --strict;
 * `complete: false` and `beforeLogRead` in --report; a files job's notes).
 *
 * REAL: AngularJs_CRUD (mdf + ldf); appveyor-lab RestoreTimeClean (full backup at the database's
 * creation second, 12:59:12: its log is whole from the start, so an early --from says nothing).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const F = corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak');
const D2 = (f: string) => corpusPath('CRUD-.NET', 'App_Data', f);
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-window-before-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan: a window starting before the log read begins', () => {
  const ldf = () => ['scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf')];

  it('--from months before the .ldf\'s oldest log: INCOMPLETE naming its first transaction and the creation, exit 3 with --strict; the rows it holds still printed', async () => {
    const report = join(dir, 'r.json');
    const r = await cli(...ldf(), '--from', '2018-03-01', '--to', '2018-08-29', '--quiet', '--strict', '--report', report);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(11);
    const lines = incomplete(r.stderr);
    expect(lines).toEqual([
      "rowback scan: INCOMPLETE: the window starts at 2018-03-01T00:00:00.000, before the log read begins: its first transaction began at 2018-08-26T21:19:07.573 (the SQL Server's local time; the database was created at 2018-01-31T15:04:49.670), and transactions begun before that are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add the log backups of that time with --trn (rowback restore plan lists them from a backup folder), or start the window later",
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beforeLogRead?: string; incomplete?: string[] };
    expect(rep.complete).toBe(false);
    expect(rep.beforeLogRead).toBe(lines[0]!.replace('rowback scan: INCOMPLETE: ', ''));
    // every INCOMPLETE line, in one list (a script gathered them from fields of their own, some from none)
    expect(rep.incomplete).toEqual(lines.map((l) => l.replace('rowback scan: INCOMPLETE: ', '')));
    const plain = await cli(...ldf(), '--from', '2018-03-01', '--to', '2018-08-29', '--quiet');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(r.stdout);
  }, 60_000);

  it('a window of --to alone wholly before it: INCOMPLETE, as with a --from (it was "0 row(s) recovered", complete, exit 0 under --strict); one reaching into the log read says nothing', async () => {
    const r = await cli(...ldf(), '--to', '2018-08-25', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: the whole window \(to 2018-08-25T23:59:59\.999\) is before the log read begins: its first transaction began at 2018-08-26T21:19:07\.573 /)]);
    const into = await cli(...ldf(), '--to', '2018-08-29', '--quiet', '--strict');
    expect(into.code, into.stderr).toBe(0);
    // a backup-only read with no transaction begin (FinancialCrm: backup begun 02:33:47)
    const b = await cli('scan', '--bak', F, '--to', '2025-01-19T02:20', '--strict');
    expect(b.code, b.stderr).toBe(3);
    expect(incomplete(b.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: the whole window \(to 2025-01-19T02:20:59\.999\) is before the log read begins: the log read holds no transaction begin, and it begins with .*FinancialCrmDb202501190233\.bak/)]);
    // the way on of a window with no start: end it later (it said "or start the window later" of a
    // window with nothing to start)
    for (const x of [r, b]) expect(incomplete(x.stderr)[0]).toMatch(/; add the log backups of that time with --trn \(rowback restore plan lists them from a backup folder\), or end the window later, into the log read$/);
  }, 60_000);

  // with --trn the full backup's own log is not read: the log before the read is partly in it, a
  // file given (it said "in no file given" of RestoreTimeClean.bak's log, 12:59:12 to its end)
  it('--bak FULL --trn a later log backup: the log before the read is in no file read, the full backup\'s own log not read', async () => {
    const r = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_2.trn'), '--from', '2017-06-01T12:59:12', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    const line = incomplete(r.stderr).find((l) => l.includes('before the log read begins'));
    expect(line).toMatch(/and transactions begun before that are in no file read \(the own log of .*RestoreTimeClean\.bak, a backup given, is not read when log backups are given, and may hold some of them\) \(the log read begins with .*RestoreTimeClean_2\.trn,/);
    expect(line).not.toContain('in no file given');
    // an .ldf (no backup whose own log goes unread): said as before
    const l = await cli(...ldf(), '--from', '2018-03-01', '--to', '2018-08-29', '--quiet');
    expect(incomplete(l.stderr)[0]).toContain('transactions begun before that are in no file given');
  }, 60_000);

  it('a window wholly before it: 0 rows, INCOMPLETE (it was "0 row(s) recovered", exit 0 under --strict)', async () => {
    const r = await cli(...ldf(), '--from', '2018-03-01', '--to', '2018-03-02', '--strict');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(incomplete(r.stderr)[0]).toMatch(/^rowback scan: INCOMPLETE: the whole window \(from 2018-03-01T00:00:00\.000 to 2018-03-02T23:59:59\.999\) is before the log read begins: /);
  }, 60_000);

  // a window with no --from ending before the log read begins asks only for what is in no file
  // given: `--to 2018-03-01` printed "0 row(s) recovered", exit 0 under --strict (the start side was
  // judged only with a --from); one ending in the log read is judged as no window is (not at all)
  it('a window with no start wholly before it: INCOMPLETE; one reaching into it, or ending before the database existed, is not', async () => {
    const r = await cli(...ldf(), '--to', '2018-03-01', '--strict');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(incomplete(r.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: the whole window \(to 2018-03-01T23:59:59\.999\) is before the log read begins: its first transaction began at 2018-08-26T21:19:07\.573 /)]);
    const tick = await cli(...ldf(), '--to', '2018-08-26T21:19:07.570', '--quiet', '--strict');
    expect(tick.code).toBe(3);
    for (const w of [['--to', '2018-08-26T21:19:07.573'], ['--to', '2018-01-31T15:04:49.667']]) {
      const ok = await cli(...ldf(), ...w, '--quiet', '--strict');
      expect(ok.code, `${w.join(' ')}: ${ok.stderr}`).toBe(0);
      expect(incomplete(ok.stderr)).toEqual([]);
    }
  }, 60_000);

  it('no false alarm: --from at or after the first transaction, no --from, a window before the database existed, a log held from the creation', async () => {
    for (const w of [['--from', '2018-08-26T21:19:07.573'], ['--from', '2018-08-27'], [], ['--to', '2018-08-29'], ['--from', '2017-01-01', '--to', '2017-12-31']]) {
      const r = await cli(...ldf(), ...w, '--quiet', '--strict');
      expect(r.code, `${w.join(' ')}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr)).toEqual([]);
    }
    const bak = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_3.trn'), '--op', 'insert', '--from', '2017-06-01T00:00', '--quiet', '--strict');
    expect(bak.code, bak.stderr).toBe(0);
    expect(incomplete(bak.stderr)).toEqual([]);
  }, 60_000);

  it('a full backup alone whose log holds no transaction begin: judged by its start (FinancialCrm: created 02:11:34, backed up 02:33:47; it printed "0 row(s) recovered", exit 0 under --strict)', async () => {
    const report = join(dir, 'f.json');
    const r = await cli('scan', '--bak', F, '--from', '2025-01-19T02:15', '--to', '2025-01-19T02:20', '--quiet', '--strict', '--report', report);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    const lines = incomplete(r.stderr);
    expect(lines).toEqual([
      `rowback scan: INCOMPLETE: the whole window (from 2025-01-19T02:15:00.000 to 2025-01-19T02:20:59.999) is before the log read begins: the log read holds no transaction begin, and it begins with ${F}, a full backup begun at 2025-01-19T02:33:47 (the SQL Server's local time, to the second; the database was created at 2025-01-19T02:11:34.897), whose log starts then: transactions begun before that are in no file given (earlier log is in the log backups of that time): their rows are not in this result; add the log backups of that time with --trn (rowback restore plan lists them from a backup folder), or start the window later`,
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beforeLogRead?: string; incomplete?: string[] };
    expect(rep.complete).toBe(false);
    expect(rep.beforeLogRead).toBe(lines[0]!.replace('rowback scan: INCOMPLETE: ', ''));
    // every INCOMPLETE line, in one list (a script gathered them from fields of their own, some from none)
    expect(rep.incomplete).toEqual(lines.map((l) => l.replace('rowback scan: INCOMPLETE: ', '')));
    // a window before the database existed, and RestoreTimeClean.bak (begun at its creation second): nothing said
    for (const args of [['--bak', F, '--from', '2025-01-18', '--to', '2025-01-19T02:10'], ['--bak', R('RestoreTimeClean.bak'), '--from', '2017-06-01']]) {
      const ok = await cli('scan', ...args, '--quiet', '--strict');
      expect(ok.code, `${args.join(' ')}: ${ok.stderr}`).toBe(0);
      expect(incomplete(ok.stderr)).toEqual([]);
    }
  }, 60_000);

  it('a log read whose first commit is before its first begin reaches back to that commit (CRUD-.NET Database2: commit 14:34:01.567, first begin 14:34:24.010; --from 14:34:10 was INCOMPLETE for nothing)', async () => {
    const d2 = ['scan', '--mdf', D2('Database2.mdf'), '--ldf', D2('Database2_log.ldf'), '--op', 'insert', '--quiet'];
    const report = join(dir, 'd2.json');
    const ok = await cli(...d2, '--from', '2024-10-05T14:34:10', '--report', report);
    expect(ok.code, ok.stderr).toBe(0);
    expect(incomplete(ok.stderr)).toEqual([]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beforeLogRead?: string; counts: { firstCommitTime?: string } };
    expect(rep.complete).toBe(true);
    expect(rep.beforeLogRead).toBeUndefined();
    expect(rep.counts.firstCommitTime).toBe('2024-10-05T14:34:01.567');
    const before = await cli(...d2, '--from', '2024-10-05T14:34:01.563', '--strict');
    expect(before.code).toBe(3);
    expect(incomplete(before.stderr)).toEqual([
      "rowback scan: INCOMPLETE: the window starts at 2024-10-05T14:34:01.563, before the log read begins: its earliest time is 2024-10-05T14:34:01.567, the commit of a transaction begun before it (its begin is not in it; its first transaction began at 2024-10-05T14:34:24.010) (the SQL Server's local time; the database was created at 2024-10-05T13:24:56.943), and transactions begun before that commit are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add the log backups of that time with --trn (rowback restore plan lists them from a backup folder), or start the window later",
    ]);
  }, 60_000);

  it('a files job with from before the log read begins: its notes say INCOMPLETE', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', mdf: A('Database1.mdf'), ldf: A('Database1_log.ldf'), from: '2018-03-01', to: '2018-08-29' }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes.filter((n) => n.includes('before the log read begins'))).toEqual([
        expect.stringMatching(/^INCOMPLETE: the window starts at 2018-03-01T00:00:00\.000, before the log read begins: .*; add the log backups of that time to the job \(trn\), or start the window later \(from\)$/),
      ]);
      // a full backup alone whose log holds no transaction begin: judged by its start (e2cc1d75)
      const bak = w.submit({ kind: 'files', bak: [F], from: '2025-01-19T02:15', to: '2025-01-19T02:20' }, 'op');
      await w.idle();
      const b = store.requireJob(bak.id);
      expect(b.error).toBeNull();
      expect(b.incomplete).toEqual([expect.stringMatching(/^INCOMPLETE: the whole window \(from 2025-01-19T02:15:00\.000 to 2025-01-19T02:20:59\.999\) is before the log read begins: the log read holds no transaction begin, and it begins with .*FinancialCrmDb202501190233\.bak, a full backup begun at 2025-01-19T02:33:47 .*; add the log backups of that time to the job \(trn\), or start the window later \(from\)$/)]);
    } finally {
      store.close();
    }
  }, 60_000);
});
