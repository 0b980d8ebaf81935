/**
 * rowback's one escaper of unprintable characters (util/echo.ts escapeUnprintable) and its one
 * notation, `\u{…}` (session 51). Three functions wrote them before, in two notations: identifierText
 * and commentText `\u{a}`, oneLineText (refusal lines, echoed values) `\u000a`. A table of
 * `input → expected`, with the split cases of UTF-16: a surrogate pair kept whole, a high surrogate
 * alone at the end, a low one alone at the start, two halves in the wrong order.
 */
import { describe, expect, it } from 'vitest';
import { echoInput, escapeUnprintable, oneLineText } from '../../src/util/echo.js';
import { commentText, identifierText } from '../../src/util/tsql.js';

const TABLE: ReadonlyArray<readonly [string, string, string]> = [
  ['plain text', 'rows.bak', 'rows.bak'],
  ['empty', '', ''],
  ['LF', 'a\nb', 'a\\u{a}b'],
  ['CR LF', 'a\r\nb', 'a\\u{d}\\u{a}b'],
  ['TAB', 'a\tb', 'a\\u{9}b'],
  ['NUL', '\u0000', '\\u{0}'],
  ['ESC of a terminal sequence', '\u001b[2J', '\\u{1b}[2J'],
  ['U+001F, the last C0', '\u001f', '\\u{1f}'],
  ['space and ~ are printable', ' ~', ' ~'],
  ['DEL', 'a\u007fb', 'a\\u{7f}b'],
  ['C1: U+0080, NEL U+0085, U+009F', '\u0080\u0085\u009f', '\\u{80}\\u{85}\\u{9f}'],
  ['U+00A0 is printable (no C1)', 'a\u00a0b', 'a\u00a0b'],
  ['LINE SEPARATOR, PARAGRAPH SEPARATOR', 'a\u2028b\u2029c', 'a\\u{2028}b\\u{2029}c'],
  ['U+FEFF, a zero-width no-break space (a format character: unprintable-escape-format.test.ts)', '\ufeffx', '\\u{feff}x'],
  ['a surrogate pair kept whole', 'T\ud83d\ude00', 'T\ud83d\ude00'],
  ['a supplementary letter kept whole', '\ud835\udc9cbc', '\ud835\udc9cbc'],
  ['a lone high surrogate at the end', 'T\ud83d', 'T\\u{d83d}'],
  ['a lone low surrogate at the start', '\ude00T', '\\u{de00}T'],
  ['a lone high surrogate before a letter', '\ud83dx', '\\u{d83d}x'],
  ['two halves in the wrong order: two lone units', '\ude00\ud83d', '\\u{de00}\\u{d83d}'],
  ['two high surrogates then a low: the first alone, the second paired', '\ud83d\ud83d\ude00', '\\u{d83d}\ud83d\ude00'],
  ['a pair after a lone low', '\udc00\ud83d\ude00', '\\u{dc00}\ud83d\ude00'],
  ['a line that reads as rowback\'s own', 'x\nrowback: note: all rows recovered', 'x\\u{a}rowback: note: all rows recovered'],
  ['a backslash is left as it is', 'C:\\data\\u{a}.bak', 'C:\\data\\u{a}.bak'],
];

describe('escapeUnprintable: input → expected', () => {
  it.each(TABLE)('%s', (_what, input, expected) => {
    expect(escapeUnprintable(input)).toBe(expected);
  });

  it('oneLineText is it (refusal lines, notes and WARNING lines: one notation)', () => {
    for (const [, input, expected] of TABLE) expect(oneLineText(input)).toBe(expected);
  });

  it('every C0 control, DEL, every C1 control and U+00AD (SOFT HYPHEN, a format character) is escaped; every other character up to U+00FF is not', () => {
    for (let c = 0; c <= 0xff; c++) {
      const ch = String.fromCharCode(c);
      const unprintable = c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0xad;
      expect(escapeUnprintable(ch), `U+${c.toString(16)}`).toBe(unprintable ? `\\u{${c.toString(16)}}` : ch);
    }
  });

  it('what it writes holds no line break, no control character and no unpaired surrogate', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join('');
    const out = escapeUnprintable(all);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect((out as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
  });

  it('is idempotent: an escaped text escapes to itself', () => {
    for (const [, input] of TABLE) expect(escapeUnprintable(escapeUnprintable(input))).toBe(escapeUnprintable(input));
  });
});

describe('the three users write one notation', () => {
  it('identifierText: a name bracketed, its unprintable characters as escapeUnprintable writes them', () => {
    expect(identifierText('a\nb')).toBe('[a\\u{a}b]');
    expect(identifierText('T\ud83d')).toBe('[T\\u{d83d}]');
    expect(identifierText('\ude00T')).toBe('[\\u{de00}T]');
    expect(identifierText('T\ud83d\ude00')).toBe('[T\ud83d\ude00]');
  });

  it('commentText: the same, and U+FEFF and $( besides', () => {
    expect(commentText('a\nb\u2028c\ud83d')).toBe('a\\u{a}b\\u{2028}c\\u{d83d}');
    expect(commentText('x\ufeffy $(z)')).toBe('x\\u{feff}y $\\u{28}z)');
    expect(commentText('T\ud83d\ude00')).toBe('T\ud83d\ude00');
  });

  it('oneLineText and commentText differ only in $( (U+FEFF both escape, a format character)', () => {
    for (const [, input] of TABLE) expect(commentText(input)).toBe(oneLineText(input).replace(/\$\(/g, '$\\u{28}'));
  });
});

describe('echoInput: a long value cut between characters as written', () => {
  it('short values whole, escaped', () => {
    expect(echoInput('1\nrowback: forged')).toBe('1\\u{a}rowback: forged');
  });

  it('a cut that would fall inside \\u{…} falls before it', () => {
    // 'x' × 78 then LF: the escape spans characters 78–82
    const v = `${'x'.repeat(78)}\nyyyy`;
    expect(echoInput(v)).toBe(`${'x'.repeat(78)}… (${v.length} characters)`);
  });

  it('an escape that ends at the cut is kept whole', () => {
    const v = `${'x'.repeat(75)}\nyyyy`;
    expect(echoInput(v)).toBe(`${'x'.repeat(75)}\\u{a}… (${v.length} characters)`);
  });

  it('a cut that would fall inside a surrogate pair falls before it (its high half alone printed as U+FFFD)', () => {
    const v = `${'x'.repeat(79)}\ud83d\ude00yyyy`;
    const e = echoInput(v);
    expect(e).toBe(`${'x'.repeat(79)}… (${v.length} characters)`);
    expect((e as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
  });

  it('a pair that ends at the cut is kept whole', () => {
    const v = `${'x'.repeat(78)}\ud83d\ude00yyyy`;
    expect(echoInput(v)).toBe(`${'x'.repeat(78)}\ud83d\ude00… (${v.length} characters)`);
  });
});
