/**
 * src/util/surrogates.ts: the yes/no test of hot paths (hasUnpairedSurrogate, native isWellFormed)
 * agrees with the locator the warnings use (firstUnpairedSurrogate), string by string.
 */
import { describe, expect, it } from 'vitest';
import { firstUnpairedSurrogate, hasUnpairedSurrogate, wellFormed } from '../../src/util/surrogates.js';

describe('unpaired surrogates', () => {
  const cases: Array<[string, boolean]> = [
    ['', false], ['CORP\\olga', false], ['😀', false], ['a😀b', false], ['\ufffd', false],
    ['\ud83d', true], ['\ude00', true], ['a\ud83d', true], ['\ude00\ud83d', true], ['😀\ud83d', true], ['\ud83d\ud83d\ude00', true],
  ];
  it.each(cases)('%j: %s', (s, lone) => {
    expect(hasUnpairedSurrogate(s)).toBe(lone);
    expect(firstUnpairedSurrogate(s) !== null).toBe(lone);
    expect(hasUnpairedSurrogate(wellFormed(s))).toBe(false);
  });
});
