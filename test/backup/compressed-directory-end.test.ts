import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { indexCompressedBackup } from '../../src/backup/compressed.js';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { mtfRefusal, overwriteSeeded } from '../support/damaged-copy.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A compressed backup (MSSQLBAK container) damaged right after its directory record (kind 0x2C).
 * The container indexer found the record after a directory at the first following 4 KB boundary
 * holding an SFMB block or a chunk passing its check value, and counted the blocks it passed over
 * (`directoryBlocksSkipped`) without a word: in TSQLV4.bak the directory ends at 851,968, where a
 * 4 KB SFMB block stands; with that block overwritten (or zeroed) the indexer went on at 856,064,
 * and the block was dropped from the decompressed stream unsaid (`inspect` exit 0, "backup size
 * 7585792" for 7589888). Had a compressed chunk stood there, its part of the backup would have
 * been lost the same way. The directory gives its own length (a u32 @0x20, counted from @0x18,
 * repeated with its bytes @0x18..0x28 in its last 16 bytes: compressed.ts header), so what is
 * not a record there is now damage (FORMAT_BAD_COMPRESSED_DATA, at that offset); and a directory
 * that does not vouch for its length may not pass over whole blocks to reach the next record.
 * REAL TSQLV4.bak with SYNTHETIC damage (seeded pseudo-random bytes or zeros), made at test time,
 * never kept.
 */
const cli = captureCli();

describeCorpus('a compressed backup damaged right after its directory record: refused, not a block dropped unsaid', () => {
  const REAL = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
  const DIRECTORY = 848702;
  const AFTER = 851968;
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-directory-end-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const copy = (name: string, change: (b: Buffer) => void): string => {
    const b = Buffer.from(readFileSync(REAL));
    change(b);
    const f = join(dir, name);
    writeFileSync(f, b);
    return f;
  };
  const streamSize = (file: string): number => {
    const fd = openSync(file, 'r');
    try {
      return indexCompressedBackup(file, fd).size;
    } finally {
      closeSync(fd);
    }
  };

  it('the corpus file: its directory ends where it says, at the SFMB block', () => {
    const b = readFileSync(REAL);
    expect(b[DIRECTORY]).toBe(0x2c);
    expect(DIRECTORY + 0x18 + b.readUInt32LE(DIRECTORY + 0x20)).toBe(AFTER);
    expect(b.subarray(AFTER - 16, AFTER).equals(b.subarray(DIRECTORY + 0x18, DIRECTORY + 0x28))).toBe(true);
    expect(b.toString('latin1', AFTER, AFTER + 4)).toBe('SFMB');
    expect(readMtfLayout(REAL)).toMatchObject({ sets: 1, problems: [] });
    expect(streamSize(REAL)).toBe(7589888);
  });

  it('the block after the directory overwritten or zeroed: FORMAT_BAD_COMPRESSED_DATA at its offset', async () => {
    for (const [name, change] of [
      ['over.bak', (b: Buffer) => overwriteSeeded(b, AFTER, 4096)],
      ['zero.bak', (b: Buffer) => b.fill(0, AFTER, AFTER + 4096)],
    ] as const) {
      const f = copy(name, change);
      const e = mtfRefusal(f);
      expect(e, name).not.toBeNull();
      expect(e!.code, `${name}: ${e!.message}`).toBe('FORMAT_BAD_COMPRESSED_DATA');
      expect(e!.message).toBe(`the directory record at file offset ${DIRECTORY} ends at file offset ${AFTER} (its length, repeated in its last 16 bytes), where no record stands (neither an SFMB block nor a compressed chunk passing its check value): the copy is damaged there (bytes overwritten or lost); the record that stood there is lost with the part of the backup it held, and nothing after it can be placed: read another copy of the file`);
    }
    const inspect = await cli('inspect', join(dir, 'over.bak'));
    expect(inspect.code).toBe(2);
    expect(inspect.stdout).toBe('');
    expect(inspect.stderr.trim().split('\n')).toHaveLength(1);
    expect(inspect.stderr).toContain(`FORMAT_BAD_COMPRESSED_DATA: the directory record at file offset ${DIRECTORY} ends at file offset ${AFTER}`);
  });

  it('a directory whose last 16 bytes do not repeat its header: found at the next boundary, whole', () => {
    const f = copy('dir-tail.bak', (b) => { b[AFTER - 3] ^= 0x40; });
    expect(mtfRefusal(f)).toBeNull();
    expect(streamSize(f)).toBe(7589888);
  });

  it('such a directory with the block after it overwritten: refused, not passed over to the next record', () => {
    const f = copy('dir-tail-over.bak', (b) => { b[AFTER - 3] ^= 0x40; overwriteSeeded(b, AFTER, 4096); });
    const e = mtfRefusal(f);
    expect(e).not.toBeNull();
    expect(e!.code, e!.message).toBe('FORMAT_BAD_COMPRESSED_DATA');
    expect(e!.message).toBe(`the directory record at file offset ${DIRECTORY} does not give its length as seen (its last 16 bytes do not repeat its header's), and the next record found is at file offset 856064, 1 4 KiB block(s) past the boundary after it (${AFTER}): what stood between cannot be placed, and a compressed chunk there would be lost unsaid: the copy is damaged there (bytes overwritten or lost), or its directory is laid out as rowback has not seen (one compressed backup's was checked: its length repeated in its last 16 bytes), and rowback does not guess: read another copy of the file, or restore it with SQL Server`);
  });
});
