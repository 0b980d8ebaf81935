import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appendTo } from '../../src/util/append-all.js';
import { sourceFiles, withoutComments } from '../support/source-files.js';

/**
 * No list kept in a Map is copied whole to add one item (`m.set(k, [...(m.get(k) ?? []), v])`): in
 * a loop over rows that is quadratic in the rows of one key (reinsert/plan.ts's problemSummary took
 * 9.9 s at 40,000 rows of one problem code before its appendTo). src and the review page use
 * util/append-all.ts's appendTo (in place).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// `[...(X.get(…) ?? []), …` and `[...X.get(…) ?? [], …` (any spacing, over lines)
const COPY_APPEND = /\[\s*\.\.\.\s*\(?\s*[\w$.]+\.get\([^()]*\)\s*\?\?\s*\[\s*\]\s*\)?\s*,/g;

describe('no Map list copied whole per item', () => {
  it('the finder: the copy forms, not a spread of a whole list once', () => {
    const found = (code: string) => [...code.matchAll(COPY_APPEND)].length;
    expect(found('groups.set(what, [...(groups.get(what) ?? []), id]);')).toBe(1);
    expect(found('m.set(k, [...m.get(k) ?? [], v])')).toBe(1);
    expect(found('this.byName.set(k, [\n  ...(this.byName.get(k) ?? []),\n  g,\n]);')).toBe(1);
    expect(found('const all = [...(m.get(k) ?? [])];')).toBe(0);
    expect(found('const all = [...a, ...b];')).toBe(0);
  });

  it('appendTo appends in place and makes the list when new', () => {
    const m = new Map<string, number[]>();
    const first = appendTo(m, 'a', 1);
    expect(appendTo(m, 'a', 2)).toBe(first);
    appendTo(m, 'b', 3);
    expect([...m]).toEqual([['a', [1, 2]], ['b', [3]]]);
  });

  it('src and web hold none', () => {
    const found: string[] = [];
    for (const f of [...sourceFiles(join(ROOT, 'src'), /\.ts$/), ...sourceFiles(join(ROOT, 'web'), /\.js$/)]) {
      const code = withoutComments(readFileSync(f, 'utf8'));
      for (const m of code.matchAll(COPY_APPEND)) found.push(`${relative(ROOT, f)}:${code.slice(0, m.index).split('\n').length}`);
    }
    expect(found).toEqual([]);
  });
});
