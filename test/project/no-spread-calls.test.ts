import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appendAll, maxOf, minOf } from '../../src/util/append-all.js';

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
// a spread among the call's own arguments (`Math.max(0, ...xs)`, `splice(0, 0, ...xs)`), not inside an object or array literal argument
const SPREAD_CALL = /(?:\.push|\.unshift|Math\.max|Math\.min|String\.fromCharCode|String\.fromCodePoint)\(\s*(?:[-\w.$]+\s*,\s*)*\.\.\.|\.splice\(\s*[-\w.$]+\s*,\s*[-\w.$]+\s*,\s*\.\.\.|\.\.\.visibleText\(/;
const ALLOWED: Record<string, string> = {
  // at most 4,096 code units a call: the slice bounds it
  'src/reconstruct/types/scsu.ts': 'String.fromCharCode(...out.slice(k, k + 4096))',
};

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : []));
}

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

  it('src and web hold none but the bounded ones named', () => {
    const found: string[] = [];
    for (const f of [...files(join(ROOT, 'src'), /\.ts$/), ...files(join(ROOT, 'web'), /\.js$/)]) {
      const rel = relative(ROOT, f);
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
        if (!SPREAD_CALL.test(code)) return;
        if (ALLOWED[rel] && code.includes(ALLOWED[rel])) return;
        found.push(`${rel}:${i + 1}: ${code.slice(0, 120)}`);
      });
    }
    expect(found).toEqual([]);
  });
});
