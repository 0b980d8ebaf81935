import { describe, expect, it } from 'vitest';
import { beginUnreadPlacedByGaps, emptyStats, type CommittedScanStats } from '../../src/recover/committed.js';

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

  it('a window starting at the bound, a bound of a whole second reaching it, no bound, or none kept: as they were', () => {
    const same = (s: CommittedScanStats) => expect(s.beginUnreadRowOps).toBe(7);
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:01:55.000', [gap]));
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:01:55.500', [{ ...gap, before: '2026-03-05T14:01:55' }]));
    same(beginUnreadPlacedByGaps(stats(), '2026-03-05T14:03:00', [{ lsnRange: gap.lsnRange }]));
    same(beginUnreadPlacedByGaps({ ...stats(), beginUnreadPlacesOverflow: true }, '2026-03-05T14:03:00', [gap]));
    same(beginUnreadPlacedByGaps(stats(), undefined, [gap]));
  });

  it('a window after the read\'s first commit and before the gap\'s `after`: those first read after it are taken out too', () => {
    const read = { ...stats(), startCommitTime: '2026/03/05 14:00:30:000' };
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
