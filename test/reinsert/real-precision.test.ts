import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import { decodeReal } from '../../src/reconstruct/types/float.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (type: TargetColumn['type'], name = 'X'): TargetColumn =>
  ({ name, type, maxLength: type === 'real' ? 4 : 8, precision: type === 'real' ? 24 : 53, scale: 0, nullable: true, identity: false, computed: false });

/**
 * A real column holds a float32. A value with more precision than that (a float column's value,
 * put into a real target altered since or another table's) was sent as a Real parameter and
 * DECLAREd `real` in the script: rounded to float32 with nothing said (3.141592653589793 went in as
 * 3.1415927). Refused now, naming the column; every value rowback decodes from a real (the shortest
 * decimal of its float32, types/float.ts) still goes through unchanged. Values SYNTHETIC.
 */
describe('a value a real column cannot hold exactly is refused, not rounded to float32', () => {
  it('more precision than float32, and beyond its range', () => {
    for (const v of [3.141592653589793, 0.1 + 0.2, 1e39, -1.0000001192092897, 16777217]) {
      let err: unknown;
      try { planParam(c('real'), v); } catch (e) { err = e; }
      expect((err as { code?: string })?.code, String(v)).toBe('REINSERT_BAD_VALUE');
      expect(String((err as Error).message)).toMatch(/^column X \(real\) holds a 4-byte float: /);
    }
    expect(() => planParam(c('real'), 3.141592653589793)).toThrow('would go in rounded to 3.1415927E0');
    expect(() => planParam(c('real'), 1e39)).toThrow('is beyond its range');
  });
  it('a double that is itself a float32 (printed with more digits than the real decoder prints) goes in exactly: not refused', () => {
    // breaker M: 0.10000000149011612 is Math.fround(0.1) written out as a double; SQL Server stores it exactly
    for (const v of [0.10000000149011612, -1.0000001192092896, 16777216, 2 ** -149]) {
      const p = planParam(c('real'), v);
      expect(Object.is(p.value, v), String(v)).toBe(true);
      expect(p.type).toEqual({ name: 'Real' });
    }
  });
  it('every value decoded from a real column goes back as it is (bit patterns across the range, -0, subnormals, the extremes)', () => {
    const b = new Uint8Array(4);
    const dv = new DataView(b.buffer);
    const patterns = [0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f8ccccd, 0x40490fdb];
    for (let i = 0; i < 20000; i++) patterns.push((Math.imul(i, 2654435761) >>> 0) & 0x7f7fffff | (i & 1 ? 0x80000000 : 0));
    for (const bits of patterns) {
      dv.setUint32(0, bits >>> 0, true);
      const v = decodeReal(b, 0);
      if (!Number.isFinite(v)) continue;
      const p = planParam(c('real'), v);
      expect(Object.is(p.value, v)).toBe(true);
    }
  });
  it('a float column takes any finite double; the script leaves the refused real row out', () => {
    expect(planParam(c('float'), 3.141592653589793).literal).toBe('3.141592653589793E0');
    const t: TargetTable = { schema: 'dbo', name: 'M', keyColumns: ['id'], columns: [{ ...c('int', 'id'), maxLength: 4 }, c('real', 'r')] };
    const plan = planReinsert([{ id: 7, table: 'dbo.M', lsn: '00000021:00000010:0002', values: { id: 1, r: 3.141592653589793 } }], new Map([['dbo.M', t]]), []);
    expect(plan.problems.map((p) => p.code)).toEqual(['REINSERT_BAD_VALUE']);
    expect(renderScript(plan)).not.toContain('DECLARE');
  });
});
