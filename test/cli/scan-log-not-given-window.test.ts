/**
 * Log the files given show to exist and none of them holds: INCOMPLETE (exit 3 under --strict,
 * `complete: false` in --report) when the scan's window or LSN range may reach it, in place of the
 * note it was; the note alone (exit 0) when the window lies wholly outside it
 * (src/recover/log-not-given.ts). Before, each was only a note, said even with --quiet, while the
 * summary, `complete` and `--strict` said the result was whole: "0 row(s) recovered" read as
 * "nothing was deleted" when the deletes were in that stretch.
 *
 * REAL files: appveyor-lab RestoreTimeClean (full RestoreTimeClean.bak, log to 19:84:1, started
 * 12:59:12; differential RestoreTimeClean2.bak, 19:ad:26 to 19:be:1, finished 13:14:13;
 * _1.trn 19:3e:aa to 19:99:1, started 13:04:13; 2_1.trn from 19:ad:1, started 13:19:13, its first
 * transaction begun at 13:14:13). SYNTHETIC damage to REAL bytes: School_Log.ldf with its newest
 * VLF (0x2b) zeroed from block 0x29 on, a copy taken before School.mdf's last checkpoint
 * (2b:3f:2), as test/recover/data-file-log-time.test.ts makes it (its last transaction began
 * 2017-04-02 19:19:40.610); REAL StopAt_1.trn (13:51:be to 13:b7:1, started 13:29:34, its last
 * transaction begun 13:29:29) with its header's binding id made AngularJs_CRUD Database1.mdf's, as
 * that test makes it: a data file newer than the log backups given with it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { writeStopAtAsDatabase1 } from '../support/relabelled-backup.js';

const cli = captureCli();
const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);

describeCorpus('log in no file given: INCOMPLETE when the window may reach it, a note when it lies wholly outside', () => {
  let dir: string;
  let olderLdf: string;
  let stopAtAsDatabase1: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-log-not-given-'));
    const b = Buffer.from(readFileSync(corpusPath('sql-practice-asp/App_Data', 'School_Log.ldf')));
    b.fill(0, 0xd0000 + 0x29 * 512, 0xd0000 + 262144);
    olderLdf = join(dir, 'older.ldf');
    writeFileSync(olderLdf, b);
    stopAtAsDatabase1 = writeStopAtAsDatabase1(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = () => join(dir, 'report.json');
  const scan = async (args: string[]) => {
    const r = await cli('scan', ...args, '--quiet', '--strict', '--report', report());
    return { ...r, report: JSON.parse(readFileSync(report(), 'utf8')) as { complete: boolean; notes: string[]; logNotGiven?: string[] } };
  };
  /** The stretch said INCOMPLETE (exit 3, complete false, in the report's logNotGiven), and not also as a note. */
  const incomplete = (r: Awaited<ReturnType<typeof scan>>, text: RegExp) => {
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`rowback scan: INCOMPLETE: ${text.source}`));
    expect(r.stderr).not.toMatch(new RegExp(`rowback scan: note: ${text.source}`));
    expect(r.report.complete).toBe(false);
    expect(r.report.logNotGiven).toEqual([expect.stringMatching(text)]);
    expect(r.report.notes.join('\n')).not.toMatch(text);
  };
  /** The window lies wholly outside the stretch: the note alone, exit 0, complete. */
  const noteOnly = (r: Awaited<ReturnType<typeof scan>>, text: RegExp) => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`rowback scan: note: ${text.source}`));
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(r.report.complete).toBe(true);
    expect(r.report.logNotGiven).toBeUndefined();
  };

  const fullToFirst = /the log from the end of \S*RestoreTimeClean\.bak \(LSN 00000019:00000084:0001\) to the first log backup given, \S*RestoreTimeClean2_1\.trn \(starts at 00000019:000000ad:0001\), is in no file given/;
  const bakFull = ['--bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'), '--op', 'insert'];

  it('--bak FULL DIFF --trn (a chain starting within the differential\'s log): the stretch from the full backup\'s end is INCOMPLETE without a window', async () => {
    const r = await scan([...bakFull, '--trn', RTC('RestoreTimeClean2_1.trn')]);
    incomplete(r, fullToFirst);
    expect(r.stdout.trim().split('\n')).toHaveLength(10);
  });

  it('--bak FULL DIFF --trn: a window after the stretch (past the first log backup\'s first transaction) or an LSN range from its end on: the note only', async () => {
    noteOnly(await scan([...bakFull, '--trn', RTC('RestoreTimeClean2_1.trn'), '--from', '2017-06-01T13:16:00', '--to', '2017-06-01T13:18:00']), fullToFirst);
    noteOnly(await scan([...bakFull, '--trn', RTC('RestoreTimeClean2_1.trn'), '--from-lsn', '00000019:000000ad:0001']), fullToFirst);
  });

  const chainBeforeDiff = /\S*RestoreTimeClean2\.bak holds the database up to LSN 00000019:000000be:0001, and the log backups given end at 00000019:00000099:0001 \(\S*RestoreTimeClean_1\.trn\): the rows deleted or changed between are not in this result/;

  it('--bak FULL DIFF --trn (a chain ending before the differential ends): INCOMPLETE without a window; a window ending before the last log backup began: the note only', async () => {
    incomplete(await scan([...bakFull, '--trn', RTC('RestoreTimeClean_1.trn')]), chainBeforeDiff);
    noteOnly(await scan([...bakFull, '--trn', RTC('RestoreTimeClean_1.trn'), '--to', '2017-06-01T13:03:00']), chainBeforeDiff);
    // a --to-lsn before the chain's end: the same
    noteOnly(await scan([...bakFull, '--trn', RTC('RestoreTimeClean_1.trn'), '--to-lsn', '00000019:00000098:0001']), chainBeforeDiff);
  });

  const school = () => corpusPath('sql-practice-asp/App_Data', 'School.mdf');
  const differentTimes = () => new RegExp(`data file ${school().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} and log file \\S*older\\.ldf are of different times: the data file's last checkpoint at LSN 0000002b:0000003f:0002`);

  it('a data file newer than the .ldf given: INCOMPLETE without a window and for a window running past the log file\'s last transaction', async () => {
    incomplete(await scan(['--mdf', school(), '--ldf', olderLdf, '--op', 'insert,delete,update']), differentTimes());
    incomplete(await scan(['--mdf', school(), '--ldf', olderLdf, '--op', 'insert,delete,update', '--from', '2017-04-02T19:30:00']), differentTimes());
    // an LSN range from where the log file's log ends on
    incomplete(await scan(['--mdf', school(), '--ldf', olderLdf, '--op', 'insert,delete,update', '--from-lsn', '0000002b:00000029:0001']), differentTimes());
  });

  it('a data file newer than the .ldf given: a window ending before the log file\'s last transaction began, or an LSN range ending before its log ends: the note only', async () => {
    noteOnly(await scan(['--mdf', school(), '--ldf', olderLdf, '--op', 'insert,delete,update', '--to', '2017-04-02T19:00:00']), differentTimes());
    noteOnly(await scan(['--mdf', school(), '--ldf', olderLdf, '--op', 'insert,delete,update', '--to-lsn', '0000002b:00000028:0001']), differentTimes());
  });

  it('a data file newer than the log backups given with it (no .ldf): INCOMPLETE without a window; a window ending before the last one\'s last transaction: the note only', async () => {
    const mdf = corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf');
    const newer = new RegExp(`data file \\S*Database1\\.mdf holds the database up to its last checkpoint at LSN 00000025:00000036:0002 \\(boot page dbi_checkptLSN\\), after the end of the log backups given \\(\\S*StopAt_1-as-Database1\\.trn ends at 00000013:000000b7:0001\\): the rows deleted or changed between are in no file given`);
    incomplete(await scan(['--mdf', mdf, '--trn', stopAtAsDatabase1, '--op', 'insert,delete,update']), newer);
    noteOnly(await scan(['--mdf', mdf, '--trn', stopAtAsDatabase1, '--op', 'insert,delete,update', '--to', '2020-05-12T13:29:00']), newer);
  });
});
