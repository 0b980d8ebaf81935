import { describe, expect, it } from 'vitest';
import { planChain, reachableRanges } from '../../src/restore/chain.js';
import { healthy, names, rec } from './synthetic-history.js';

const at = (time: string) => ({ kind: 'time' as const, time });

/** The error `f` throws (an Error 'none' when it returns). */
function refusal(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  return new Error('none');
}

describe('SYNTHETIC chain rules (plain header objects)', () => {
  it('picks the newest full before the target, the newest differential on it, then the logs through the one holding the target', () => {
    const h = healthy();
    expect(names(planChain(h, at('2024-03-01T10:30:00.000')).steps)).toEqual(['F1.bak', 'L1.trn']);
    expect(names(planChain(h, at('2024-03-01T11:30:00.000')).steps)).toEqual(['F1.bak', 'L1.trn', 'L2.trn']);
    // after the differential finished: the differential replaces L1 and L2; L3 still holds what follows it
    expect(names(planChain(h, at('2024-03-01T13:30:00.000')).steps)).toEqual(['F1.bak', 'D1.bak', 'L3.trn', 'L4.trn']);
    expect(names(planChain(h, at('2024-03-01T12:45:00.000')).steps)).toEqual(['F1.bak', 'D1.bak', 'L3.trn']);
  });

  it('a log backup already inside the differential (last LSN ≤ the differential\'s) is not applied after it', () => {
    const c = planChain(healthy(), { kind: 'lsn', lsn: '1000000000055000000' });
    expect(names(c.steps)).toEqual(['F1.bak', 'D1.bak', 'L3.trn', 'L4.trn']);
  });

  it('a copy-only full backup is usable as a base but is no differential base; a copy-only log (known from msdb) gives way to the regular one', () => {
    const h = healthy();
    const copyFull = rec({ name: 'C1.bak', backupType: 'full', copyOnly: true, firstLsn: '1000000000046500001', lastLsn: '1000000000047000001', at: '2024-03-01T12:40:00' });
    const copyLog = rec({ name: 'CL.trn', backupType: 'log', copyOnly: true, firstLsn: '1000000000040000001', lastLsn: '1000000000048000001', at: '2024-03-01T12:50:00' });
    // the differential is based on F1, not on the copy-only full: it is never paired with C1
    const c = planChain([...h, copyFull, copyLog], at('2024-03-01T13:30:00.000'));
    expect(names(c.steps)).toEqual(['C1.bak', 'L3.trn', 'L4.trn']);
    expect(c.steps.some((s) => s.role === 'differential')).toBe(false);
    // before the copy-only full: F1 + D1, then the regular L3 rather than the copy-only log
    expect(names(planChain([...h, copyLog], at('2024-03-01T12:45:00.000')).steps)).toEqual(['F1.bak', 'D1.bak', 'L3.trn']);
  });

  it('two log backups continuing the chain with different ranges and nothing telling copy-only from a fork (offline): refused, naming both', () => {
    const h = healthy().map((s) => ({ ...s, copyOnly: null, source: 'file' as const }));
    const other = rec({ name: 'X.trn', backupType: 'log', copyOnly: null, source: 'file', firstLsn: '1000000000030000001', lastLsn: '1000000000035000001', at: '2024-03-01T11:40:00' });
    expect(() => planChain([...h, other], at('2024-03-01T11:30:00.000'))).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_AMBIGUOUS_CHAIN', message: expect.stringMatching(/X\.trn.*1000000000030000001\.\.1000000000035000001.*L2\.trn|L2\.trn.*X\.trn/) }));
  });

  it('recovery forks (msdb fork GUIDs): a log backup of another fork is not applied', () => {
    const A = 'AAAAAAAA-0000-0000-0000-000000000000';
    const B = 'BBBBBBBB-0000-0000-0000-000000000000';
    const h = healthy().map((s) => ({ ...s, firstRecoveryForkGuid: A, lastRecoveryForkGuid: A }));
    // after a restore to 11:30 the database went on on fork B: its log overlaps L2's LSNs
    const forkLog = rec({ name: 'B2.trn', backupType: 'log', firstLsn: '1000000000030000001', lastLsn: '1000000000038000001', at: '2024-03-01T11:50:00', firstRecoveryForkGuid: B, lastRecoveryForkGuid: B });
    expect(names(planChain([...h, forkLog], at('2024-03-01T11:45:00.000')).steps)).toEqual(['F1.bak', 'L1.trn', 'L2.trn']);
  });

  it('a gap in the log backups: refused in one sentence naming the missing LSN range and the reachable range', () => {
    const h = healthy().filter((s) => !/L2|D1/.test(s.devices[0]));
    const err = refusal(() => planChain(h, at('2024-03-01T13:30:00.000')));
    expect(err.code).toBe('INPUT_RESTORE_CHAIN_BROKEN');
    expect((err as unknown as { location: { file: string } }).location.file).toBe('D:\\Backups\\L1.trn'); // the backup the chain ends with
    expect(err.message).toMatch(/log backups covering LSN 1000000000030000001 up to 1000000000040000001 are missing \(after .*L1\.trn, before .*L3\.trn\)/);
    // and what to do: when they were taken, how msdb finds them, to give them (it named the LSNs alone)
    // or the other way across the gap: a differential of the full backup taken after it (newcomer C,
    // session 42: only the log backups were named, while a later differential reaches the stop point)
    expect(err.message).toMatch(/before .*L3\.trn\): find the log backup\(s\) taken between \S+ and \S+ \(msdb\.dbo\.backupset: type L, first_lsn 1000000000030000001\) and give them with the others, or a differential backup of .*F1\.bak taken after them, ending before the stop point \(msdb\.dbo\.backupset: type I, differential_base_guid 00000000-0000-0000-0000-0000000F1BAK, last_lsn at or after 1000000000040000001, backup_finish_date at or before 2024-03-01T13:30:00\.000\), with the log backups after it; reachable/);
    expect(err.message).toMatch(/reachable with these backups: 2024-03-01T10:00:01\.000 to 2024-03-01T11:00:00\.000/);
    expect(err.message.split('; reachable')[0]).not.toMatch(/\.\s/); // one sentence before the ranges
  });

  it('the differential a gap\'s refusal names does bridge it; a --stop-before-lsn inside the gap names none (no differential reaches it)', () => {
    // L2 missing, D1 given: the plan goes F1 + D1 + the log backups after it, as the advice says
    const withDiff = healthy().filter((s) => !/L2/.test(s.devices[0]));
    expect(names(planChain(withDiff, at('2024-03-01T13:30:00.000')).steps)).toEqual(['F1.bak', 'D1.bak', 'L3.trn', 'L4.trn']);
    const noDiff = healthy().filter((s) => !/L2|D1/.test(s.devices[0]));
    const inGap = refusal(() => planChain(noDiff, { kind: 'lsn', lsn: '1000000000035000000' }));
    expect(inGap.code).toBe('INPUT_RESTORE_CHAIN_BROKEN');
    expect(inGap.message).toMatch(/give them with the others; reachable/);
    expect(inGap.message).not.toMatch(/differential/);
    // past the gap by LSN: named
    const past = refusal(() => planChain(noDiff, { kind: 'lsn', lsn: '1000000000055000000' }));
    expect(past.code).toBe('INPUT_RESTORE_CHAIN_BROKEN');
    expect(past.message).toMatch(/or a differential backup of .*F1\.bak taken after them, ending before the stop point \(msdb\.dbo\.backupset: type I, differential_base_guid \S+, last_lsn at or after 1000000000040000001, last_lsn at or before 1000000000055000000\)/);
  });

  it("a gap after a copy-only full backup (msdb's is_copy_only) names no differential of it: none is based on a copy-only full", () => {
    // SYNTHETIC: F1 copy-only (known from msdb), L2 and D1 missing; a differential is based on the
    // last regular full backup, never on a copy-only one, so the one the refusal named cannot exist
    const h = healthy().filter((s) => !/L2|D1/.test(s.devices[0])).map((s) => (/F1/.test(s.devices[0]) ? { ...s, copyOnly: true } : s));
    const err = refusal(() => planChain(h, at('2024-03-01T13:30:00.000')));
    expect(err.code).toBe('INPUT_RESTORE_CHAIN_BROKEN');
    expect(err.message).toMatch(/give them with the others; reachable/);
    expect(err.message).not.toMatch(/differential/);
  });

  it('file and partial backups, and damaged ones, are not planned and are named in the notes', () => {
    const h = healthy();
    const partial = rec({ name: 'P.bak', backupType: 'partial', firstLsn: '1000000000050500001', lastLsn: '1000000000051000001', at: '2024-03-01T13:10:00' });
    const damaged = rec({ name: 'F9.bak', backupType: 'full', damaged: true, firstLsn: '1000000000052000001', lastLsn: '1000000000053000001', at: '2024-03-01T13:20:00' });
    const c = planChain([...h, partial, damaged], at('2024-03-01T13:30:00.000'));
    expect(names(c.steps)).toEqual(['F1.bak', 'D1.bak', 'L3.trn', 'L4.trn']);
    expect(c.notes.join('\n')).toMatch(/P\.bak: a partial backup, not used/);
    expect(c.notes.join('\n')).toMatch(/F9\.bak: damaged, not used/);
  });

  it('backups of one name with different binding ids are refused', () => {
    const h = healthy().map((s, i) => ({ ...s, bindingId: i === 2 ? 'B2' : 'B1' }));
    expect(() => planChain(h, at('2024-03-01T11:30:00.000'))).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_MIXED_DATABASES' }));
  });

  it('a time inside a log backup\'s own second is refused as a boundary, not guessed', () => {
    expect(() => planChain(healthy(), at('2024-03-01T11:00:00.400'))).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_TARGET_AT_BOUNDARY', message: expect.stringMatching(/L1\.trn/) }));
    // exactly the start second of L1 is held by L1
    expect(names(planChain(healthy(), at('2024-03-01T11:00:00.000')).steps)).toEqual(['F1.bak', 'L1.trn']);
  });

  it('reachable ranges: from the full backup\'s end to the last log backup reached without a gap', () => {
    const r = reachableRanges(healthy());
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ fromTime: '2024-03-01T10:00:01.000', toTime: '2024-03-01T14:00:00.000', fromLsn: '1000000000020000001', toLsn: '1000000000060000000' });
  });
});
