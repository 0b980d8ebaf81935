import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * Breaker P (code pages), SYNTHETIC values. planParam counted a char/varchar value's length in
 * UTF-16 units, which equal its bytes only in a single-byte code page: in a target column of a
 * _UTF8 collation (every character beyond ASCII 2–4 bytes) or a DBCS code page (932/936/949/950:
 * 2), a value that fits the source's column could pass the target's n bytes. It went as nvarchar(n)
 * and the server refused the statement on INSERT (truncation), failing the run's batch, or, where only
 * trailing spaces passed n, cut them from a varchar value with no error. Now refused per row, naming
 * the column, its collation and code page and the value's bytes there.
 */
const col = (o: Partial<TargetColumn> = {}): TargetColumn => ({
  name: 'City', type: 'varchar', maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o,
});
const UTF8 = { collation: 'Latin1_General_100_CI_AS_SC_UTF8', codePage: 65001 };
const JAPANESE = { collation: 'Japanese_CI_AS', codePage: 932 };
const refusal = (f: () => unknown): { code: string; message: string } => {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('not refused');
};

describe("a char/varchar value whose bytes in the target column's code page pass its length", () => {
  it("'Łódź' of a 1250 varchar(4) (4 bytes) is 7 in a _UTF8 varchar(4): refused, naming the bytes", () => {
    const r = refusal(() => planParam(col(UTF8), 'Łódź', { codePage: 1250, collation: 'Polish_CI_AS' }));
    expect(r.code).toBe('REINSERT_BAD_VALUE');
    expect(r.message).toContain('column City (varchar(4), collation Latin1_General_100_CI_AS_SC_UTF8, code page 65001) holds at most 4 byte(s): the value has 4 character(s) but takes 7 byte(s) in code page 65001');
    // a varchar(7) takes it; a supplementary character takes 4 bytes
    expect(planParam(col({ ...UTF8, maxLength: 7 }), 'Łódź').value).toBe('Łódź');
    expect(refusal(() => planParam(col({ ...UTF8, maxLength: 3 }), '😀')).message).toContain('the value has 2 character(s) but takes 4 byte(s) in code page 65001');
    expect(planParam(col(UTF8), '😀').value).toBe('😀');
  });

  it('a DBCS target counts 2 bytes a character, whatever the source (same code page included)', () => {
    const v = '東京都庁舎'; // 10 bytes in 932, 5 UTF-16 units
    expect(refusal(() => planParam(col({ ...JAPANESE, maxLength: 6 }), v, { codePage: 932, collation: 'Japanese_CI_AS' })).message)
      .toContain('(varchar(6), collation Japanese_CI_AS, code page 932) holds at most 6 byte(s): the value has 5 character(s) but takes 10 byte(s) in code page 932');
    expect(planParam(col({ ...JAPANESE, maxLength: 10 }), v, { codePage: 932, collation: 'Japanese_CI_AS' }).value).toBe(v);
    // half-width katakana: one byte each in 932
    expect(planParam(col({ ...JAPANESE, maxLength: 4 }), 'ｱｲｳｴ').value).toBe('ｱｲｳｴ');
  });

  it("trailing spaces: a char value's padding fits (the column pads it back), a varchar value's does not (it would be cut with no error)", () => {
    // char(6) of 1250 'Łódź  ' (6 bytes) into a _UTF8 char(9): 9 bytes, fits; into char(8): 7 bytes of text + padding, fits
    expect(planParam(col({ ...UTF8, type: 'char', maxLength: 8 }), 'Łódź  ').value).toBe('Łódź  ');
    expect(refusal(() => planParam(col({ ...UTF8, type: 'char', maxLength: 6 }), 'Łódź  ')).message).toContain('holds at most 6 byte(s): the value has 6 character(s) but takes 9 byte(s)');
    expect(refusal(() => planParam(col({ ...UTF8, maxLength: 8 }), 'Łódź  ')).message)
      .toContain('holds at most 8 byte(s): the value has 6 character(s) but takes 9 byte(s) in code page 65001, so the server would refuse its INSERT (Msg 2628, string or binary data would be truncated) and roll back its whole batch, or cut the value with no error where only trailing spaces pass the length');
  });

  it('single-byte code pages, ASCII, text and max columns, and a code page not known: unchanged', () => {
    expect(planParam(col({ collation: 'Polish_CI_AS', codePage: 1250 }), 'Łódź').value).toBe('Łódź');
    expect(planParam(col(UTF8), 'Lodz').value).toBe('Lodz');
    expect(planParam(col({ ...UTF8, type: 'text', maxLength: 16 }), 'Łódź Łódź Łódź').value).toBe('Łódź Łódź Łódź');
    expect(planParam(col({ ...UTF8, maxLength: -1 }), 'Łódź'.repeat(100)).value).toBe('Łódź'.repeat(100));
    expect(planParam(col(), 'Łódź').value).toBe('Łódź');
  });
});

describe('sql_variant: a char/varchar value of a _UTF8 collation', () => {
  const variantCol: TargetColumn = { name: 'V', type: 'sql_variant', maxLength: 8016, precision: 0, scale: 0, nullable: true, identity: false, computed: false };
  it('holding U+0080–U+009F (C2 80–C2 9F in UTF-8) goes back in its collation; U+FFFD is still refused', () => {
    const p = planParam(variantCol, { baseType: 'varchar', maxLength: 10, collation: 'Latin1_General_100_CI_AS_SC_UTF8', value: 'a\u0085b' } as never);
    expect(p.value).toBe('a\u0085b');
    expect(p.wrap).toBe('CONVERT(varchar(10), @ COLLATE Latin1_General_100_CI_AS_SC_UTF8)');
    expect(refusal(() => planParam(variantCol, { baseType: 'varchar', maxLength: 10, collation: 'Latin1_General_100_CI_AS_SC_UTF8', value: 'a\ufffdb' } as never)).code).toBe('REINSERT_VARIANT_TEXT');
    // a code page's C1 characters stay refused (their conversion back is not pinned)
    expect(refusal(() => planParam(variantCol, { baseType: 'varchar', maxLength: 10, collation: 'Latin1_General_CI_AS', value: 'a\u0085b' } as never)).code).toBe('REINSERT_VARIANT_TEXT');
  });
});

describe("bytes of characters rowback's decoder gives but iconv-lite's table lacks (a value of the target's own code page)", () => {
  it("932's user-defined pair F040 (U+E000) is 2 bytes, not iconv-lite's one '?'", () => {
    const src = { codePage: 932, collation: 'Japanese_CI_AS' };
    expect(refusal(() => planParam(col({ ...JAPANESE, maxLength: 3 }), '\ue000\ue001', src)).message).toContain('holds at most 3 byte(s): the value has 2 character(s) but takes 4 byte(s) in code page 932');
    expect(planParam(col({ ...JAPANESE, maxLength: 4 }), '\ue000\ue001', src).value).toBe('\ue000\ue001');
    // 1252's 0x81 (U+0081) is one byte
    expect(planParam(col({ collation: 'Latin1_General_CI_AS', codePage: 1252, maxLength: 2 }), 'a\u0081', { codePage: 1252, collation: 'Latin1_General_CI_AS' }).value).toBe('a\u0081');
  });
});

describe("a character iconv-lite's table holds but rowback's own decoder of the code page reads no byte as", () => {
  it("U+0080 (a 949 or 950 value's byte 0x80) into a 932 column, U+05BA into a 1255 one: refused, as rowback's tables say those code pages lack it", () => {
    // rowback reads 932's 0x80 and 1255's 0xCA as bytes the code page does not define (U+FFFD);
    // iconv-lite maps them to U+0080 and U+05BA, so iconv-lite alone let them through
    expect(refusal(() => planParam(col({ collation: 'Japanese_CI_AS', codePage: 932 }), 'a\u0080', { codePage: 949, collation: 'Korean_Wansung_CI_AS' })).message)
      .toContain('code page 932) cannot hold (U+0080) at character 2 of the value: code page 932 has no such character');
    expect(refusal(() => planParam(col({ collation: 'Hebrew_CI_AS', codePage: 1255, maxLength: 10 }), '\u05d5\u05ba', { codePage: 65001, collation: 'Latin1_General_100_CI_AS_SC_UTF8' })).message)
      .toContain("code page 1255) cannot hold 'ֺ' (U+05BA) at character 2");
    // the rest of those code pages as before
    expect(planParam(col({ collation: 'Japanese_CI_AS', codePage: 932, maxLength: 10 }), '東京ｱ').value).toBe('東京ｱ');
    expect(planParam(col({ collation: 'Hebrew_CI_AS', codePage: 1255, maxLength: 10 }), '\u05d5\u05b9').value).toBe('\u05d5\u05b9');
  });
});
