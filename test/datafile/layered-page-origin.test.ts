import { describe, expect, it } from 'vitest';
import { LayeredPageSource } from '../../src/datafile/mdf-source.js';
import { pageFileOf } from '../../src/datafile/page-reader.js';
import type { PageSource } from '../../src/datafile/page-source.js';

/**
 * pageFileOf runs once per row a replay or a comparison reads (the backup a row came from). Over a
 * full + differential (LayeredPageSource) it read the page, 8 KB from the file, for every row: the
 * pages of a table read once per row on them (~9 µs a row with the file in the OS cache; a backup
 * whose page read throws, cut short, threw there too). A layer that tells its pages' origin (a
 * backup's index) is now asked without a read. SYNTHETIC layers.
 */
function layer(name: string, pages: Set<string>, tombstones = new Set<string>()): PageSource & { reads: number } {
  const l = {
    reads: 0,
    description: `backup ${name}`,
    readPage(f: number, p: number) {
      l.reads++;
      return pages.has(`${f}:${p}`) ? new Uint8Array(8192) : undefined;
    },
    holdsNoImage: (f: number, p: number) => tombstones.has(`${f}:${p}`),
    pageOrigin: (f: number, p: number) => (pages.has(`${f}:${p}`) ? `backup ${name}` : undefined),
    fileIds: () => [1],
    close() {},
  };
  return l;
}

describe('LayeredPageSource.pageOrigin', () => {
  it('names the layer a page comes from without reading any page', () => {
    const diff = layer('/b/diff.bak', new Set(['1:48']), new Set(['1:50']));
    const full = layer('/b/full.bak', new Set(['1:48', '1:49', '1:50']));
    const src = new LayeredPageSource([diff, full]);
    expect(pageFileOf(src, '1:48')).toBe('/b/diff.bak');
    expect(pageFileOf(src, '1:49')).toBe('/b/full.bak');
    // a slot the differential wrote without an image hides the full backup's copy
    expect(pageFileOf(src, '1:50')).toBeUndefined();
    expect(pageFileOf(src, '1:51')).toBeUndefined();
    expect(diff.reads + full.reads).toBe(0);
  });

  it('a layer with no origin of its own is still read to know whether it holds the page', () => {
    const plain = { description: 'data file /d/x.mdf', readPage: (_f: number, p: number) => (p === 7 ? new Uint8Array(8192) : undefined), fileIds: () => [1], close() {} };
    const src = new LayeredPageSource([plain, layer('/b/full.bak', new Set(['1:8']))]);
    expect(pageFileOf(src, '1:7')).toBe('/d/x.mdf');
    expect(pageFileOf(src, '1:8')).toBe('/b/full.bak');
  });
});
