import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();

/**
 * The header is read from the configuration stream's closing copy (de3c9fc); its FirstLSN, LastLSN
 * and CheckpointLSN may be later than the opening copy's (SQL Server 2019+ full backups), so a
 * LastLSN raised by damage in that copy is no disagreement of the copies. SYNTHETIC damage of the
 * REAL StopAt_23.trn: LastLSN's block number 0x000000f6 → 0x000100f6 in the closing copy. inspect
 * printed that LastLSN and exit 0, while its own log read ends at 00000013:000000f6 (scan, log and
 * restore plan said the stream is short of its header). Now the copies' LSNs are judged against the
 * log stream's first and last block: the opening copy's agree, and are shown, with a WARNING.
 */
describeCorpus('inspect: a log stream short of the header read', () => {
  const trn = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_23.trn');
  let dir = '';
  let damaged = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-inspect-lsn-'));
    const { closing } = headerCopyOffsets(trn);
    damaged = damagedCopy(trn, join(dir, 'StopAt_23.trn'), (b) => {
      expect(b.readUInt32LE(closing + 46)).toBe(0xf6); // SCIN @42: LastLSN (u32 VLF, u32 block, u16 slot)
      b[closing + 48] ^= 0x01;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the LastLSN the log stream holds (the opening copy\'s) and exits 3 with a WARNING naming the damaged copy; the intact file exits 0', async () => {
    expect(readMtfLayout(damaged).problems.map((p) => p.code)).toEqual(['BACKUP_HEADER_WARNING']);
    const r = await cli('inspect', damaged);
    expect(r.stdout).toMatch(/last LSN +\d+ \(00000013:000000f6:0001\)/);
    expect(r.stderr).not.toMatch(/FORMAT_LOG_STREAM_SHORT/);
    expect(r.stderr).toMatch(/rowback inspect: WARNING: .*StopAt_23\.trn: BACKUP_HEADER_WARNING: .* disagree on the LastLSN .*"00000013:000000d7:0001 \.\. 00000013:000100f6:0001, checkpoint 00000013:00000051:00be" in the closing copy; .*the closing copy is damaged/);
    expect(r.code).toBe(3);
    const whole = await cli('inspect', trn);
    expect(whole.code).toBe(0);
    expect(whole.stderr).not.toMatch(/FORMAT_LOG_STREAM/);
  });
});
