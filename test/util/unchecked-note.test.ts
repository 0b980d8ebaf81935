import { describe, expect, it } from 'vitest';
import { uncheckedPagesNote } from '../../src/datafile/page-reader.js';
import { uncheckedBlocksNote, type UncheckedLogBlock } from '../../src/logreader/ldf/reader.js';
import { BLOCK_NOTE_WORDS, listOf, PAGE_NOTE_WORDS, uncheckedNote } from '../../src/util/unchecked-note.js';

/**
 * One sentence for what was read without a checksum: data pages (uncheckedPagesNote) and log
 * blocks (uncheckedBlocksNote) said the same thing in two hand-written sentences. The builder gives
 * the page note, and with the block words exactly what uncheckedBlocksNote says today, so that
 * function can become its call without a word changing.
 */
const block = (offset: number): UncheckedLogBlock => ({ file: '/x/db_log.ldf', offset, firstLsn: `00000019:0000003e:000${offset % 10}` });
const named = (list: UncheckedLogBlock[]) => listOf(list.map((b) => `the block at offset ${b.offset} of ${b.file} (first LSN ${b.firstLsn})`));

describe('uncheckedNote', () => {
  it.each([
    ['one named among checked', 1, 40, [block(8192)]],
    ['two named', 2, 40, [block(8192), block(12288)]],
    ['three named', 3, 40, [block(8192), block(12288), block(16384)]],
  ])('log blocks, %s: the same as uncheckedBlocksNote', (_what, unchecked, blocks, list) => {
    expect(uncheckedNote(BLOCK_NOTE_WORDS, unchecked, blocks, { named: named(list) })).toBe(uncheckedBlocksNote(unchecked, blocks, list));
  });
  it.each([
    [1, 1],
    [5, 5],
    [1, 40],
    [282, 283],
  ])('log blocks, %i of %i, none named: the same as uncheckedBlocksNote', (unchecked, blocks) => {
    expect(uncheckedNote(BLOCK_NOTE_WORDS, unchecked, blocks)).toBe(uncheckedBlocksNote(unchecked, blocks));
  });
  it('pages: uncheckedPagesNote is the builder with the page words', () => {
    const s = { read: 70, checksumOk: 60, tornBitsOk: 1, unprotected: 1, bad: 0, missing: 0, uncheckedPages: ['1:289', '1:300'] };
    expect(uncheckedPagesNote(s)).toBe(uncheckedNote(PAGE_NOTE_WORDS, 2, 62, { kinds: '1 with torn-page bits only, 1 with no protection', named: 'pages 1:289 and 1:300' }));
    expect(uncheckedPagesNote({ ...s, checksumOk: 0, uncheckedPages: undefined })).toBe(
      'none of the 2 pages read carries a page checksum (1 with torn-page bits only, 1 with no protection; written while the database was not on PAGE_VERIFY CHECKSUM): a changed byte inside their rows cannot be detected, so compare those rows with another copy (the database, another copy of the file or backup) before trusting them',
    );
  });
});
