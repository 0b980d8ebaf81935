import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `inspect` of a compressed backup whose data stream holds a chunk failing its check value. inspect
 * says "exit 3 when it finds damage in what it reads …, everything readable still printed"; it
 * refused the whole file instead (exit 2, nothing on stdout), though the header, the files and the
 * log are readable. Now it prints them, says the data pages are not read for a damaged compressed
 * chunk (naming its file offset) and exits 3. REAL TSQLV4-compressed/TSQLV4.bak; its SYNTHETIC copy
 * with one bit flipped at file offset 300,000 (a chunk of data pages) is written to a temp dir.
 */
const cli = captureCli();

describeCorpus('inspect: a damaged compressed chunk among the data pages', () => {
  it('header, files and log are printed; data pages not read, the chunk named; exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-inspect-chunk-'));
    try {
      const bak = join(dir, 'TSQLV4-data-chunk-damaged.bak');
      const b = Buffer.from(readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')));
      b[300_000] ^= 0x04;
      writeFileSync(bak, b);
      const r = await cli('inspect', bak);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toMatch(/^database {17}TSQLV4$/m);
      expect(r.stdout).toMatch(/^last LSN {17}39000000375200001 /m);
      expect(r.stdout).toMatch(/^data pages {15}not read \(a damaged compressed chunk\)$/m);
      expect(r.stdout).toMatch(/^log records {14}89$/m);
      expect(r.stdout).toContain('FORMAT_BAD_COMPRESSED_DATA: compressed chunk fails its check value');
      expect(r.stdout).toContain('(file offset 280335, in the backup\'s data stream)');
      expect(r.stderr).toMatch(/^rowback inspect: INCOMPLETE: 1 item\(s\) of .* \(FORMAT_BAD_COMPRESSED_DATA\)/);
      // dump still refuses the copy (its pages are not indexed)
      const d = await cli('dump', '--bak', bak, '--all', '--out', join(dir, 'rows.ndjson'));
      expect(d.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
