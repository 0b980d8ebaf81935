/**
 * `scan --from/--to` over a log whose clock was set back somewhere: the WARNING ("the window may
 * name two stretches") and, since 75971a6, exit 3 under --strict were said for any window, even
 * one hours away from the repeated stretch, which names one moment each: a whole answer a --strict
 * script then took for a doubtful one. Now said only when the window can reach a stretch of local
 * time the clock passed twice (stepMayRepeat: within a daylight-saving hour of the step), judged
 * by every step the log shows (CommitClock.steps), not the first alone.
 *
 * SYNTHETIC .ldf (test/support/synthetic-log.ts, as test/cli/strict-warnings.test.ts): transaction
 * k begins and commits at 2025-12-11 02:00 + k minutes, from k = 40 an hour less (02:40 → 01:40:
 * 01:40–02:40 passes twice).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, NARROW_CONTACT_DDL, narrowContactImages } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

const cli = captureCli();
const AU = CONTACT_AU;
let dir: string;
let folded: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-clock-window-'));
  folded = join(dir, 'folded_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, NARROW_CONTACT_DDL);
  const images = narrowContactImages();
  writeSyntheticLdf(folded, { targetBytes: 512 * 1024, row: (_t: number, r: number) => images[r % 10]!, rollbackShare: 0, finishAtEnd: true, second: (k) => 7200 + k * 60 - (k >= 40 ? 3600 : 0) }, { allocUnitId: AU, vlfSize: 256 * 1024 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: the clock-set-back WARNING is said for a window it can reach only', () => {
  const base = () => ['scan', '--ldf', folded, '--ddl', ddl, '--alloc-unit', AU, '--quiet', '--strict'];
  const warned = (stderr: string) => /^rowback scan: WARNING: the log's commit times run backwards/m.test(stderr);

  it('a window hours after the repeated stretch: no WARNING, exit 0 (it was 3 under --strict)', async () => {
    const all = await cli(...base(), '--report', join(dir, 'all.json'));
    expect(all.code, all.stderr).toBe(0);
    const r = await cli(...base(), '--from', '2025-12-11 05:00', '--to', '2025-12-11 05:30');
    expect(warned(r.stderr), r.stderr).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const early = await cli(...base(), '--to', '2025-12-10 20:00');
    expect(warned(early.stderr), early.stderr).toBe(false);
    expect(early.code, early.stderr).toBe(0);
  }, 60_000);

  it('a window reaching the stretch, or within an hour of it, or open over it: WARNING, exit 3', async () => {
    for (const w of [['--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10'], ['--from', '2025-12-11 03:20', '--to', '2025-12-11 03:30'], ['--from', '2025-12-11 00:00'], ['--to', '2025-12-11 05:00']]) {
      const r = await cli(...base(), ...w);
      expect(warned(r.stderr), `${w.join(' ')}: ${r.stderr}`).toBe(true);
      expect(r.code).toBe(3);
    }
  }, 60_000);
});
