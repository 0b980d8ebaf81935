/**
 * `scan --export FILE` of an export made from a log backup (@LogBackup, fn_dump_dblog). The backup
 * holds the log up to where BACKUP LOG cut it, which the export's window (@From/@To) does not tell:
 * a --to past that end printed the rows up to the backup's end as the whole answer, exit 0 under
 * --strict. sql/export-log-records.sql (export version 2) now writes `logRead`, where the log it read
 * begins and ends (the first/last Begin Time, the last End Time and the first/last LSN of all its
 * transactions), and the scan (and an export job) is INCOMPLETE for a window past that end, or
 * starting before the log read is known to begin.
 *
 * Everything here is SYNTHETIC: hand-built export files (records, row image, catalog) shaped like
 * what the script writes, in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExportText } from '../../src/logreader/export/export-file.js';
import { ExportSource } from '../../src/recover/sources/export.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA, csvSectionLines } from '../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-log-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));

// One committed delete at 14:07 (SYNTHETIC)
const RECORDS = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 }),
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const BACKUP = 'D:\\backup\\CRM_log_1430.trn';
// the backup CRM_log_1430.trn holds the log from 13:30 to its cut at about 14:30: its first transaction
// began 13:30:00.100, its last 14:29:58.000, its last commit 14:29:58.200 (all outside the window but one)
const LOG_READ = { firstLsn: '00000029:00000010:0001', lastLsn: '0000002a:00000310:0002', firstBeginTime: '2024/03/05 13:30:00:100', lastBeginTime: '2024/03/05 14:29:58:000', lastEndTime: '2024/03/05 14:29:58:200' };
const HEADER = {
  format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+01:00', exportedAt: '2024-03-05T16:00:00.1234567+01:00',
  window: { from: '2024/03/05 14:00:00:000', to: '2024/03/05 14:59:59:997' }, tables: 'dbo.Customers', operations: 'delete',
  logSource: 'fn_dump_dblog', logBackup: BACKUP, logBackupSet: 1, logRead: LOG_READ,
};

function jsonExport(name: string, over: Record<string, unknown> = {}): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ ...HEADER, ...over, records: RECORDS, catalog: customersCatalog() }));
  return f;
}


/** The CSV form as the script writes it (version 2), the #meta keys of HEADER with `meta` over them. */
function csvText(meta: Record<string, string | null> = {}): string {
  const catalog = customersCatalog();
  const keys: Record<string, string | null> = {
    server: 'SQL01', database: 'CRM', serverTimeZone: '+01:00', exportedAt: HEADER.exportedAt, 'window.from': HEADER.window.from, 'window.to': HEADER.window.to,
    tables: 'dbo.Customers', operations: 'delete', logSource: 'fn_dump_dblog', logBackup: BACKUP, logBackupSet: '1',
    ...Object.fromEntries(Object.entries(LOG_READ).map(([k, v]) => [`logRead.${k}`, v])),
    ...meta,
  };
  return [
    '#rowback-export,2,csv', '#meta', '"key","value"',
    ...Object.entries(keys).map(([k, v]) => `"${k}",${v === null ? '' : `"${v.replace(/"/g, '""')}"`}`),
    '#records', ...csvSectionLines(RECORDS), '#catalog', ...csvSectionLines(catalog), '#end', '"records","catalog"', `"${RECORDS.length}","${catalog.length}"`, '',
  ].join('\r\n');
}

describe('scan --export of a log backup export: the end of the backup', () => {
  it('a --to past the backup\'s end is INCOMPLETE naming the file, the backup and its end; exit 3 with --strict; report complete false (it printed the rows up to 14:30 as the whole answer)', async () => {
    const f = jsonExport('past-end');
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--export', f, '--from', '2024-03-05T14:00', '--to', '2024-03-05T14:59:59.997', '--quiet', '--strict', '--report', report, '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(1); // the 14:07 delete is still printed
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the window asked for (--to 2024-03-05T14:59:59.997) runs past the end of the log backup ${BACKUP} that sql/export-log-records.sql read for ${f} (@LogBackup, fn_dump_dblog): its last transaction record ended at 2024-03-05T14:29:58.200 (the server's local time; its last transaction record is at LSN 0000002a:00000310:0002), and transactions begun after that are in the log backups taken after it or the online log, not in ${f}: their rows are not in this result; export again from the next log backup too (@LogBackup), or from the online log (@LogBackup = NULL)`,
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.complete).toBe(false);
    expect(rep.beyondLogGiven).toContain(`runs past the end of the log backup ${BACKUP}`);
    // one sentence, one time form, on stderr and in the report (stderr said the log's time as
    // fn_dblog prints it, 2024/03/05 14:29:58:200, beside --to's 2024-03-05T14:59:59.997)
    expect(incomplete(r.stderr)).toEqual(rep.incomplete.map((c: string) => `rowback scan: INCOMPLETE: ${c}`));
  });

  it('the same from the CSV form (its #meta keys logSource, logBackup, logRead.*)', async () => {
    const f = join(dir, 'past-end.csv');
    writeFileSync(f, csvText());
    const r = await cli('scan', '--export', f, '--to', '2024-03-05T14:45', '--quiet', '--strict', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([expect.stringContaining(`(--to 2024-03-05T14:45:59.999) runs past the end of the log backup ${BACKUP}`)]);
    const h = (await parseExportText(csvText(), 'x.csv')).header;
    expect(h).toMatchObject({ version: 2, logSource: 'fn_dump_dblog', logBackup: BACKUP, logBackupSet: 1, logRead: LOG_READ });
  });

  it('a lone --from after the end, and no window at all over an export whose @To is past it: INCOMPLETE too', async () => {
    const f = jsonExport('lone-from');
    const lone = await cli('scan', '--export', f, '--from', '2024-03-05T14:30', '--quiet', '--strict');
    expect(incomplete(lone.stderr)).toEqual([expect.stringContaining('(--from 2024-03-05T14:30:00.000, open-ended) runs past the end of the log backup')]);
    const none = await cli('scan', '--export', f, '--quiet', '--strict');
    expect(none.code).toBe(3);
    expect(incomplete(none.stderr)).toEqual([expect.stringContaining("(no --to: the export's own @To, 2024-03-05T14:59:59.997) runs past the end of the log backup")]);
  });

  it('no false alarm: a window ending before the backup\'s last transaction; an online-log export (fn_dblog) ending before exportedAt', async () => {
    const f = jsonExport('inside');
    for (const w of [['--from', '2024-03-05T14:00', '--to', '2024-03-05T14:20'], ['--from', '2024-03-05T14:00', '--to', '2024-03-05T14:29:58.100']]) {
      const r = await cli('scan', '--export', f, ...w, '--quiet', '--strict');
      expect(r.code, `${w.join(' ')}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr)).toEqual([]);
    }
    const online = jsonExport('online', { logSource: 'fn_dblog', logBackup: null, logBackupSet: null });
    const r = await cli('scan', '--export', online, '--from', '2024-03-05T14:00', '--to', '2024-03-05T14:59:59.997', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(incomplete(r.stderr)).toEqual([]);
  });

  it('a log backup holding no transaction at all: where it ends is not known, said', async () => {
    const f = jsonExport('empty', { logRead: { firstLsn: null, lastLsn: null, firstBeginTime: null, lastBeginTime: null, lastEndTime: null } });
    const r = await cli('scan', '--export', f, '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(r.code).toBe(3);
    expect(incomplete(r.stderr).join('\n')).toContain(`cannot be checked against the end of the log backup ${BACKUP}`);
  });

  it('an export job whose to is past the backup\'s end: its incomplete says so', async () => {
    const f = jsonExport('job');
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'export', file: f, from: '2024-03-05T14:00', to: '2024-03-05T14:45', operations: ['delete'] }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      const notes = store.audit({ jobId: job.id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);
      expect(notes.filter((n) => n.startsWith('INCOMPLETE: '))).toEqual([expect.stringMatching(/^INCOMPLETE: the window asked for \(to 2024-03-05T14:45:59\.999\) runs past the end of the log backup /)]);
    } finally {
      store.close();
    }
  });
});

describe('scan --export: a window starting before the log read is known to begin', () => {
  it('a log backup whose first transaction began after --from: INCOMPLETE; not when it began before', async () => {
    const f = jsonExport('late-start', { logRead: { ...LOG_READ, firstLsn: '0000002a:00000100:0001', firstBeginTime: '2024/03/05 14:05:00:000' } });
    const r = await cli('scan', '--export', f, '--from', '2024-03-05T14:00', '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the window asked for (--from 2024-03-05T14:00:00.000) starts before the log backup ${BACKUP} that sql/export-log-records.sql read for ${f} (@LogBackup, fn_dump_dblog) is known to begin: its first transaction began at 2024-03-05T14:05:00.000 (the server's local time; its first transaction record is at LSN 0000002a:00000100:0001), and transactions begun and ended before its log starts are in earlier log, not in ${f}: their rows are not in this result; export again from the log backup before it too (@LogBackup), or start the window later`,
    ]);
    const ok = await cli('scan', '--export', f, '--from', '2024-03-05T14:06', '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('judged from the earliest time read and by datetime ticks: --from at the first begin, or after a commit read before it, is whole', async () => {
    // --from at the first Begin Time itself (it said INCOMPLETE: "at or before")
    const f = jsonExport('start-at-first', { logRead: { ...LOG_READ, firstBeginTime: '2024/03/05 14:05:00:000' } });
    const at = await cli('scan', '--export', f, '--from', '2024-03-05T14:05:00.000', '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(incomplete(at.stderr), at.stderr).toEqual([]);
    // a commit read at 14:02 (of a transaction begun before the read): the log read reaches back to it
    const g = jsonExport('start-by-commit', { logRead: { ...LOG_READ, firstBeginTime: '2024/03/05 14:05:00:000', firstEndTime: '2024/03/05 14:02:00:000' } });
    const inside = await cli('scan', '--export', g, '--from', '2024-03-05T14:03', '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(incomplete(inside.stderr), inside.stderr).toEqual([]);
    const before = await cli('scan', '--export', g, '--from', '2024-03-05T14:01', '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(before.code, before.stderr).toBe(3);
    expect(incomplete(before.stderr)).toEqual([expect.stringContaining('is known to begin: its earliest time is 2024-03-05T14:02:00.000, the end of a transaction begun before it (its first transaction began at 2024-03-05T14:05:00.000)')]);
  });

  it('the online log (fn_dblog) truncated after the export\'s @From: INCOMPLETE without --from too', async () => {
    const f = jsonExport('online-late', { logSource: 'fn_dblog', logBackup: null, logBackupSet: null, logRead: { ...LOG_READ, firstBeginTime: '2024/03/05 14:05:00:000', lastBeginTime: '2024/03/05 15:59:00:000' } });
    const r = await cli('scan', '--export', f, '--to', '2024-03-05T14:20', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([expect.stringContaining(`(no --from: the export's own @From, 2024-03-05T14:00:00.000) starts before the online log that sql/export-log-records.sql read for ${f} (fn_dblog) is known to begin`)]);
  });
});

describe('export header: logRead read and checked', () => {
  it('a logRead LSN a spreadsheet rewrote is refused naming the field (JSON) and the line (CSV)', async () => {
    await expect(parseExportText(JSON.stringify({ ...HEADER, logRead: { ...LOG_READ, lastLsn: '2a:310:2' }, records: RECORDS, catalog: customersCatalog() }), 'x.json')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/field logRead\.lastLsn: not an LSN/) });
    const text = csvText({ 'logRead.lastBeginTime': '05/03/2024 14:29' });
    const line = text.split('\r\n').findIndex((l) => l.startsWith('"logRead.lastBeginTime"')) + 1;
    await expect(parseExportText(text, 'x.csv')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/#meta, line \d+, field logRead\.lastBeginTime/), location: { line } });
  });

  it('a version 1 export of a log backup: a note, said even with --quiet, that where the backup ends is not recorded', async () => {
    const f = jsonExport('v1-backup', { version: 1, logRead: undefined });
    const src = new ExportSource(f);
    await src.metadata();
    expect(src.loudNotes).toEqual([expect.stringMatching(/version 1 export of the log backup .*where that backup's log ends is not recorded/)]);
    const r = await cli('scan', '--export', f, '--to', '2024-03-05T14:59', '--quiet');
    expect(r.stderr).toContain("where that backup's log ends is not recorded");
  });
});
