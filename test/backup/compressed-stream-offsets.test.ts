import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * The damage the MTF walk finds in a compressed backup is placed at offsets of its decompressed
 * stream (docs/offline-log.md), which the message did not say: TSQLV4.bak (864,256 bytes) cut after
 * a compressed chunk, at 856,064, read "the file ends at offset 7573504, before backup set 1's
 * closing blocks … a cut-short copy" (newcomer DBA, incident 3: an offset 9 times the file's size,
 * and "the file ends" where the file ends at 856,064). Now the walk's words for a compressed backup
 * are its stream's, and each such item says where the file itself ends and that its offsets are of
 * the decompressed stream.
 * REAL TSQLV4.bak bytes, cut at test time (never kept).
 */
const cli = captureCli();

describeCorpus('a compressed backup cut short: the offsets said are of its decompressed stream, and it says so', () => {
  let dir: string;
  let cut: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-compressed-offsets-'));
    cut = join(dir, 'TSQLV4.bak');
    writeFileSync(cut, readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')).subarray(0, 856064));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const SAID = 'offsets here are of the decompressed MTF stream of this compressed backup (7573504 bytes); the file itself is 856064 bytes';

  it('readMtfLayout: the stream ends, not the file; the note on each item', () => {
    const l = readMtfLayout(cut);
    expect(l.problems).toHaveLength(1);
    const p = l.problems[0]!;
    expect(p.reason).toMatch(/^its decompressed stream ends at offset 7573504, before backup set 1's closing blocks/);
    expect(p.reason).not.toMatch(/the file ends at offset 7573504/);
    expect(p.reason).toContain(SAID);
  });

  it('inspect says it', async () => {
    const r = await cli('inspect', cut);
    expect(r.stdout + r.stderr).toContain(SAID);
  });

  it('an uncompressed backup keeps its words', () => {
    const trn = readFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn'));
    const f = join(dir, 'cut.trn');
    writeFileSync(f, trn.subarray(0, 74240));
    const p = readMtfLayout(f).problems[0]!;
    expect(p.reason).toMatch(/^the file ends at offset 74240/);
    expect(p.reason).not.toContain('decompressed');
  });
});
