/**
 * Bytes a code page does not define, and DBCS lead bytes without a trail that makes a character
 * with them ("broken pairs"): SQL Server stores them in char/varchar/text unchecked; rowback prints
 * U+FFFD for them, which looks like an answer but is not the byte, so the row gets a warning naming
 * the column, the bytes in hex and their offset in the value (types/string.ts undefinedBytesWarning).
 * Which bytes are undefined, per code page (Microsoft's tables at
 * https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CPxxxx.TXT, "#UNDEFINED";
 * glibc iconv on this machine, `printf '\xaa' | iconv -f CP1253` → "cannot convert"):
 *  - 1253: 0xAA, 0xD2, 0xFF (ICU reads 0xAA as U+00AA: rowback follows Microsoft and glibc);
 *  - 1255: 0xCA, 0xD9–0xDF, 0xFB, 0xFC, 0xFF; 1257: 0xA1, 0xA5;
 *  - 932: 0x80, 0xA0, 0xFD–0xFF and lead bytes (0x81–0x9F, 0xE0–0xFC) with no valid trail;
 *    936, 949, 950: lead bytes (0x81–0xFE) with no valid trail; 949: 0xFF;
 *  - UTF-8 (`_UTF8` collations): bytes that are not UTF-8 (U+FFFD itself, EF BF BD, is a character).
 * Not undefined in rowback (see collation.ts): the 0x80–0x9F holes of 1250–1258 and 874 (CPxxxx.TXT
 * UNDEFINED, but ICU/WHATWG and Microsoft's best-fit tables give the C1 control of the same value,
 * as for 1252's 0x81 0x8D 0x8F 0x90 0x9D); 874's 0xDB–0xDE, 0xFC–0xFF, 936's 0xFF and 950's
 * user-defined leads (ICU gives private-use characters).
 * SYNTHETIC bytes: rows from test/support/synthetic-encoder.ts with a placeholder value's bytes
 * replaced by the bytes under test.
 */
import { describe, expect, it } from 'vitest';
import { decoderForCodePage, NOTE_UNDEFINED } from '../../src/reconstruct/collation.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { planFor } from '../../src/reconstruct/record/plan.js';
import { undefinedBytesWarning } from '../../src/reconstruct/types/string.js';
import { decodeLob } from '../../src/datafile/table-rows.js';
import { buildLayout, encodeRow, type SynthColumn } from '../support/synthetic-encoder.js';

/** [code page, bytes (hex), decoded text, the bad spans as the warning names them ('' = no warning)]. */
const CASES: Array<[number, string, string, string]> = [
  [1253, '41aa42', 'A\ufffdB', '0xAA at offset 1'],
  [1253, 'd2', '\ufffd', '0xD2 at offset 0'],
  [1253, 'c1ff', 'Α\ufffd', '0xFF at offset 1'],
  [1253, 'aad2ff', '\ufffd\ufffd\ufffd', '0xAA at offset 0, 0xD2 at offset 1, 0xFF at offset 2'],
  [1253, 'c1e1', 'Αα', ''],
  [1255, 'e0ca', 'א\ufffd', '0xCA at offset 1'],
  [1255, 'fb', '\ufffd', '0xFB at offset 0'],
  [1257, 'a1a5', '\ufffd\ufffd', '0xA1 at offset 0, 0xA5 at offset 1'],
  // 1252: the five bytes CP1252.TXT leaves undefined read as the controls of their value (Microsoft's best fit, WHATWG): no warning
  [1252, '818d8f909d', '\u0081\u008d\u008f\u0090\u009d', ''],
  // the other code pages' 0x80–0x9F holes likewise (1250's 0x81 0x83 0x88 0x90 0x98), and 949's 0x80
  [1250, '8183889098', '\u0081\u0083\u0088\u0090\u0098', ''],
  [949, '80', '\u0080', ''],
  // private-use characters ICU gives (Windows' best fit): kept one to one, no warning
  [874, 'dbff', '\uf8c1\uf8c8', ''],
  [936, 'ff', '\uf8f5', ''],
  [932, '93fa8120', '日\ufffd ', '0x81 at offset 2 (a lead byte not followed by a trail byte)'],
  [932, '93fa81', '日\ufffd', '0x81 at offset 2 (a lead byte not followed by a trail byte)'],
  [932, '80', '\ufffd', '0x80 at offset 0'],
  [932, '41a042', 'A\ufffdB', '0xA0 at offset 1'],
  [932, 'fd', '\ufffd', '0xFD at offset 0'],
  [936, 'b1b181', '北\ufffd', '0x81 at offset 2 (a lead byte not followed by a trail byte)'],
  [936, '8130', '\ufffd0', '0x81 at offset 0 (a lead byte not followed by a trail byte)'],
  [936, '80', '€', ''],
  [949, 'c7d18120', '한\ufffd ', '0x81 at offset 2 (a lead byte not followed by a trail byte)'],
  [949, 'ff41', '\ufffdA', '0xFF at offset 0'],
  [949, 'c9', '\ufffd', '0xC9 at offset 0 (a lead byte not followed by a trail byte)'],
  [950, 'a578a130', '台\ufffd0', '0xA1 at offset 2 (a lead byte not followed by a trail byte)'],
  [950, 'a4', '\ufffd', '0xA4 at offset 0 (a lead byte not followed by a trail byte)'],
  [65001, '41c3', 'A\ufffd', '0xC3 at offset 1'],
  [65001, 'e28241', '\ufffdA', '0xE2 0x82 at offset 0'],
  [65001, 'ff', '\ufffd', '0xFF at offset 0'],
  [65001, 'efbfbd', '\ufffd', ''],
  // a leading EF BB BF is the value's own U+FEFF (TextDecoder's BOM sniffing dropped it)
  [65001, 'efbbbf41', '\ufeffA', ''],
  [65001, 'efbbbfc3', '\ufeff\ufffd', '0xC3 at offset 3'],
];

describe('bytes a code page does not define → U+FFFD and a warning naming them (SYNTHETIC bytes)', () => {
  for (const [cp, hex, text, spans] of CASES) {
    it(`${cp}: ${hex} → ${JSON.stringify(text)}${spans ? `, warns ${spans}` : ', no warning'}`, () => {
      const d = decoderForCodePage(cp)!;
      const b = Buffer.from(hex, 'hex');
      expect(d.decodeNoting(b, 0, b.length)).toBe(text);
      expect((d.nul & NOTE_UNDEFINED) !== 0).toBe(spans !== '');
      if (spans) {
        const w = undefinedBytesWarning('C', d, b, 0, b.length);
        expect(w.startsWith(`column C: ${spans} of its ${b.length}-byte value `)).toBe(true);
        expect(w).toContain("printed as U+FFFD '\ufffd'");
        expect(w).toMatch(cp === 65001 ? /not valid UTF-8/ : new RegExp(`not defined in code page ${cp}`));
      }
    });
  }
  it('a long value (past the tables\' 256-byte slices) notes a byte at its end', () => {
    for (const cp of [1253, 936, 932, 949]) {
      const d = decoderForCodePage(cp)!;
      const b = Buffer.concat([Buffer.alloc(300, 0x41), Buffer.from([0xc1, 0xaa].slice(cp === 1253 ? 0 : 1).map((x) => (cp === 1253 ? x : 0x81)))]);
      const s = d.decodeNoting(b, 0, b.length);
      expect(s.endsWith('\ufffd')).toBe(true);
      expect(d.nul & NOTE_UNDEFINED).toBe(NOTE_UNDEFINED);
      expect(undefinedBytesWarning('C', d, b, 0, b.length)).toMatch(new RegExp(`^column C: 0x(AA|81) at offset ${b.length - 1}`));
    }
  });
});

/** Placeholder values the bytes under test replace in the encoded row (same length). */
function rowWith(layout: TableLayout, values: Record<string, string | number>, swaps: Record<string, string>): Uint8Array {
  const image = Buffer.from(encodeRow(layout, values));
  for (const [placeholder, hex] of Object.entries(swaps)) {
    const at = image.indexOf(Buffer.from(placeholder, 'latin1'));
    expect(at).toBeGreaterThan(0);
    expect(image.indexOf(Buffer.from(placeholder, 'latin1'), at + 1)).toBe(-1);
    Buffer.from(hex, 'hex').copy(image, at);
  }
  return image;
}

describe('decodeRow: a char/varchar value holding undefined bytes gets a row warning (FixedVar generated and generic, CD generated and generic)', () => {
  const COLS: SynthColumn[] = [
    { name: 'Id', type: 'int' },
    { name: 'Greek', type: 'varchar', maxLength: 20, collation: 'Greek_CI_AS' },
    { name: 'Jis', type: 'varchar', maxLength: 20, collation: 'Japanese_CI_AS' },
    { name: 'Utf8', type: 'varchar', maxLength: 20, collation: 'Latin1_General_100_CI_AS_SC_UTF8' },
    { name: 'Fixed', type: 'char', maxLength: 4, collation: 'Greek_CI_AS' },
    { name: 'Plain', type: 'varchar', maxLength: 20 },
  ];
  const values = { Id: 7, Greek: 'QQQQ', Jis: 'JJJ', Utf8: 'UU', Fixed: 'FFFF', Plain: 'ok' };
  const swaps = { QQQQ: 'c1aae1d2', JJJ: '418120', UU: '41c3', FFFF: 'c1c2c3ff' };
  for (const compression of ['NONE', 'ROW'] as const) {
    for (const generated of [true, false]) {
      it(`${compression === 'NONE' ? 'FixedVar' : 'CD'}, ${generated ? 'generated reader' : 'generic loop'}`, () => {
        const layout = buildLayout('T', COLS, compression);
        if (!generated) {
          planFor(layout).fixedVarFast = null;
          planFor(layout).cdFast = null;
        }
        const row = decodeRow(rowWith(layout, values, swaps), layout);
        expect(row.values).toEqual({ Id: 7, Greek: 'Α\ufffdα\ufffd', Jis: 'A\ufffd ', Utf8: 'A\ufffd', Fixed: 'ΑΒΓ\ufffd', Plain: 'ok' });
        const notes = row.warnings.filter((w) => w.includes('U+FFFD'));
        expect(notes).toHaveLength(4);
        expect(notes[0]).toMatch(/^column Greek: 0xAA at offset 1, 0xD2 at offset 3 of its 4-byte value are not defined in code page 1253 .*REINSERT_UNDEFINED_BYTES/);
        expect(notes[1]).toMatch(/^column Jis: 0x81 at offset 1 \(a lead byte not followed by a trail byte\) of its 3-byte value is not defined in code page 932/);
        expect(notes[2]).toMatch(/^column Utf8: 0xC3 at offset 1 of its 2-byte value are not valid UTF-8/);
        expect(notes[3]).toMatch(/^column Fixed: 0xFF at offset 3 of its 4-byte value is not defined in code page 1253/);
        // the next row, every byte defined: no warning left over
        const clean = decodeRow(encodeRow(layout, values), layout);
        expect(clean.warnings.filter((w) => w.includes('U+FFFD'))).toEqual([]);
      });
    }
  }

  it('a varchar value inside a sql_variant (its own collation, Chinese_PRC: 936) gets the warning too', () => {
    const layout = buildLayout('V', [{ name: 'Id', type: 'int' }, { name: 'V', type: 'sql_variant' }]);
    const image = rowWith(layout, { Id: 1, V: { baseType: 'varchar', maxLength: 10, collation: 'Chinese_PRC_CI_AS', value: 'QQQ' } as unknown as number }, { QQQ: 'b1b181' });
    const row = decodeRow(image, layout);
    expect((row.values.V as { value: string }).value).toBe('北\ufffd');
    expect(row.warnings.filter((w) => w.includes('U+FFFD'))).toEqual([expect.stringMatching(/^column V \(a varchar value inside the sql_variant\): 0x81 at offset 2 \(a lead byte not followed by a trail byte\) of its 3-byte value is not defined in code page 936 .*\(REINSERT_VARIANT_TEXT\)/)]);
  });

  it('an off-row (LOB) text value gets the warning in the row\'s warnings (decodeLob)', () => {
    const layout = buildLayout('L', [{ name: 'Id', type: 'int' }, { name: 'Body', type: 'text', collation: 'Greek_CI_AS' }]);
    const warnings: string[] = [];
    const v = decodeLob(Buffer.concat([Buffer.alloc(5000, 0xc1), Buffer.from([0xd2])]), layout.columns.find((c) => c.name === 'Body')!, warnings);
    expect(v).toBe('Α'.repeat(5000) + '\ufffd');
    expect(warnings).toEqual([expect.stringMatching(/^column Body: 0xD2 at offset 5000 of its 5001-byte value is not defined in code page 1253/)]);
  });
});
