/**
 * A skipped page's location.file is the file the page is read from. Over a layered source (a
 * database's .mdf and .ndf files, a differential over its full backup) it named the whole stack with
 * the second layer's word kept: "(file A.mdf over data file B.ndf, page 3:5 …)" for a page of B.ndf.
 */
import { expect, it } from 'vitest';
import { LayeredPageSource, MemoryPageSource } from '../../src/datafile/mdf-source.js';
import { PageReader, sourceFile } from '../../src/datafile/page-reader.js';
import { formatLocation } from '../../src/errors.js';

// 8 KB of a page that fails its checks (header version 0, not the page it is read as)
const bad = () => new Uint8Array(8192).fill(0x5a);

it('a damaged page of the second data file is located in that file, its path alone', () => {
  const mdf = new MemoryPageSource('data file /db/A.mdf', new Map([['1:9', bad()]]));
  const ndf = new MemoryPageSource('data file /db/B.ndf', new Map([['3:5', bad()]]));
  const reader = new PageReader(new LayeredPageSource([mdf, ndf]));
  expect(reader.get({ fileId: 3, pageId: 5 })).toBeUndefined();
  expect(reader.skipped).toHaveLength(1);
  expect(reader.skipped[0]!.location.file).toBe('/db/B.ndf');
  expect(formatLocation(reader.skipped[0]!.location)).toMatch(/^file \/db\/B\.ndf, page 3:5/);
});

it('a differential over its full backup: the page is named in the layer it is read from; no layer word is left inside', () => {
  const diff = new MemoryPageSource('backup /b/D.bak', new Map([['1:200', bad()]]));
  const full = new MemoryPageSource('backup /b/F.bak', new Map([['1:300', bad()]]));
  const src = new LayeredPageSource([diff, full]);
  const reader = new PageReader(src);
  reader.get({ fileId: 1, pageId: 200 });
  reader.get({ fileId: 1, pageId: 300 });
  reader.get({ fileId: 1, pageId: 400 }); // in neither
  expect(reader.skipped.map((s) => s.location.file)).toEqual(['/b/D.bak', '/b/F.bak', '/b/D.bak over /b/F.bak']);
  expect(sourceFile(src)).toBe('/b/D.bak over /b/F.bak');
});
