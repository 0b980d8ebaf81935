import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A log backup whose file is cut short inside its log stream (MQTL) but whose read still covers
 * every LSN its header names is no loss: scan said so in a note (files.ts), while `log` printed
 * "INCOMPLETE: parts of the log could not be read (FORMAT_BAD_MTF)" naming no LSN, and the
 * point-in-time replay (`dump --trn`, `diff`) left the file out as damaged ("INPUT_RESTORE_CHAIN_BROKEN
 * … left out as damaged"). One rule now (log-coverage.ts cutLogStream / judgeCutLogStream), one note.
 * A cut that loses log inside the stream is still a loss, naming the LSN range lost.
 *
 * The cut files are made at test time in a temp dir from the corpus's RestoreTimeClean_2.trn
 * (82,432 bytes; its log is all in the first 20,000, the rest MQTL padding and closing blocks;
 * cut at 10,656 it loses LSNs 19:9e:1 up to 19:a3:1). Never written into the repository.
 */
const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let whole: string; // cut at 20,000 bytes: every LSN read
let short: string; // cut at 10,656 bytes: LSNs lost
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-cut-log-backup-'));
  const bytes = readFileSync(rtc('RestoreTimeClean_2.trn'));
  for (const [name, n] of [['whole', 20_000], ['short', 10_656]] as const) writeFileSync(join(dir, `${name}.trn`), bytes.subarray(0, n));
  whole = join(dir, 'whole.trn');
  short = join(dir, 'short.trn');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const note = (file: string, present: number) => `${file}: FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short by the end of the file (${present} bytes present): a partial copy (offset 7656); `;

describeCorpus('a .trn cut short inside its log stream, read by log, dump --trn and diff', () => {
  it('log, cut after all its log: every record, a note worded as scan words it, not INCOMPLETE', async () => {
    const full = await cli('log', rtc('RestoreTimeClean_2.trn'), '--format', 'ndjson');
    const r = await cli('log', whole, '--format', 'ndjson', '--strict');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').length).toBe(full.stdout.split('\n').length);
    expect(r.stderr).toBe(`rowback log: 30 of 30 record(s) printed\nrowback log: note: ${note(whole, 12322)}every LSN its header names (00000019:00000099:0001 up to 00000019:000000a3:0001) was read before the cut: no log is lost (its closing blocks are)\n`);
    // the same note as scan's (files.ts)
    const s = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), whole, '--quiet', '--report', join(dir, 'report.json'));
    expect(s.code).toBe(0);
    const rep = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { notes: string[] };
    expect(r.stderr).toContain(rep.notes.find((n) => n.startsWith(whole))!);
  });

  it('log, cut inside its log: INCOMPLETE (exit 3 under --strict), naming the LSN range lost', async () => {
    const r = await cli('log', short, '--format', 'ndjson', '--strict');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('FORMAT_LOG_STREAM_SHORT: the log stream ends at LSN 00000019:0000009e:0001, but the backup\'s header says it runs to 00000019:000000a3:0001: LSNs 00000019:0000009e:0001 up to 00000019:000000a3:0001 are lost');
    expect(r.stderr).toContain(`FORMAT_BAD_MTF: stream MQTL of 65538 bytes is cut short by the end of the file (2978 bytes present)`);
    expect(r.stderr).toMatch(/^rowback log: INCOMPLETE: /m);
    expect(r.stderr).not.toContain('no log is lost');
  });

  it('log, the cut file given twice (read once, as a copy): its loss said once', async () => {
    const r = await cli('log', short, short, '--format', 'ndjson');
    expect(r.stderr.match(/FORMAT_LOG_STREAM_SHORT: the log stream ends/g)).toHaveLength(1);
    expect(r.stderr.match(/FORMAT_BAD_MTF: stream MQTL/g)).toHaveLength(1);
    // the partial last sector its block reader skips, too (it was said once per read)
    expect(r.stderr.match(/FORMAT_BAD_LOG_BLOCK: \d+ bytes skipped: \d+ trailing bytes/g)).toHaveLength(1);
  });

  it('log, the cut copy and a whole copy of one log backup (either order): every record, the loss a note, not INCOMPLETE', async () => {
    const full = await cli('log', rtc('RestoreTimeClean_2.trn'), '--format', 'ndjson');
    const lsns = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l)['Current LSN'] as string).sort();
    for (const order of [[short, rtc('RestoreTimeClean_2.trn')], [rtc('RestoreTimeClean_2.trn'), short]]) {
      const r = await cli('log', ...order, '--format', 'ndjson', '--strict');
      expect(r.stderr).not.toMatch(/INCOMPLETE/);
      expect(r.code).toBe(0);
      expect(lsns(r.stdout)).toEqual(lsns(full.stdout));
      expect(r.stderr).toContain(`rowback log: note: ${short}: FORMAT_LOG_STREAM_SHORT: `);
    }
  });

  // rows to --out (the captured stdout's write never calls back, which dump's writer waits for)
  let outs = 0;
  const dump = async (trn2: string, at: string) => {
    const out = join(dir, `dump-${++outs}.ndjson`);
    const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), trn2, rtc('RestoreTimeClean_3.trn'), '--table', 'steps', '--stop-at', at, '--out', out);
    let rows = '';
    try {
      rows = readFileSync(out, 'utf8');
    } catch {
      // refused: no file
    }
    return { ...r, rows };
  };

  it('dump --trn: the rows the uncut chain gives, with the note (it was refused: the file left out as damaged)', async () => {
    for (const at of ['2017-06-01 13:05:00', '2017-06-01 13:07:30']) {
      const ref = await dump(rtc('RestoreTimeClean_2.trn'), at);
      const r = await dump(whole, at);
      expect(r.code).toBe(0);
      expect(r.rows).toBe(ref.rows);
      expect(r.rows.split('\n').length).toBeGreaterThan(10);
      expect(r.stderr).toMatch(new RegExp(`^rowback dump: note: ${note(whole, 12322).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}every LSN the replay needs from it \\(00000019:00000099:0001 up to the stop point, 00000019:[0-9a-f]{8}:0003\\) was read before the cut: no log it replays is lost$`, 'm'));
    }
  });

  it('dump --trn, cut inside its log: a stop point before the cut is replayed; one in the lost range is refused naming it', async () => {
    const ok = await dump(short, '2017-06-01 13:05:00');
    expect(ok.code).toBe(0);
    expect(ok.rows).toBe((await dump(rtc('RestoreTimeClean_2.trn'), '2017-06-01 13:05:00')).rows);
    const r = await dump(short, '2017-06-01 13:07:30');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // the lost last block names the range it lost itself (the reader, up to the header's LastLSN), as the stream short of its header does
    expect(r.stderr).toMatch(/^rowback: REPLAY_LOG_DAMAGED: .*short\.trn: log records could not be read \(FORMAT_BAD_LOG_BLOCK: \d+ bytes skipped: [^\n]*LSNs from 00000019:0000009e:0001 up to 00000019:000000a3:0001 could not be read: no readable block follows it in the stream, so it lost the log up to the backup header's LastLSN/);
  });

  it('dump --trn --stop-before-lsn at the very end of what the cut copy holds: replayed with the note (it was refused, compared with the header\'s LastLSN)', async () => {
    // short.trn's last record is 19:9d:3 and its read ends where 19:9e:1 would be; STOPBEFOREMARK
    // 19:9d:4 or 19:9e:1 applies every record it holds, as the whole file gives it; 19:9e:2 would
    // need 19:9e:1, which the cut lost
    const byLsn = async (trn2: string, lsn: string) => {
      const out = join(dir, `dump-${++outs}.ndjson`);
      const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), trn2, '--table', 'steps', '--stop-before-lsn', lsn, '--out', out);
      return { ...r, rows: r.code === 0 ? readFileSync(out, 'utf8') : '' };
    };
    for (const lsn of ['00000019:0000009d:0004', '00000019:0000009e:0001']) {
      const ref = await byLsn(rtc('RestoreTimeClean_2.trn'), lsn);
      const r = await byLsn(short, lsn);
      expect(r.stderr).not.toContain('REPLAY_LOG_DAMAGED');
      expect(r.code).toBe(0);
      expect(r.rows).toBe(ref.rows);
      expect(r.rows.trim().split('\n')).toHaveLength(15);
      expect(r.stderr).toContain(`rowback dump: note: ${note(short, 2978)}every LSN the replay needs from it (00000019:00000099:0001 up to the stop point, ${lsn}) was read before the cut: no log it replays is lost\n`);
    }
    const lost = await byLsn(short, '00000019:0000009e:0002');
    expect(lost.code).toBe(2);
    expect(lost.stderr).toMatch(/^rowback: REPLAY_LOG_DAMAGED: .*short\.trn: log records could not be read \(FORMAT_BAD_LOG_BLOCK: \d+ bytes skipped: [^\n]*LSNs from 00000019:0000009e:0001 up to 00000019:000000a3:0001 could not be read/);
  });

  it('dump --trn, the cut copy and a whole copy of one log backup both given (either order): the whole one is read', async () => {
    // the chain took the first given of two copies of one LSN range: the cut one, refused as
    // REPLAY_LOG_DAMAGED with the whole copy at hand (before cut copies were read, it was left out)
    const at = '2017-06-01 13:07:30';
    const ref = await dump(rtc('RestoreTimeClean_2.trn'), at);
    for (const order of [[short, rtc('RestoreTimeClean_2.trn')], [rtc('RestoreTimeClean_2.trn'), short]]) {
      const out = join(dir, `dump-${++outs}.ndjson`);
      const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), ...order, rtc('RestoreTimeClean_3.trn'), '--table', 'steps', '--stop-at', at, '--out', out);
      expect(r.stderr).not.toMatch(/REPLAY_LOG_DAMAGED/);
      expect(r.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(ref.rows);
      // which copy was read, and why the other was left (it chose without a word; restore plan says it)
      expect(r.stderr).toContain(`rowback dump: note: log backup LSN 25000000015300001..25000000016300001 (backup set 435E136E-5998-4D89-A2C7-C64592A15037) is in 2 files: used ${rtc('RestoreTimeClean_2.trn')} (whole); left ${short} (cut short in its log stream: FORMAT_BAD_MTF at offset 7656)\n`);
    }
  });

  it('dump --trn, two whole copies of one log backup: the first given read, the choice said; one file given twice is one file', async () => {
    const copy = join(dir, 'copy-2.trn');
    writeFileSync(copy, readFileSync(rtc('RestoreTimeClean_2.trn')));
    const at = '2017-06-01 13:07:30';
    const ref = await dump(rtc('RestoreTimeClean_2.trn'), at);
    expect(ref.stderr).not.toContain('is in 2 files');
    for (const [first, second] of [[copy, rtc('RestoreTimeClean_2.trn')], [rtc('RestoreTimeClean_2.trn'), copy]]) {
      const out = join(dir, `dump-${++outs}.ndjson`);
      const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), first!, second!, rtc('RestoreTimeClean_3.trn'), '--table', 'steps', '--stop-at', at, '--out', out);
      expect(r.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(ref.rows);
      expect(r.stderr).toContain(`rowback dump: note: log backup LSN 25000000015300001..25000000016300001 (backup set 435E136E-5998-4D89-A2C7-C64592A15037) is in 2 files: used ${first} (whole); left ${second} (whole too: either serves, the first given was kept)\n`);
    }
    const twice = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_2.trn'), '--table', 'steps', '--stop-at', at, '--out', join(dir, `dump-${++outs}.ndjson`));
    expect(twice.code).toBe(0);
    expect(twice.stderr).not.toContain('files: used');
  });

  it('scan, the cut copy and a whole copy of one log backup both given (either order): the whole one is read, no INCOMPLETE', async () => {
    // the first given of two copies was read: cut first, the rows of its lost range were missing
    // (INCOMPLETE with the whole copy given); whole first, the unread cut copy still made it INCOMPLETE
    const scan = async (...trns: string[]) => {
      const out = join(dir, `scan-${++outs}.ndjson`);
      const r = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), ...trns, rtc('RestoreTimeClean_3.trn'), '--op', 'insert', '--strict', '--out', out);
      return { ...r, rows: readFileSync(out, 'utf8') };
    };
    const ref = await scan(rtc('RestoreTimeClean_2.trn'));
    expect(ref.code).toBe(0);
    for (const order of [[short, rtc('RestoreTimeClean_2.trn')], [rtc('RestoreTimeClean_2.trn'), short], [short, short, rtc('RestoreTimeClean_2.trn')]]) {
      const r = await scan(...order);
      expect(r.stderr).not.toMatch(/INCOMPLETE/);
      expect(r.code).toBe(0);
      expect(r.rows).toBe(ref.rows);
      expect(r.stderr).toContain(`rowback scan: note: ${short}: not read, a copy of log read from another file given (FORMAT_BAD_MTF: stream MQTL`);
    }
    // the cut copy alone, given twice: its loss counted once
    const alone = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), short, short, '--op', 'insert', '--out', join(dir, `scan-${++outs}.ndjson`));
    expect(alone.stderr).toMatch(/item\(s\) skipped: .*FORMAT_BAD_MTF ×1/);
  });

  it('diff: the earlier state replayed through the cut file, read to its end, with the header-range note', async () => {
    const r = await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), whole, '--stop-at', '2017-06-01 13:09:00', '--after-bak', rtc('RestoreTimeClean.bak'), '--after-trn', rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), '--after-stop-at', '2017-06-01 13:09:00', '--table', 'steps');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('earlier 20 row(s), later 20 row(s); 0 missing from the later state, 0 changed, 0 only in the later state, 20 unchanged');
    expect(r.stderr).toContain(`rowback diff: note (earlier state, the log replayed): ${note(whole, 12322)}every LSN its header names (00000019:00000099:0001 up to 00000019:000000a3:0001) was read before the cut: no log is lost (its closing blocks are)\n`);
  });
});

/**
 * The cut copy's ESET is gone with its end: its backup finish date is unknown, and a --stop-at after
 * it started (13:09:13) was refused (INPUT_RESTORE_TARGET_AT_BOUNDARY, "stop before an LSN instead").
 * Its own commit times place it now (restore/chain.ts placeByCommits): its log, read whole, records
 * its last commit at 13:08:43.050, so 13:09:30 lies past it, in _3.trn; as the last file of a chain,
 * 13:12 is after every record these files hold: TOO_LATE, naming what is reached.
 */
describeCorpus('dump --trn over the cut copy, its backup finish date unknown', () => {
  let outs = 0;
  const dump = async (trns: string[], at: string) => {
    const out = join(dir, `finish-${++outs}.ndjson`);
    const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', ...trns, '--table', 'steps', '--stop-at', at, '--out', out);
    let rows = '';
    try {
      rows = readFileSync(out, 'utf8');
    } catch {
      // refused: no file
    }
    return { ...r, rows };
  };
  it('a time after it started, past its last commit: replayed through the next log backup, as the uncut chain gives it', async () => {
    const ref = await dump([rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn')], '2017-06-01 13:09:30');
    const r = await dump([rtc('RestoreTimeClean_1.trn'), whole, rtc('RestoreTimeClean_3.trn')], '2017-06-01 13:09:30');
    expect(r.code).toBe(0);
    expect(r.rows).toBe(ref.rows);
    expect(r.rows.trim().split('\n').length).toBe(21);
  });
  it('the last file of the chain, a time past its every commit: TOO_LATE naming what is reached', async () => {
    const r = await dump([rtc('RestoreTimeClean_1.trn'), whole], '2017-06-01 13:12:00');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_RESTORE_TOO_LATE: .*records its last commit at 2017-06-01T13:08:43\.050: the records of 2017-06-01T13:12:00\.000 are after it, in log that none of the files given holds \(a later log backup, or log not backed up yet\), which no --stop-at or --stop-before-lsn reaches; the latest point these backups reach is the end of it: --stop-before-lsn 25000000016300000 \(every record it holds\) or, by time, --stop-at 2017-06-01T13:09:13\.000;/);
  });
});
