import { describe, expect, it } from 'vitest';
import { findStartLsn, vlfsFromRows, type VlfInfo } from '../../../src/logreader/live/bounds.js';
import { formatLsn, type Lsn } from '../../../src/logreader/lsn.js';

/** Ten VLFs; the first transaction of VLF i began at 10:0i, and the first commit ended then too (the probes answer alike). */
const vlfs: VlfInfo[] = Array.from({ length: 10 }, (_, i) => ({ sequence: 100 + i, active: true, firstLsn: { vlf: 100 + i, block: 16, slot: 1 } }));
const timeOf = (l: Lsn) => `2024-03-05T10:0${l.vlf - 100}:00.000`;

describe('findStartLsn', () => {
  it.each([
    ['2024-03-05T10:05:30.000', 104], // last VLF beginning before is 105; one VLF of margin
    ['2024-03-05T10:05:00.000', 103], // 10:05 is not before 10:05 → last before is 104
    ['2024-03-05T10:09:59.000', 108],
    ['2024-03-05T10:00:30.000', null], // margin reaches the oldest VLF: no bound at all
    ['2024-03-05T10:01:30.000', null],
    ['2024-03-05T10:02:30.000', 101],
  ])('window from %s starts at VLF %s', async (from, vlf) => {
    const probed: string[] = [];
    const r = await findStartLsn(vlfs, { commit: async (l) => (probed.push(formatLsn(l)), timeOf(l)), begin: async (l) => (probed.push(formatLsn(l)), timeOf(l)) }, from);
    expect(r.start?.vlf ?? null).toBe(vlf);
    expect(r.logStartsAfterWindow).toBeUndefined();
    // A binary search: about log2(10) probes, never a walk over every VLF.
    expect(r.probes).toBeLessThanOrEqual(5);
    expect(probed.length).toBe(r.probes);
  });

  it('says so when the log begins after the window start', async () => {
    const r = await findStartLsn(vlfs, { commit: async (l) => timeOf(l), begin: async (l) => timeOf(l) }, '2024-03-05T09:00:00.000');
    expect(r.start).toBeNull();
    expect(r.logStartsAfterWindow).toBe('2024-03-05T10:00:00.000');
  });

  it('treats a VLF with no transaction after it as after the window', async () => {
    const r = await findStartLsn(vlfs, { commit: async (l) => (l.vlf >= 107 ? null : timeOf(l)), begin: async (l) => timeOf(l) }, '2024-03-05T11:00:00.000');
    expect(r.start?.vlf).toBe(105);
  });

  it('has no bound without VLFs', async () => {
    expect(await findStartLsn([], { commit: async () => null, begin: async () => null }, '2024-01-01T00:00:00.000')).toEqual({ start: null, probes: 0 });
  });
});

describe('vlfsFromRows', () => {
  const rows = [
    { vlf_sequence_number: 41, vlf_active: false, vlf_first_lsn: '00000029:00000010:0001' },
    { vlf_sequence_number: 42, vlf_active: true, vlf_first_lsn: '0000002a:00000010:0001' },
    { vlf_sequence_number: 0, vlf_active: false, vlf_first_lsn: '00000000:00000000:0000' },
    { vlf_sequence_number: 43, vlf_active: 1, vlf_first_lsn: '0000002b:00000010:0001' },
  ];
  it('keeps active VLFs, in LSN order, skipping unused ones', () => {
    expect(vlfsFromRows(rows, false).map((v) => v.sequence)).toEqual([42, 43]);
    expect(vlfsFromRows(rows, true).map((v) => v.sequence)).toEqual([41, 42, 43]);
  });
});
