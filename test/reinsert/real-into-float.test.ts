import { describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import { sourceTextColumns } from '../../src/reinsert/service.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A real column's value is staged as the shortest decimal of its float32 (3.1415927). Into a real
 * target it goes back exactly; into a float one (a side table typed float, a column altered real →
 * float since) it went as that decimal read as a double, 3.1415927, where SQL Server's conversion of
 * the real gives 3.1415927410125732 (every other row of an altered column holds that): a changed
 * value, unsaid. It now goes as the float32 widened. SYNTHETIC values.
 */
const float: TargetColumn = { name: 'Rate', type: 'float', maxLength: 8, precision: 53, scale: 0, nullable: true, identity: false, computed: false };

describe('re-insert: a real value into a float column', () => {
  it('planParam widens the float32 the value stands for when its source column is real', () => {
    const p = planParam(float, 3.1415927, { codePage: 0, collation: null, real: true });
    expect(p.value).toBe(Math.fround(3.1415927));
    expect(p.literal).toBe('3.1415927410125732E0');
    // a float source's value stays as it is
    expect(planParam(float, 3.1415927).value).toBe(3.1415927);
  });

  it('the plan gets it from the job layout (sourceTextColumns), and the script declares the widened value', () => {
    const [layout] = layoutsFromDdl('CREATE TABLE dbo.Rates (Id int NOT NULL PRIMARY KEY, Rate real NULL);');
    const src = sourceTextColumns([layout!]);
    expect(src.get('dbo.Rates')?.get('Rate')).toEqual({ codePage: 0, collation: null, real: true });
    const t: TargetTable = { schema: 'dbo', name: 'Rates', keyColumns: ['Id'], columns: [{ ...float, name: 'Id', type: 'int', maxLength: 4 }, float] };
    const plan = planReinsert([{ id: 1, table: 'dbo.Rates', lsn: '0000002a:000001f0:0003', values: { Id: 1, Rate: 0.1 } }], new Map([['dbo.Rates', t]]), [], { sourceText: src });
    expect(plan.problems).toEqual([]);
    expect(renderScript(plan)).toContain(`@r1_p2 float = ${Math.fround(0.1)}E0`);
  });
});
