/**
 * `rowback log --report FILE`, as `scan --report`: an incident responder scripting `log` had to
 * scrape stderr for INCOMPLETE and the notes, and read the exit code; `log` had no --report. The
 * report's `incomplete` is the list stderr writes its INCOMPLETE lines from (the same sentences, in
 * its order, without the prefix; `[]` when complete), `notes` every note (with --quiet too), and a
 * refused run replaces a previous report with `{ complete: false, failed }`, as scan's does.
 *
 * REAL: appveyor-lab RestoreTimeClean (_1.trn FirstLSN 00000019:0000003e:00aa, _2.trn
 * 00000019:00000099:0001, _3.trn 00000019:000000a3:0001; 287 records in all), AngularJs_CRUD.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const PREFIX = 'rowback log: INCOMPLETE: ';
const incompleteLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith(PREFIX)).map((l) => l.slice(PREFIX.length));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-log-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

/** Runs `log ARGS --strict --report FILE`: exit 3, one INCOMPLETE line, the report's `incomplete` that line without its prefix; the report. */
async function oneIncomplete(name: string, ...args: string[]) {
  const report = join(dir, `${name}.json`);
  const r = await cli('log', ...args, '--format', 'ndjson', '--strict', '--report', report);
  expect(r.code).toBe(3);
  const lines = incompleteLines(r.stderr);
  expect(lines).toHaveLength(1);
  const rep = read(report);
  expect(rep.complete).toBe(false);
  expect(rep.incomplete).toEqual(lines);
  return { r, rep, lines, report };
}

describeCorpus('log --report', () => {
  it('a whole chain: complete, incomplete [], the records and files; stdout and stderr as without it', async () => {
    const report = join(dir, 'whole.json');
    const files = [R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_3.trn')];
    const r = await cli('log', ...files, '--format', 'ndjson', '--strict', '--report', report);
    expect(r.code).toBe(0);
    const plain = await cli('log', ...files, '--format', 'ndjson', '--strict');
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toBe('rowback log: 287 of 287 record(s) printed\n');
    const rep = read(report);
    expect(rep).toMatchObject({
      source: files,
      filter: { operations: [], contexts: [], allocUnits: [], tables: [], transactions: [] },
      records: 287,
      complete: true,
      incomplete: [],
      notes: [],
      counts: { recordsRead: 287, damagedRecords: 0, firstLsn: '00000019:0000003e:0001' },
      skipped: [],
    });
    expect(Object.keys(rep)[0]).toBe('times');
    expect(rep.beforeLogRead).toBeUndefined();
    expect(rep.beyondLogGiven).toBeUndefined();
    // the filters asked, as fn_dblog names them; the records listed are those printed
    const some = await cli('log', ...files, '--operation', 'begin_xact', '--transaction', '0:3E8', '--format', 'ndjson', '--quiet', '--report', report);
    expect(read(report)).toMatchObject({ filter: { operations: ['LOP_BEGIN_XACT'], transactions: ['0000:000003e8'] }, records: some.stdout.split('\n').filter(Boolean).length, counts: { recordsRead: 287 } });
  }, 60_000);

  it('a missing log backup: complete false, incomplete the INCOMPLETE line without its prefix (also with --quiet), the chain gap among skipped', async () => {
    const { r, rep, lines, report } = await oneIncomplete('gap', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_3.trn'));
    expect(rep.incomplete[0]).toMatch(/^parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\); records in those LSN ranges are missing \(LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given\)$/);
    expect(rep.skipped).toEqual([expect.objectContaining({ code: 'FORMAT_LOG_CHAIN_GAP', lsnRange: { first: '00000019:00000099:0001', last: '00000019:000000a3:0001' } })]);
    expect(rep.records).toBe(r.stdout.split('\n').filter(Boolean).length);
    const quiet = await cli('log', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_3.trn'), '--format', 'ndjson', '--quiet', '--report', report);
    expect(quiet.code).toBe(0);
    expect(read(report).incomplete).toEqual(lines);
  }, 60_000);

  it('an LSN range starting before and running past the log listed: one INCOMPLETE line, incomplete equal to it, its two edges as beforeLogRead and beyondLogGiven', async () => {
    const { rep, lines, report } = await oneIncomplete('edges', R('RestoreTimeClean_2.trn'), '--from-lsn', '00000019:00000050:0001', '--to-lsn', '00000019:000000f0:0001', '--quiet');
    expect(rep.beforeLogRead).toMatch(/^the LSN range starts at 00000019:00000050:0001 \(--from-lsn\), before the log given: /);
    expect(rep.beyondLogGiven).toMatch(/^the LSN range runs to 00000019:000000f0:0001 \(--to-lsn\), past the end of the log given/);
    expect(lines[0]).toBe(`${rep.beforeLogRead}; ${rep.beyondLogGiven}`);
    expect(rep.filter).toMatchObject({ fromLsn: '00000019:00000050:0001', toLsn: '00000019:000000f0:0001' });
    // below the log alone
    const below = await cli('log', R('RestoreTimeClean_2.trn'), '--from-lsn', '00000019:00000050:0001', '--to-lsn', '00000019:000000a0:0001', '--format', 'ndjson', '--quiet', '--report', report);
    const b = read(report);
    expect(b.incomplete).toEqual(incompleteLines(below.stderr));
    expect(b.beforeLogRead).toBe(b.incomplete[0]);
    expect(b.beyondLogGiven).toBeUndefined();
  }, 60_000);

  it('the notes are in the report with --quiet too, as stderr says them without it', async () => {
    const report = join(dir, 'notes.json');
    const loud = await cli('log', R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_1.trn'), '--format', 'ndjson');
    const notes = loud.stderr.split('\n').filter((l) => l.startsWith('rowback log: note: ')).map((l) => l.slice('rowback log: note: '.length));
    expect(notes).toEqual([expect.stringMatching(/^the log backups are not given in LSN order, /)]);
    const r = await cli('log', R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_1.trn'), '--format', 'ndjson', '--quiet', '--report', report);
    expect(r.stderr).toBe('');
    expect(read(report)).toMatchObject({ complete: true, incomplete: [], notes });
  }, 60_000);

  it('a refused run replaces the previous report with complete false and the error; never over an input, nor as "-"', async () => {
    const report = join(dir, 'refused.json');
    expect((await cli('log', R('RestoreTimeClean_1.trn'), '--format', 'ndjson', '--out', join(dir, 'r.ndjson'), '--report', report)).code).toBe(0);
    expect(read(report).complete).toBe(true);
    expectOneLineError(await cli('log', R('RestoreTimeClean_1.trn'), '--table', 'dbo.steps', '--report', report), 'INPUT_NO_METADATA');
    const j = read(report);
    expect(j).toMatchObject({ complete: false, failed: { code: 'INPUT_NO_METADATA', message: expect.stringContaining('--table needs table metadata') } });
    expect(j.records).toBeUndefined();
    // a log file listed named by --report: refused, the file untouched
    const trn = join(dir, 'copy_1.trn');
    copyFileSync(R('RestoreTimeClean_1.trn'), trn);
    const before = readFileSync(trn);
    expectOneLineError(await cli('log', trn, '--report', trn), 'INPUT_OUTPUT_IS_INPUT');
    expect(readFileSync(trn).equals(before)).toBe(true);
    // the --out file, and '-'
    expectOneLineError(await cli('log', trn, '--out', join(dir, 'same.ndjson'), '--report', join(dir, 'same.ndjson')), 'INPUT_OUTPUT_IS_INPUT');
    expect(existsSync(join(dir, 'same.ndjson'))).toBe(false);
    expect(expectOneLineError(await cli('log', trn, '--report', '-'), 'INPUT_BAD_OPTION')).toContain('--report -: --report writes a file');
    // a folder that does not exist: one line before anything is read or printed
    expectOneLineError(await cli('log', trn, '--report', join(dir, 'nope', 'r.json')), 'INPUT_OUTPUT_UNWRITABLE');
    // a file that is not a report is never overwritten by a refused run
    const other = join(dir, 'evidence.txt');
    writeFileSync(other, 'not a report');
    expectOneLineError(await cli('log', join(dir, 'missing.trn'), '--report', other), 'INPUT_FILE_UNREADABLE');
    expect(readFileSync(other, 'utf8')).toBe('not a report');
  }, 60_000);
});
