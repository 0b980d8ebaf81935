import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLog } from '../support/synthetic-log.js';
import { trnChainSink, type SyntheticTrnBackup } from '../support/synthetic-trn.js';

/**
 * A log backup left out of a chain, and an LSN range (or window) ending before it: a transaction
 * whose deletes are in the log backup before the gap and whose commit is in the one left out has
 * its rows asked for, and they are not printed (no commit read: "no commit in this log"). The gap
 * (FORMAT_LOG_CHAIN_GAP) and the stretch after a chain ending before a backup given ends
 * (log-not-given.ts) were notes for a range ending before them: the result printed as whole, exit 0
 * under --strict. A stretch is left out by a range or window ending before it only when no row
 * operation asked for is in a transaction with no commit or abort in the log read.
 *
 * SYNTHETIC: the log backups are written by test/support/synthetic-trn.ts from the log of
 * test/support/synthetic-log.ts (five transactions in flight at once: some open at every cut).
 */
const cli = captureCli();
let dir: string;
let backups: SyntheticTrnBackup[];
let ddl: string;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const lsnText = (l: { vlf: number; block: number; slot: number }) => `${hex8(l.vlf)}:${hex8(l.block)}:${l.slot.toString(16).padStart(4, '0')}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-chain-gap-open-'));
  const chain = trnChainSink({ dir, backupBytes: 200 * 1024 });
  writeSyntheticLog([chain.sink], { targetBytes: 3 * 1024 * 1024, row: contactRow, rollbackShare: 0, concurrency: 5, finishAtEnd: true }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
  backups = chain.backups;
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The window's side: a transaction begun before the backup before the gap and still open when it
 * was cut has row operations in the stretch, and commits in a later backup read (its begin and
 * commit read: not 'no commit'). The gap was left out by a window ending before that backup began
 * (its transactions taken to begin after it): the transaction's rows there missing, a note only, exit 0.
 * The stretch now holds transactions begun from the earliest begin of those open where the read
 * crosses it (FileRecoverySource.chainGapTimes; logNotGiven's after the read's end alike).
 * SYNTHETIC: one transaction at a time (no other begun in the stretch, whose unread begin would
 * make the scan INCOMPLETE for another reason), the fourth of 4,000 rows spanning several backups.
 */
describe('scan: a window ending before a missing log backup, a transaction open across it (SYNTHETIC)', () => {
  let long: SyntheticTrnBackup[];
  beforeAll(() => {
    const sub = join(dir, 'long');
    mkdirSync(sub);
    const chain = trnChainSink({ dir: sub, backupBytes: 200 * 1024 });
    writeSyntheticLog([chain.sink], { targetBytes: 3 * 1024 * 1024, row: contactRow, rollbackShare: 0, concurrency: 1, finishAtEnd: true, rowsPerTxn: (t) => (t === 3 ? 4000 : 1 + ((t * 7) % 8)) }, { allocUnitId: CONTACT_AU, vlfSize: 1024 * 1024 });
    long = chain.backups;
  });

  it('the gap is INCOMPLETE for a window holding the open transaction\'s begin', async () => {
    const [a, b, ...rest] = long as [SyntheticTrnBackup, SyntheticTrnBackup, ...SyntheticTrnBackup[]];
    const dec = ['--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet'];
    const all = await cli('scan', '--trn', a.file, b.file, ...rest.map((x) => x.file), ...dec, '--format', 'ndjson');
    const rows = all.stdout.trim().split('\n').map((l) => JSON.parse(l) as { transactionId: string; beginTime: string; lsn: string });
    // the transaction with rows on both sides of b's start: begun in a, open when a was cut
    const bStart = lsnText({ ...b.firstLsn, slot: 0 });
    const t = rows.find((r) => r.lsn < bStart && rows.some((x) => x.transactionId === r.transactionId && x.lsn >= bStart))!;
    expect(t).toBeDefined();
    const w = ['--from', t.beginTime, '--to', t.beginTime];
    const whole = await cli('scan', '--trn', a.file, b.file, ...rest.map((x) => x.file), ...dec, ...w);
    const gap = await cli('scan', '--trn', a.file, ...rest.map((x) => x.file), ...dec, '--strict', ...w);
    const n = (x: string) => x.trim().split('\n').filter(Boolean).length;
    expect(n(gap.stdout)).toBeLessThan(n(whole.stdout));
    expect(gap.code).toBe(3);
    expect(gap.stderr.split('\n').filter((l) => l.includes('INCOMPLETE'))).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\)/)]);
  });
});

describe('scan: an LSN range ending before a missing log backup, a transaction committed in it (SYNTHETIC)', () => {
  it('the gap is INCOMPLETE: rows asked for may have committed there', async () => {
    expect(backups.length).toBeGreaterThanOrEqual(3);
    const [a, , c] = backups as [SyntheticTrnBackup, SyntheticTrnBackup, SyntheticTrnBackup];
    // the last LSN a holds: a.lastLsn is the first LSN it does not hold (slot 1 of that block)
    const below = lsnText({ ...a.lastLsn, slot: 0 });
    const whole = await cli('scan', '--trn', a.file, backups[1]!.file, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--to-lsn', below);
    const gap = await cli('scan', '--trn', a.file, c.file, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', '--to-lsn', below, '--report', join(dir, 'r.json'));
    const rows = (s: string) => s.trim().split('\n').filter(Boolean).length;
    // rows below the range's end whose commit is in the backup left out: asked for, not printed
    expect(rows(whole.stdout)).toBeGreaterThan(rows(gap.stdout));
    expect(gap.code).toBe(3);
    expect(gap.stderr).toContain(`rowback scan: INCOMPLETE: parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP); rows in those LSN ranges are missing from this result (LSNs ${lsnText(a.lastLsn)} up to ${lsnText(c.firstLsn)}, in no file given)`);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).complete).toBe(false);
    // the same range over the whole chain: whole, nothing said
    const all = await cli('scan', '--trn', ...backups.map((b) => b.file), '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', '--to-lsn', below);
    expect(all.stderr.split('\n').filter((l) => l.includes('INCOMPLETE'))).toEqual([]);
  });
});
