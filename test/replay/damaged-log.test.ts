import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { replayTableAt } from '../../src/replay/point-in-time.js';
import { replaySummary } from '../../src/replay/summary.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const FULL = RTC('RestoreTimeClean.bak');
const at = { kind: 'time' as const, time: '2017-06-01T13:01:13.000' };

/** A copy of RestoreTimeClean_1.trn with `n` bytes at `offset` zeroed (a torn or overwritten stretch). */
function zeroed(offset: number, n: number): string {
  const b = Buffer.from(readFileSync(RTC('RestoreTimeClean_1.trn')));
  b.fill(0, offset, offset + n);
  const f = join(mkdtempSync(join(tmpdir(), 'rowback-damaged-trn-')), 'RestoreTimeClean_1.trn');
  writeFileSync(f, b);
  return f;
}

/**
 * The point-in-time replay over a log backup with a damaged stretch: the lost records may hold
 * row operations of the table, so the table at the stop point cannot be told. It printed
 * "dbo.steps at 2017-06-01T13:01:13.000: 4 row(s)" — step 0 (inserted at LSN 8f:…, in the zeroed
 * block) missing — with exit 0 and not a word about the damage; the scan of the same file says
 * INCOMPLETE (FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_GAP 8c:1 up to 90:1).
 */
describeCorpus('point-in-time replay over a damaged log backup', () => {
  it('the undamaged chain: 5 rows at 13:01:13', async () => {
    const r = await replayTableAt({ bak: [FULL], trn: [RTC('RestoreTimeClean_1.trn')], table: 'dbo.steps', target: at });
    expect(r.rows).toHaveLength(5);
  });

  it('a zeroed block inside the stretch the replay needs is refused (REPLAY_LOG_DAMAGED, naming the file and the LSNs lost), never a table missing rows', async () => {
    for (const offset of [48336, 50384]) {
      const trn = zeroed(offset, 512);
      await expect(replayTableAt({ bak: [FULL], trn: [trn], table: 'dbo.steps', target: at })).rejects.toMatchObject({
        code: 'REPLAY_LOG_DAMAGED',
        // the damaged block names the LSNs it lost itself (the reader: between the readable blocks around it)
        message: expect.stringMatching(/RestoreTimeClean_1\.trn: log records could not be read \(FORMAT_BAD_LOG_BLOCK: .*LSNs from 00000019:[0-9a-f]{8}:0001 up to 00000019:[0-9a-f]{8}:0001 could not be read/),
      });
    }
  });

  it('a log backup whose MTF block is zeroed is left out of the plan, and the refusal names it (it said only "there is no log backup after the full backup")', async () => {
    const trn = zeroed(6144, 512);
    await expect(replayTableAt({ bak: [FULL], trn: [trn], table: 'dbo.steps', target: at })).rejects.toMatchObject({
      code: 'INPUT_RESTORE_TOO_LATE',
      message: expect.stringMatching(/left out as damaged \(cut, unreadable, or its header's two copies disagree; `rowback inspect` says where\): .*RestoreTimeClean_1\.trn/),
    });
  });

  it('--stop-before-lsn at the start of the damaged stretch: the same table as the whole file, and a note that the log past the stop is damaged (the summary named only the first record read after it, as if the log up to it were whole)', async () => {
    const trn = zeroed(48336, 512); // lost: 19:8c:1 up to 19:90:1 (the refusal above)
    const target = { kind: 'lsn' as const, lsn: '25000000014000001' }; // 00000019:0000008c:0001
    const whole = await replayTableAt({ bak: [FULL], trn: [RTC('RestoreTimeClean_1.trn')], table: 'dbo.steps', target });
    const r = await replayTableAt({ bak: [FULL], trn: [trn], table: 'dbo.steps', target });
    expect(r.rows).toEqual(whole.rows);
    expect(whole.notes).toEqual([]);
    expect(r.notes).toEqual([`${trn}: log past the stop point could not be read (FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_GAP: LSNs from 00000019:0000008c:0001 up to 00000019:00000090:0001, offset 47616): this replay applies no record from the stop point on, so it does not need that log; a later stop point would be refused, as that log may hold changes of the table`]);
    expect(replaySummary(r).join('\n')).toContain('rowback dump: stopped at LSN 00000019:00000090:0001, the stop point reached: no record at or after it applied');
  });

  it('damage only where the full backup already holds the log (LSNs before its end) changes nothing: the replay reads none of it', async () => {
    const trn = zeroed(11370, 8192);
    const r = await replayTableAt({ bak: [FULL], trn: [trn], table: 'dbo.steps', target: at });
    expect(r.rows).toHaveLength(5);
  });
});
