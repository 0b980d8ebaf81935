import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A log backup whose damage lies in the zero padding of its log stream after its log's end (REAL
 * RestoreTimeClean_1.trn: its log reaches the header's LastLSN 00000019:00000099:0001 at block 0x99;
 * the stream's bytes 72704–73216 are zero). MODIFIED copy made at test time: 200 bytes there
 * overwritten. Every record is read (the same as from the whole file), yet `log` and `scan` said
 * INCOMPLETE, "records in those LSN ranges are missing", naming no LSN: nothing of the backup's log
 * is there. Now said as a note (LOG_PAST_END_DAMAGED), not a loss; damage inside the log stays a loss.
 */
const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let past: string;
let inside: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-damage-past-log-end-'));
  const whole = readFileSync(rtc('RestoreTimeClean_1.trn'));
  expect(whole.subarray(72704, 73216).every((x) => x === 0)).toBe(true);
  const b = Buffer.from(whole);
  b.fill(0x55, 73000, 73200);
  past = join(dir, 'past-end.trn');
  writeFileSync(past, b);
  const c = Buffer.from(whole);
  c.fill(0x55, 50000, 50200);
  inside = join(dir, 'inside.trn');
  writeFileSync(inside, c);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('damage after a log backup\'s log ends (RestoreTimeClean_1.trn)', () => {
  it('log: every record printed, no INCOMPLETE; the damage said as a note', async () => {
    const whole = await cli('log', rtc('RestoreTimeClean_1.trn'), '--format', 'csv', '--quiet');
    const r = await cli('log', past, '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').length).toBe(whole.stdout.split('\n').length);
    expect(r.stderr).not.toContain('INCOMPLETE');
    expect(r.stderr).toMatch(/note: .*LOG_PAST_END_DAMAGED/);
  });

  it('scan: no INCOMPLETE', async () => {
    const r = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', past, '--op', 'delete,insert,update', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('INCOMPLETE');
  });

  it('damage inside the log stays INCOMPLETE', async () => {
    expect((await cli('log', inside, '--quiet')).stderr).toContain('INCOMPLETE');
    expect((await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', inside, '--quiet')).stderr).toContain('INCOMPLETE');
  });

  it('its log reads whole for the copy choice and restore planning (readLogCommitTimes)', async () => {
    const { readLogCommitTimes } = await import('../../src/backup/log-commits.js');
    expect((await readLogCommitTimes(past)).whole).toBe(true);
    expect((await readLogCommitTimes(inside)).whole).toBe(false);
  });
});
