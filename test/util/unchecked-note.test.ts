import { describe, expect, it } from 'vitest';
import { uncheckedPagesNote } from '../../src/datafile/page-reader.js';
import { uncheckedBlocksNote, type UncheckedLogBlock } from '../../src/logreader/ldf/reader.js';
import { BLOCK_NOTE_WORDS, listOf, PAGE_NOTE_WORDS, uncheckedNote } from '../../src/util/unchecked-note.js';

/**
 * One sentence for what was read without a checksum: data pages (uncheckedPagesNote) and log
 * blocks (uncheckedBlocksNote) said the same thing in two hand-written sentences; both are now the
 * builder's call. The block notes below are the old hand-written sentence's output, word for word.
 */
const block = (offset: number): UncheckedLogBlock => ({ file: '/x/db_log.ldf', offset, firstLsn: `00000019:0000003e:000${offset % 10}` });
const named = (list: UncheckedLogBlock[]) => listOf(list.map((b) => `the block at offset ${b.offset} of ${b.file} (first LSN ${b.firstLsn})`));

describe('uncheckedNote', () => {
  // Expected: what uncheckedBlocksNote said word for word before it became the builder's call.
  it.each([
    [1, 40, [block(8192)], "1 of the 40 log blocks read carries no log block checksum: the block at offset 8192 of /x/db_log.ldf (first LSN 00000019:0000003e:0002). Among blocks with a checksum a lone one without is suspect: written before the database was put on PAGE_VERIFY CHECKSUM, or its checksum flag (block header status 0x2) cleared by the very damage it would have shown; damage inside its records cannot be detected, so compare rows from it with another copy (the database, another copy of the file or backup) before re-inserting them"],
    [2, 40, [block(8192), block(12288)], "2 of the 40 log blocks read carry no log block checksum: the block at offset 8192 of /x/db_log.ldf (first LSN 00000019:0000003e:0002) and the block at offset 12288 of /x/db_log.ldf (first LSN 00000019:0000003e:0008). Among blocks with a checksum a few without are suspect: written before the database was put on PAGE_VERIFY CHECKSUM, or their checksum flag (block header status 0x2) cleared by the very damage it would have shown; damage inside their records cannot be detected, so compare rows from them with another copy (the database, another copy of the file or backup) before re-inserting them"],
    [3, 40, [block(8192), block(12288), block(16384)], "3 of the 40 log blocks read carry no log block checksum: the block at offset 8192 of /x/db_log.ldf (first LSN 00000019:0000003e:0002), the block at offset 12288 of /x/db_log.ldf (first LSN 00000019:0000003e:0008) and the block at offset 16384 of /x/db_log.ldf (first LSN 00000019:0000003e:0004). Among blocks with a checksum a few without are suspect: written before the database was put on PAGE_VERIFY CHECKSUM, or their checksum flag (block header status 0x2) cleared by the very damage it would have shown; damage inside their records cannot be detected, so compare rows from them with another copy (the database, another copy of the file or backup) before re-inserting them"],
  ] as const)('log blocks, %i of %i, named: uncheckedBlocksNote as before', (unchecked, blocks, list, want) => {
    expect(uncheckedBlocksNote(unchecked, blocks, [...list])).toBe(want);
    expect(uncheckedNote(BLOCK_NOTE_WORDS, unchecked, blocks, { named: named([...list]) })).toBe(want);
  });
  it.each([
    [1, 1, "none of the 1 log block read carries a log block checksum (written while the database was not on PAGE_VERIFY CHECKSUM): damage inside such a block's records cannot be detected, so compare rows from them with another copy (the database, another copy of the file or backup) before re-inserting them"],
    [5, 5, "none of the 5 log blocks read carries a log block checksum (written while the database was not on PAGE_VERIFY CHECKSUM): damage inside such a block's records cannot be detected, so compare rows from them with another copy (the database, another copy of the file or backup) before re-inserting them"],
    [1, 40, "1 of the 40 log blocks read carries no log block checksum (written while the database was not on PAGE_VERIFY CHECKSUM): damage inside such a block's records cannot be detected, so compare rows from them with another copy (the database, another copy of the file or backup) before re-inserting them"],
    [282, 283, "282 of the 283 log blocks read carry no log block checksum (written while the database was not on PAGE_VERIFY CHECKSUM): damage inside such a block's records cannot be detected, so compare rows from them with another copy (the database, another copy of the file or backup) before re-inserting them"],
  ])('log blocks, %i of %i, none named: uncheckedBlocksNote as before', (unchecked, blocks, want) => {
    expect(uncheckedBlocksNote(unchecked, blocks)).toBe(want);
    expect(uncheckedNote(BLOCK_NOTE_WORDS, unchecked, blocks)).toBe(want);
  });
  it('pages: uncheckedPagesNote is the builder with the page words', () => {
    const s = { read: 70, checksumOk: 60, tornBitsOk: 1, unprotected: 1, bad: 0, missing: 0, uncheckedPages: ['1:289', '1:300'] };
    expect(uncheckedPagesNote(s)).toBe(uncheckedNote(PAGE_NOTE_WORDS, 2, 62, { kinds: '1 with torn-page bits only, 1 with no protection', named: 'pages 1:289 and 1:300' }));
    expect(uncheckedPagesNote({ ...s, checksumOk: 0, uncheckedPages: undefined })).toBe(
      'none of the 2 pages read carries a page checksum (1 with torn-page bits only, 1 with no protection; written while the database was not on PAGE_VERIFY CHECKSUM): a changed byte inside their rows cannot be detected, so compare those rows with another copy (the database, another copy of the file or backup) before trusting them',
    );
  });
});
