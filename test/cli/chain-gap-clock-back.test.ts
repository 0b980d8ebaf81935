import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLog } from '../support/synthetic-log.js';
import { trnChainSink, type SyntheticTrnBackup } from '../support/synthetic-trn.js';

/**
 * A log backup left out of a chain whose server clock was set back inside it: the transactions
 * begun there after the step have the times of before it, earlier than the start of the log backup
 * before the gap. The gap was judged by those times (after that backup's start, before the first
 * transaction read past it), so a window of the repeated minute, before that start, was said to lie
 * wholly outside the gap: a note, `complete: true`, while the gap held half the window's rows. The
 * read's commit times ran back by 2 seconds only (no clock warning): the first transaction begun past
 * the gap began before the backup before it did, which only a clock set back explains. A gap then
 * has no time bounds (its LSNs still bound it).
 *
 * SYNTHETIC: log backups of test/support/synthetic-trn.ts (backup k begun at 14:0k:00, 2026-03-05)
 * from the log of test/support/synthetic-log.ts, its clock (`second`) running so that each backup's
 * transactions begin in the minute before it, and set back 60 seconds in the third backup.
 */
const cli = captureCli();
let dir: string;
let backups: SyntheticTrnBackup[];
let ddl: string;
// 2026-03-05 14:00:00 as seconds since 2025-12-11 00:00 (synthetic-log's `second`)
const BASE = 84 * 86400 + 14 * 3600;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-chain-gap-clock-'));
  const chain = trnChainSink({ dir, backupBytes: 12000 });
  // about 170 transactions a backup, 89 in the first: transaction n begins at 14:00 + (n + 85) * 60/175 s
  const second = (n: number) => BASE + Math.floor(((n + 85) * 60) / 175) - (n >= 346 ? 60 : 0);
  writeSyntheticLog([chain.sink], { targetBytes: 1024 * 1024, row: contactRow, rollbackShare: 0, concurrency: 1, finishAtEnd: true, second }, { allocUnitId: CONTACT_AU, vlfSize: 128 * 1024 });
  backups = chain.backups;
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: a missing log backup in which the clock was set back (SYNTHETIC)', () => {
  it('a window of the repeated times, before the backup before the gap began, is INCOMPLETE: the gap holds its rows', async () => {
    expect(backups.length).toBeGreaterThanOrEqual(5);
    const dec = ['--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--format', 'ndjson'];
    // backup 2 begun at 14:02:00; the clock set back to 14:01:27 in backup 3
    const w = ['--from', '2026-03-05T14:01:30', '--to', '2026-03-05T14:01:50'];
    const whole = await cli('scan', '--trn', ...backups.map((b) => b.file), ...dec, ...w);
    const report = join(dir, 'r.json');
    const gap = await cli('scan', '--trn', ...backups.filter((_, i) => i !== 2).map((b) => b.file), ...dec, ...w, '--report', report);
    const n = (x: string) => x.trim().split('\n').filter(Boolean).length;
    expect(n(gap.stdout)).toBeLessThan(n(whole.stdout));
    expect(gap.stderr).not.toMatch(/wholly outside/);
    expect(gap.stderr.split('\n').filter((l) => l.includes('INCOMPLETE'))).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\)/)]);
    expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(false);
  }, 60_000);
});
