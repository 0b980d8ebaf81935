/**
 * util/identifier-text.ts identifierText keeps its answers by name (SHOWN) for names of up to
 * sysname's 128 characters, so that a row warning does not test its column's name again per row (a
 * many-warnings decode ran 25% slower: docs/performance.md). The kept answer must be the answer: a
 * name asked again, after thousands of other names (the cache starting over), and names longer than
 * a sysname (never kept) read as they do the first time. Names only; no file bytes.
 */
import { describe, expect, it } from 'vitest';
import { identifierText } from '../../src/util/identifier-text.js';

const CASES: Array<[string, string]> = [
  ['Quantity', 'Quantity'],
  ['Unit Price', '[Unit Price]'],
  ['Order', '[Order]'],
  ['order', '[order]'],
  ['x]y', '[x]]y]'],
  ['[A B]', '[[A B]]]'],
  ['a\nb', '[a\\u{a}b]'],
  ['', '[]'],
  ['𝒜bc', '[𝒜bc]'],
  [`N${'x'.repeat(127)}`, `N${'x'.repeat(127)}`],
  [`N ${'x'.repeat(126)}`, `[N ${'x'.repeat(126)}]`],
  [`N ${'x'.repeat(300)}`, `[N ${'x'.repeat(300)}]`],
];

describe('identifierText: asked again, the same answer', () => {
  it('each name as it reads the first time, the second, and after 10,000 other names', () => {
    for (const [name, shown] of CASES) expect(identifierText(name)).toBe(shown);
    for (const [name, shown] of CASES) expect(identifierText(name)).toBe(shown);
    for (let i = 0; i < 10_000; i++) expect(identifierText(i % 2 ? `c${i}` : `c ${i}`)).toBe(i % 2 ? `c${i}` : `[c ${i}]`);
    for (const [name, shown] of CASES) expect(identifierText(name)).toBe(shown);
  });
});
