/**
 * A compressed backup (MSSQLBAK container) cut before or inside its first compressed chunk: one
 * FORMAT_COMPRESSED_BACKUP line naming the cut, exit 2. The REAL TSQLV4.bak (corpus
 * TSQLV4-compressed) is cut at test time in a temp dir (SYNTHETIC damage). The old code read the
 * chunk header at 0x1E0 past the end of a file shorter than that and failed with INTERNAL (a
 * RangeError from fs.readSync, a negative length), on inspect, dump and every other reader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('compressed backup cut short before its first chunk is whole', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-compressed-cut-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // 8: only the magic; 12: magic and version; 100, 479: before the first record (0x1E0);
  // 490, 507: inside its 28-byte header; 600, 800: inside its payload
  for (const at of [8, 12, 100, 479, 490, 507, 600, 800]) {
    it(`cut at ${at}: inspect and dump --all refuse it in one line naming the cut`, async () => {
      const f = join(dir, `cut-${at}.bak`);
      writeFileSync(f, readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')).subarray(0, at));
      for (const argv of [['inspect', f], ['dump', '--bak', f, '--all']]) {
        const r = await cli(...argv);
        expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(2);
        const line = expectOneLineError(r, 'FORMAT_COMPRESSED_BACKUP');
        expect(line).toMatch(/partial copy/);
        expect(line).toContain(f);
      }
    });
  }
});
