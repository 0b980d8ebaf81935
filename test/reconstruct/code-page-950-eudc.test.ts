/**
 * Code page 950's user-defined (EUDC) ranges, against Microsoft's own table of the Windows code page:
 * bestfit950.txt ("CODEPAGE 950", published by Microsoft with unicode.org's vendor mappings,
 * Public/MAPPINGS/VENDORS/MICSFT/WindowsBestFit; MBTABLE and DBCSTABLE sections, the bytes → UTF-16
 * direction MultiByteToWideChar uses). Session 25 left open whether 0xC6A1–0xC8FE read as the
 * private-use characters Node's ICU gives or as the kana Python's cp950 gives: Microsoft's table maps
 * them to U+F6B1–U+F848 (EUDC), as rowback reads them. The values below are copied from that table's
 * entries (facts, not prose); the bytes are the table's keys.
 */
import { describe, expect, it } from 'vitest';
import { decoderForCodePage } from '../../src/reconstruct/collation.js';

describe('code page 950 EUDC bytes read as Microsoft\'s table maps them', () => {
  const d = decoderForCodePage(950)!;
  it.each([
    // DBCSTABLE lead 0xC6: 0x40–0x7E are hanzi, 0xA1–0xFE EUDC from U+F6B1
    ['c67e', 0x7c72],
    ['c6a1', 0xf6b1],
    ['c6fe', 0xf70e],
    // lead 0xC7: EUDC throughout
    ['c740', 0xf70f],
    ['c7a1', 0xf74e],
    ['c7fe', 0xf7ab],
    // lead 0xC8: EUDC throughout, to U+F848
    ['c840', 0xf7ac],
    ['c87e', 0xf7ea],
    ['c8a1', 0xf7eb],
    ['c8fe', 0xf848],
    // lead 0xC9 is hanzi again
    ['c940', 0x4e42],
    // leads 0x81–0x8D: EUDC from U+EEB8
    ['8140', 0xeeb8],
    ['81fe', 0xef54],
    ['82a1', 0xef94],
  ])('%s → U+%s', (hex, unit) => {
    const b = Buffer.from(hex, 'hex');
    const s = d.decode(b, 0, b.length);
    expect([hex, s.length, s.charCodeAt(0).toString(16)]).toEqual([hex, 1, unit.toString(16)]);
    // defined bytes: no "undefined in code page 950" warning
    expect(d.undefinedSpans(b, 0, b.length)).toEqual([]);
  });

  it('single bytes: MBTABLE 0x80 → U+0080, 0xFF → U+F8F8 (EUDC)', () => {
    expect(d.decode(Buffer.from('80', 'hex'), 0, 1)).toBe('\u0080');
    expect(d.decode(Buffer.from('ff', 'hex'), 0, 1)).toBe('\uf8f8');
  });
});
