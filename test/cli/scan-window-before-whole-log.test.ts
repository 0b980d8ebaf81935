/**
 * `scan --from` over an .ldf whose log read holds older log cut off from the rest: the file grew
 * while the next VLF was still active, so the log skipped it (sequences 37, 38 kept in their VLFs),
 * and the sequence after them (39) was reused since (its VLF now holds 45). The log read is whole
 * only from sequence 40 (0x28) on. The window check of ba0a4628 took the earliest Begin Time read
 * (one of sequence 37's), so a window starting in 37/38's time said nothing, exit 0 under --strict,
 * though 39's transactions are in no file given. Now INCOMPLETE naming where the log is whole from.
 * SYNTHETIC logs (test/support/synthetic-log.ts; the layouts of test/logreader/ldf/vlf-sequences.test.ts):
 * transaction n begins at 02:00 + n minutes; sequence 0x28's first transaction began at 05:35.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_AU, NARROW_CONTACT_DDL, narrowContactWork, writeLdfWithReusedVlf } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { captureCli } from '../support/cli.js';

const cli = captureCli();
let dir: string;
let skipped: string;
let wrapped: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-whole-log-'));
  skipped = join(dir, 'skipped_log.ldf');
  wrapped = join(dir, 'wrapped_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, NARROW_CONTACT_DDL);
  writeLdfWithReusedVlf(skipped);
  // wrapped round the file, sequences 47-50 unbroken: whole from its first transaction
  writeSyntheticLdf(wrapped, narrowContactWork(), { allocUnitId: CONTACT_AU, vlfSize: 64 * 1024, vlfLayout: [{ seq: 49, parity: 0x80 }, { seq: 50, parity: 0x80 }, { seq: 47 }, { seq: 48 }] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (ldf: string, ...extra: string[]) => cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', ...extra);
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));

describe('scan --from over an .ldf holding older log cut off by a reused sequence (SYNTHETIC)', () => {
  it('a window starting in the older log: INCOMPLETE naming where the log is whole from, exit 3 with --strict, in --report; its rows still printed', async () => {
    const report = join(dir, 'r.json');
    const r = await scan(skipped, '--from', '2025-12-11T04:00', '--to', '2025-12-11T06:00', '--report', report);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(100);
    const lines = incomplete(r.stderr);
    expect(lines).toEqual([
      "rowback scan: INCOMPLETE: the window starts at 2025-12-11T04:00:00.000, before the log read is whole: it is whole only from VLF sequence 0x28 on, whose first transaction began at 2025-12-11T05:35:00.000 (the SQL Server's local time); the older log it holds (VLF sequences 0x25, 0x26, not reused since) is cut off from it by sequence 0x27, reused since and in no file given: transactions of that stretch are missing, and those begun before 2025-12-11T05:35:00.000 may be among them: their rows are not in this result; add the log backups of that time with --trn (rowback restore plan lists them from a backup folder), or start the window later",
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beforeLogRead?: string };
    expect(rep.complete).toBe(false);
    expect(rep.beforeLogRead).toBe(lines[0]!.replace('rowback scan: INCOMPLETE: ', ''));
  }, 60_000);

  it('no false alarm: from the first transaction past the break on, and over a log that wrapped round the file unbroken', async () => {
    for (const w of ['2025-12-11T05:35', '2025-12-11T06:00']) {
      const r = await scan(skipped, '--from', w);
      expect(r.code, `${w}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr)).toEqual([]);
    }
    const wrap = await scan(wrapped, '--from', '2025-12-11T02:00');
    expect(wrap.code, wrap.stderr).toBe(0);
    expect(incomplete(wrap.stderr)).toEqual([]);
  }, 60_000);
});
