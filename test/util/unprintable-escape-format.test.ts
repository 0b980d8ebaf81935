/**
 * Invisible and reordering characters (Unicode format characters, category Cf) in one-line text:
 * util/echo.ts escapeUnprintable writes them `\u{…}`, as it does controls. U+202E in a file or column
 * name showed the rest of a refusal line reversed (`x<U+202E>kab.sql` read as `xlqs.bak`), and
 * U+200B made two different names print alike: a wrong answer that looks right. ZWNJ and ZWJ stay as
 * they are where they shape a real name (Persian, Devanagari, an emoji ZWJ sequence), and the
 * prepended concatenation marks (the Arabic number sign), which are drawn. `input → expected`, then
 * the users (identifierText, commentText, oneLineText) and shellWord, whose word must survive a
 * line's escaping and read back as the name (sh).
 */
import { describe, expect, it } from 'vitest';
import { escapeUnprintable, oneLineText } from '../../src/util/echo.js';
import { shellWord } from '../../src/util/shell-word.js';
import { commentText, identifierText } from '../../src/util/tsql.js';
import { shellWordsOf } from '../support/shell-words.js';

const TABLE: ReadonlyArray<readonly [string, string, string]> = [
  ['RIGHT-TO-LEFT OVERRIDE', 'x\u202ekab.sql', 'x\\u{202e}kab.sql'],
  ['LRE, RLE, PDF, LRO', '\u202a\u202b\u202c\u202d', '\\u{202a}\\u{202b}\\u{202c}\\u{202d}'],
  ['the isolates LRI, RLI, FSI, PDI', '\u2066a\u2067b\u2068c\u2069', '\\u{2066}a\\u{2067}b\\u{2068}c\\u{2069}'],
  ['LRM, RLM, ALM', 'a\u200eb\u200fc\u061cd', 'a\\u{200e}b\\u{200f}c\\u{61c}d'],
  ['ZERO WIDTH SPACE', 'Ord\u200bers', 'Ord\\u{200b}ers'],
  ['WORD JOINER, U+FEFF', 'a\u2060b\ufeffc', 'a\\u{2060}b\\u{feff}c'],
  ['SOFT HYPHEN, invisible where no line is broken', 'Or\u00adders', 'Or\\u{ad}ders'],
  ['the invisible operators U+2061–U+2064', '\u2061\u2064', '\\u{2061}\\u{2064}'],
  ['a tag character (beyond U+FFFF: one escape for the pair)', 'T\u{e0041}', 'T\\u{e0041}'],
  ['ZWNJ between Latin letters: invisible, escaped', 'Ord\u200cers', 'Ord\\u{200c}ers'],
  ['ZWJ between Latin letters: invisible, escaped', 'Ord\u200ders', 'Ord\\u{200d}ers'],
  ['ZWNJ at the end', 'name\u200c', 'name\\u{200c}'],
  ['ZWNJ at the start', '\u200cname', '\\u{200c}name'],
  ['ZWNJ between a Latin and a Persian letter', 'a\u200cب', 'a\\u{200c}ب'],
  ['ZWNJ in a Persian word: kept (its spelling)', 'می\u200cخواهم', 'می\u200cخواهم'],
  ['ZWJ in a Devanagari conjunct: kept', 'क्\u200dष', 'क्\u200dष'],
  ['ZWNJ after a Devanagari virama (a mark): kept', 'क्\u200cष', 'क्\u200cष'],
  ['ZWJ in an emoji ZWJ sequence: kept', '\u{1f469}\u200d\u{1f4bb}', '\u{1f469}\u200d\u{1f4bb}'],
  ['ZWJ after a skin-tone modifier: kept', '\u{1f469}\u{1f3fd}\u200d\u{1f4bb}', '\u{1f469}\u{1f3fd}\u200d\u{1f4bb}'],
  ['ZWNJ between two emoji: escaped (only ZWJ joins them)', '\u{1f469}\u200c\u{1f4bb}', '\u{1f469}\\u{200c}\u{1f4bb}'],
  ['ZWJ between an emoji and a letter: escaped', '\u{1f469}\u200dx', '\u{1f469}\\u{200d}x'],
  ['two joiners in a row: neither between two letters', 'क\u200d\u200dष', 'क\\u{200d}\\u{200d}ष'],
  ['the Arabic number sign, drawn: kept', '\u0600١٢', '\u0600١٢'],
  ['Persian and Hindi text without format characters as it is', 'سلام नमस्ते', 'سلام नमस्ते'],
];

describe('escapeUnprintable: format characters, input → expected', () => {
  it.each(TABLE)('%s', (_what, input, expected) => {
    expect(escapeUnprintable(input)).toBe(expected);
    expect(oneLineText(input)).toBe(expected);
  });

  it('two names that differ by a zero-width character print differently', () => {
    expect(identifierText('Orders')).not.toBe(identifierText('Ord\u200bers'));
    expect(identifierText('Ord\u200bers')).toBe('[Ord\\u{200b}ers]');
    expect(identifierText('a\u202eb')).toBe('[a\\u{202e}b]');
  });

  it('commentText escapes them too (a comment line shown reversed), and U+FEFF still', () => {
    expect(commentText('table x\u202ekab')).toBe('table x\\u{202e}kab');
    expect(commentText('\ufeffT')).toBe('\\u{feff}T');
    expect(commentText('می\u200cخواهم')).toBe('می\u200cخواهم');
  });

  it('every format character U+0000–U+FFFF that is escaped reads back as its code point; none survives but the kept ones', () => {
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      if (!/\p{Cf}/u.test(ch)) continue;
      const kept = /[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2]/.test(ch);
      expect(escapeUnprintable(`a${ch}b`), `U+${c.toString(16)}`).toBe(kept ? `a${ch}b` : `a\\u{${c.toString(16)}}b`);
    }
  });
});

describe.skipIf(process.platform === 'win32')('shellWord: a word holding one survives the line and reads back as the name', () => {
  it.each([
    ['U+202E', "/tmp/x\u202ekab's.sql"],
    ['U+200B', '/tmp/Ord\u200bers.bak'],
    ['U+FEFF', '\ufeff/tmp/a b.bak'],
    ['a tag character', '/tmp/T\u{e0041}.bak'],
    ['ZWNJ between Latin letters', '/tmp/Ord\u200cers.bak'],
  ])('%s: POSIX', (_what, path) => {
    const word = shellWord(path, 'posix');
    // printed, the line shows no invisible or reordering character, and stays as the shell reads it
    expect(word).not.toMatch(/[\u202e\u200b\u200c\ufeff]|\u{e0041}/u);
    expect(oneLineText(word)).toBe(word);
    expect(shellWordsOf(word)).toEqual([path]);
  });

  it('ZWNJ in a Persian name stays in the word (the line leaves it as it is)', () => {
    const path = "/tmp/می\u200cخواهم it's.bak";
    const word = shellWord(path, 'posix');
    expect(word).toBe("'/tmp/می\u200cخواهم it'\\''s.bak'");
    expect(shellWordsOf(word)).toEqual([path]);
  });

  it('PowerShell: each as $([char]0x…), a character beyond U+FFFF as its two UTF-16 units', () => {
    expect(shellWord('x\u202ey', 'powershell')).toBe('"x$([char]0x202e)y"');
    expect(shellWord('T\u{e0041}', 'powershell')).toBe('"T$([char]0xdb40)$([char]0xdc41)"');
    expect(oneLineText(shellWord('a\u200bb', 'powershell'))).toBe('"a$([char]0x200b)b"');
  });
});
