import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * MTF damage in the blocks right after a complete log stream (the MSTL block at offset 74,240 of
 * RestoreTimeClean2_3.trn, after its MQTL stream ends at 73,216): `log` printed 30 of 30 records
 * then "INCOMPLETE … records in those LSN ranges are missing" naming no range, scan said INCOMPLETE,
 * and the replay left the copy out as damaged (INPUT_RESTORE_TOO_LATE) although every LSN was read.
 * A copy cut at exactly 74,240 (a block boundary) got no word at all, and `restore plan` planned it.
 * Judged now by LSN coverage, as a cut log stream is (log-coverage.ts cutLogStream): a note naming
 * the file and offset when every LSN of the header's range was read; INCOMPLETE naming the LSN range
 * lost when not. `restore plan` keeps the file out as damaged (a real RESTORE reads the whole file).
 * The damaged copies are made at test time in a temp dir; never written into the repository.
 */
const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let flip: string; // byte 74,246 flipped: the MSTL block header after the log stream damaged
let cut: string; // cut at 74,240: ends before the closing blocks
let loss: string; // flipped, and the stream's last two log blocks zeroed: LSNs lost
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-mtf-after-log-'));
  const bytes = readFileSync(rtc('RestoreTimeClean2_3.trn'));
  const f = Buffer.from(bytes);
  f[74246] ^= 0xff;
  flip = join(dir, 'flip.trn');
  writeFileSync(flip, f);
  cut = join(dir, 'cut.trn');
  writeFileSync(cut, bytes.subarray(0, 74240));
  const l = Buffer.from(f);
  l.fill(0, 11776, 12800);
  loss = join(dir, 'loss.trn');
  writeFileSync(loss, l);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RANGE = '(00000019:000000d2:0001 up to 00000019:000000dc:0001)';

describeCorpus('MTF damage after a log stream read whole: judged by LSN coverage', () => {
  it('log: damaged MSTL block after the stream: a note naming file and offset, not INCOMPLETE', async () => {
    const r = await cli('log', flip, '--format', 'ndjson', '--strict');
    expect(r.stderr).not.toMatch(/INCOMPLETE/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`rowback log: note: ${flip}: FORMAT_BAD_MTF: MSTL descriptor block header checksum`);
    expect(r.stderr).toContain(`(offset 74240); every LSN its header names ${RANGE} was read before the damage: no log is lost`);
  });

  it('log: a copy cut at the block boundary after the stream is said (it got no word)', async () => {
    const r = await cli('log', cut, '--format', 'ndjson', '--strict');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`rowback log: note: ${cut}: FORMAT_BAD_MTF: the file ends at offset 74240, before backup set 1's closing blocks`);
    expect(r.stderr).toContain(`every LSN its header names ${RANGE} was read before the cut`);
  });

  it('log: the same damage with log lost: INCOMPLETE, the LSN range lost named', async () => {
    const r = await cli('log', loss, '--format', 'ndjson', '--strict');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('LSNs 00000019:000000da:0001 up to 00000019:000000dc:0001 are lost');
    expect(r.stderr).toMatch(/^rowback log: INCOMPLETE: /m);
    expect(r.stderr).not.toContain('no log is lost');
    // the INCOMPLETE line itself names what is lost, even with --quiet (it named no range)
    const q = await cli('log', loss, '--format', 'ndjson', '--quiet');
    expect(q.stderr).toContain(`records in those LSN ranges are missing (LSNs 00000019:000000da:0001 up to 00000019:000000dc:0001 of ${loss}; ${loss} from offset 74240)`);
  });

  it('scan: a note, not INCOMPLETE', async () => {
    // (--from after the log between the full backup's end and 2_1.trn, in no file given, which is
    // INCOMPLETE for a window that may reach it: recover/log-not-given.ts)
    for (const f of [flip, cut]) {
      const r = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--trn', rtc('RestoreTimeClean2_1.trn'), rtc('RestoreTimeClean2_2.trn'), f, '--from', '2017-06-01T13:16:00', '--strict');
      expect(r.stderr).not.toMatch(/INCOMPLETE/);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`rowback scan: note: ${f}: FORMAT_BAD_MTF: `);
    }
  });

  it('dump --trn: the rows the undamaged chain gives, with the note (it was refused INPUT_RESTORE_TOO_LATE)', async () => {
    const dump = async (trn3: string, n: string) => {
      const out = join(dir, `${n}.ndjson`);
      const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--trn', rtc('RestoreTimeClean2_1.trn'), rtc('RestoreTimeClean2_2.trn'), trn3, '--table', 'dbo.steps', '--stop-at', '2017-06-01T13:28:40', '--out', out);
      let rows = '';
      try {
        rows = readFileSync(out, 'utf8');
      } catch {
        // refused: no file
      }
      return { ...r, rows };
    };
    const ref = await dump(rtc('RestoreTimeClean2_3.trn'), 'ref');
    expect(ref.code).toBe(0);
    for (const [f, n] of [[flip, 'flip'], [cut, 'cut']] as const) {
      const r = await dump(f, n);
      expect(r.stderr).not.toMatch(/INPUT_RESTORE_TOO_LATE/);
      expect(r.code).toBe(0);
      expect(r.rows).toBe(ref.rows);
      expect(r.stderr).toMatch(new RegExp(`^rowback dump: note: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: FORMAT_BAD_MTF: .*\\(offset 74240\\); every LSN the replay needs from it .* no log it replays is lost$`, 'm'));
    }
  });

  it('restore plan: the cut copy is left out as damaged, said (it was planned silently; RESTORE reads the whole file)', async () => {
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean2.bak', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn']) copyFileSync(rtc(f), join(backups, f));
    copyFileSync(cut, join(backups, 'cut.trn'));
    const r = await cli('restore', 'plan', '--backups', backups, '--stop-at', '2017-06-01T13:28:40', '--as', 'Side', '--format', 'sql');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`left out as damaged (cut, unreadable, or its header's two copies disagree; \`rowback inspect\` says where): ${join(backups, 'cut.trn')}`);
  });
});
