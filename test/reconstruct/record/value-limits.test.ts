/**
 * A decoded value larger than its column's declared type (varchar(n), nvarchar(n), varbinary(n),
 * decimal(p,s)) cannot be a row of that layout: SQL Server refuses such values on every write. The
 * row decoder says so in a warning (record/plan.ts checkValueLimits), on FixedVar and CD records,
 * on the generated and the generic readers alike; recover-rows' layout check counts it against the
 * layout (test/recover/layout-fit.test.ts has the real-bytes case).
 *
 * Row images here are SYNTHETIC (test/support/synthetic-encoder.ts): written with a wide layout,
 * decoded with a narrower one, which is what a wrong --ddl or an ALTER COLUMN since the delete gives.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { checkValueLimits, planFor, VALUE_LIMIT_WARNING } from '../../../src/reconstruct/record/plan.js';
import { hasDriftWarning } from '../../../src/reconstruct/record/layout-warnings.js';
import type { SqlValue } from '../../../src/reconstruct/values.js';
import { buildLayout, encodeRow, type SynthColumn } from '../../support/synthetic-encoder.js';
import { VARCHAR_NUL_WARNING } from '../../../src/reconstruct/record/plan.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

const WIDE: SynthColumn[] = [
  { name: 'A', type: 'varchar', maxLength: 30 },
  { name: 'N', type: 'nvarchar', maxLength: 60 },
  { name: 'B', type: 'varbinary', maxLength: 30 },
  { name: 'D', type: 'decimal', precision: 9, scale: 2 },
];
// sys.columns.max_length is bytes: nvarchar(3) is 6
const NARROW: SynthColumn[] = [
  { name: 'A', type: 'varchar', maxLength: 5 },
  { name: 'N', type: 'nvarchar', maxLength: 6 },
  { name: 'B', type: 'varbinary', maxLength: 2 },
  { name: 'D', type: 'decimal', precision: 5, scale: 2 },
];

function limitWarnings(values: Record<string, SqlValue>, compression: 'NONE' | 'ROW' = 'NONE', generic = false): string[] {
  const image = encodeRow(buildLayout('T', WIDE, compression), values);
  const narrow = buildLayout('T', NARROW, compression);
  if (generic) {
    planFor(narrow).fixedVarFast = null;
    planFor(narrow).cdFast = null;
  }
  return decodeRow(image, narrow).warnings.filter((w) => VALUE_LIMIT_WARNING.test(w));
}

describe('values larger than their declared type', () => {
  for (const [label, compression, generic] of [
    ['FixedVar, generated reader', 'NONE', false],
    ['FixedVar, generic loop', 'NONE', true],
    ['CD (row-compressed), generated reader', 'ROW', false],
    ['CD, generic path', 'ROW', true],
  ] as const) {
    it(`${label}: one warning per column over its size, naming it, the size and the declared type`, () => {
      // A CD nvarchar or decimal beyond its type is already refused while it is decoded (record/cd.ts:
      // decompression and vardecimal are bounded by the declared type), so CD rows carry short N and D here.
      const cd = compression === 'ROW';
      const w = limitWarnings({ A: 'abcdefghijklmnop', N: cd ? 'abc' : 'hello', B: '0x010203', D: cd ? '-123.5' : '-1234.5' }, compression, generic);
      expect(w).toEqual([
        expect.stringMatching(/^column A holds 16 characters, more than its declared varchar\(5\) allows: the layout is not the one this row was written with/),
        ...(cd ? [] : [expect.stringMatching(/^column N holds 5 UTF-16 code units, more than its declared nvarchar\(3\) allows/)]),
        expect.stringMatching(/^column B holds 3 bytes, more than its declared varbinary\(2\) allows/),
        ...(cd ? [] : [expect.stringMatching(/^column D holds -1234\.50, more integer digits \(4\) than its declared decimal\(5,2\) allows \(3\)/)]),
      ]);
    });

    it(`${label}: values at their limits, shorter ones, NULLs and empty ones are not judged`, () => {
      expect(limitWarnings({ A: 'abcde', N: 'abc', B: '0x0102', D: '-999.99' }, compression, generic)).toEqual([]);
      expect(limitWarnings({ A: '', N: '', B: '0x', D: '0.01' }, compression, generic)).toEqual([]);
      expect(limitWarnings({ A: null, N: null, B: null, D: null }, compression, generic)).toEqual([]);
    });
  }

  it('CD: an nvarchar or decimal beyond its type stays a DECODE_BAD_VALUE naming the column (its decoding is bounded by the type)', () => {
    const narrow = buildLayout('T', NARROW, 'ROW');
    const n = encodeRow(buildLayout('T', WIDE, 'ROW'), { A: 'a', N: 'hello', B: '0x01', D: '1' });
    expect(() => decodeRow(n, narrow)).toThrow(/column N decompresses to 5 UTF-16 units, more than nvarchar\(3\)/);
    const d = encodeRow(buildLayout('T', WIDE, 'ROW'), { A: 'a', N: 'a', B: '0x01', D: '1234.5' });
    expect(() => decodeRow(d, narrow)).toThrow(/column D \(vardecimal\) has 6 digits, more than the column's precision 5/);
  });

  it('a positive decimal one integer digit over (as long as the longest negative value that fits) is flagged on the generated path too', () => {
    for (const generic of [false, true]) {
      expect(limitWarnings({ A: 'a', N: 'a', B: '0x01', D: '1234.5' }, 'NONE', generic), `generic ${generic}`).toEqual([
        expect.stringMatching(/^column D holds 1234\.50, more integer digits \(4\) than its declared decimal\(5,2\) allows \(3\)/),
      ]);
    }
    const image = encodeRow(buildLayout('T', [{ name: 'D', type: 'decimal', precision: 9, scale: 0 }]), { D: '10' });
    expect(decodeRow(image, buildLayout('T', [{ name: 'D', type: 'decimal', precision: 1, scale: 0 }])).warnings).toEqual([
      expect.stringMatching(/^column D holds 10, more integer digits \(2\) than its declared decimal\(1,0\) allows \(1\)/),
    ]);
  });

  it('a decimal of fraction only (decimal(2,2)) holds 0.xx: its leading 0 is not an integer digit', () => {
    const image = encodeRow(buildLayout('T', [{ name: 'D', type: 'decimal', precision: 5, scale: 2 }]), { D: '0.25' });
    const row = decodeRow(image, buildLayout('T', [{ name: 'D', type: 'decimal', precision: 2, scale: 2 }]));
    expect(row.values.D).toBe('0.25');
    expect(row.warnings).toEqual([]);
  });

  // '1.25' is as long as '0.25', so the generated path's length bound let it through: no warning
  it('a decimal of fraction only holding an integer digit (1.25 in decimal(2,2), 1 in decimal(38,38)) is flagged, on both paths', () => {
    for (const [p, s, v, text] of [[2, 2, '1.25', '1.25'], [38, 38, '1', `1.${'0'.repeat(38)}`], [5, 5, '-1.5', '-1.50000']] as const) {
      const wide = buildLayout('T', [{ name: 'D', type: 'decimal', precision: 38, scale: s }]);
      const narrow = buildLayout('T', [{ name: 'D', type: 'decimal', precision: p, scale: s }]);
      const row = decodeRow(encodeRow(wide, { D: v }), narrow);
      expect(row.values.D).toBe(text);
      // The 17-byte decimal(38,s) slot is longer than a decimal(2,s) or (5,s) one (5 bytes): the record's fixed part overruns that layout too.
      const overrun = row.warnings.filter((w) => w.startsWith("the record's fixed part ends at offset 21, 12 byte(s) after the layout's last fixed-length column (ends at 9)"));
      expect(overrun, `decimal(${p},${s}) ${v}`).toHaveLength(p < 10 ? 1 : 0);
      expect(row.warnings.slice(overrun.length), `decimal(${p},${s}) ${v}`).toEqual([expect.stringMatching(new RegExp(`^column D holds ${text.replace(/[.-]/g, '\\$&')}, more integer digits \\(1\\) than its declared decimal\\(${p},${s}\\) allows \\(0\\)`))]);
    }
    expect(limitWarnings({ A: 'a', N: 'a', B: '0x01', D: '1.5' }, 'NONE', false)).toEqual([]); // decimal(5,2): fits
  });

  it('varchar in a double-byte code page: judged on characters, so a value of more bytes but no more characters is not called too long', () => {
    // Japanese_CI_AS is code page 932: "あいう" is 6 bytes, 3 characters. varchar(5) holds at most 5
    // bytes, so the value is too long, but no character count shows it: no warning rather than a false one.
    const wide = buildLayout('T', [{ name: 'J', type: 'varchar', maxLength: 30, collation: 'Japanese_CI_AS' }]);
    const narrow = buildLayout('T', [{ name: 'J', type: 'varchar', maxLength: 5, collation: 'Japanese_CI_AS' }]);
    expect(decodeRow(encodeRow(wide, { J: 'あいう' }), narrow).warnings).toEqual([]);
    // six characters of six bytes: surely more than 5 bytes
    expect(decodeRow(encodeRow(wide, { J: 'あいうえおか' }), narrow).warnings).toEqual([
      expect.stringMatching(/^column J holds 6 characters, more than its declared varchar\(5\) allows/),
    ]);
  });

  it('(max) types and columns without a size are never judged on their length', () => {
    const cols: SynthColumn[] = [{ name: 'M', type: 'varchar', maxLength: -1 }, { name: 'I', type: 'int' }];
    const row = decodeRow(encodeRow(buildLayout('T', cols), { M: 'x'.repeat(9000 / 10), I: 7 }), buildLayout('T', cols));
    expect(row.warnings).toEqual([]);
  });
});

describe('NUL characters in a varchar value: nvarchar (UTF-16) text read as varchar', () => {
  // SYNTHETIC rows written with an nvarchar column, decoded with a layout declaring it varchar(50):
  // each character reads as itself and a NUL. Printed as "h\u0000i\u0000" with no word before.
  const asN = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Name', type: 'nvarchar', maxLength: 100 }]);
  const asV = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Name', type: 'varchar', maxLength: 50 }]);
  it.each(['hi', 'Bangalore'])('%s: a warning naming the column, the count and the likely cause, on every decode', (text) => {
    for (let i = 0; i < 3; i++) {
      const row = decodeRow(encodeRow(asN, { Id: 1, Name: text }), asV);
      expect(row.values.Name).toBe([...text].map((c) => c + '\u0000').join(''));
      expect(row.warnings).toEqual([`column Name (varchar(50)) holds ${text.length} NUL character(s) among its ${2 * text.length}: varchar text rarely holds any, and a NUL after every character is how nvarchar (UTF-16) text reads when taken as varchar: the column may be nvarchar in the table (check the layout)`]);
    }
  });
  it('a stray NUL (a C string\'s terminator stored by an application: "abc\\0") is not UTF-16\'s shape: no warning', () => {
    const row = decodeRow(encodeRow(asV, { Id: 1, Name: 'abc\u0000' }), asV);
    expect(row.values.Name).toBe('abc\u0000');
    expect(row.warnings).toEqual([]);
  });
  it('a varchar value without NUL, and the nvarchar read as nvarchar: no warning', () => {
    expect(decodeRow(encodeRow(asV, { Id: 1, Name: 'hi' }), asV).warnings).toEqual([]);
    expect(decodeRow(encodeRow(asN, { Id: 1, Name: 'hi' }), asN).warnings).toEqual([]);
  });
});

describe('NUL characters in char(n) and varchar(max) values: nchar / nvarchar(max) text read through a one-byte layout', () => {
  // SYNTHETIC rows: an nchar(5) column read as char(10) (the same 10 bytes), an nvarchar(max) one as varchar(max).
  it('nchar(5) \'hello\' read as char(10): "h\\0e\\0l\\0l\\0o\\0", 5 NULs among 10: warned, and counted as layout drift', () => {
    const asN = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Code', type: 'nchar', maxLength: 10 }]);
    const asC = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Code', type: 'char', maxLength: 10 }]);
    const row = decodeRow(encodeRow(asN, { Id: 1, Code: 'hello' }), asC);
    expect(row.values.Code).toBe('h\u0000e\u0000l\u0000l\u0000o\u0000');
    expect(row.warnings).toEqual(['column Code (char(10)) holds 5 NUL character(s) among its 10: char text rarely holds any, and a NUL after every character is how nchar (UTF-16) text reads when taken as char: the column may be nchar in the table (check the layout)']);
    expect(row.warnings[0]).toMatch(VARCHAR_NUL_WARNING);
    // char is stored blank-padded to n (MS Learn, "char and varchar"; the SYNTHETIC encoder writes the value given, so it is given padded)
    expect(decodeRow(encodeRow(asC, { Id: 1, Code: 'hi'.padEnd(10) }), asC).warnings).toEqual([]);
  });
  it('nvarchar(max) read as varchar(max): warned; a varchar(max) value without NULs is not', () => {
    const asN = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Notes', type: 'nvarchar', maxLength: -1 }]);
    const asV = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Notes', type: 'varchar', maxLength: -1 }]);
    const row = decodeRow(encodeRow(asN, { Id: 1, Notes: 'Bangalore' }), asV);
    expect(row.warnings).toEqual([expect.stringMatching(/^column Notes \(varchar\(max\)\) holds 9 NUL character\(s\) among its 18: varchar text rarely holds any/)]);
    expect(row.warnings[0]).toMatch(VARCHAR_NUL_WARNING);
    expect(decodeRow(encodeRow(asV, { Id: 1, Notes: 'Bangalore' }), asV).warnings).toEqual([]);
  });
});

describe('one-byte text in nvarchar / nchar values: varchar / char text read through a UTF-16 layout', () => {
  // The reverse of the NUL check: varchar bytes taken as UTF-16 pair into CJK-looking characters
  // ("Computer Science" → "潃灭瑵牥匠楣湥散"), printed warning-free before (newcomer, real bytes:
  // test/cli/scan-undecoded-incomplete.test.ts). SYNTHETIC rows here.
  const asV = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Notes', type: 'varchar', maxLength: 200 }]);
  const asN = buildLayout('T', [{ name: 'Id', type: 'int' }, { name: 'Notes', type: 'nvarchar', maxLength: 200 }]);
  it.each(['john.smith@example.com', 'Computer Science', 'customer since 2019'])('%s read as nvarchar: warned, with its one-byte reading, and counted as layout drift', (text) => {
    const even = text.length % 2 ? `${text} ` : text;
    const row = decodeRow(encodeRow(asV, { Id: 1, Notes: even }), asN);
    expect(row.warnings).toEqual([`column Notes (nvarchar(100)) holds ${even.length / 2} characters each of which is two one-byte text characters (read one byte each: ${JSON.stringify(even)}): that is how varchar text reads when taken as nvarchar (UTF-16); the column may be varchar in the table (check the layout)`]);
    expect(hasDriftWarning(row.warnings)).toBe(true);
  });
  it('real nvarchar text is not: Latin, short values, upper-case codes, and 20,000 SYNTHETIC CJK / hangul / kana strings of 6–12 characters', () => {
    for (const text of ['Computer Science', 'Bangalore', '北京市朝阳区', 'ABCDEFGHIJKL', 'Hello World!']) {
      expect(decodeRow(encodeRow(asN, { Id: 1, Notes: text }), asN).warnings).toEqual([]);
    }
    expect(decodeRow(encodeRow(asV, { Id: 1, Notes: 'Acme Ltd' }), asN).warnings).toEqual([]); // 4 characters: below the 6 judged
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const [lo, hi] of [[0x4e00, 0x9fa5], [0xac00, 0xd7a3], [0x3041, 0x30ff]] as const) {
      for (let i = 0; i < 20_000 / 3; i++) {
        let text = '';
        for (let j = 0, n = 6 + (i % 7); j < n; j++) text += String.fromCharCode(lo + Math.floor(rnd() * (hi - lo)));
        const w: string[] = [];
        checkValueLimits({ Notes: text }, [{ name: 'Notes', kind: 'units', max: 100, scale: 0, declared: 'nvarchar(100)' }], w);
        expect(w, text).toEqual([]);
      }
    }
  });
});

describeCorpus('NUL check on REAL rows: CRUD-.NET Database.mdf/Database_log.ldf dbo.user_mstr', () => {
  it('its inserted rows, Uname (nvarchar(50)) read as varchar(max): every row warned; with the catalog\'s own layout: none', async () => {
    const source = openFileSource({ mdf: [corpusPath('CRUD-.NET', 'App_Data', 'Database.mdf')], ldf: corpusPath('CRUD-.NET', 'App_Data', 'Database_log.ldf') });
    try {
      const own = (await source.metadata()).byName('dbo.user_mstr')!;
      const wrong = { ...own, columns: own.columns.map((c) => (c.name === 'Uname' ? { ...c, type: 'varchar' as const, maxLength: -1, codePage: 1252 } : c)) };
      let n = 0;
      for await (const cand of source.candidates({ operations: ['insert'] })) {
        const image = cand.record['RowLog Contents 0'];
        if (!image) continue;
        const bytes = image;
        expect(decodeRow(bytes, own).warnings).toEqual([]);
        const w = decodeRow(bytes, wrong).warnings;
        expect(w).toEqual([expect.stringMatching(/^column Uname \(varchar\(max\)\) holds \d+ NUL character\(s\)/)]);
        n++;
      }
      expect(n).toBeGreaterThanOrEqual(3);
    } finally {
      await source.close();
    }
  });
});

