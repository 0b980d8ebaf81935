/**
 * decodeRow's checks of the decoded values — declared sizes (record/plan.ts checkValueLimits) and NOT
 * NULL columns read NULL (notNullChecker) — run inside the generated FixedVar reader on its local
 * values (record/fixedvar.ts `fastReaderFor`) and after the generic column loop otherwise: the same
 * warnings, in the same order, or the same DecodeError, on SYNTHETIC rows written under a wider layout
 * than the one they are read with (strings longer than the reading layout allows, decimals with more
 * integer digits, NUL characters, Latin text stored as nvarchar), NULLs in NOT NULL columns, empty
 * strings, values at the wider layout's maximum length, every truncation and byte mutations. Also the
 * whole-record reader (`wholeRecordReader`): a uniquifier of every length 0–4, NULL or not, gives the
 * generic path's uniquifier or its error.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { planFor } from '../../src/reconstruct/record/plan.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { buildLayout, encodeRow, type SynthColumn } from '../support/synthetic-encoder.js';
import { rng } from '../support/rng.js';
import { decodeOutcome } from '../support/decode-error.js';

/** The reading layout: narrow sizes; NOT NULL on some columns. */
const NARROW: SynthColumn[] = [
  { name: 'Id', type: 'int' },
  { name: 'Code', type: 'varchar', maxLength: 5 },
  { name: 'Name', type: 'nvarchar', maxLength: 8, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Amount', type: 'decimal', precision: 5, scale: 2 },
  { name: 'Frac', type: 'decimal', precision: 4, scale: 4 },
  { name: 'Flag', type: 'bit' },
  { name: 'Blob', type: 'varbinary', maxLength: 3 },
  { name: 'Company', type: 'varchar', maxLength: 6, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Note', type: 'varchar', maxLength: -1 },
  { name: 'Wide', type: 'nvarchar', maxLength: -1 },
  { name: 'Tag', type: 'char', maxLength: 4 },
];
const NOT_NULL = new Set(['Id', 'Code', 'Amount', 'Flag', 'Company', 'Wide']);
/** The writing layout: same columns and storage slots, wider declared sizes (decimal(9,2) keeps decimal(5,2)'s 5 bytes). */
const WIDE: SynthColumn[] = NARROW.map((c) =>
  c.name === 'Code' ? { ...c, maxLength: 40 } : c.name === 'Name' ? { ...c, maxLength: 60 } : c.name === 'Amount' ? { ...c, precision: 9 } :
  c.name === 'Frac' ? { ...c, precision: 9 } : c.name === 'Blob' ? { ...c, maxLength: 20 } : c.name === 'Company' ? { ...c, maxLength: 40 } : c,
);

/** Two reading layouts: the first decodes with the generated reader, the second never does. */
function twin(): { fast: TableLayout; generic: TableLayout } {
  const make = () => {
    const t = buildLayout('T', NARROW);
    for (const c of t.columns) if (NOT_NULL.has(c.name)) c.nullable = false;
    return t;
  };
  const fast = make();
  const generic = make();
  planFor(generic).fixedVarFast = null;
  return { fast, generic };
}

const outcome = decodeOutcome;

function randomRow(next: () => number): Record<string, SqlValue> {
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const len = (max: number) => pick([0, 1, max, Math.floor(next() * (max + 1))]);
  const ascii = (n: number, nul = false) => Array.from({ length: n }, () => (nul && next() < 0.3 ? '\0' : String.fromCharCode(0x20 + Math.floor(next() * 95)))).join('');
  const nul = (p: number) => next() < p;
  const cjk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(next() * 0x51a5))).join('');
  // nvarchar text whose code units are pairs of Latin letters (varchar text read as nvarchar)
  const latinPairs = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x61 + Math.floor(next() * 26)) + String.fromCharCode(0x61 + Math.floor(next() * 26))).map((p) => String.fromCharCode(p.charCodeAt(0) | (p.charCodeAt(1) << 8))).join('');
  const dec = (intDigits: number, scale: number) => {
    const i = Array.from({ length: intDigits }, () => Math.floor(next() * 10)).join('') || '0';
    const f = Array.from({ length: scale }, () => Math.floor(next() * 10)).join('');
    return `${next() < 0.3 ? '-' : ''}${i}${scale > 0 ? `.${f}` : ''}`;
  };
  return {
    Id: nul(0.15) ? null : Math.floor(next() * 2 ** 31) - 2 ** 30,
    Code: nul(0.15) ? null : ascii(len(40), nul(0.2)),
    Name: nul(0.15) ? null : pick([() => cjk(len(30)), () => latinPairs(len(30)), () => ascii(len(30))])(),
    Amount: nul(0.15) ? null : dec(Math.floor(next() * 8), 2),
    Frac: nul(0.15) ? null : dec(0, 4),
    Flag: nul(0.15) ? null : next() < 0.5,
    Blob: nul(0.15) ? null : `0x${Array.from({ length: len(20) }, () => Math.floor(next() * 256).toString(16).padStart(2, '0').toUpperCase()).join('')}`,
    Company: nul(0.15) ? null : pick([() => cjk(len(20)), () => ascii(len(40), nul(0.2))])(),
    Note: nul(0.15) ? null : ascii(len(60), nul(0.3)),
    Wide: nul(0.15) ? null : pick([() => latinPairs(len(20)), () => cjk(len(20))])(),
    Tag: nul(0.15) ? null : ascii(4, nul(0.3)),
  };
}

describe('value checks in the generated FixedVar reader = the checks after the generic loop', () => {
  it('2,000 SYNTHETIC rows written under a wider layout, their truncations and mutations: same values, warnings and errors', () => {
    const { fast, generic } = twin();
    const writer = buildLayout('T', WIDE);
    const next = rng(0xc0ffee);
    let compared = 0;
    let fastOk = 0;
    const warned = { limit: 0, notNull: 0, nul: 0, oneByte: 0 };
    for (let r = 0; r < 2000; r++) {
      const image = encodeRow(writer, randomRow(next), { nullSlotFill: r % 2 ? 0xee : 0 });
      const variants: Uint8Array[] = [image];
      if (r % 50 === 0) for (let n = 0; n < image.length; n++) variants.push(image.subarray(0, n));
      for (let m = 0; m < 3; m++) {
        const v = Uint8Array.from(image);
        const at = Math.floor(next() * v.length);
        v[at] = next() < 0.5 ? v[at] ^ (1 << Math.floor(next() * 8)) : Math.floor(next() * 256);
        variants.push(v);
      }
      for (const v of variants) {
        for (const img of [v, Buffer.from(v)]) {
          const a = outcome(img, fast);
          expect(a).toEqual(outcome(img, generic));
          compared++;
          if ('ok' in (a as object)) {
            fastOk++;
            for (const w of (a as { ok: { warnings: string[] } }).ok.warnings) {
              if (/more .*than its declared/.test(w)) warned.limit++;
              if (/is declared NOT NULL/.test(w)) warned.notNull++;
              if (/NUL character/.test(w)) warned.nul++;
              if (/two one-byte text characters/.test(w)) warned.oneByte++;
            }
          }
        }
      }
    }
    expect(planFor(fast).fixedVarFast).not.toBeNull();
    expect(planFor(generic).fixedVarFast).toBeNull();
    expect(compared).toBeGreaterThan(10000);
    expect(fastOk).toBeGreaterThan(4000);
    // every kind of warning the fused checks write was met, many times
    expect(warned.limit).toBeGreaterThan(500);
    expect(warned.notNull).toBeGreaterThan(500);
    expect(warned.nul).toBeGreaterThan(100);
    expect(warned.oneByte).toBeGreaterThan(100);
  });

  it('a uniquifier of 0–4 bytes (its end offset moved into the next column), NULL or missing: same uniquifier or the same error', () => {
    const cols: SynthColumn[] = [{ name: 'u', type: 'int', uniquifier: true }, { name: 'id', type: 'int' }, { name: 'name', type: 'varchar', maxLength: 20 }];
    const fast = buildLayout('U', cols);
    const generic = buildLayout('U', cols);
    planFor(generic).fixedVarFast = null;
    const seen = new Set<string>();
    for (const uniquifier of [0, 7, -1]) {
      for (const name of ['', 'abcdefgh', null]) {
        const image = encodeRow(fast, { id: 1, name }, { uniquifier });
        const fixedEnd = image[2] | (image[3] << 8);
        const cc = image[fixedEnd] | (image[fixedEnd + 1] << 8);
        const pos = fixedEnd + 2 + ((cc + 7) >> 3);
        const varCount = image[pos] | (image[pos + 1] << 8);
        const varArray = pos + 2;
        const varDataStart = varArray + 2 * varCount;
        const variants: Uint8Array[] = [image];
        for (let m = 0; m <= 4 && varCount > 0; m++) {
          const v = Uint8Array.from(image);
          v[varArray] = (varDataStart + m) & 0xff;
          v[varArray + 1] = (varDataStart + m) >> 8;
          variants.push(v);
          const nul = Uint8Array.from(v);
          nul[fixedEnd + 2] |= 1; // the uniquifier's null bit
          variants.push(nul);
        }
        for (const v of variants) {
          const a = outcome(v, fast);
          expect(a).toEqual(outcome(v, generic));
          seen.add('ok' in (a as object) ? `u=${(a as { ok: { uniquifier: number } }).ok.uniquifier}` : (a as { code: string; message: string }).message.startsWith('uniquifier') ? 'bad' : 'other');
        }
      }
    }
    expect(planFor(fast).fixedVarFast).not.toBeNull();
    expect([...seen]).toEqual(expect.arrayContaining(['u=0', 'u=7', 'u=-1', 'bad']));
  });

  it('a row within every limit and with no NULL gives no warning on either path', () => {
    const { fast, generic } = twin();
    const row = { Id: 7, Code: 'ab', Name: '王伟', Amount: '123.45', Frac: '0.1234', Flag: true, Blob: '0x0102', Company: '北京', Note: 'x', Wide: '北京', Tag: 'abcd' };
    for (const t of [fast, generic]) {
      const got = decodeRow(encodeRow(t, row), t);
      expect(got.values).toEqual(row);
      expect(got.warnings).toEqual([]);
    }
  });
});
