import { describe, expect, it } from 'vitest';
import { parseHex, toHex, toHex0x } from '../../src/util/hex.js';
import { InputError } from '../../src/errors.js';

describe('parseHex', () => {
  it.each([
    ['0x0102ff', [1, 2, 255]],
    ['0X0A0b', [10, 11]],
    ['  10000800 01000000\n0100fe ', [0x10, 0, 8, 0, 1, 0, 0, 0, 1, 0, 0xfe]],
    ['', []],
  ])('%j → %j', (text, bytes) => {
    expect([...parseHex(text)]).toEqual(bytes);
  });

  it('names the offending digit', () => {
    expect(() => parseHex('0x01zz')).toThrow(/non-hex character 'z' at digit 2/);
    expect(() => parseHex('abc')).toThrow(InputError);
    try {
      parseHex('abc');
    } catch (e) {
      expect((e as InputError).code).toBe('INPUT_BAD_HEX');
    }
  });

  it('formats upper-case', () => {
    const b = Uint8Array.from([0xab, 0x01, 0xff]);
    expect(toHex(b)).toBe('AB01FF');
    expect(toHex0x(b, 1)).toBe('0x01FF');
  });
});

describe('parseHex names a stray character before counting digits', () => {
  it("'0x…6900,' is a non-hex ',' (it said: odd number of hex digits (39))", () => {
    expect(() => parseHex('0x30000800010000000200000100130068006900,', '--hex')).toThrow(/--hex has a non-hex character ',' at digit 38/);
    expect(() => parseHex('0x3000 -- pasted comment', '--hex')).toThrow(/non-hex character '-' at digit 4/);
    expect(() => parseHex('0x300', '--hex')).toThrow(/odd number of hex digits \(3\)/);
  });
});
