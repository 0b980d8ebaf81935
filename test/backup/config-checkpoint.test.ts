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
 * The header is read from the closing copy of the configuration stream, whose LSNs may be later than
 * the opening copy's (de3c9fc), so a CheckpointLSN raised by damage in the closing copy was no
 * disagreement: inspect printed it, exit 0. Now the copies' LSNs are judged against the log stream:
 * the opening copy's checkpoint lies in it, the closing copy's does not, so the opening copy is read,
 * with a WARNING. A full or differential backup's checkpoint lies in the
 * log it holds (FirstLSN <= CheckpointLSN <= LastLSN in every full and differential set of the
 * corpus). SYNTHETIC damage of the REAL StopAt.bak: CheckpointLSN's block 0x51 → 0x10051.
 */
describeCorpus('a full backup\'s CheckpointLSN outside the log it holds, in the header copy read', () => {
  const bak = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt.bak');
  let dir = '';
  let damaged = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-config-ckpt-'));
    const { closing } = headerCopyOffsets(bak);
    damaged = damagedCopy(bak, join(dir, 'StopAt.bak'), (b) => {
      expect(b.readUInt32LE(closing + 56)).toBe(0x51); // SCIN @52: CheckpointLSN (u32 VLF, u32 block, u16 slot)
      b[closing + 58] ^= 0x01;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a WARNING naming both copies\' LSNs, the opening copy\'s used; inspect exits 3', async () => {
    const p = readMtfLayout(damaged).problems;
    expect(p.map((x) => x.code)).toEqual(['BACKUP_HEADER_WARNING']);
    expect(p[0]!.reason).toContain('disagree on the CheckpointLSN (the field at offset 3714 in the opening copy, 1519234 in the closing copy): "00000013:00000051:00be .. 00000013:000000a1:0001, checkpoint 00000013:00000051:00be" in the opening copy, "00000013:00000051:00be .. 00000013:000000a1:0001, checkpoint 00000013:00010051:00be" in the closing copy; the log stream runs from 00000013:00000051:0001 to 00000013:000000a1:0001: the opening copy\'s LSNs agree with it and are used; the closing copy\'s do not (its CheckpointLSN 00000013:00010051:00be of a full or differential backup is outside its FirstLSN .. LastLSN)');
    const r = await cli('inspect', damaged);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/checkpoint LSN +\d+ \(00000013:00000051:00be\)/);
    expect(r.stderr).toMatch(/rowback inspect: WARNING: .*StopAt\.bak: BACKUP_HEADER_WARNING: .* disagree on the CheckpointLSN/);
    expect(readMtfLayout(bak).problems).toEqual([]);
  });
});
