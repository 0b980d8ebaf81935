import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { damagedCopy } from '../support/damaged-copy.js';
import { readMtfLayout, STREAM_HEADER_SIZE } from '../../src/backup/mtf.js';
import { readBackupHeader } from '../../src/backup/header.js';

/**
 * A log backup taken under BULK_LOGGED after minimally logged operations carries the data extents
 * they changed (the bulk changed map's), and its log records do not hold those rows (Microsoft
 * Learn, "Recovery models": no point-in-time recovery inside such a log backup). The replay reads
 * log records only: a point in time through such a log backup printed the table without the rows
 * the bulk operation added, exit 0, no word.
 *
 * SYNTHETIC copy of the REAL RestoreTimeClean_2.trn: its first padding stream after the log stream
 * (MSTL DBLK, SPAD) relabelled MQDA, the id SQL Server's data-page streams carry in full and
 * differential backups, its stream header checksum computed again (MTF 1.00a: XOR of the 10 words
 * before it), as a log backup holding data would read. That a real bulk-logged log backup holds its
 * extents in MQDA streams is not checked on one (the corpus has none): the shape is an assumption,
 * said in src/backup/header.ts dataStreamBytes.
 */
describeCorpus('point-in-time dump and restore plan: a log backup holding data pages (BULK_LOGGED extents) is refused', () => {
  const cli = captureCli();
  const { FULL, LOGS } = restoreTimeClean();
  let dir: string;
  let B: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-pit-log-data-'));
    const src = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_2.trn');
    const pad = readMtfLayout(src).streams.find((s, i, all) => s.dblk === 'MSTL' && s.id === 'SPAD' && all[i - 1]?.id === 'MQTL');
    if (!pad) throw new Error(`${src}: no padding stream after its MQTL stream: not the corpus's RestoreTimeClean_2.trn`);
    B = damagedCopy(src, join(dir, 'RestoreTimeClean_2-bulk.trn'), (b) => {
      b.write('MQDA', pad.offset, 'ascii');
      let x = 0;
      for (let k = 0; k < 10; k++) x ^= b.readUInt16LE(pad.offset + 2 * k);
      b.writeUInt16LE(x, pad.offset + STREAM_HEADER_SIZE - 2);
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dump = async (stopAt: string, trn: string) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.ndjson`);
    const r = await cli('dump', '--bak', FULL, '--trn', LOGS[0]!, trn, LOGS[2]!, '--stop-at', stopAt, '--table', 'dbo.steps', '--quiet', '--out', out);
    return { ...r, rows: existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).length : null };
  };

  it('the header counts its data stream; a replay through it and a stop inside it are refused naming the file; a stop before it is not', async () => {
    expect(readBackupHeader(LOGS[1]!).dataStreamBytes).toBe(0);
    expect(readBackupHeader(B).dataStreamBytes).toBeGreaterThan(0);
    // the real log backups: 20 rows at 13:09, 26 at 13:12
    expect(await dump('2017-06-01 13:09', LOGS[1]!)).toMatchObject({ code: 0, rows: 20 });
    expect(await dump('2017-06-01 13:12', LOGS[1]!)).toMatchObject({ code: 0, rows: 26 });
    // a stop after it (in RestoreTimeClean_3.trn): the replay reads it whole, and refuses
    const r = await dump('2017-06-01 13:12', B);
    expect(r.code).toBe(2);
    expect(r.rows).toBeNull();
    expect(r.stderr).toContain(`REPLAY_UNSUPPORTED_OPERATION: log backup ${B} holds data pages`);
    expect(r.stderr).toMatch(/BULK_LOGGED/);
    // a stop inside it: no restore stops there either (restore/chain.ts)
    const inside = await dump('2017-06-01 13:09', B);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`INPUT_RESTORE_BULK_LOGGED: --stop-at 2017-06-01T13:09:00.000 falls inside log backup ${B}`);
    const plan = await cli('restore', 'plan', '--backups', FULL, LOGS[0]!, B, LOGS[2]!, '--stop-at', '2017-06-01 13:09', '--as', 'RTC_side');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toBe('');
    expect(plan.stderr).toContain(`INPUT_RESTORE_BULK_LOGGED: --stop-at 2017-06-01T13:09:00.000 falls inside log backup ${B}`);
    expect(plan.stderr).toContain(`--stop-before-lsn 25000000015300000`);
    // a stop before it needs only RestoreTimeClean_1.trn
    expect(await dump('2017-06-01 13:04', B)).toMatchObject({ code: 0, rows: 10 });
  }, 60_000);
});
