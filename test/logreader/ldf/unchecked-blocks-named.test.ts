/**
 * A few log blocks without a log block checksum among blocks with one are named (file, offset, first
 * LSN): one lone unchecked block among checked ones is suspect — its checksum flag and checksum may
 * have been wiped by the damage they would have shown — and the reader is told which block to compare.
 * The count stays cheap: LogScanStats keeps at most UNCHECKED_BLOCKS_NAMED of them.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_CHECKSUM_OFFSET, BLOCK_STATUS_CHECKSUM, BLOCK_STATUS_OFFSET } from '../../../src/logreader/ldf/constants.js';
import { emptyLogScanStats, readLdfRecords, UNCHECKED_BLOCKS_NAMED, uncheckedBlocksNote, type UncheckedLogBlock } from '../../../src/logreader/ldf/reader.js';
import { logBlockChecksum, parseBlockHeader } from '../../../src/logreader/ldf/structures.js';
import { formatLsn } from '../../../src/logreader/lsn.js';
import { mergeLogScanStats } from '../../../src/logreader/parallel/parallel-reader.js';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

const cli = captureCli();
const block = (offset: number, lsn: string): UncheckedLogBlock => ({ file: '/x/db_log.ldf', offset, firstLsn: lsn });
const A = block(335360, '00000023:0000008f:0001');
const B = block(409600, '00000024:00000010:0001');
const C = block(8192, '00000022:00000010:0001');

describe('uncheckedBlocksNote names a few unchecked blocks among checked ones', () => {
  it('one of many: named by file, offset and first LSN', () => {
    expect(uncheckedBlocksNote(1, 966, [A])).toBe(
      '1 of the 966 log blocks read carries no log block checksum: the block at offset 335360 of /x/db_log.ldf (first LSN 00000023:0000008f:0001). Among blocks with a checksum a lone one without is suspect: written before the database was put on PAGE_VERIFY CHECKSUM, or its checksum flag (block header status 0x2) cleared by the very damage it would have shown; damage inside its records cannot be detected, so compare rows from it with another copy (the database, another copy of the file or backup) before re-inserting them',
    );
  });
  it('two and three: all named', () => {
    expect(uncheckedBlocksNote(2, 966, [A, B])).toContain('2 of the 966 log blocks read carry no log block checksum: the block at offset 335360 of /x/db_log.ldf (first LSN 00000023:0000008f:0001) and the block at offset 409600 of /x/db_log.ldf (first LSN 00000024:00000010:0001). Among blocks with a checksum a few without are suspect');
    expect(uncheckedBlocksNote(3, 966, [A, B, C])).toContain(': the block at offset 335360 of /x/db_log.ldf (first LSN 00000023:0000008f:0001), the block at offset 409600 of /x/db_log.ldf (first LSN 00000024:00000010:0001) and the block at offset 8192 of /x/db_log.ldf (first LSN 00000022:00000010:0001). ');
  });
  it('more than UNCHECKED_BLOCKS_NAMED, every block unchecked, or no list: the count, as before', () => {
    const before = (u: number, n: number) => uncheckedBlocksNote(u, n);
    expect(UNCHECKED_BLOCKS_NAMED).toBe(3);
    expect(uncheckedBlocksNote(282, 283, [A, B, C])).toBe(before(282, 283));
    expect(uncheckedBlocksNote(4, 283, [A, B, C])).toBe(before(4, 283));
    expect(uncheckedBlocksNote(2, 2, [A, B])).toBe(before(2, 2));
    expect(uncheckedBlocksNote(1, 966)).toBe(before(1, 966));
    expect(before(282, 283)).toMatch(/^282 of the 283 log blocks read carry no log block checksum \(written while the database was not on PAGE_VERIFY CHECKSUM\)/);
  });
  it('merged stats (one pass over several files or workers) keep at most UNCHECKED_BLOCKS_NAMED', () => {
    const into = emptyLogScanStats();
    for (const list of [[A, B], [C, A]]) mergeLogScanStats(into, { ...emptyLogScanStats(), blocks: 2, uncheckedBlockList: list });
    expect(into.uncheckedBlockList).toEqual([A, B, C]);
  });
});

describeCorpus('a real log with one block whose checksum flag and checksum were wiped (a damaged copy of Database1_log.ldf)', () => {
  const real = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const AT = 335360; // a 1024-byte block holding rows of dbo.tblDept
  function damagedCopy(): { copy: string; firstLsn: string } {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-lone-block-'));
    const copy = join(dir, 'Database1_log.ldf');
    copyFileSync(real, copy);
    const b = readFileSync(copy);
    expect(b[AT + BLOCK_STATUS_OFFSET]! & BLOCK_STATUS_CHECKSUM).toBe(BLOCK_STATUS_CHECKSUM);
    // the flag alone is not enough: the checksum covers it, so the block is refused as damaged
    // (block-checksum.test.ts); flag and checksum word both wiped, the block reads as unchecked
    b[AT + BLOCK_STATUS_OFFSET]! &= ~BLOCK_STATUS_CHECKSUM;
    b.writeUInt32LE(0, AT + BLOCK_CHECKSUM_OFFSET);
    writeFileSync(copy, b);
    return { copy, firstLsn: formatLsn(parseBlockHeader(b, AT).firstLsn) };
  }

  it('the log reader keeps it in its stats, with its offset and first LSN', async () => {
    const { copy, firstLsn } = damagedCopy();
    const stats = emptyLogScanStats();
    for await (const _ of readLdfRecords(copy, {}, stats)) void _;
    expect(stats.blocks - stats.checksummedBlocks).toBe(1);
    expect(stats.uncheckedBlockList).toEqual([{ file: copy, offset: AT, firstLsn }]);
    const clean = emptyLogScanStats();
    for await (const _ of readLdfRecords(real, {}, clean)) void _;
    expect(clean.uncheckedBlockList).toEqual([]);
  });

  it('scan: the same 16 rows, and a note naming the block', async () => {
    const { copy, firstLsn } = damagedCopy();
    expect(firstLsn).toBe('00000023:0000008f:0001');
    const clean = await cli('scan', '--mdf', mdf, '--ldf', real);
    const r = await cli('scan', '--mdf', mdf, '--ldf', copy);
    expect(r.code).toBe(0);
    // the rows name their source file: the copy's path for the real one
    expect(r.stdout.split(JSON.stringify(copy).slice(1, -1)).join(JSON.stringify(real).slice(1, -1))).toBe(clean.stdout);
    expect(r.stderr).toMatch(new RegExp(`rowback scan: note: 1 of the \\d+ log blocks read carries no log block checksum: the block at offset ${AT} of ${copy.replace(/[.]/g, "\\.")} \\(first LSN ${firstLsn}\\)\\. Among blocks with a checksum a lone one without is suspect`));
    expect(clean.stderr).not.toContain('log block checksum');
  });

  it('log: the same note naming the block, as scan', async () => {
    const { copy, firstLsn } = damagedCopy();
    const dir = mkdtempSync(join(tmpdir(), 'rowback-lone-block-log-'));
    const r = await cli('log', copy, '--out', join(dir, 'log.ndjson'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`rowback log: note: 1 of the \\d+ log blocks read carries no log block checksum: the block at offset ${AT} of ${copy.replace(/[.]/g, "\\.")} \\(first LSN ${firstLsn}\\)\\. Among blocks with a checksum a lone one without is suspect`));
  });

  it('the flag cleared and the checksum at @24 made to match again (a resealed block): verified through @24, so counted as checked and not named (it was named as carrying no checksum)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-resealed-'));
    const copy = join(dir, 'Database1_log.ldf');
    const b = readFileSync(real);
    b[AT + BLOCK_STATUS_OFFSET]! &= ~BLOCK_STATUS_CHECKSUM;
    const { size } = parseBlockHeader(b, AT);
    b.writeUInt32LE(logBlockChecksum(b, AT, size), AT + BLOCK_CHECKSUM_OFFSET);
    writeFileSync(copy, b);
    const stats = emptyLogScanStats();
    for await (const _ of readLdfRecords(copy, {}, stats)) void _;
    expect(stats.skippedBlocks).toBe(0);
    expect(stats.checksummedBlocks).toBe(stats.blocks);
    expect(stats.uncheckedBlockList).toEqual([]);
  });
});
