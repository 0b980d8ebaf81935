import { expect, it } from 'vitest';
import { PageReader } from '../../src/datafile/page-reader.js';
import type { PageSource } from '../../src/datafile/page-source.js';

/**
 * PageReader.fork: a reader that starts where its parent stands (cached pages, skipped items, read
 * counts) and counts on its own from there, so several tables read after one read of a catalog each
 * see what a reader of their own would (replayTablesAt). SYNTHETIC source: it holds no page, so each
 * page asked for is one read, one `missing`, one skipped item.
 */
it('a fork starts with its parent\'s counts, skipped items and cache, and neither sees the other\'s reads after', () => {
  const asked: string[] = [];
  const source: PageSource = { description: 'SYNTHETIC', readPage: (f, p) => (asked.push(`${f}:${p}`), undefined), fileIds: () => [1], close: () => undefined };
  const parent = new PageReader(source);
  parent.get({ fileId: 1, pageId: 9 });
  const fork = parent.fork();
  expect([fork.stats.read, fork.stats.missing, fork.skipped.length]).toEqual([1, 1, 1]);
  // cached in the parent: the fork does not read it again
  fork.get({ fileId: 1, pageId: 9 });
  expect(asked).toEqual(['1:9']);
  fork.get({ fileId: 1, pageId: 10 });
  expect([fork.stats.read, fork.skipped.length, parent.stats.read, parent.skipped.length]).toEqual([2, 2, 1, 1]);
  parent.get({ fileId: 1, pageId: 11 });
  expect([fork.stats.read, fork.skipped.map((x) => x.location.page)]).toEqual([2, ['1:9', '1:10']]);
  expect(parent.skipped.map((x) => x.location.page)).toEqual(['1:9', '1:11']);
});
