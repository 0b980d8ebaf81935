/**
 * `scan --export FILE` asking for more than the export holds. sql/export-log-records.sql exports
 * the transactions that began in its window (@From/@To) and, of their row operations, those of
 * @Operations (deletes and inserts each bring the other, for pairing); its header keeps both
 * (`window.from`/`window.to`, `operations`). rowback read them and never looked: a scan whose
 * --from/--to reached outside the export's window printed the window's rows as the whole answer,
 * and `--op update` over a delete export printed "0 row(s) recovered … it holds no updates", exit 0
 * under --strict. Now each is INCOMPLETE naming what the export left out (also with --quiet;
 * exit 3 with --strict; the report's "complete": false).
 *
 * The records are REAL (AngularJs_CRUD's Database1_log.ldf as `rowback log` prints them); the export
 * file around them, its header and its catalog are SYNTHETIC (written in a temp dir).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { angularJsExportRecords } from '../support/log-export-records.js';
import { captureCli } from '../support/cli.js';
import { describeCorpus } from '../support/corpus.js';
import { employee } from '../support/employee-catalog.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';

const cli = captureCli();
let dir: string;
let records: Record<string, unknown>[] | undefined;
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));

describeCorpus('scan --export: a window or operation beyond what the export holds', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-export-scope-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** An export of the real records whose header says `header` (window, operations). */
  const exportFile = async (name: string, header: Record<string, unknown>) => {
    records ??= await angularJsExportRecords(cli);
    const f = join(dir, `${name}.json`);
    writeFileSync(f, JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', ...header, catalog: employee(), records }));
    return f;
  };
  // as sql/export-log-records.sql writes @From/@To (fn_dblog's text form) and @Operations
  const DAY = { window: { from: '2018/08/28 00:00:00:000', to: '2018/08/28 23:59:59:997' }, operations: 'delete' };

  it('--to after the export window\'s end: INCOMPLETE, exit 3 with --strict (it printed the window\'s rows as the whole answer)', async () => {
    const f = await exportFile('day', DAY);
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--export', f, '--from', '2018-08-28', '--to', '2018-08-30', '--quiet', '--strict', '--report', report);
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the window asked for (--to 2018-08-30T23:59:59.999) runs outside the export's own window (2018-08-28T00:00:00.000 to 2018-08-28T23:59:59.997, the server's local time, as sql/export-log-records.sql's @From/@To took it): transactions that began outside it are not in ${f} and their rows are not in this result; export again with @From/@To covering the window`,
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.complete).toBe(false);
    // the report's sentence is stderr's, one time form (stderr said the export's window as fn_dblog
    // prints times, 2018/08/28 00:00:00:000, beside --to's 2018-08-30T23:59:59.999)
    expect(incomplete(r.stderr)).toEqual(rep.incomplete.map((c: string) => `rowback scan: INCOMPLETE: ${c}`));
    // --from before its start: said too
    const early = await cli('scan', '--export', f, '--from', '2018-08-27T12:00', '--to', '2018-08-28T20:00', '--quiet', '--strict');
    expect(early.code).toBe(3);
    expect(incomplete(early.stderr)[0]).toContain('the window asked for (--from 2018-08-27T12:00:00.000) runs outside');
  }, 60_000);

  it('--op update over a delete export: INCOMPLETE (it said "0 row(s) recovered … it holds no updates"); --op insert is exported with deletes', async () => {
    const f = await exportFile('day-ops', DAY);
    const r = await cli('scan', '--export', f, '--op', 'update', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: ${f} holds the row operations of @Operations 'delete' only: no update was exported, so none can be in this result (it is not that the log holds none); export again with @Operations listing update`,
    ]);
    const ins = await cli('scan', '--export', f, '--op', 'insert', '--quiet', '--strict');
    expect(ins.code, ins.stderr).toBe(0);
    expect(incomplete(ins.stderr)).toEqual([]);
  }, 60_000);

  it('an export job whose to and operations ask beyond the export: its incomplete says both', async () => {
    const f = await exportFile('day-job', DAY);
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'export', file: f, from: '2018-08-28', to: '2018-08-29', operations: ['delete', 'update'] }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes.filter((n) => n.startsWith('INCOMPLETE: '))).toEqual([
        expect.stringMatching(/^INCOMPLETE: the window asked for \(to 2018-08-29T23:59:59\.999\) runs outside the export's own window/),
        expect.stringMatching(/^INCOMPLETE: .* holds the row operations of @Operations 'delete' only: no update was exported/),
      ]);
    } finally {
      store.close();
    }
  }, 60_000);

  // SYNTHETIC header: exported at 2018-08-30 12:00 (+02:00) with @To at that day's end ("until now"):
  // the window to the day's end asked for what began after the export ran, and said nothing
  it('--to after the header\'s exportedAt: INCOMPLETE, though inside @From/@To; not for a --to before it', async () => {
    const f = await exportFile('until-now', { window: { from: '2018/08/28 00:00:00:000', to: '2018/08/30 23:59:59:997' }, operations: 'delete', exportedAt: '2018-08-30T12:00:00.1234567+02:00' });
    const r = await cli('scan', '--export', f, '--from', '2018-08-28', '--to', '2018-08-30', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the window asked for (--to 2018-08-30T23:59:59.999) runs past the moment ${f} was exported (exportedAt 2018-08-30T12:00:00.1234567+02:00, the server's local time): transactions begun after it are not in it, and their rows are not in this result; export again after the window's end`,
    ]);
    const before = await cli('scan', '--export', f, '--from', '2018-08-28', '--to', '2018-08-30T12:00:00.123', '--quiet', '--strict');
    expect(before.code, before.stderr).toBe(0);
    expect(incomplete(before.stderr)).toEqual([]);
    // a hand-made header's UTC exportedAt (Z) is not the server's local time: not compared with a zone of +02:00
    const z = await exportFile('until-now-z', { window: { from: '2018/08/28 00:00:00:000', to: '2018/08/30 23:59:59:997' }, operations: 'delete', serverTimeZone: '+02:00', exportedAt: '2018-08-30T10:00:00Z' });
    const zr = await cli('scan', '--export', z, '--from', '2018-08-28', '--to', '2018-08-30T11:00', '--quiet', '--strict');
    expect(incomplete(zr.stderr)).toEqual([]);
  }, 60_000);

  it('no false alarm: a window inside the export\'s, no window, an export whose header names no window or operations', async () => {
    const f = await exportFile('day-ok', DAY);
    // (--to 2018-08-28 ends at .999: no datetime lies after the export's 23:59:59:997)
    for (const w of [['--from', '2018-08-28T10:00', '--to', '2018-08-28T23:59:59.997'], ['--from', '2018-08-28', '--to', '2018-08-28'], []]) {
      const r = await cli('scan', '--export', f, '--op', 'delete', ...w, '--quiet', '--strict');
      expect(r.code, `${w.join(' ')}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr)).toEqual([]);
    }
    const bare = await exportFile('bare', {});
    const r = await cli('scan', '--export', bare, '--op', 'update', '--from', '2018-08-27', '--to', '2018-08-31', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(incomplete(r.stderr)).toEqual([]);
  }, 60_000);
});
