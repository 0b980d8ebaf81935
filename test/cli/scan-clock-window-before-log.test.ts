/**
 * `scan --from` before the log read begins, on a log whose clock was set back later on. The start
 * was judged from the smallest Begin/commit time read (01:40, after the clock went back), not the
 * first in log order (02:00): `--from 01:45 --to 01:50` printed the rows of the window the log holds
 * after the step, `"complete": true` in --report and no INCOMPLETE line, though transactions of
 * 01:45–01:50 before the log read began (the clock's first pass) are in no file given. Now judged
 * from the first times in log order (CommittedScanStats.startBeginTime/startCommitTime), the line
 * saying the clock was set back. Same as before on a log whose clock ran forward (every .ldf and log
 * backup of the corpus: their first times in log order are their smallest).
 *
 * SYNTHETIC .ldf (as test/cli/scan-clock-window.test.ts): transaction k begins and commits at
 * 2025-12-11 02:00 + k minutes, from k = 40 an hour less (02:40 → 01:40).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, NARROW_CONTACT_DDL, narrowContactImages } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

const cli = captureCli();
let dir: string;
let folded: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-clock-before-'));
  folded = join(dir, 'folded_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, NARROW_CONTACT_DDL);
  const images = narrowContactImages();
  writeSyntheticLdf(folded, { targetBytes: 512 * 1024, row: (_t: number, r: number) => images[r % 10]!, rollbackShare: 0, finishAtEnd: true, second: (k) => 7200 + k * 60 - (k >= 40 ? 3600 : 0) }, { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));

describe('scan --from over a log whose clock was set back (SYNTHETIC)', () => {
  const base = () => ['scan', '--ldf', folded, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict'];

  it('a window in the repeated stretch before the log\'s first time: INCOMPLETE (complete: false), its rows still printed', async () => {
    const report = join(dir, 'r.json');
    const r = await cli(...base(), '--from', '2025-12-11 01:45', '--to', '2025-12-11 01:50', '--report', report);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(24);
    expect(incomplete(r.stderr)).toEqual([
      "rowback scan: INCOMPLETE: the window starts at 2025-12-11T01:45:00.000, before the log read begins: its first transaction began at 2025-12-11T02:00:00.000 (the SQL Server's local time; its clock was set back later in the log, whose earliest time, 2025-12-11T01:40:00.000, comes after it: the rows of the window the log holds are printed, and a time before the log read's first one also names moments before the log read began), and transactions begun before that are in no file given (an .ldf keeps only the log since its oldest VLF not yet reused; earlier log is in the log backups of that time): their rows are not in this result; add the log backups of that time with --trn (rowback restore plan lists them from a backup folder), or start the window later",
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beforeLogRead?: string };
    expect(rep.complete).toBe(false);
    expect(rep.beforeLogRead).toBe(incomplete(r.stderr)[0]!.replace('rowback scan: INCOMPLETE: ', ''));
  }, 60_000);

  it('no INCOMPLETE from the log\'s first time on (the clock WARNING is another matter)', async () => {
    for (const w of [['--from', '2025-12-11 02:00', '--to', '2025-12-11 02:10'], ['--from', '2025-12-11 05:00', '--to', '2025-12-11 05:30']]) {
      const r = await cli(...base(), ...w, '--report', join(dir, 'ok.json'));
      expect(incomplete(r.stderr), w.join(' ')).toEqual([]);
      expect((JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8')) as { complete: boolean }).complete).toBe(true);
    }
  }, 60_000);
});
