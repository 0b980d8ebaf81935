import { describe, expect, it } from 'vitest';
import { beginUnreadPlacedByGaps, emptyStats, explainNoRows, scanStatsNotes, type CommittedScanStats } from '../../src/recover/committed.js';
import { placeBeginUnread } from '../../src/recover/log-not-given.js';
import type { SkippedItem } from '../../src/util/skipped-item.js';

/**
 * beginUnreadPlacedByGaps: a transaction whose LOP_BEGIN_XACT is not in the log read, first read
 * right after a stretch of log lost or in no file given, began in that stretch or before it, so by
 * the stretch's `before` bound; a window starting after it does not ask for it. Pure; hand-made counts.
 */
const stats = (): CommittedScanStats => ({
  ...emptyStats(),
  beginUnreadRowOps: 7,
  beginUnreadTransactions: 3,
  beginUnreadFirstCommit: '2026/03/05 14:01:55:000',
  beginUnreadLastCommit: '2026/03/05 14:02:30:000',
  beginUnreadPlaces: [
    { firstLsn: '00000028:000003d0:0001', rowOps: 2, endTime: '2026/03/05 14:01:55:000' },
    { firstLsn: '00000028:000003d0:0002', rowOps: 3, endTime: '2026/03/05 14:01:56:000' },
    // first read before the gap (began before the read): not placed by it
    { firstLsn: '00000028:00000010:0004', rowOps: 2, endTime: '2026/03/05 14:02:30:000' },
  ],
});
const gap = { lsnRange: { first: '00000028:000001f0:0001', last: '00000028:000003d0:0001' }, before: '2026-03-05T14:01:55.000' };

describe('beginUnreadPlacedByGaps', () => {
  it('a window starting after the gap\'s bound: those first read after it are taken out, the span of the others kept', () => {
    const s = beginUnreadPlacedByGaps(stats(), '2026-03-05T14:01:55.001', [gap]);
    expect(s.beginUnreadRowOps).toBe(2);
    expect(s.beginUnreadTransactions).toBe(1);
    expect(s.beginUnreadPlacedOutsideRowOps).toBe(5);
    expect(s.beginUnreadPlacedOutsideTransactions).toBe(2);
    expect(s.beginUnreadPlacedOutsideBy).toBe('2026-03-05T14:01:55.000');
    expect([s.beginUnreadFirstCommit, s.beginUnreadLastCommit]).toEqual(['2026/03/05 14:02:30:000', '2026/03/05 14:02:30:000']);
  });

  it('a VLF end between the gap\'s end and the first record read, in no stretch known lost: kept (a lost last block there may hold its begin, unseen); one a stretch covers: placed', () => {
    // the first two first read in VLF 0x29, the gap ending in 0x28: VLF 0x28's end lies between
    const later = (): CommittedScanStats => ({ ...stats(), beginUnreadPlaces: stats().beginUnreadPlaces!.map((p, i) => (i < 2 ? { ...p, firstLsn: p.firstLsn!.replace(/^00000028/, '00000029') } : p)) });
    expect(beginUnreadPlacedByGaps(later(), '2026-03-05T14:01:55.001', [gap]).beginUnreadRowOps).toBe(7);
    // a gap reaching into VLF 0x29 covers 0x28's end
    const over = { ...gap, lsnRange: { first: gap.lsnRange.first, last: '00000029:00000010:0001' } };
    expect(beginUnreadPlacedByGaps(later(), '2026-03-05T14:01:55.001', [over]).beginUnreadRowOps).toBe(2);
    // a window after the read's first commit missing the gap: as kept, first read past a VLF end after that commit's VLF
    const read = { ...later(), startCommitTime: '2026/03/05 13:00:30:000', startCommitLsn: '00000028:00000010:0006' };
    expect(beginUnreadPlacedByGaps(read, '2026-03-05T14:00:40.000', [{ ...gap, after: '2026-03-05T14:01:00' }], '2026-03-05T14:00:50.999').beginUnreadRowOps).toBe(7);
  });

  it('a window starting at the bound, a bound of a whole second reaching it, no bound, or none kept: as they were', () => {
    const same = (s: CommittedScanStats) => expect(s.beginUnreadRowOps).toBe(7);
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:01:55.000', [gap]));
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:01:55.500', [{ ...gap, before: '2026-03-05T14:01:55' }]));
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:03:00', [{ lsnRange: gap.lsnRange }]));
    same(beginUnreadPlacedByGaps({ ...stats(), beginUnreadPlacesOverflow: true }, '2026-03-05T14:03:00', [gap]));
    same(beginUnreadPlacedByGaps(stats(), undefined, [gap]));
  });

  it('a window after the read\'s first commit and before the gap\'s `after`: those first read after it are taken out too', () => {
    const read = { ...stats(), startCommitTime: '2026/03/05 13:00:30:000', startCommitLsn: '00000028:00000010:0006' };
    const g = { ...gap, after: '2026-03-05T14:01:00' };
    const s = beginUnreadPlacedByGaps(read, '2026-03-05T14:00:40.000', [g], '2026-03-05T14:00:50.999');
    // the one first read before the gap is judged by its commit, as before (unreadVerdict)
    expect(s.beginUnreadRowOps).toBe(2);
    expect(s.beginUnreadPlacedOutsideTransactions).toBe(2);
    expect(s.beginUnreadPlacedOutsideBy).toBeUndefined();
    // from the read's first commit, to the gap's `after`, no `after`, no end, or a clock set back: as they were
    const same = (x: CommittedScanStats) => expect(x.beginUnreadRowOps).toBe(7);
    same(beginUnreadPlacedByGaps(read, '2026-03-05T14:00:30.000', [g], '2026-03-05T14:00:50.999'));
    same(beginUnreadPlacedByGaps(read, '2026-03-05T14:00:40.000', [g], '2026-03-05T14:01:00.000'));
    same(beginUnreadPlacedByGaps(read, '2026-03-05T14:00:40.000', [gap], '2026-03-05T14:00:50.999'));
    same(beginUnreadPlacedByGaps(read, '2026-03-05T14:00:40.000', [g]));
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:00:40.000', [g], '2026-03-05T14:00:50.999'));
    same(beginUnreadPlacedByGaps({ ...read, clockBackwards: { lsn: '', earlierLsn: '', earlierTime: '', laterTime: '', seconds: 60 } as unknown as CommittedScanStats['clockBackwards'] }, '2026-03-05T14:00:40.000', [g], '2026-03-05T14:00:50.999'));
  });

  it('other lost log between the gap and the first record read, or a loss with no LSN range: as they were', () => {
    const damaged = { lsnRange: { first: '00000028:00000300:0001', last: '00000028:00000300:0009' } };
    expect(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:03:00', [gap, damaged]).beginUnreadRowOps).toBe(7);
    expect(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:03:00', [gap, {}]).beginUnreadRowOps).toBe(7);
    // a backup overlapping the one before it (its range runs backwards) places nothing
    expect(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:03:00', [{ ...gap, lsnRange: { first: gap.lsnRange.last, last: gap.lsnRange.first } }]).beginUnreadRowOps).toBe(7);
  });
});

/**
 * A log read from files (an .ldf, log backups, a backup's own log) holds every record from its first
 * LSN on but for the stretches lost: a transaction whose LOP_BEGIN_XACT is not read, first read
 * before any such stretch, began below every record read, so by the read's first commit
 * (stats.startCommitTime). A `--from` after it does not ask for it; before, with no loss at all,
 * beginUnreadPlacedByGaps returned at once and the scan said INCOMPLETE (a false alarm). Hand-made
 * counts (SYNTHETIC).
 */
describe('beginUnreadPlacedByGaps: placed by the start of a log read from files', () => {
  const read = (): CommittedScanStats => ({ ...stats(), startCommitTime: '2026/03/05 13:00:30:000', startCommitLsn: '00000028:00000010:0006' });
  const files = { files: true };
  const kept = (s: CommittedScanStats) => {
    expect(s.beginUnreadRowOps).toBe(7);
    expect(s.beginUnreadPlacedOutsideRowOps).toBeUndefined();
    expect(s.beginUnreadPlacedBeforeReadRowOps).toBeUndefined();
  };

  it('no loss and a window starting more than an hour after the read\'s first commit: all taken out, said as placed by the read\'s start', () => {
    const s = beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:30.001', [], undefined, files);
    expect(s.beginUnreadRowOps).toBe(0);
    expect(s.beginUnreadTransactions).toBe(0);
    expect(s.beginUnreadPlaces).toEqual([]);
    expect(s.beginUnreadFirstCommit).toBeUndefined();
    expect(s.beginUnreadPlacedOutsideRowOps).toBe(7);
    expect(s.beginUnreadPlacedOutsideTransactions).toBe(3);
    // not a gap's bound
    expect(s.beginUnreadPlacedOutsideBy).toBeUndefined();
    expect(s.beginUnreadPlacedBeforeReadRowOps).toBe(7);
    expect(s.beginUnreadPlacedBeforeReadTransactions).toBe(3);
    expect(s.beginUnreadPlacedBeforeReadBy).toBe('2026-03-05T13:00:30.000');
    // a `--to` changes nothing: they began before the window's start
    expect(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [], '2026-03-05T14:05:00', files).beginUnreadRowOps).toBe(0);
  });

  it('a window starting at or before the read\'s first commit, or within an hour after it (CLOCK_FOLD_MS: a clock set back before the first commit read is not seen): kept', () => {
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T13:00:30.000', [], undefined, files));
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T13:30', [], undefined, files));
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:30.000', [], undefined, files));
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00', [], undefined, files));
  });

  it('first read in a VLF later than the read\'s first commit\'s, or that commit\'s LSN not known: kept (a VLF\'s lost tail before it may hold its begin, unseen)', () => {
    // the first two first read in VLF 0x29, the commit in 0x28: a lost tail of 0x28 may hold their begin
    const later = (): CommittedScanStats => ({ ...read(), beginUnreadPlaces: read().beginUnreadPlaces!.map((p, i) => (i < 2 ? { ...p, firstLsn: p.firstLsn!.replace(/^00000028/, '00000029') } : p)) });
    const s = beginUnreadPlacedByGaps(later(), '2026-03-05T14:00:40', [], undefined, files);
    expect(s.beginUnreadRowOps).toBe(5);
    expect(s.beginUnreadPlacedBeforeReadRowOps).toBe(2);
    // the commit's LSN not known
    const { startCommitLsn: _l, ...noLsn } = read();
    kept(beginUnreadPlacedByGaps(noLsn, '2026-03-05T14:00:40', [], undefined, files));
  });

  it('not read from files (an export, a live server\'s fn_dblog), or not told: kept', () => {
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [], undefined, { files: false }));
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', []));
  });

  it('a clock set back, no first commit, places not all kept, or a first record not known: kept', () => {
    kept(beginUnreadPlacedByGaps({ ...read(), clockBackwards: { lsn: '', earlierLsn: '', earlierTime: '', laterTime: '', seconds: 60 } as unknown as CommittedScanStats['clockBackwards'] }, '2026-03-05T14:00:40', [], undefined, files));
    kept(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:00:40', [], undefined, files));
    kept(beginUnreadPlacedByGaps({ ...read(), beginUnreadPlacesOverflow: true }, '2026-03-05T14:00:40', [], undefined, files));
    const s = beginUnreadPlacedByGaps({ ...read(), beginUnreadPlaces: [...read().beginUnreadPlaces!.slice(0, 2), { firstLsn: null, rowOps: 2, endTime: '2026/03/05 14:02:30:000' }] }, '2026-03-05T14:00:40', [], undefined, files);
    expect(s.beginUnreadRowOps).toBe(2);
    expect(s.beginUnreadPlacedBeforeReadRowOps).toBe(5);
    expect([s.beginUnreadFirstCommit, s.beginUnreadLastCommit]).toEqual(['2026/03/05 14:02:30:000', '2026/03/05 14:02:30:000']);
  });

  it('a loss before the first record read: that one kept (unless the gap places it); one first read before every loss placed; a loss with no LSN range: all kept', () => {
    // the gap lies between the third place (first read before it) and the first two (after it); its bound is after `from`
    const s = beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [gap], undefined, files);
    expect(s.beginUnreadRowOps).toBe(5);
    expect(s.beginUnreadPlacedBeforeReadRowOps).toBe(2);
    expect(s.beginUnreadPlacedBeforeReadTransactions).toBe(1);
    expect(s.beginUnreadPlaces!.map((p) => p.firstLsn)).toEqual(['00000028:000003d0:0001', '00000028:000003d0:0002']);
    // a loss starting before the first record of each
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [{ lsnRange: { first: '00000028:00000001:0001', last: '00000028:00000002:0001' } }], undefined, files));
    // a loss whose LSNs are not known (damage in an MTF stream, an .ldf cut open-ended)
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [{}], undefined, files));
    // past the gap's bound: the first two by the gap (its bound said), the third by the read's start
    const both = beginUnreadPlacedByGaps(read(), '2026-03-05T14:01:55.001', [gap], undefined, files);
    expect(both.beginUnreadRowOps).toBe(0);
    expect(both.beginUnreadPlacedOutsideRowOps).toBe(7);
    expect(both.beginUnreadPlacedOutsideBy).toBe('2026-03-05T14:01:55.000');
    expect(both.beginUnreadPlacedBeforeReadRowOps).toBe(2);
  });

  it('an .ldf holding older log cut off from the rest: judged by the first commit past the break when later', () => {
    const whole = { files: true, wholeFromCommit: '2026/03/05 13:01:00:000', wholeFromCommitSeq: 0x28 };
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [], undefined, whole));
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:01:00.000', [], undefined, whole));
    // no commit read past the break: its time not known
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:05:00', [], undefined, { files: true, wholeFromCommit: null }));
    // its VLF not known: nothing placed by it
    kept(beginUnreadPlacedByGaps(read(), '2026-03-05T14:01:00.001', [], undefined, { files: true, wholeFromCommit: '2026/03/05 13:01:00:000' }));
    const s = beginUnreadPlacedByGaps(read(), '2026-03-05T14:01:00.001', [], undefined, whole);
    expect(s.beginUnreadRowOps).toBe(0);
    expect(s.beginUnreadPlacedBeforeReadBy).toBe('2026-03-05T13:01:00.000');
    // an earlier one (not on a clock that runs forward) is not taken
    expect(beginUnreadPlacedByGaps(read(), '2026-03-05T14:00:40', [], undefined, { files: true, wholeFromCommit: '2026/03/05 13:00:10:000', wholeFromCommitSeq: 0x28 }).beginUnreadPlacedBeforeReadBy).toBe('2026-03-05T13:00:30.000');
  });
});

/**
 * placeBeginUnread (log-not-given.ts): the caller's source kind decides whether the read's start
 * places, as scan and a job both call it; `wholeFrom` is FileRecoverySource.logWholeFrom.
 */
describe('placeBeginUnread: by the start of the log read, for files only', () => {
  const read = (): CommittedScanStats => ({ ...stats(), startCommitTime: '2026/03/05 13:00:30:000', startCommitLsn: '00000028:00000010:0006' });
  const w = { from: '2026-03-05T14:00:40.000' };
  it('files: placed; an export, a live or log-backup job: kept', () => {
    expect(placeBeginUnread(read(), w, [], undefined, [], { kind: 'files' }).beginUnreadRowOps).toBe(0);
    expect(placeBeginUnread(read(), w, [], undefined, [], { kind: 'files', wholeFrom: null }).beginUnreadPlacedBeforeReadRowOps).toBe(7);
    for (const kind of ['export', 'live', 'log-backup'] as const) expect(placeBeginUnread(read(), w, [], undefined, [], { kind }).beginUnreadRowOps, kind).toBe(7);
    expect(placeBeginUnread(read(), w, []).beginUnreadRowOps).toBe(7);
  });

  it('files with an .ldf whose older log is cut off: by the first commit past the break', () => {
    const wholeFrom = { seq: 0x2a, firstBeginTime: '2026/03/05 14:00:59:000', firstCommitTime: '2026/03/05 13:01:00:000', firstCommitSeq: 0x2a, older: [0x27, 0x28] };
    expect(placeBeginUnread(read(), w, [], undefined, [], { kind: 'files', wholeFrom }).beginUnreadRowOps).toBe(7);
    expect(placeBeginUnread(read(), { from: '2026-03-05T14:01:00.001' }, [], undefined, [], { kind: 'files', wholeFrom }).beginUnreadRowOps).toBe(0);
    expect(placeBeginUnread(read(), { from: '2026-03-05T14:05' }, [], undefined, [], { kind: 'files', wholeFrom: { ...wholeFrom, firstCommitTime: null } }).beginUnreadRowOps).toBe(7);
  });

  it('log lost or in no file given with no LSN range (damage, a data file newer than the log): kept', () => {
    const damaged: SkippedItem = { code: 'FORMAT_BAD_LOG_BLOCK', reason: 'SYNTHETIC', location: {} };
    expect(placeBeginUnread(read(), w, [damaged], undefined, [], { kind: 'files' }).beginUnreadRowOps).toBe(7);
    expect(placeBeginUnread(read(), w, [], undefined, [{ clause: 'SYNTHETIC' }], { kind: 'files' }).beginUnreadRowOps).toBe(7);
    // one before the first record of the third only
    const early: SkippedItem = { ...damaged, lsnRange: { first: '00000028:00000001:0001', last: '00000028:00000002:0001' } };
    expect(placeBeginUnread(read(), w, [early], undefined, [], { kind: 'files' }).beginUnreadRowOps).toBe(7);
  });

  it('what "why no rows" and the notes say of them: before the log read, which starts at its first commit; not a gap\'s bound', () => {
    const s = placeBeginUnread(read(), w, [], undefined, [], { kind: 'files' });
    const why = explainNoRows({ ...s, rowOps: 7 }, ['delete']);
    expect(why).toContain("7 in transactions whose LOP_BEGIN_XACT is not in the log read, first read before any log lost or in no file given, so began before the log read, which starts at 2026-03-05T13:00:30.000 (the End Time of its first commit, the SQL Server's local time), before the window's start");
    expect(why).not.toContain('first read right after');
    const notes = scanStatsNotes({ ...s, rowOps: 9 }, ['delete'], false).notes;
    expect(notes).toContainEqual(expect.stringMatching(/^7 more committed delete\(s\) on table data rows began outside the window \(7 in transactions whose LOP_BEGIN_XACT is not in the log read, first read before any log lost or in no file given, so began before the log read, which starts at 2026-03-05T13:00:30\.000 .*\): not in this result/));
    const cut = placeBeginUnread(read(), { from: '2026-03-05T14:01:00.001' }, [], undefined, [], { kind: 'files', wholeFrom: { seq: 0x2a, firstBeginTime: null, firstCommitTime: '2026/03/05 13:01:00:000', firstCommitSeq: 0x2a, older: [0x27] } });
    expect(explainNoRows({ ...cut, rowOps: 7 }, ['delete'])).toContain('so began before the log read is whole from, at 2026-03-05T13:01:00.000 (the End Time of its first commit past the older log cut off from it');
    // both reasons, each said with its own count
    const both = placeBeginUnread(read(), { from: '2026-03-05T14:01:55.001' }, [], undefined, [{ clause: 'SYNTHETIC', ...gap }], { kind: 'files' });
    const b = explainNoRows({ ...both, rowOps: 7 }, ['delete']);
    expect(b).toContain("5 in transactions whose LOP_BEGIN_XACT is not in the log read, first read right after log lost or in no file given, so began by 2026-03-05T14:01:55.000, before the window's start");
    expect(b).toContain('2 in transactions whose LOP_BEGIN_XACT is not in the log read, first read before any log lost or in no file given, so began before the log read, which starts at 2026-03-05T13:00:30.000');
  });
});
