/**
 * The decoder's fast paths give exactly what the general code gives:
 *  - the generated per-layout FixedVar column reader (record/fixedvar.ts `fastReaderFor`) against
 *    the generic column loop, on SYNTHETIC rows and on mutated / truncated copies of them: same
 *    values, warnings, record fields, or the same DecodeError (code, message, location);
 *  - the table uniqueidentifier formatter against a plain reference formatter (every byte value
 *    at every position) and the real GuidCol of lc-fixed-types;
 *  - code-page decoding (pure ASCII → native latin1 slice, DBCS / high bytes → table + UTF-16 slice)
 *    against ICU's TextDecoder, on Buffers and plain Uint8Arrays.
 */
import { TextDecoder } from 'node:util';
import { referenceDecoder } from '../support/code-page-reference.js';
import { describe, expect, it } from 'vitest';
import { decoderForCodePage, latin1 } from '../../src/reconstruct/collation.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { planFor } from '../../src/reconstruct/record/plan.js';
import { DAY0001_TO_EPOCH, decodeDatetime2, decodeNvarchar, decodeTime, decodeUniqueidentifier, formatTimeUnits, MAX_DATE_DAY, timeStorageLength } from '../../src/reconstruct/types/index.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { buildLayout, encodeCodePage, encodeRow, type SynthColumn } from '../support/synthetic-encoder.js';
import { rng } from '../support/rng.js';
import { decodeOutcome } from '../support/decode-error.js';

/** Two layout objects for the same columns: the first decodes with the generated reader, the second never does. */
function twin(cols: SynthColumn[]): { fast: TableLayout; generic: TableLayout } {
  const fast = buildLayout('T', cols);
  const generic = buildLayout('T', cols);
  expect(planFor(fast).fixedVarFast).toBeUndefined();
  planFor(generic).fixedVarFast = null;
  return { fast, generic };
}

const outcome = decodeOutcome;

const CONTACT: SynthColumn[] = [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Company', type: 'varchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Email', type: 'varchar', maxLength: 100 },
  { name: 'Fax', type: 'varchar', maxLength: 20 },
  { name: 'CreatedAt', type: 'datetime2', scale: 7 },
  { name: 'Balance', type: 'decimal', precision: 18, scale: 2 },
  { name: 'IsActive', type: 'bit' },
  { name: 'ContactGuid', type: 'uniqueidentifier' },
  { name: 'Score', type: 'int' },
];
const contactRows: Record<string, SqlValue>[] = [
  { ContactId: 1, Name: '王伟', Company: '北京华信科技有限公司', Email: 'user1@example.com', Fax: null, CreatedAt: '2026-01-10T00:10:20.1234567', Balance: '7919.01', IsActive: true, ContactGuid: '00112233-4455-6677-8899-AABBCCDDEEFF', Score: 31 },
  { ContactId: -5, Name: null, Company: 'ACME Trading Co. Ltd', Email: '', Fax: 'x', CreatedAt: null, Balance: '-0.50', IsActive: false, ContactGuid: null, Score: null },
  { ContactId: null, Name: '', Company: null, Email: null, Fax: null, CreatedAt: '9999-12-31T23:59:59.9999999', Balance: null, IsActive: null, ContactGuid: 'FFFFFFFF-0000-FFFF-0000-FFFFFFFFFFFF', Score: 2147483647 },
];

const WIDE: SynthColumn[] = [
  { name: 'u', type: 'int', uniquifier: true },
  { name: 'b1', type: 'bit' },
  { name: 'ti', type: 'tinyint' },
  { name: 'si', type: 'smallint' },
  { name: 'bi', type: 'bigint' },
  { name: 'b2', type: 'bit' },
  { name: 're', type: 'real' },
  { name: 'fl', type: 'float' },
  { name: 'mo', type: 'money' },
  { name: 'sm', type: 'smallmoney' },
  { name: 'da', type: 'date' },
  { name: 'tm', type: 'time', scale: 3 },
  { name: 'dt', type: 'datetime' },
  { name: 'sd', type: 'smalldatetime' },
  { name: 'do', type: 'datetimeoffset', scale: 2 },
  { name: 'd38', type: 'decimal', precision: 38, scale: 10 },
  { name: 'ch', type: 'char', maxLength: 5 },
  { name: 'nc', type: 'nchar', maxLength: 6 },
  { name: 'bn', type: 'binary', maxLength: 3 },
  { name: 'vb', type: 'varbinary', maxLength: 50 },
  { name: '__proto__', type: 'nvarchar', maxLength: 40 },
];
const wideRows: Record<string, SqlValue>[] = [
  { b1: true, ti: 200, si: -12345, bi: '9223372036854775807', b2: false, re: 2.71828, fl: 3.14159265358979, mo: '-321.1200', sm: '12.3400', da: '2026-09-30', tm: '11:22:33.123', dt: '2026-05-17T13:45:30.123', sd: '2026-05-17T13:45:00', do: '2026-09-30T20:34:56.12+08:00', d38: '-1234567890123456789012345678.0123456789', ch: 'ab   ', nc: 'xyz', bn: '0x0102FF', vb: '0xDEADBEEF', ['__proto__']: 'proto' },
  Object.fromEntries(WIDE.filter((c) => !c.uniquifier).map((c) => [c.name, null])),
];

describe('generated FixedVar column reader = generic column loop', () => {
  const cases: { name: string; cols: SynthColumn[]; images: Uint8Array[] }[] = [];
  {
    const { fast } = twin(CONTACT);
    const images = contactRows.map((r) => encodeRow(fast, r, { nullSlotFill: 0xee }));
    // Older rows (fewer stored columns: the generic loop's defaults/warnings) and odd record shapes.
    images.push(encodeRow(fast, contactRows[0], { columnCount: 5 }), encodeRow(fast, contactRows[0], { columnCount: 1 }));
    images.push(encodeRow(fast, contactRows[1], { unusedBitmapBits: 0xfc, recordType: 6, versioningTag: new Uint8Array(14).fill(7) }));
    cases.push({ name: 'CRM contact', cols: CONTACT, images });
  }
  {
    const { fast } = twin(WIDE);
    const images = wideRows.map((r, i) => encodeRow(fast, r, { uniquifier: i * 7, nullSlotFill: 0xff }));
    images.push(encodeRow(fast, wideRows[0], { columnCount: 12 }));
    cases.push({ name: 'every fixed type, char/nchar/binary, uniquifier, __proto__', cols: WIDE, images });
  }

  for (const c of cases) {
    it(`${c.name}: same result on the rows, every truncation and 4,000 mutations`, () => {
      const { fast, generic } = twin(c.cols);
      const next = rng(0x5eed);
      let compared = 0;
      let fastOk = 0;
      for (const image of c.images) {
        const variants: Uint8Array[] = [image];
        for (let n = 0; n < image.length; n++) variants.push(image.subarray(0, n));
        for (let m = 0; m < 4000 / c.images.length; m++) {
          const v = Uint8Array.from(image);
          const flips = 1 + Math.floor(next() * 3);
          for (let f = 0; f < flips; f++) {
            const at = Math.floor(next() * v.length);
            if (next() < 0.5) v[at] ^= 1 << Math.floor(next() * 8);
            else v[at] = Math.floor(next() * 256);
          }
          variants.push(v);
        }
        // Plain Uint8Arrays and Buffers (decodeRow turns the former into Buffer views).
        for (const v of variants) {
          for (const img of [v, Buffer.from(v)]) {
            const a = outcome(img, fast);
            expect(a).toEqual(outcome(img, generic));
            if ('ok' in (a as object)) fastOk++;
            compared++;
          }
        }
      }
      expect(planFor(fast).fixedVarFast).not.toBeNull();
      expect(planFor(generic).fixedVarFast).toBeNull();
      expect(compared).toBeGreaterThan(4000);
      expect(fastOk).toBeGreaterThan(100);
    });
  }

  it('the unmutated rows decode to what was encoded, with the same key order', () => {
    const { fast, generic } = twin(CONTACT);
    for (const r of contactRows) {
      const got = decodeRow(encodeRow(fast, r), fast);
      expect(got.values).toEqual(r);
      expect(Object.keys(got.values)).toEqual(Object.keys(decodeRow(encodeRow(generic, r), generic).values));
    }
  });

  it('layouts with sparse, computed, xml, text or sql_variant columns keep the generic loop', () => {
    for (const col of [
      { name: 'x', type: 'xml' },
      { name: 't', type: 'text' },
      { name: 'v', type: 'sql_variant' },
      { name: 's', type: 'int', sparse: true },
    ] as SynthColumn[]) {
      const layout = buildLayout('T', [{ name: 'id', type: 'int' }, col]);
      decodeRow(encodeRow(layout, { id: 1, [col.name]: null }), layout);
      expect(planFor(layout).fixedVarFast).toBeNull();
    }
  });
});

/** Reference: straightforward formatting of a uniqueidentifier's 16 stored bytes. */
function guidReference(b: Uint8Array, o: number): string {
  const hx = (i: number) => b[o + i].toString(16).padStart(2, '0').toUpperCase();
  const g = (...idx: number[]) => idx.map(hx).join('');
  return `${g(3, 2, 1, 0)}-${g(5, 4)}-${g(7, 6)}-${g(8, 9)}-${g(10, 11, 12, 13, 14, 15)}`;
}

describe('uniqueidentifier formatter', () => {
  it('every byte value at every position matches the reference formatter', () => {
    const b = new Uint8Array(17);
    for (let pos = 0; pos < 16; pos++) {
      for (let v = 0; v < 256; v++) {
        b.fill(0x5a);
        b[1 + pos] = v;
        expect(decodeUniqueidentifier(b, 1)).toBe(guidReference(b, 1));
      }
    }
  });
  it('the real GuidCol of lc-fixed-types (bytes 78563412 3412 7856 9ABC…)', () => {
    const b = Buffer.from('78563412341278569abc123456789abc', 'hex');
    expect(decodeUniqueidentifier(b, 0)).toBe('12345678-1234-5678-9ABC-123456789ABC');
    expect(decodeUniqueidentifier(new Uint8Array(b), 0)).toBe(guidReference(b, 0));
  });
  it('consecutive values do not share state', () => {
    const a = decodeUniqueidentifier(new Uint8Array(16).fill(0xab), 0);
    const z = decodeUniqueidentifier(new Uint8Array(16), 0);
    expect(a).toBe('ABABABAB-ABAB-ABAB-ABAB-ABABABABABAB');
    expect(z).toBe('00000000-0000-0000-0000-000000000000');
  });
});

describe('code-page decoding fast paths = ICU TextDecoder', () => {
  const values: Record<number, string[]> = {
    936: ['user1234@example.com', '+86-10-10000000', 'abc', '北京华信科技有限公司', 'ACME 北京 Ltd.', 'x北', '上海东方贸易有限公司 Shanghai Dongfang Trading Co.'],
    1252: ['plain ascii text here', 'café crème brûlée', 'é', 'Ærøskøbing and ü straße', 'abcdefgh'],
    950: ['台北市信義區', 'Taipei 101 大樓'],
    932: ['東京都千代田区', 'Tokyo ｶﾀｶﾅ 漢字'],
    1251: ['Москва, ул. Тверская', 'ascii only value'],
  };
  for (const [cp, texts] of Object.entries(values)) {
    it(`code page ${cp}: ASCII, mixed and non-ASCII values, at offsets, Buffer and Uint8Array`, () => {
      const d = decoderForCodePage(Number(cp));
      expect(d).not.toBeNull();
      const td = referenceDecoder(cp === '936' ? 'gbk' : cp === '950' ? 'big5' : cp === '932' ? 'shift_jis' : `windows-${cp}`);
      for (const t of texts) {
        const bytes = encodeCodePage(t, Number(cp));
        const framed = new Uint8Array(bytes.length + 5);
        framed.set(bytes, 3);
        for (const img of [framed, Buffer.from(framed)]) {
          const got = d!.decode(img, 3, 3 + bytes.length);
          expect(got).toBe(td.decode(bytes));
          expect(got).toBe(t);
        }
      }
    });
  }
  it('latin1 at every length 0–300 (fixed-arity and native paths), every byte value, Buffer and Uint8Array', () => {
    const src = Buffer.alloc(305);
    for (let i = 0; i < src.length; i++) src[i] = (i * 73 + 11) & 0xff;
    for (let n = 0; n <= 300; n++) {
      const want = src.toString('latin1', 3, 3 + n);
      expect(latin1(src, 3, 3 + n)).toBe(want);
      expect(latin1(new Uint8Array(src), 3, 3 + n)).toBe(want);
    }
  });
  it('DBCS values of every length up to the table limit decode as ICU does (fixed-arity and UTF-16 slice paths)', () => {
    const d = decoderForCodePage(936)!;
    const td = new TextDecoder('gbk');
    for (let chars = 1; chars <= 100; chars++) {
      const bytes = encodeCodePage('中文a'.repeat(chars).slice(0, chars), 936);
      expect(d.decode(Buffer.from(bytes), 0, bytes.length)).toBe(td.decode(bytes));
      expect(d.decode(bytes, 0, bytes.length)).toBe(td.decode(bytes));
    }
  });
  it('936: a value longer than 8 bytes with one byte ≥ 0x80 is not taken for ASCII; invalid pairs as ICU', () => {
    const d = decoderForCodePage(936)!;
    const td = new TextDecoder('gbk');
    for (const hex of ['61626364656667686980', '6162636465666768ff41', '616263646566676881', 'd6d0cec4d6d0cec4d6d0cec4']) {
      const b = Buffer.from(hex, 'hex');
      expect(d.decode(b, 0, b.length)).toBe(td.decode(b));
      expect(d.decode(new Uint8Array(b), 0, b.length)).toBe(td.decode(b));
    }
  });
  it('one byte ≥ 0x80 at any position of an ASCII value of any length 1–80 is never taken for ASCII (936, 1252, 437, UTF-8)', () => {
    for (const [cp, label] of [[936, 'gbk'], [1252, 'windows-1252'], [65001, 'utf-8']] as const) {
      const d = decoderForCodePage(cp)!;
      const td = referenceDecoder(label);
      for (let n = 1; n <= 80; n++) {
        for (let at = 0; at < n; at++) {
          for (const high of [0x80, 0xe9, 0xff]) {
            const b = Buffer.alloc(n + 4, 0x61);
            b[2 + at] = high;
            expect(d.decode(b, 2, 2 + n)).toBe(td.decode(b.subarray(2, 2 + n)));
          }
        }
      }
    }
    const oem = decoderForCodePage(437)!;
    for (let n = 1; n <= 40; n++) {
      for (let at = 0; at < n; at++) {
        const b = Buffer.alloc(n, 0x61);
        b[at] = 0x80; // Ç in code page 437
        expect(oem.decode(b, 0, n)).toBe('a'.repeat(at) + 'Ç' + 'a'.repeat(n - at - 1));
      }
    }
  });
});

describe('nvarchar (UTF-16LE) fixed-arity path', () => {
  it('every length 0–80 bytes (odd ones too), random units incl. lone surrogates, = Buffer utf16le', () => {
    const next = rng(7);
    const src = Buffer.alloc(90);
    for (let i = 0; i < src.length; i++) src[i] = Math.floor(next() * 256);
    src[5] = 0x00; src[6] = 0xd8; // a lone high surrogate
    for (let n = 0; n <= 80; n++) {
      const want = src.toString('utf16le', 1, 1 + n);
      expect(decodeNvarchar(src, 1, 1 + n)).toBe(want);
      expect(decodeNvarchar(new Uint8Array(src), 1, 1 + n)).toBe(want);
    }
  });
});

describe('datetime2 / time formatting caches', () => {
  /** Reference: Date for the civil date (years 1–9999 print as 4 digits in ISO form), plain arithmetic for the time. */
  function reference(units: number, day: number, scale: number): string {
    const date = new Date((day + DAY0001_TO_EPOCH) * 86400000).toISOString().slice(0, 10);
    const per = 10 ** scale;
    const secs = Math.floor(units / per);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const t = `${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}`;
    return `${date}T${t}${scale > 0 ? '.' + String(units % per).padStart(scale, '0') : ''}`;
  }
  it('every scale, random and boundary values, with cache collisions, match the reference; invalid → null', () => {
    const next = rng(42);
    const b = new Uint8Array(9);
    for (let scale = 0; scale <= 7; scale++) {
      const tl = timeStorageLength(scale);
      const perDay = 86400 * 10 ** scale;
      const days = [0, 1, 719162, 739000, 739000 + 1024, MAX_DATE_DAY];
      const units = [0, 1, perDay - 1, 4096 * 10 ** scale, (4096 * 2 + 7) * 10 ** scale + 3];
      for (let k = 0; k < 3000; k++) {
        days.push(Math.floor(next() * (MAX_DATE_DAY + 1)));
        units.push(Math.floor(next() * perDay));
      }
      for (let k = 0; k < days.length; k++) {
        const day = days[k];
        const u = units[k % units.length];
        b.fill(0);
        let x = u;
        for (let i = 0; i < tl; i++) {
          b[1 + i] = x % 256;
          x = Math.floor(x / 256);
        }
        b[1 + tl] = day & 0xff;
        b[2 + tl] = (day >> 8) & 0xff;
        b[3 + tl] = day >> 16;
        const want = reference(u, day, scale);
        expect(decodeDatetime2(b, 1, scale)).toBe(want);
        expect(decodeTime(b, 1, scale)).toBe(want.slice(11));
      }
      // Past the last day or the last time unit of the day: null (DECODE_BAD_VALUE at the row level).
      b.fill(0xff);
      expect(decodeDatetime2(b, 1, scale)).toBeNull();
      b.fill(0);
      b[1 + tl] = (MAX_DATE_DAY + 1) & 0xff;
      b[2 + tl] = ((MAX_DATE_DAY + 1) >> 8) & 0xff;
      b[3 + tl] = (MAX_DATE_DAY + 1) >> 16;
      expect(decodeDatetime2(b, 1, scale)).toBeNull();
      expect(formatTimeUnits(perDay, scale)).toBeNull();
    }
  });
});
