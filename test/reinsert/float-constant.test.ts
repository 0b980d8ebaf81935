import { describe, expect, it } from 'vitest';
import { planParam } from '../../src/reinsert/sql-types.js';
import { floatConstant } from '../../src/reinsert/numeric-params.js';
import { planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import { decodeReal } from '../../src/reconstruct/types/float.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A script (dry run, SQL export, undo) writes a float/real value as the literal of its DECLARE. It
 * was String(v): `0.30000000000000004`, which T-SQL reads as a decimal constant (numeric(17,17);
 * Microsoft Learn "Constants (Transact-SQL)": float constants use scientific notation) and then
 * converts to float, a conversion documented as able to lose precision. Now a float constant:
 * `0.30000000000000004E0`, read as a double directly.
 */
const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 8, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/** T-SQL's float constant: [+|-] digits [. digits] E [+|-] digits (or a leading-dot fraction). */
const FLOAT_CONSTANT = /^-?(\d+(\.\d*)?|\.\d+)E[+-]?\d+$/;

describe('float and real values are written as float constants', () => {
  const doubles = [0.1, 0.30000000000000004, -2.5, 5, 1e21, 1.7976931348623157e308, 2.2250738585072014e-308, 123456789012345680000, 1.2345678901234567e-7, 0.0000012345678901234567, -1e-300, 0];
  it.each(doubles)('float %s: a float constant that reads back as the same double', (v) => {
    const p = planParam(c('f', 'float'), v);
    expect(p.literal).toMatch(FLOAT_CONSTANT);
    expect(Number(p.literal)).toBe(v);
    expect(p.value).toBe(v);
  });
  it('real: the shortest decimal of the float32, as a float constant, rounds to that float32', () => {
    for (const bits of [0x3dcccccd, 0x3f800001, 0x7f7fffff, 0x00800000, 0xbf400000, 0x4b7fffff]) {
      const b = new Uint8Array(new Uint32Array([bits]).buffer);
      const v = decodeReal(b, 0);
      const p = planParam(c('r', 'real', { maxLength: 4 }), v);
      expect(p.literal).toMatch(FLOAT_CONSTANT);
      expect(Math.fround(Number(p.literal))).toBe(new Float32Array(b.buffer)[0]);
    }
  });
  it('negative zero keeps its sign', () => {
    expect(floatConstant(-0)).toBe('-0E0');
    expect(floatConstant(0)).toBe('0E0');
  });
  it('the script and the undo script declare them so', () => {
    const t: TargetTable = { schema: 'dbo', name: 'F', keyColumns: [], columns: [c('f', 'float'), c('r', 'real', { maxLength: 4 })] };
    const plan = planReinsert([{ id: 1, table: 'dbo.F', lsn: '00000010:00000020:0001', operation: 'delete', values: { f: 0.30000000000000004, r: 0.1 } }], new Map([['dbo.F', t]]), []);
    for (const text of [renderScript(plan), renderUndoScript(plan, {})]) {
      expect(text).toContain('@r1_p1 float = 0.30000000000000004E0');
      expect(text).toContain('@r1_p2 real = 0.1E0');
    }
  });
});
