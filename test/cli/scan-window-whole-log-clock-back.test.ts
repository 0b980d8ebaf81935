/**
 * `scan --from` over an .ldf holding older log cut off by a reused sequence (whole only from VLF
 * sequence 0x28 on: test/support/synthetic-contact.ts writeLdfWithReusedVlf's layout) whose clock
 * was set back later in the whole part. Where the log read is whole from (FileRecoverySource
 * logWholeFrom) took the smallest commit End Time past the break, not the first in log order: the
 * commit of a transaction after the clock went back three hours (04:24) was taken as the log's
 * start, so a window from 04:30, before the first transaction past the break (05:35), said nothing,
 * exit 0 under --strict, though sequence 0x27's transactions are in no file given. Now judged from
 * the first commit in log order, as the first begin is.
 * SYNTHETIC log (test/support/synthetic-log.ts): transaction n begins at 02:00 + n minutes until
 * n = 260, then three hours earlier (a clock set back).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_AU, NARROW_CONTACT_DDL, narrowContactWork } from '../support/synthetic-contact.js';
import { writeSyntheticLdf, type SyntheticLogOptions } from '../support/synthetic-log.js';
import { captureCli } from '../support/cli.js';

const cli = captureCli();
let dir: string;
let ldf: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-whole-clock-'));
  ldf = join(dir, 'clock_back_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, NARROW_CONTACT_DDL);
  const layout: NonNullable<SyntheticLogOptions['vlfLayout']> = [{ seq: 45, parity: 0x80 }, { seq: 40 }, { seq: 37 }, { seq: 38 }, { seq: 41 }, { seq: 42 }, { seq: 43 }, { seq: 44 }, { seq: 0 }];
  const work = { ...narrowContactWork(), second: (n: number) => 7200 + n * 60 - (n >= 260 ? 3 * 3600 : 0) };
  writeSyntheticLdf(ldf, work, { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024, vlfLayout: layout });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (...extra: string[]) => cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', ...extra);
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));

describe('scan --from over an .ldf whole only past a break, its clock set back later (SYNTHETIC)', () => {
  it('a window starting before the first transaction past the break: INCOMPLETE, judged from the first times in log order', async () => {
    const r = await scan('--from', '2025-12-11T04:30');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      expect.stringMatching(/^rowback scan: INCOMPLETE: the window starts at 2025-12-11T04:30:00\.000, before the log read is whole: it is whole only from VLF sequence 0x28 on, (whose first transaction began at 2025-12-11T05:35:00\.000|whose earliest time is 2025-12-11T05:3\d:\d\d\.\d{3}, the commit of a transaction begun before it) /),
    ]);
  }, 60_000);

  it('no false alarm from the first transaction past the break on', async () => {
    const r = await scan('--from', '2025-12-11T05:35');
    expect(incomplete(r.stderr), r.stderr).toEqual([]);
  }, 60_000);
});
