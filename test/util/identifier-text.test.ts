/**
 * util/identifier-text.ts identifierText keeps its answers by name (SHOWN) for names of up to
 * sysname's 128 characters, so that a row warning does not test its column's name again per row (a
 * many-warnings decode ran 25% slower: docs/performance.md). The kept answer must be the answer: a
 * name asked again, after thousands of other names (the cache starting over), and names longer than
 * a sysname (never kept) read as they do the first time. Names only; no file bytes.
 */
import { describe, expect, it } from 'vitest';
import { BRACKETED_NAME_SOURCE, identifierText } from '../../src/util/identifier-text.js';

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

describe('BRACKETED_NAME_SOURCE (the one pattern of a name as identifierText writes it in a line)', () => {
  const names = ['Unit Price', 'a]b', 'x]--ddl y', ']', ']]', 'a]]]b', 'Order', 'line\nbreak', 'tab\there', '2018/08/26 21:19:07:573'];
  it.each(names)('reads identifierText(%j) whole, and nothing past its end', (name) => {
    const written = identifierText(name);
    expect(written.startsWith('[')).toBe(true);
    expect(new RegExp(`^${BRACKETED_NAME_SOURCE}$`).test(written)).toBe(true);
    const sentence = `column ${written}: value ] kept [x]`;
    const first = new RegExp(BRACKETED_NAME_SOURCE).exec(sentence);
    expect(first?.[0]).toBe(written);
  });
  it('takes no name across a line break nor one ended by a lone ] inside a doubled run', () => {
    expect(new RegExp(`^${BRACKETED_NAME_SOURCE}$`).test('[a\nb]')).toBe(false);
    expect(new RegExp(BRACKETED_NAME_SOURCE).exec('[a]]]b')?.[0]).toBe('[a]]]');
  });
});
