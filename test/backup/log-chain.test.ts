/**
 * logBackupChain: the one chain check of `scan --trn` and `rowback log`. SYNTHETIC headers (only the
 * fields the check reads); the corpus chains are checked through both commands in
 * test/recover/sources/files.test.ts and test/cli/log-backup-chain.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { logBackupChain, type LogBackupSet } from '../../src/backup/log-chain.js';
import type { BackupHeader } from '../../src/backup/header.js';

const lsn = (n: number) => ({ decimal: `25000000${String(n).padStart(9, '0')}`, lsn: `00000019:${n.toString(16).padStart(8, '0')}:0001` });
const set = (file: string, first: number, last: number): LogBackupSet => ({ file, position: 1, header: { backupSets: 1, firstLsn: lsn(first), lastLsn: lsn(last) } as unknown as BackupHeader });

describe('logBackupChain', () => {
  it('orders by FirstLSN, reads a repeat once, and says whether the sets were given in order', () => {
    const a = set('a.trn', 100, 200);
    const b = set('b.trn', 200, 300);
    const c = set('copy-of-b.trn', 200, 300);
    const r = logBackupChain([b, a, c]);
    expect(r.sets.map((s) => s.file)).toEqual(['a.trn', 'b.trn']);
    expect(r.givenInOrder).toBe(false);
    expect(r.repeats).toEqual(['copy-of-b.trn holds the same log as b.trn (LSN 00000019:000000c8:0001 to 00000019:0000012c:0001): read once']);
    expect(r.gaps).toEqual([]);
    expect(logBackupChain([a, b]).givenInOrder).toBe(true);
  });

  it('a missing backup and an overlap are both breaks (FORMAT_LOG_CHAIN_GAP naming both files and LSNs)', () => {
    const missing = logBackupChain([set('a.trn', 100, 200), set('c.trn', 300, 400)]);
    expect(missing.gaps.map((g) => [g.from, g.to, g.item.code, g.item.location])).toEqual([['00000019:000000c8:0001', '00000019:0000012c:0001', 'FORMAT_LOG_CHAIN_GAP', { file: 'c.trn', lsn: '00000019:0000012c:0001' }]]);
    expect(missing.gaps[0]!.item.lsnRange).toEqual({ first: '00000019:000000c8:0001', last: '00000019:0000012c:0001' });
    expect(missing.gaps[0]!.item.reason).toBe('log backups do not chain: a.trn ends at LSN 25000000000000200 (00000019:000000c8:0001), c.trn starts at 25000000000000300 (00000019:0000012c:0001): the log backup(s) in between are missing, and their records with them');
    // two backups whose ranges overlap without being the same are not one chain (two branches after a restore)
    const overlap = logBackupChain([set('a.trn', 100, 200), set('b.trn', 150, 300)]);
    expect(overlap.gaps).toHaveLength(1);
    // said as an overlap, not as log backups missing in between (no LSN is missing there)
    expect(overlap.gaps[0]!.item.reason).toMatch(/^log backups do not chain: a\.trn ends at LSN 25000000000000200 \(00000019:000000c8:0001\), b\.trn starts at 25000000000000150 \(00000019:00000096:0001\): both hold log of the LSNs between, so they are not one chain but backups of two branches/);
    expect(overlap.gaps[0]!.item.reason).not.toContain('missing');
  });

  it('two log backups starting at the same LSN: a copy-only log backup is named beside two branches, in either order', () => {
    // a copy-only log backup (b..c) and the regular one after it (b..d): MS Learn "Copy-only backups"
    for (const given of [[set('a.trn', 100, 200), set('copy.trn', 200, 250), set('b.trn', 200, 300)], [set('a.trn', 100, 200), set('b.trn', 200, 300), set('copy.trn', 200, 250)]]) {
      const r = logBackupChain(given);
      expect(r.gaps).toHaveLength(1);
      const reason = r.gaps[0]!.item.reason;
      expect(reason).toContain('both start at the same LSN and hold log of the LSNs between, so they are not one chain: either the shorter is a copy-only log backup (BACKUP LOG … WITH COPY_ONLY');
      expect(reason).toContain('or they are backups of two branches of the database\'s history');
      expect(reason).toContain('RESTORE HEADERONLY tells: IsCopyOnly, RecoveryForkID');
      expect(reason).not.toContain('missing');
      // an overlap (the range runs backwards), said as such by the loss clause
      expect(r.gaps[0]!.from > r.gaps[0]!.to).toBe(true);
    }
    // a later start inside the earlier one's range is no copy-only shape: the branch sentence alone
    expect(logBackupChain([set('a.trn', 100, 200), set('b.trn', 150, 300)]).gaps[0]!.item.reason).not.toContain('copy-only');
  });

  it('a log backup holding no log (FirstLSN = LastLSN: none written since the one before) chains in whichever order it is given', () => {
    // given after the next log backup, which starts at the same LSN, it was said not to chain
    // (a same-start break, "both hold log of the LSNs between"), though it holds none
    const a = set('a.trn', 100, 200);
    const empty = set('empty.trn', 200, 200);
    const b = set('b.trn', 200, 300);
    for (const given of [[a, empty, b], [a, b, empty], [b, empty, a]]) {
      const r = logBackupChain(given);
      expect(r.gaps, given.map((s) => s.file).join(' ')).toEqual([]);
      expect(r.sets.map((s) => s.file)).toEqual(['a.trn', 'empty.trn', 'b.trn']);
    }
  });
});
