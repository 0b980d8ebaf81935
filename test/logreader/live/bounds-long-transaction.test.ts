import { describe, expect, it } from 'vitest';
import { findStartLsn, type VlfInfo } from '../../../src/logreader/live/bounds.js';
import { compareLsn, type Lsn } from '../../../src/logreader/lsn.js';

/**
 * SYNTHETIC model of a log: ten VLFs (sequence 100–109), VLF i written from 10:0i:00 to 10:0i:59;
 * in each, a transaction begins at 10:0i:00 and commits at 10:0i:10 (its records written then), and
 * one more begins at 10:0i:40 and commits at 10:0i:50. One VLF `k`'s first LOP_BEGIN_XACT is instead
 * that of a transaction whose Begin Time is 09:50:00: a BEGIN TRAN whose first change came later (the
 * log holds nothing of a transaction before its first change: Microsoft Learn, BEGIN TRANSACTION,
 * "not recorded in the transaction log until the application subsequently performs an action that
 * must be recorded in the log"; its Begin Time may be older), or a clock set back.
 *
 * The window start bound must leave out no record written at or after --from (a transaction that
 * began in the window writes all its records after it): else the whole transaction, begin, delete
 * and commit, lies before the LSN the scan starts at, and is dropped unsaid. The binary search on
 * each VLF's first Begin Time, not monotone in LSN here, started after such records; a commit's End
 * Time is when it committed, and commits are logged in that order.
 */
const vlfs: VlfInfo[] = Array.from({ length: 10 }, (_, i) => ({ sequence: 100 + i, active: true, firstLsn: { vlf: 100 + i, block: 16, slot: 1 } }));
const at = (i: number, mmss: string) => `2024-03-05T10:0${i}:${mmss}.000`;

/** The records of the model, in LSN order: [lsn, operation, its time (Begin Time / End Time), when it was written]. */
function model(k: number): Array<{ lsn: Lsn; op: 'begin' | 'commit'; time: string; written: string }> {
  const out: Array<{ lsn: Lsn; op: 'begin' | 'commit'; time: string; written: string }> = [];
  for (let i = 0; i < 10; i++) {
    const v = 100 + i;
    out.push({ lsn: { vlf: v, block: 16, slot: 1 }, op: 'begin', time: i === k ? '2024-03-05T09:50:00.000' : at(i, '00'), written: at(i, '00') });
    out.push({ lsn: { vlf: v, block: 20, slot: 1 }, op: 'commit', time: at(i, '10'), written: at(i, '10') });
    out.push({ lsn: { vlf: v, block: 40, slot: 1 }, op: 'begin', time: at(i, '40'), written: at(i, '40') });
    out.push({ lsn: { vlf: v, block: 50, slot: 1 }, op: 'commit', time: at(i, '50'), written: at(i, '50') });
  }
  return out;
}

/** The first record of `op` at or after `lsn`: what a SELECT TOP (1) over fn_dblog(@start, NULL) returns. */
const first = (log: ReturnType<typeof model>, op: 'begin' | 'commit') => async (lsn: Lsn) => log.find((r) => r.op === op && compareLsn(r.lsn, lsn) >= 0)?.time ?? null;

describe('the window start bound leaves out no record written at or after --from', () => {
  const cases: Array<[number, string]> = [];
  for (let k = 0; k < 10; k++) for (const from of ['3:30', '5:20', '7:45', '8:05']) cases.push([k, from]);
  it.each(cases)('the first begin of VLF %i is of a transaction begun at 09:50; --from 10:0%s', async (k, mmss) => {
    const from = `2024-03-05T10:0${mmss}.000`;
    const log = model(k);
    const r = await findStartLsn(vlfs, { commit: first(log, 'commit'), begin: first(log, 'begin') }, from);
    const firstAfter = log.find((x) => x.written >= from)!;
    if (r.start !== null) expect(compareLsn(r.start, firstAfter.lsn)).toBeLessThanOrEqual(0);
    expect(r.logStartsAfterWindow).toBeUndefined();
    expect(r.probes).toBeLessThanOrEqual(6);
  });

  it('says the log begins after the window when its first transaction began after --from', async () => {
    const log = model(-1);
    const r = await findStartLsn(vlfs, { commit: first(log, 'commit'), begin: first(log, 'begin') }, '2024-03-05T09:00:00.000');
    expect(r).toMatchObject({ start: null, logStartsAfterWindow: '2024-03-05T10:00:00.000' });
  });
});
