/**
 * A `scan --from/--to` window that runs past the end of the log backups given (no .ldf). A log
 * backup holds the log up to the moment it was taken; what the database did after the last one
 * given is in later log backups or the .ldf. A window ending after that moment printed the rows it
 * found (or "0 row(s) recovered") and exited 0, also under --strict, silent with --quiet: a script
 * read "nothing else was deleted then". Now INCOMPLETE names the last backup and its finish date
 * (also with --quiet; exit 3 with --strict; `complete: false` and `beyondLogGiven` in --report;
 * a staged files job's `incomplete`).
 *
 * REAL: RestoreTimeClean (a row into dbo.steps every 30 s). _1.trn finished 2017-06-01 13:04:13
 * (HEADERONLY, to the second); step 10 was inserted at 13:04:13.023, in _2.trn: `--to 13:04:13`
 * with _1.trn alone printed steps 2..9 as the whole window.
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
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-window-past-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('scan: a window past the end of the log backups given', () => {
  const base = () => ['scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), '--op', 'insert'];

  it('--to in the second the last log backup finished: INCOMPLETE naming it, exit 3 with --strict, 0 without; the next log backup holds a row of the window', async () => {
    const report = join(dir, 'r.json');
    const strict = await cli(...base(), '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:13', '--quiet', '--strict', '--report', report);
    expect(strict.code, strict.stderr).toBe(3);
    const steps = strict.stdout.trim().split('\n').map((l) => JSON.parse(l).values.step);
    expect(steps).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const lines = incomplete(strict.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `rowback scan: INCOMPLETE: the window runs to 2017-06-01T13:04:13.999 (--to), past the end of the log given: the last log backup given, ${R('RestoreTimeClean_1.trn')}, finished at 2017-06-01T13:04:13 (the SQL Server's local time, to the second; its log ends at LSN 00000019:00000099:0001, where it was cut during the backup), and transactions begun after that are in later log backups or the .ldf, in no file given: their rows are not in this result; add the log backups taken after it with --trn (or the .ldf with --ldf)`,
    );
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beyondLogGiven?: string };
    expect(rep.complete).toBe(false);
    expect(rep.beyondLogGiven).toBe(lines[0]!.replace('rowback scan: INCOMPLETE: ', ''));
    const plain = await cli(...base(), '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:13', '--quiet');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(strict.stdout);
    expect(plain.stderr).toBe(strict.stderr);
    // the next log backup given: step 10 (13:04:13.023) is in the window, and nothing is said
    const both = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--op', 'insert', '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:13', '--quiet', '--strict');
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout.trim().split('\n').map((l) => JSON.parse(l).values.step)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(incomplete(both.stderr)).toEqual([]);
  }, 60_000);

  // The log backup's log was cut (LastLSN) between its start and its finish date: a --to inside the
  // finish second, before its end, ran past the cut all the same. _1.trn started and finished at
  // 13:04:13; step 10 began at 13:04:13.023 and is in _2.trn: `--to 13:04:13.500` printed steps 2..9,
  // exit 0 under --strict (the rule waited for the second's end, .999).
  it('--to inside the second the last log backup started (before the finish second ends): INCOMPLETE; not when the log read holds a later begin', async () => {
    const r = await cli(...base(), '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:13.500', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).values.step)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(incomplete(r.stderr)).toHaveLength(1);
    expect(incomplete(r.stderr)[0]).toMatch(/the window runs to 2017-06-01T13:04:13\.500 \(--to\), past the end of the log given: the last log backup given, .*RestoreTimeClean_1\.trn, finished at 2017-06-01T13:04:13 /);
    const at = await cli(...base(), '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:13.000', '--quiet', '--strict');
    expect(at.code, at.stderr).toBe(3);
    // a lone --from during the backup: not "the whole window is after the end" (some of it may be in _1.trn)
    const from = await cli(...base(), '--from', '2017-06-01T13:04:13.200', '--quiet', '--strict');
    expect(from.code, from.stderr).toBe(3);
    expect(incomplete(from.stderr)[0]).toMatch(/^rowback scan: INCOMPLETE: the window from 2017-06-01T13:04:13\.200 \(open-ended\) runs past the end of the log given: /);
    // _2.trn given: its transactions began up to 13:08:43, after the bound (step 10 found, nothing said)
    const both = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--op', 'insert', '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:13.500', '--quiet', '--strict');
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout.trim().split('\n').map((l) => JSON.parse(l).values.step)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // inside the last backup's log: _1 and _2 given, a --to at 13:06 (before _2.trn's start, 13:09:13) says nothing
    const inside = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--op', 'insert', '--from', '2017-06-01T13:00', '--to', '2017-06-01T13:06', '--quiet', '--strict');
    expect(inside.code, inside.stderr).toBe(0);
    expect(incomplete(inside.stderr)).toEqual([]);
  }, 60_000);

  it('a window wholly after the log given: 0 rows, INCOMPLETE (it was "0 row(s) recovered", exit 0 under --strict)', async () => {
    const r = await cli(...base(), '--from', '2017-06-01T13:20', '--to', '2017-06-01T13:25', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(incomplete(r.stderr)[0]).toMatch(/^rowback scan: INCOMPLETE: the whole window \(from 2017-06-01T13:20:00\.000 to 2017-06-01T13:25:59\.999\) is after the end of the log given: the last log backup given, .*RestoreTimeClean_1\.trn, finished at 2017-06-01T13:04:13 /);
    const from = await cli(...base(), '--from', '2017-06-01T13:20', '--quiet', '--strict');
    expect(from.code).toBe(3);
    expect(incomplete(from.stderr)[0]).toMatch(/the whole window \(from 2017-06-01T13:20:00\.000\) is after the end of the log given/);
    // the backup's own log alone (no --trn): it ends when the full backup finished
    const own = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--op', 'insert', '--from', '2017-06-01T13:00', '--quiet', '--strict');
    expect(own.code).toBe(3);
    expect(incomplete(own.stderr).join('\n')).toMatch(/the full backup whose own log is read last, .*RestoreTimeClean\.bak, finished at 2017-06-01T12:59:12/);
  }, 60_000);

  it('no false alarm: a window ending before the finish second, an open window starting before it, no window, an .ldf', async () => {
    for (const w of [['--from', '2017-06-01T13:00', '--to', '2017-06-01T13:04:12.999'], ['--from', '2017-06-01T13:00'], []]) {
      const r = await cli(...base(), ...w, '--quiet', '--strict');
      expect(r.code, `${w.join(' ')}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr)).toEqual([]);
    }
    // an .ldf: its log goes on to the file's end (the copy's moment, which no header gives)
    const ldf = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--to', '2030-01-01', '--quiet', '--strict');
    expect(ldf.code, ldf.stderr).toBe(0);
    expect(ldf.stdout.trim().split('\n')).toHaveLength(16);
  }, 60_000);

  // the same with an LSN range: --to-lsn at or past _1.trn's LastLSN (00000019:00000099:0001, the first
  // LSN _2.trn holds) printed the 9 rows of _1.trn as the whole range, exit 0 under --strict
  it('--to-lsn (or a lone --from-lsn) at or past the LastLSN of the last log backup: INCOMPLETE, exit 3 with --strict', async () => {
    const r = await cli(...base(), '--from-lsn', '00000019:00000090:0000', '--to-lsn', '00000019:000000a0:0001', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(9);
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the LSN range runs to 00000019:000000a0:0001 (--to-lsn), past the end of the log given: the last log backup given, ${R('RestoreTimeClean_1.trn')}, holds the log up to LSN 00000019:00000099:0001 (its LastLSN, the first LSN it does not hold), and the log from there is in later log backups or the .ldf, in no file given: rows of that stretch are not in this result; add the log backups taken after it with --trn (or the .ldf with --ldf)`,
    ]);
    // with _2.trn: 7 more rows of the range, nothing said
    const both = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--op', 'insert', '--from-lsn', '00000019:00000090:0000', '--to-lsn', '00000019:000000a0:0001', '--quiet', '--strict');
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout.trim().split('\n')).toHaveLength(16);
    const at = await cli(...base(), '--to-lsn', '00000019:00000099:0001', '--quiet', '--strict');
    expect(at.code).toBe(3);
    const from = await cli(...base(), '--from-lsn', '00000019:000000a0:0001', '--quiet', '--strict');
    expect(from.code).toBe(3);
    expect(incomplete(from.stderr)[0]).toMatch(/the whole LSN range \(from 00000019:000000a0:0001\) is past the end of the log given/);
    // just before LastLSN: whole
    const before = await cli(...base(), '--to-lsn', '00000019:00000099:0000', '--quiet', '--strict');
    expect(before.code, before.stderr).toBe(0);
    expect(incomplete(before.stderr)).toEqual([]);
  }, 60_000);

  it('a files job with from/to past the last log backup: its incomplete says so', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'files', bak: R('RestoreTimeClean.bak'), trn: [R('RestoreTimeClean_1.trn')], operations: ['insert'], from: '2017-06-01T13:00', to: '2017-06-01T13:10' }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes.filter((n) => n.includes('past the end of the log given'))).toEqual([
        expect.stringMatching(/^INCOMPLETE: the window runs to 2017-06-01T13:10:59\.999 \(to\), past the end of the log given: .* add the log backups taken after it to the job \(trn\), or the \.ldf \(ldf\)$/),
      ]);
    } finally {
      store.close();
    }
  }, 60_000);
});
