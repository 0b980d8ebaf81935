import { expect, it } from 'vitest';
import { formatLocation } from '../../src/errors.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import type { PageSource } from '../../src/datafile/page-source.js';

// location → expected, as the one-line errors print it
it.each([
  [{ file: '/x/db.mdf', page: '1:9' }, 'file /x/db.mdf, page 1:9'],
  [{ file: '/x/backup of monday.bak' }, 'file /x/backup of monday.bak'],
  [{ lsn: '00000019:0000003e:0001', column: 'Name' }, 'LSN 00000019:0000003e:0001, column Name'],
])('%j → %s', (loc, want) => {
  expect(formatLocation(loc)).toBe(want);
});

// A page source's description says what the file is ("data file X"); a skipped page's location
// holds the path alone, so the line reads "(file X, page P)", never "(file data file X, …)".
it.each([
  ['data file /x/db.mdf', 'file /x/db.mdf, page 1:9'],
  ['backup /x/a.bak', 'file /x/a.bak, page 1:9'],
  ['compressed backup /x/c.bak', 'file /x/c.bak, page 1:9'],
])('a page missing from %s is located as %s', (description, want) => {
  const source: PageSource = { description, readPage: () => undefined, fileIds: () => [1], close: () => {} };
  const reader = new PageReader(source);
  expect(reader.get({ fileId: 1, pageId: 9 })).toBeUndefined();
  expect(reader.skipped).toHaveLength(1);
  expect(formatLocation(reader.skipped[0]!.location)).toBe(want);
  expect(reader.skipped[0]!.reason).toContain(`${description} does not hold page 1:9`);
});
