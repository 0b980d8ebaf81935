/**
 * A file of several backup sets (BACKUP … WITH NOINIT: a full backup and its log backups appended
 * to one file) whose copy is cut short in its LAST log backup set: the point-in-time replay refused
 * every stop past set 3 (INPUT_RESTORE_TOO_LATE "left out as damaged … (FILE = 4)"), and `scan --trn`
 * and `log` of it said INCOMPLETE (exit 3 under --strict), where the same log backup as a one-set file
 * cut at the same byte of its own is read up to the cut: rows up to the cut, a note when the log the
 * replay needs was all read, REPLAY_LOG_DAMAGED naming the LSNs lost otherwise
 * (log-coverage.ts cutLogStream returned null for any file of several sets). Now the last set of a
 * file of several is judged as a one-set file is: the same rows, the same wording (its name with
 * "(FILE = 4)"), the same exit codes.
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean_1/_2/_3.trn from their SSET blocks on), cut `keep` bytes into set 4
 * (_3.trn's own bytes), beside _3.trn's first `keep` bytes as a one-set file. Never in the repo.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, cliWithOutFile, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { readMtfLayout } from '../../src/backup/mtf.js';

const captured = captureCli();
let dir: string;
const cli = cliWithOutFile(captured, () => dir);
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const FULL = () => rtc('RestoreTimeClean.bak');
const LOGS = () => ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'].map(rtc);
/** 16,000 bytes of _3.trn hold its whole log (the cut takes MQTL padding and the closing blocks); 12,000 lose its last block (LSN 00000019:000000ab:0001 on). */
const KEEPS = [16_000, 12_000] as const;
const one: Record<number, string> = {};
const several: Record<number, string> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-pit-sets-cut-'));
  const all = appendedBackupSet(FULL(), ...LOGS());
  const last = readFileSync(LOGS()[2]!);
  for (const keep of KEEPS) {
    one[keep] = join(dir, `3-cut-${keep}.trn`);
    writeFileSync(one[keep]!, last.subarray(0, keep));
    several[keep] = join(dir, `all-cut-${keep}.bak`);
    writeFileSync(several[keep]!, all.subarray(0, all.length - last.length + keep));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dumpOne = (keep: number, stop: string) => cli('dump', '--bak', FULL(), '--trn', LOGS()[0]!, LOGS()[1]!, one[keep]!, '--stop-at', stop, '--table', 'dbo.steps', '--strict');
const dumpSeveral = (keep: number, stop: string) => cli('dump', '--bak', several[keep]!, '--position', '1', '--trn', several[keep]!, '--stop-at', stop, '--table', 'dbo.steps', '--strict');
/** stderr's lines but the chain's (which names the files), each file's name made one. */
const said = (stderr: string, file: string, name: string) => stderr.split('\n').filter((l) => !l.startsWith('rowback dump: chain:')).map((l) => l.split(file).join(name).replace(/ \(FILE = 4\)/g, '').replace(/offset \d+/g, 'offset N').replace(/backup set [14],/g, 'backup set N,')).join('\n');

describeCorpus('point-in-time replay of a file of several backup sets cut short in its last set', () => {
  it('the cut loses no log (16,000 bytes of set 4): read up to the cut, the rows and notes of the one-set cut file, exit 0 under --strict', async () => {
    expect(statSync(several[16_000]!).size).toBeGreaterThan(statSync(FULL()).size);
    for (const stop of ['2017-06-01T13:12:00', '2017-06-01T13:14:00']) {
      const a = await dumpOne(16_000, stop);
      const b = await dumpSeveral(16_000, stop);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toBe(a.stdout);
      expect(b.stdout.trim().split('\n')).toHaveLength(stop.endsWith('13:12:00') ? 26 : 30);
      expect(b.stderr).toContain(`note: ${several[16_000]} (FILE = 4): FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short by the end of the file`);
      expect(said(b.stderr, several[16_000]!, 'F')).toBe(said(a.stderr, one[16_000]!, 'F'));
      expect(b.stderr).not.toContain('left out as damaged');
      // a log backup has no data pages: the cut was also said as "backup set N, whose data pages come
      // after it, cannot be read: read another copy" beside "no log … is lost" (one-set file too)
      for (const x of [a, b]) expect(x.stderr).not.toContain('whose data pages come after it');
    }
  }, 60_000);

  it('the cut loses the log the stop needs (12,000 bytes): refused REPLAY_LOG_DAMAGED naming the LSNs lost, as the one-set cut file is; a stop before the loss is read', async () => {
    const a = expectOneLineError(await dumpOne(12_000, '2017-06-01T13:14:00'), 'REPLAY_LOG_DAMAGED');
    const b = expectOneLineError(await dumpSeveral(12_000, '2017-06-01T13:14:00'), 'REPLAY_LOG_DAMAGED');
    expect(b).toContain(`${several[12_000]} (FILE = 4): log records could not be read (FORMAT_BAD_LOG_BLOCK`);
    expect(b).toContain('LSNs from 00000019:000000ab:0001 up to 00000019:000000ad:0001 could not be read');
    expect(said(b, several[12_000]!, 'F')).toBe(said(a, one[12_000]!, 'F'));
    const early = await dumpSeveral(12_000, '2017-06-01T13:12:00');
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toBe((await dumpOne(12_000, '2017-06-01T13:12:00')).stdout);
  }, 60_000);

  it('scan --trn and log of the cut file: a note, not INCOMPLETE, when no log is lost (as the one-set cut file); INCOMPLETE naming the LSNs when it is', async () => {
    const F = several[16_000]!;
    const s = await captured('scan', '--bak', F, '--position', '1', '--trn', F, '--op', 'insert', '--strict');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout.trim().split('\n')).toHaveLength(30);
    expect(s.stderr).toContain(`note: ${F} (backup set 4): FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short`);
    expect(s.stderr).not.toContain('INCOMPLETE');
    const l = await captured('log', F, '--format', 'csv', '--strict');
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toBe((await captured('log', ...LOGS(), '--format', 'csv')).stdout);
    expect(l.stderr).not.toContain('INCOMPLETE');
    expect(l.stderr).toContain(`note: ${F} (backup set 4): FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short`);
    const lost = await captured('scan', '--bak', several[12_000]!, '--position', '1', '--trn', several[12_000]!, '--op', 'insert');
    expect(lost.stderr).toContain('INCOMPLETE');
    expect(lost.stderr).toContain('00000019:000000ab:0001');
    const lostLog = await captured('log', several[12_000]!, '--format', 'csv');
    expect(lostLog.stderr).toContain('INCOMPLETE');
  }, 60_000);

  it('damage after a log set\'s stream with further sets after it (SYNTHETIC: _1/_2/_3.trn in one file, set 1\'s closing MSTL block one byte off): scan and log say INCOMPLETE, not "no log is lost"', async () => {
    // before: set 1's log read whole, so the damage was judged as a cut losing nothing: scan printed
    // set 1's 10 rows and log its 227 records, exit 0 under --strict, sets 2 and 3 unread and unsaid
    const logs = join(dir, 'logs-mstl.trn');
    writeFileSync(logs, appendedBackupSet(LOGS()[0]!, LOGS()[1]!, LOGS()[2]!));
    const mstl = readMtfLayout(logs).dblks.filter((d) => d.type === 'MSTL' && d.set === 1)[1]!;
    const b = Buffer.from(readFileSync(logs));
    b[mstl.offset + 20]! ^= 0xff;
    writeFileSync(logs, b);
    const s = await captured('scan', '--bak', FULL(), '--trn', logs, '--op', 'insert', '--strict');
    expect(s.code, s.stderr).toBe(3);
    expect(s.stderr).toContain(`INCOMPLETE: parts of the log could not be read (FORMAT_BAD_MTF); rows in those LSN ranges are missing from this result (${logs} from offset ${mstl.offset})`);
    expect(s.stderr).not.toContain('no log is lost');
    const l = await captured('log', logs, '--format', 'csv', '--strict');
    expect(l.code, l.stderr).toBe(3);
    expect(l.stderr).toContain('INCOMPLETE: parts of the log could not be read (FORMAT_BAD_MTF)');
    expect(l.stderr).not.toContain('no log is lost');
    // the replay reads set 1 and refuses a stop past it naming what lies after the damage (as before)
    const past = expectOneLineError(await cli('dump', '--bak', FULL(), '--trn', logs, '--stop-at', '2017-06-01T13:12:00', '--table', 'dbo.steps'), 'INPUT_RESTORE_TOO_LATE');
    expect(past).toContain('a well-formed SSET descriptor block at offset');
  }, 60_000);
});
