/**
 * Type decoders: bytes → output form. Real vectors come from text-examples/orcamdf-column-value-vectors.json
 * (read from the corpus); the small literal cases below are labelled with their source.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeBigint, decodeDate, decodeDatetime, decodeDatetime2, decodeDatetimeoffset, decodeDecimal, decodeFloat,
  decodeInt, decodeMoney, decodeReal, decodeSmalldatetime, decodeSmallint, decodeSmallmoney, decodeSqlVariant,
  decodeTime, decodeTinyint, decodeUniqueidentifier, decodeValue, ROW_TEXT_NOTES, decimalStorageLength, shortestFloat32,
  timeStorageLength, int64ToString,
} from '../../../src/reconstruct/types/index.js';
import { codePageForCollation, decoderForCodePage } from '../../../src/reconstruct/collation.js';
import { DecodeError } from '../../../src/errors.js';
import { parseHex } from '../../../src/util/hex.js';
import { describeCorpus, readCorpusJson } from '../../support/corpus.js';
import { fixed, table, variable } from '../record/layout-builder.js';

const h = (s: string) => parseHex(s);

describeCorpus('orcamdf-column-value-vectors.json (real storage forms)', () => {
  const v = readCorpusJson<{ vectors: Record<string, [string, string][]> }>('text-examples', 'orcamdf-column-value-vectors.json').vectors;
  for (const [text, hex] of v.datetime) {
    it(`datetime ${text}`, () => expect(decodeDatetime(h(hex), 0)).toBe(text.replace(' ', 'T')));
  }
  for (const [text, hex] of v.decimal) {
    it(text, () => {
      const m = /^decimal\((\d+),(\d+)\) (.*)$/.exec(text)!;
      const bytes = h(hex);
      expect(bytes.length).toBe(decimalStorageLength(Number(m[1])));
      expect(decodeDecimal(bytes, 0, bytes.length, Number(m[2]))).toBe(m[3]);
    });
  }
  for (const [text, hex] of v.time) {
    it(text, () => {
      const m = /^time\((\d)\) (.*)$/.exec(text)!;
      const bytes = h(hex);
      expect(bytes.length).toBe(timeStorageLength(Number(m[1])));
      expect(decodeTime(bytes, 0, Number(m[1]))).toBe(m[2]);
    });
  }
});

describe('integers', () => {
  it.each([
    ['c8', decodeTinyint, 200],
    ['c7cf', decodeSmallint, -12345],
    ['ffff', decodeSmallint, -1],
    ['01000000', decodeInt, 1],
    ['ffffff7f', decodeInt, 2147483647],
    ['00000080', decodeInt, -2147483648],
  ] as const)('%s', (hex, f, want) => expect(f(h(hex), 0)).toBe(want));
  it('bigint is an exact decimal string', () => {
    expect(decodeBigint(h('0100000000000000'), 0)).toBe('1');
    expect(decodeBigint(h('ffffffffffffff7f'), 0)).toBe('9223372036854775807');
    expect(decodeBigint(h('0000000000000080'), 0)).toBe('-9223372036854775808');
    expect(decodeBigint(h('ffffffffffffffff'), 0)).toBe('-1');
    expect(int64ToString(0, 0x200000)).toBe('9007199254740992');
  });
});

describe('money, decimal', () => {
  it('money / smallmoney carry 4 decimals (lc-fixed-types bytes)', () => {
    expect(decodeMoney(h('d202964900000000'), 0)).toBe('123456.7890');
    expect(decodeSmallmoney(h('4000cfff'), 0)).toBe('-321.1200');
    expect(decodeMoney(h('0000000000000000'), 0)).toBe('0.0000');
    expect(decodeMoney(h('ffffffffffffff7f'), 0)).toBe('922337203685477.5807');
    expect(decodeMoney(h('0000000000000080'), 0)).toBe('-922337203685477.5808');
  });
  it('decimal sign byte: 1 positive, 0 negative, anything else rejected', () => {
    expect(decodeDecimal(h('0139300000'), 0, 5, 2)).toBe('123.45');
    expect(decodeDecimal(h('0005000000'), 0, 5, 3)).toBe('-0.005');
    expect(decodeDecimal(h('0000000000'), 0, 5, 2)).toBe('0.00');
    expect(decodeDecimal(h('0239300000'), 0, 5, 2)).toBeNull();
  });
});

describe('float / real', () => {
  it('real prints the shortest decimal that round-trips float32 (lc-fixed-types RealCol)', () => {
    expect(decodeReal(h('4df82d40'), 0)).toBe(2.71828);
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
  });
  it('float', () => {
    expect(decodeFloat(h('112d4454fb210940'), 0)).toBe(3.14159265358979);
  });
});

describe('date and time', () => {
  it('date / datetime2 / smalldatetime / datetimeoffset', () => {
    expect(decodeDate(h('304a0b'), 0)).toBe('2026-09-30');
    expect(decodeDate(h('000000'), 0)).toBe('0001-01-01');
    expect(decodeDate(h('ffffff'), 0)).toBeNull();
    expect(decodeDatetime2(h('f0b000304a0b'), 0, 0)).toBe('2026-09-30T12:34:56');
    // lc-fixed-types SmallDateTimeCol: minutes 0x0339, days 0xB44D
    expect(decodeSmalldatetime(h('39034db4'), 0)).toBe('2026-05-17T13:45:00');
    // its range ends 2079-06-06 23:59 (MS Learn "smalldatetime"): day 65535, the largest u16; all of 2079 is valid
    expect(decodeSmalldatetime(h('9f05ffff'), 0)).toBe('2079-06-06T23:59:00');
    expect(decodeSmalldatetime(h('000063ff'), 0)).toBe('2079-01-01T00:00:00');
    expect(decodeSmalldatetime(h('a0050000'), 0)).toBeNull(); // 1440 minutes: not a time of day
    // datetimeoffset(0) 2026-09-30 12:34:56 UTC at +08:00 → local 20:34:56+08:00 (layout: time, date, i16 minutes)
    expect(decodeDatetimeoffset(h('f0b000304a0be001'), 0, 0)).toBe('2026-09-30T20:34:56+08:00');
    // −05:30 crossing midnight backwards: 00:10:00 UTC → previous day 18:40:00
    expect(decodeDatetimeoffset(h('580200304a0bb6fe'), 0, 0)).toBe('2026-09-29T18:40:00-05:30');
  });
  it('datetime rounds 1/300 s ticks the way SQL Server displays them', () => {
    expect(decodeDatetime(h('01000000' + '00000000'), 0)).toBe('1900-01-01T00:00:00.003');
    expect(decodeDatetime(h('02000000' + '00000000'), 0)).toBe('1900-01-01T00:00:00.007');
    expect(decodeDatetime(h('1dbbe2004db40000'), 0)).toBe('2026-05-17T13:45:30.123');
  });
});

describe('uniqueidentifier', () => {
  it('first three groups byte-swapped, upper case (lc-fixed-types GuidCol)', () => {
    expect(decodeUniqueidentifier(h('78563412341278569abc123456789abc'), 0)).toBe('12345678-1234-5678-9ABC-123456789ABC');
  });
});

describe('sql_variant', () => {
  it('int 1 stored as 38 01 01000000 (real DBCC PAGE bytes, dba.stackexchange.com q/14778)', () => {
    // Full record from that post: 30000400 01000001 00110038 01010000 00
    expect(decodeSqlVariant(h('380101000000'), 0, 6)).toEqual({ baseType: 'int', value: 1 });
  });
  it('rejects unknown base types and versions', () => {
    expect(decodeSqlVariant(h('380201000000'), 0, 6)).toBeNull();
    expect(decodeSqlVariant(h('0101'), 0, 2)).toBeNull();
  });
});

describe('collations and code pages', () => {
  it.each([
    ['Chinese_PRC_CI_AS', 936], ['Chinese_PRC_90_CI_AS', 936], ['Chinese_Simplified_Pinyin_100_CI_AS', 936],
    ['Chinese_Taiwan_Stroke_CI_AS', 950], ['Chinese_Hong_Kong_Stroke_90_BIN', 950], ['Japanese_CI_AS', 932],
    ['Japanese_XJIS_140_CI_AS', 932], ['Korean_Wansung_CI_AS', 949], ['Latin1_General_CI_AS', 1252],
    ['SQL_Latin1_General_CP1_CI_AS', 1252], ['SQL_Latin1_General_CP437_BIN', 437], ['SQL_Latin1_General_Cp850_CI_AS', 850],
    ['SQL_Latin1_General_CP1250_CI_AS', 1250], ['Cyrillic_General_CI_AS', 1251], ['Greek_CI_AS', 1253], ['Turkish_CI_AS', 1254],
    ['Hebrew_CI_AS', 1255], ['Arabic_CI_AS', 1256], ['Lithuanian_CI_AS', 1257], ['Latvian_CI_AS', 1257], ['Estonian_CS_AS', 1257],
    ['Vietnamese_CI_AS', 1258], ['Czech_CI_AS', 1250], ['Polish_CI_AS', 1250], ['Hungarian_Technical_CI_AS', 1250],
    ['Croatian_CI_AS', 1250], ['Romanian_CI_AS', 1250], ['Slovak_CI_AS', 1250], ['Slovenian_CI_AS', 1250], ['Albanian_CI_AS', 1250],
    ['Thai_CI_AS', 874], ['Latin1_General_100_CI_AS_SC_UTF8', 65001], ['Chinese_PRC_CI_AS_UTF8', 65001],
    // Windows' ANSI code page of each locale (Mohawk_Canada.1252, Welsh.1252, Upper Sorbian.1252,
    // Romansh_Switzerland.1252, Corsican.1252, Breton_France.1252, Mapudungun_Chile.1252)
    ['Mohawk_100_CI_AS', 1252], ['Welsh_100_CI_AS', 1252], ['Upper_Sorbian_100_CI_AS', 1252], ['Romansh_100_BIN2', 1252],
    ['Corsican_100_CS_AS', 1252], ['Breton_100_CI_AI', 1252], ['Mapudungan_100_CI_AS', 1252],
  ])('%s → %i', (name, cp) => expect(codePageForCollation(name)).toBe(cp));
  it('unknown / null', () => {
    expect(codePageForCollation(null)).toBeNull();
    expect(codePageForCollation('Klingon_CI_AS')).toBeNull();
  });
  it('decodes GBK, Big5, Shift-JIS, EUC-KR, CP437 with cached decoders', () => {
    expect(decoderForCodePage(936)!.decode(h('d6d0cec4'), 0, 4)).toBe('中文');
    expect(decoderForCodePage(950)!.decode(h('a4a4a4e5'), 0, 4)).toBe('中文');
    expect(decoderForCodePage(932)!.decode(h('93fa967b'), 0, 4)).toBe('日本');
    expect(decoderForCodePage(949)!.decode(h('c7d1b1b9'), 0, 4)).toBe('한국');
    expect(decoderForCodePage(437)!.decode(h('80b0'), 0, 2)).toBe('Ç░');
    expect(decoderForCodePage(1252)).toBe(decoderForCodePage(1252));
  });
});

describe('decodeValue dispatcher', () => {
  const t = table('x', [
    fixed('i', 'int', 4), fixed('d', 'decimal', 8, { precision: 5, scale: 2 }), variable('s', 'varchar', 1, { collation: 'Chinese_PRC_CI_AS' }),
    variable('n', 'nvarchar', 2), variable('v', 'sql_variant', 3), fixed('f', 'float', 13), variable('x', 'xml', 4),
  ]);
  const [i, d, s, n, v, f] = t.columns;
  it('decodes by column type', () => {
    expect(decodeValue(i, h('2a000000'), 0, 4)).toBe(42);
    expect(decodeValue(d, h('0139300000'), 0, 5)).toBe('123.45');
    expect(decodeValue(s, h('d6d0cec4'), 0, 4)).toBe('中文');
    expect(decodeValue(n, h('2d4e8765'), 0, 4)).toBe('中文');
    expect(decodeValue(v, h('380101000000'), 0, 6)).toEqual({ baseType: 'int', value: 1 });
  });
  it('gives the undefined-bytes note decodeRow gives as a row warning (it was dropped: U+FFFD came back unsaid), and leaves none on the shared row notes', () => {
    // SYNTHETIC bytes: 'A' then a GBK lead byte with no trail byte
    const warnings: string[] = [];
    expect(decodeValue(s, h('41d6'), 0, 2, warnings)).toBe('A\ufffd');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^column s: 0xD6 at offset 1 \(a lead byte not followed by a trail byte\) of its 2-byte value is not defined in code page 936 .*printed as U\+FFFD/);
    expect(ROW_TEXT_NOTES).toEqual([]);
    // without a list: nothing is left behind for a later decodeRow to give another row
    expect(decodeValue(s, h('41d6'), 0, 2)).toBe('A\ufffd');
    expect(ROW_TEXT_NOTES).toEqual([]);
    // defined bytes: no warning
    const none: string[] = [];
    expect(decodeValue(s, h('d6d0cec4'), 0, 4, none)).toBe('中文');
    expect(none).toEqual([]);
  });
  it('throws DecodeError with codes, never anything else', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        return (e as DecodeError).code;
      }
      return 'no error';
    };
    expect(code(() => decodeValue(i, h('2a00'), 0, 2))).toBe('DECODE_BAD_VALUE');
    expect(code(() => decodeValue(i, h('2a00'), 0, 4))).toBe('DECODE_TRUNCATED');
    expect(code(() => decodeValue(n, h('2d4e87'), 0, 3))).toBe('DECODE_BAD_VALUE');
    expect(code(() => decodeValue(d, h('0539300000'), 0, 5))).toBe('DECODE_BAD_VALUE');
    expect(code(() => decodeValue(v, h('ff01'), 0, 2))).toBe('DECODE_BAD_VALUE');
    expect(code(() => decodeValue(f, h('000000000000f07f'), 0, 8))).toBe('DECODE_BAD_VALUE'); // +Infinity is not a SQL float
  });
});
