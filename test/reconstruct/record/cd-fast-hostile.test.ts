/**
 * The generated CD reader (record/cd-fast.ts) against hostile layouts: column names that would
 * break out of generated source if interpolated raw, and numbers that are not whole. SYNTHETIC rows
 * (test/support/synthetic-encoder.ts); every outcome is compared with the generic decoder's.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../../src/reconstruct/metadata/table-layout.js';
import { planFor } from '../../../src/reconstruct/record/plan.js';
import { buildLayout, encodeRow, type SynthColumn } from '../../support/synthetic-encoder.js';

function outcome(image: Uint8Array, layout: TableLayout): unknown {
  try {
    const row = decodeRow(image, layout);
    return { ok: row, keys: Object.keys(row.values), own: Object.getOwnPropertyNames(row.values), proto: Object.getPrototypeOf(row.values) === Object.prototype };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { code: e.code, message: e.message };
  }
}

/** Twin layouts: `fast` may take the generated reader, `generic` never does. */
function twins(cols: SynthColumn[], change: (t: TableLayout) => void = () => {}): { fast: TableLayout; generic: TableLayout } {
  const fast = buildLayout('t', cols, 'ROW');
  const generic = buildLayout('t', cols, 'ROW');
  change(fast);
  change(generic);
  planFor(generic).cdFast = null;
  return { fast, generic };
}

describe('generated CD reader: hostile layouts (SYNTHETIC)', () => {
  it('column names with quotes, backslashes, line terminators, comment and template syntax, __proto__ are plain keys', () => {
    const names = ['a"b', "c'd", 'back\\slash', 'ls\u2028ps\u2029', 'end*/', '/*x', '${globalThis.pwned = 1}', '`tick`', '__proto__', 'constructor',
      "'); globalThis.pwned = 2; ('", '"]: 0, x: (globalThis.pwned = 3), ["', 'nl\nx\r', '\ud800lone', 'toString', ''];
    const cols: SynthColumn[] = names.map((name, i) => (i % 3 === 0 ? { name, type: 'int' } : i % 3 === 1 ? { name, type: 'nvarchar', maxLength: 40 } : { name, type: 'bit' }));
    const { fast, generic } = twins(cols);
    const row = Object.fromEntries(names.map((n, i) => [n, i % 3 === 0 ? i * 1000 : i % 3 === 1 ? `v${i}` : i % 2 === 0]));
    const image = encodeRow(fast, row);
    const a = outcome(image, fast);
    expect(planFor(fast).cdFast).toBeTypeOf('function');
    expect(a).toEqual(outcome(image, generic));
    expect((a as { keys: string[] }).keys).toEqual(names);
    expect((a as { proto: boolean }).proto).toBe(true);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('a leaf_null_bit that is not a whole number: a schema refusal on both paths (before: fast DECODE_INTERNAL "Unexpected number", generic the column as NULL)', () => {
    const cols: SynthColumn[] = [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }, { name: 'c', type: 'int' }];
    const image = encodeRow(buildLayout('t', cols, 'ROW'), { a: 1, b: 2, c: 3 });
    for (const bad of [2.5, Number.NaN]) {
      const { fast, generic } = twins(cols, (t) => (t.columns[1]!.leafNullBit = bad));
      const a = outcome(image, fast);
      expect(a).toEqual(outcome(image, generic));
      expect(a).toMatchObject({ code: 'DECODE_SCHEMA_MISMATCH' });
      expect(planFor(fast).cdFast).toBeNull();
    }
  });
});
