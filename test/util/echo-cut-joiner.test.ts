/**
 * echoInput's and the progress line's cut (util/echo.ts cutOneLineText) never ends on a ZWNJ or ZWJ
 * escapeUnprintable kept between two letters or emoji: there it joins nothing, and oneLineText,
 * which every line rowback writes goes through, wrote it `\u{200c}` on stderr where the API's
 * answer held it raw (the cut was not oneLineText's fixed point). SYNTHETIC text: a Persian word
 * (ZWNJ between letters) and an emoji ZWJ sequence, repeated past the cut at every offset.
 */
import { expect, it } from 'vitest';
import { cutOneLineText, echoInput, oneLineText } from '../../src/util/echo.js';

it('a cut text is what a line writes it as: no joiner left at its end, none cut inside \\u{…}', () => {
  for (const word of ['\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', '\u{1f469}\u200d\u{1f4bb}', '\u0915\u094d\u200d\u0937']) {
    for (let pad = 0; pad < 16; pad++) {
      const text = 'y'.repeat(64 + pad) + word.repeat(6);
      const e = echoInput(text);
      expect(oneLineText(e), JSON.stringify(e)).toBe(e);
      const clean = oneLineText(text);
      for (let max = 1; max <= clean.length; max++) {
        const cut = cutOneLineText(clean, max);
        expect(clean.startsWith(cut)).toBe(true);
        expect(cut).not.toMatch(/[\u200c\u200d]$/);
        expect(cut.length).toBeGreaterThanOrEqual(max - 2);
      }
    }
  }
  // a joiner the text escapes stays escaped whole: the cut falls before its \u{…}
  expect(cutOneLineText(oneLineText('abc\u200cdef'), 5)).toBe('abc');
});
