import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appendAll, maxOf, minOf } from '../../src/util/append-all.js';
import { sourceFiles, withoutComments } from '../support/source-files.js';

/**
 * No call spreads a list into its arguments where the list may be long: V8 takes about 120,000
 * arguments in one call and throws RangeError past that (measured below), so `out.push(...items)`,
 * `Math.max(...values)` and the like crash a command as INTERNAL on an input large enough (the review
 * page went blank at 130,000 minutes of rows; the skipped pages of a damaged data file, a table's
 * warned rows). src and the review page use util/append-all.ts (appendAll, maxOf, minOf) or a loop.
 * ALLOWED: spread calls whose list is bounded, each with why.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// the review page's visibleText: one piece per marked character of a value (el takes the array)
// calls whose arguments are the list's items: a spread at the call's own level (`push(...xs)`,
// `Math.max(0, ...xs)`, `push('a', ...xs)`, over several lines too) is found by spreadAt below; one
// inside an object or array literal argument (`push({ ...row })`) is no spread call
const LIST_CALL = /(?:\.push|\.unshift|\.splice|Math\.max|Math\.min|String\.fromCharCode|String\.fromCodePoint)\(/g;
// the review page's visibleText: one piece per marked character of a value (el takes the array)
const SPREAD_VISIBLE_TEXT = /\.\.\.visibleText\(/g;

/**
 * The offset of a `...` among the arguments of the call whose `(` is at `open` in `code` (not inside
 * a nested (), [], {} or a string/template literal), or -1. Comments are blanked before.
 */
function spreadAt(code: string, open: number): number {
  let depth = 0;
  for (let i = open + 1; i < code.length; i++) {
    const c = code[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return -1;
      depth--;
    } else if (depth === 0 && code.startsWith('...', i)) return i;
  }
  return -1;
}

const ALLOWED: Record<string, string> = {
  // at most 4,096 code units a call: the slice bounds it
  'src/reconstruct/types/scsu.ts': 'String.fromCharCode(...out.slice(k, k + 4096))',
};

describe('no spread calls over lists an input sizes', () => {
  it('V8 refuses a call of 130,000 arguments here (the limit the rule is for), and the helpers take it', () => {
    const many = new Array<number>(130_000).fill(1);
    many[77_777] = 5;
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    expect(() => Math.max(...many)).toThrow(RangeError);
    expect(appendAll([0], many)).toHaveLength(130_001);
    expect(maxOf(many)).toBe(5);
    expect(minOf(many)).toBe(1);
    expect([maxOf([]), minOf([]), maxOf([1, NaN]), maxOf([], 0)]).toEqual([-Infinity, Infinity, NaN, 0]);
  });

  it('the finder: a spread among a call\'s own arguments, on one line or several, not one inside a literal argument', () => {
    const found = (code: string) => [...code.matchAll(LIST_CALL)].filter((m) => spreadAt(code, m.index + m[0].length - 1) !== -1).length;
    expect(found('out.push(...items);')).toBe(1);
    expect(found("out.push('a', ...items);")).toBe(1);
    expect(found('Math.max(0, ...xs.map((x) => x.n))')).toBe(1);
    expect(found('out.push(\n  ...items,\n);')).toBe(1);
    expect(found('xs.splice(0, n, ...ys)')).toBe(1);
    expect(found('out.push({ ...row, a: 1 });')).toBe(0);
    expect(found('out.push([...a, ...b]);')).toBe(0);
    expect(found("out.push(f(...args), '...')")).toBe(0);
    expect(found('out.push(`${a}...`)')).toBe(0);
  });

  it('src and web hold none but the bounded ones named', () => {
    const found: string[] = [];
    for (const f of [...sourceFiles(join(ROOT, 'src'), /\.ts$/), ...sourceFiles(join(ROOT, 'web'), /\.js$/)]) {
      const rel = relative(ROOT, f);
      const code = withoutComments(readFileSync(f, 'utf8'));
      const lineOf = (at: number) => code.slice(0, at).split('\n').length;
      const lineText = (at: number) => code.split('\n')[lineOf(at) - 1]!.trim();
      const hits = [...[...code.matchAll(LIST_CALL)].filter((m) => spreadAt(code, m.index + m[0].length - 1) !== -1).map((m) => m.index), ...[...code.matchAll(SPREAD_VISIBLE_TEXT)].map((m) => m.index)];
      for (const at of hits) {
        const text = lineText(at);
        if (ALLOWED[rel] && text.includes(ALLOWED[rel])) continue;
        found.push(`${rel}:${lineOf(at)}: ${text.slice(0, 120)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
