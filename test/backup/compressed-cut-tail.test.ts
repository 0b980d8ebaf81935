/**
 * A compressed backup (MSSQLBAK container) cut short past its first chunk, at each kind of record
 * the cut can land in: a padding record, a compressed chunk, an uncompressed SFMB block, a record
 * header, a chunk header. Each is one FORMAT_COMPRESSED_BACKUP line saying the copy is cut short,
 * naming the record and its offset, and what to do (read another copy). The old code said a padding
 * record, an SFMB block or a header cut by the end "runs past the end of the file; rowback does not
 * guess at this layout" (or "does not fit in the file"), the words of a backup layout it cannot read,
 * never that the file was cut, nor what to do. The REAL TSQLV4.bak (corpus TSQLV4-compressed) is cut
 * at test time in a temp dir (SYNTHETIC damage). Its records near the end (indexCompressedBackup):
 * an SFMB block at 851968 (4096 bytes), a chunk at 856064 (28-byte header + 447), a padding record
 * at 856539, an SFMB block at 860160 to the end (864256); a padding record at 860 after the first chunk.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('compressed backup cut short after its first chunk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-compressed-cut-tail-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cuts: Array<[at: number, what: string]> = [
    [1000, 'the padding record of 3212 bytes at file offset 860'],
    [300_000, 'the chunk of 22137 bytes at file offset 280307'],
    [851_975, 'the header of the uncompressed SFMB block at file offset 851968'],
    [852_000, 'the uncompressed SFMB block of 4096 bytes at file offset 851968'],
    [856_066, 'the record header at file offset 856064'],
    [856_074, 'the 28-byte chunk header at file offset 856064'],
    [859_256, 'the padding record of 3597 bytes at file offset 856539'],
    [864_255, 'the uncompressed SFMB block of 4096 bytes at file offset 860160'],
  ];
  for (const [at, what] of cuts) {
    it(`cut at ${at}: inspect and dump --all say the copy is cut short in ${what}`, async () => {
      const f = join(dir, `cut-${at}.bak`);
      writeFileSync(f, readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')).subarray(0, at));
      for (const argv of [['inspect', f], ['dump', '--bak', f, '--all']]) {
        const r = await cli(...argv);
        expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(2);
        expect(r.stdout).toBe('');
        const line = expectOneLineError(r, 'FORMAT_COMPRESSED_BACKUP');
        expect(line).toContain(`cut short: ${what} runs past the end of the file (${at} bytes): a partial copy; read another copy of this backup`);
        expect(line).not.toContain('does not guess');
        expect(line).toContain(f);
      }
    });
  }
});
