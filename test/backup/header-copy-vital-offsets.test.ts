/**
 * A backup set's two header copies disagreeing on a field a restore reads (FORMAT_BAD_BACKUP_HEADER,
 * neither copy known right): the item's offset is the field in the copy not read, which where only
 * the closing copy is damaged is the INTACT opening one (the closing copy is shown), and its reason
 * named only the two streams' offsets, not the field's in either copy, though mtf.ts's
 * BACKUP_HEADER_WARNING docstring and inspect's untrustedHeaderLines say the reason names both
 * copies' offsets (as the server-name WARNING and the LSN items do). A DBA comparing bytes at the one
 * offset given found them intact. Now the reason names the field at its offset in both copies.
 *
 * SYNTHETIC damage of a copy (temp dir, never the repo) of the corpus's REAL StopAt_2.trn: one
 * byte of the binding id (SCIN @124) in the closing copy only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusAvailable, corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();
const src = () => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_2.trn');
let dir = '';
beforeAll(() => {
  if (corpusAvailable) dir = mkdtempSync(join(tmpdir(), 'rowback-vital-offsets-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describeCorpus('FORMAT_BAD_BACKUP_HEADER names the field in both copies', () => {
  it('binding id damaged in the closing copy only: the reason gives both field offsets; the item offset is one of them; inspect says both', async () => {
    const o = headerCopyOffsets(src());
    const f = damagedCopy(src(), join(dir, 'StopAt_2.trn'), (b) => {
      b[o.closing + 124] ^= 0x01; // SCIN @124: the binding id
    });
    const l = readMtfLayout(f);
    expect(l.problems.map((p) => p.code)).toEqual(['FORMAT_BAD_BACKUP_HEADER']);
    const p = l.problems[0]!;
    const both = `disagree on the binding id (the field at offset ${o.opening + 124} in the opening copy, ${o.closing + 124} in the closing copy): `;
    expect(p.reason).toContain(both);
    expect([o.opening + 124, o.closing + 124]).toContain(p.location.offset);
    const i = await cli('inspect', f, '--quiet');
    expect(i.code).toBe(3);
    expect(i.stderr).toContain(both);
  }, 60_000);
});
