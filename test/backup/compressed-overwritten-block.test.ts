import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { mtfRefusal, overwriteSeeded } from '../support/damaged-copy.js';

/**
 * A compressed backup (MSSQLBAK container) with a 4 KB block overwritten by other bytes (not zeros,
 * which test/backup/compressed-zeroed-block.test.ts covers): a damaged copy. The container indexer
 * reads record headers only, so the chunk whose payload the bytes overwrote was passed over
 * unchecked and the indexer stepped by its length into the foreign bytes, whose first 4 read as a
 * record header: the copy was refused as a layout rowback does not know (FORMAT_COMPRESSED_BACKUP:
 * "record kind 0xba (242 sectors, 53775 bytes) is not one rowback has seen; rowback does not guess
 * at this layout", at an offset inside the overwritten block), read as "rowback cannot read this kind
 * of backup", not as a damaged copy to replace. Where the chunk before the unknown header fails its
 * check value, the copy is damaged there: FORMAT_BAD_COMPRESSED_DATA naming that chunk's file offset.
 * REAL TSQLV4.bak with SYNTHETIC damage (a block of seeded pseudo-random bytes), made at test time,
 * never kept.
 */
describeCorpus('a compressed backup with a block overwritten: damaged, not an unknown layout', () => {
  const REAL = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-overwritten-compressed-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const overwritten = (at: number): string => {
    const b = Buffer.from(readFileSync(REAL));
    overwriteSeeded(b, at, 4096);
    const f = join(dir, `over-${at}.bak`);
    writeFileSync(f, b);
    return f;
  };
  it('a block in the data chunks: FORMAT_BAD_COMPRESSED_DATA at a file offset, not "does not guess at this layout"', () => {
    for (const at of [442368, 65536, 200704, 602112]) {
      const e = mtfRefusal(overwritten(at));
      expect(e, String(at)).not.toBeNull();
      expect(e!.message, String(at)).not.toContain('does not guess at this layout');
      expect(e!.code, `${at}: ${e!.message}`).toBe('FORMAT_BAD_COMPRESSED_DATA');
    }
  });

  it('the whole file still reads', () => {
    expect(readMtfLayout(REAL)).toMatchObject({ sets: 1, problems: [] });
  });
});
