/**
 * dataFileCut / dataFileCutText: the one builder of "a data file cut short" (MdfPageSource's
 * whyMissing and notes, inspect's refusal of a file cut before its boot page). A table of the
 * bytes page 0 states and the copy holds against the facts and the sentences. Sizes only: no file
 * is read here (the sentences on real cut copies are pinned in test/cli/cut-at-page-boundary,
 * data-file-cut-note and inspect-data-file-cut).
 */
import { describe, expect, it } from 'vitest';
import { cutInsideFileHeader, cutInsideFileHeaderText, dataFileCut, dataFileCutText } from '../../src/datafile/data-file-cut.js';

const COPY_AGAIN = 'copy the whole file again (with SQL Server stopped or the database detached), or use a backup of the database';

describe('dataFileCut: the facts, or null for a copy that is not cut', () => {
  it.each([
    ['page 0 states no size', 1, null, 65536, null],
    ['holds exactly the pages stated', 1, 392, 392 * 8192, null],
    ['holds more than stated (grown since page 0 was written)', 1, 392, 393 * 8192, null],
    ['a trailing part page past the stated size', 1, 392, 392 * 8192 + 100, null],
    ['cut at a page boundary', 1, 392, 65536, { fileId: 1, statedPages: 392, statedBytes: 3211264, heldBytes: 65536, wholePages: 8 }],
    ['cut inside a page: that page is missing', 3, 392, 2_890_137, { fileId: 3, statedPages: 392, statedBytes: 3211264, heldBytes: 2_890_137, wholePages: 352 }],
    ['one byte short of the stated size', 1, 392, 392 * 8192 - 1, { fileId: 1, statedPages: 392, statedBytes: 3211264, heldBytes: 3211263, wholePages: 391 }],
  ] as const)('%s', (_, fileId, statedPages, held, expected) => {
    expect(dataFileCut(fileId, statedPages, held)).toEqual(expected);
  });
});

describe('dataFileCutText: one set of facts, the ending each caller needs', () => {
  it.each([
    [
      'missing-page, cut at a page boundary (the clause after "does not hold page 1:9: ")',
      1, 392, 65536, { as: 'missing-page' },
      `the file is cut short: its file header page (page 1:0) says it has 392 pages (3211264 bytes), the file holds 65536 bytes (8 whole pages), so pages 1:8 to 1:391 (3145728 bytes) are missing; ${COPY_AGAIN} (--bak)`,
    ],
    [
      'missing-page, one page missing: said as one page',
      1, 392, 392 * 8192 - 1, { as: 'missing-page' },
      `the file is cut short: its file header page (page 1:0) says it has 392 pages (3211264 bytes), the file holds 3211263 bytes (391 whole pages), so page 1:391 (1 byte) is missing; ${COPY_AGAIN} (--bak)`,
    ],
    [
      'missing-page, one whole page held',
      2, 3, 8192, { as: 'missing-page' },
      `the file is cut short: its file header page (page 2:0) says it has 3 pages (24576 bytes), the file holds 8192 bytes (1 whole page), so pages 2:1 to 2:2 (16384 bytes) are missing; ${COPY_AGAIN} (--bak)`,
    ],
    [
      'note, cut inside a page',
      1, 392, 2_890_137, { as: 'note', subject: 'data file cut.mdf' },
      `data file cut.mdf is cut short: its file header page (page 1:0) says it has 392 pages, the file holds 2890137 bytes (352 whole pages), so pages 1:352 to 1:391 are missing: the copy is not whole (a page past the cut that this result needed is named among the items skipped); ${COPY_AGAIN} (--bak)`,
    ],
    [
      'note, one page missing',
      4, 392, 391 * 8192, { as: 'note', subject: 'data file x.ndf' },
      `data file x.ndf is cut short: its file header page (page 4:0) says it has 392 pages, the file holds 3203072 bytes (391 whole pages), so page 4:391 is missing: the copy is not whole (a page past the cut that this result needed is named among the items skipped); ${COPY_AGAIN} (--bak)`,
    ],
    [
      'kind-unknown, cut to its file header page: a log file\'s first VLF is named too',
      2, 104, 8192, { as: 'kind-unknown', subject: 'x.ldf' },
      `x.ldf is a SQL Server database file (its page 0 is a file header page, file id 2) cut short: its file header page says 851968 bytes (104 pages), the file holds 8192, so 843776 bytes are missing, among them a log file's first VLF (offset 8192) or a data file's boot page (page 9, offset 73728); ${COPY_AGAIN}`,
    ],
    [
      'kind-unknown, cut past the first VLF\'s offset: the boot page only',
      1, 392, 65536, { as: 'kind-unknown', subject: 'x.mdf' },
      `x.mdf is a SQL Server database file (its page 0 is a file header page, file id 1) cut short: its file header page says 3211264 bytes (392 pages), the file holds 65536, so 3145728 bytes are missing, among them a data file's boot page (page 9, offset 73728); ${COPY_AGAIN}`,
    ],
  ] as const)('%s', (_, fileId, statedPages, held, ending, expected) => {
    const cut = dataFileCut(fileId, statedPages, held);
    expect(cut).not.toBeNull();
    expect(dataFileCutText(cut!, ending)).toBe(expected);
  });
});

describe('cutInsideFileHeader / cutInsideFileHeaderText: a copy cut inside page 0', () => {
  it.each([
    ['header version 1, type 15, 2 bytes', [1, 15], true],
    ['header version 1, type 15, 8191 bytes', [1, 15, ...new Array(8189).fill(0)], true],
    ['a whole page is no cut inside page 0', [1, 15, ...new Array(8190).fill(0)], false],
    ['one byte tells nothing', [1], false],
    ['another page type', [1, 1, 0, 0], false],
    ['another header version', [2, 15, 0, 0], false],
  ] as const)('%s', (_, bytes, expected) => {
    expect(cutInsideFileHeader(Uint8Array.from(bytes))).toBe(expected);
  });

  it('says the bytes held of the page, singular for one', () => {
    expect(cutInsideFileHeaderText('x.mdf', 4096)).toBe(`x.mdf is cut short inside its first page: it starts as a SQL Server database file's file header page does (page 0: header version 1, page type 15) but holds 4096 bytes of that page's 8192, so neither its size nor whether it is a data or a log file can be told, and no page of it can be read; ${COPY_AGAIN}`);
    expect(cutInsideFileHeaderText('x.mdf', 1)).toContain('holds 1 byte of');
  });
});
