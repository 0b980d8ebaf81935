/**
 * Rows of a self-referencing table (Employees.ReportsTo → EmployeeID) that reference each other in
 * a cycle — A reports to B and B to A — cannot go back by single-row INSERTs: whichever goes first,
 * SQL Server refuses it (Msg 547), and rowback inserts one row at a time. The plan placed them last
 * with no problem named: the dry run said every row would go back, and the real run failed at the
 * cycle, mid-way, with the rows before it committed, on every resume. Now the cycle's rows are dry-run
 * problems (REINSERT_FOREIGN_KEY_CYCLE) naming each other, and so is a row referencing one of them;
 * like every other problem they are held back, the rest go in. A row referencing itself is no
 * cycle: one INSERT puts it back (the constraint is checked after the row is in).
 *
 * The real run uses the SQLite stand-in target (fake-target.ts), which checks a self-reference's
 * columns after each INSERT as SQL Server does. SYNTHETIC tables and values on a real corpus row image.
 */
import { expect, it } from 'vitest';
import { planReinsert, renderScript, type PlanInputRow } from '../../src/reinsert/plan.js';
import { ReinsertService } from '../../src/reinsert/service.js';
import type { ForeignKey, TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';
import { describeCorpus } from '../support/corpus.js';
import { corpusRows, lsnOf } from '../staging/fixtures.js';
import { storeAndTarget } from './fake-target.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

const employees: TargetTable = {
  schema: 'dbo', name: 'Employees', keyColumns: ['EmployeeID'],
  columns: [c('EmployeeID', 'int', { nullable: false }), c('LastName', 'nvarchar', { maxLength: 40 }), c('ReportsTo', 'int')],
};
const selfFk: ForeignKey = { name: 'FK_Employees_Employees', child: 'dbo.Employees', parent: 'dbo.Employees', columns: [{ child: 'ReportsTo', parent: 'EmployeeID' }] };

// in LSN order: 20 and 21 report to each other, 22 to itself, 23 to no one, 24 to 20 (in the cycle)
const PEOPLE: [number, number | null][] = [[20, 21], [21, 20], [22, 22], [23, null], [24, 20]];

describeCorpus('re-insert: rows of a self-referencing table in a cycle', () => {
  it('the plan names the cycle and the row referencing it as problems, and plans the rest', () => {
    const rows: PlanInputRow[] = PEOPLE.map(([id, boss], k) => ({ id: k + 1, table: 'dbo.Employees', lsn: lsnOf(k), values: { EmployeeID: id, LastName: `E${id}`, ReportsTo: boss } }));
    const plan = planReinsert(rows, new Map([['dbo.Employees', employees]]), [selfFk]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([3, 4]);
    expect(plan.problems.map((p) => [p.rowId, p.code, p.table])).toEqual([
      [1, 'REINSERT_FOREIGN_KEY_CYCLE', 'dbo.Employees'], [2, 'REINSERT_FOREIGN_KEY_CYCLE', 'dbo.Employees'], [5, 'REINSERT_FOREIGN_KEY_CYCLE', 'dbo.Employees'],
    ]);
    expect(plan.problems[0]!.message).toContain(`row 1 is in a foreign-key cycle of dbo.Employees (FK_Employees_Employees) with row(s) 2 (LSN ${lsnOf(1)})`);
    expect(plan.problems[0]!.message).toContain('Msg 547');
    // no order works only while none of them is in the target, which the plan does not read: said
    // so (it said no order works, untrue when one row of the cycle is still there)
    expect(plan.problems[0]!.message).toContain("unless one of them is already in the target (its key a conflict, and the others could go in after it); the plan does not read the target's rows, so all of them are held back: check the target for their keys");
    expect(plan.problems[2]!.message).toContain(`row 5 references row(s) 1 (LSN ${lsnOf(0)}) of dbo.Employees`);
    const script = renderScript(plan);
    expect(script).toContain('NOT INCLUDED: row 1');
    expect(script).toContain('NOT INCLUDED: row 5');
    expect(script.match(/INSERT INTO \[dbo\]\.\[Employees\]/g)).toHaveLength(2);
  });

  it('a three-row cycle, and a chain of rows hanging off it: each cycle row names the other two, each row of the chain the row it waits for', () => {
    // 30 → 31 → 32 → 30; 33 → 32 (in the cycle); 34 → 33 (after it); 35 → nobody
    const people: [number, number | null][] = [[34, 33], [30, 31], [33, 32], [31, 32], [32, 30], [35, null]];
    const rows: PlanInputRow[] = people.map(([id, boss], k) => ({ id, table: 'dbo.Employees', lsn: lsnOf(k), values: { EmployeeID: id, LastName: `E${id}`, ReportsTo: boss } }));
    const plan = planReinsert(rows, new Map([['dbo.Employees', employees]]), [selfFk]);
    expect(plan.batches.flatMap((b) => b.rows.map((r) => r.rowId))).toEqual([35]);
    const said = new Map(plan.problems.map((p) => [p.rowId, p.message]));
    expect([...said.keys()].sort()).toEqual([30, 31, 32, 33, 34]);
    expect(said.get(30)).toMatch(/^row 30 is in a foreign-key cycle of dbo\.Employees \(FK_Employees_Employees\) with row\(s\) 31 \(LSN [^)]+\), 32 \(LSN [^)]+\):/);
    expect(said.get(33)).toMatch(/^row 33 references row\(s\) 32 \(LSN [^)]+\) of dbo\.Employees/);
    expect(said.get(34)).toMatch(/^row 34 references row\(s\) 33 \(LSN [^)]+\) of dbo\.Employees/);
  });

  it('a ring of 30,000 rows (each reporting to the one before, the first to the last) is planned in seconds: each row names 10 of the others and how many more', () => {
    // naming each row's cycle copied the whole cycle per row: n² (20,000 rows took 40 s, 100,000 would take 15 min)
    const n = 30_000;
    const rows: PlanInputRow[] = Array.from({ length: n }, (_, k) => ({ id: k + 1, table: 'dbo.Employees', lsn: lsnOf(k), values: { EmployeeID: k + 1, LastName: `E${k + 1}`, ReportsTo: k === 0 ? n : k } }));
    const t0 = Date.now();
    const plan = planReinsert(rows, new Map([['dbo.Employees', employees]]), [selfFk]);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(plan.batches).toHaveLength(0);
    expect(plan.problems).toHaveLength(n);
    expect(plan.problems.every((p) => p.code === 'REINSERT_FOREIGN_KEY_CYCLE')).toBe(true);
    const row5 = plan.problems.find((p) => p.rowId === 5)!.message;
    expect(row5).toContain(`with row(s) 1 (LSN ${lsnOf(0)}), 2 (LSN ${lsnOf(1)}), 3 (LSN ${lsnOf(2)}), 4 (LSN ${lsnOf(3)}), 6 (LSN ${lsnOf(5)}),`);
    expect(row5).toContain(`11 (LSN ${lsnOf(10)}) and ${n - 11} more:`);
  }, 60_000);

  const env = storeAndTarget('rowback-fk-cycle-', () => new Map([['dbo.Employees', employees]]), [selfFk]);

  it('the dry run names them; the real run inserts the others and fails no batch', async () => {
    const { store, target } = env;
    const job = store.createJob({ kind: 'files', spec: {}, description: 'employees', createdBy: 'op' });
    const base = corpusRows(1)[0]!;
    store.stageBatch(job.id, PEOPLE.map(([id, boss], k) => ({ ...base, table: 'dbo.Employees', lsn: lsnOf(k), values: { EmployeeID: id, LastName: `E${id}`, ReportsTo: boss } })));
    store.decide(job.id, { actor: 'rev', decision: 'approve', reason: 'r', filter: { table: 'dbo.Employees' } });
    const svc = new ReinsertService(store, { connect: () => target });
    const req = { target: { connectionString: 'Server=fake' }, batchSize: 10 };
    const dry = await svc.dryRun(job.id, 'op', req);
    expect(dry.plan.problems.map((p) => p.code)).toEqual(['REINSERT_FOREIGN_KEY_CYCLE', 'REINSERT_FOREIGN_KEY_CYCLE', 'REINSERT_FOREIGN_KEY_CYCLE']);
    const run = await svc.start(job.id, 'op', { ...req, dryRun: false });
    await svc.wait(run.id);
    expect(svc.getRun(run.id)).toMatchObject({ state: 'succeeded', summary: { rows: 2, inserted: 2, failedBatches: 0, problems: 3 } });
    const back = (target.db.prepare("SELECT vals FROM target_rows WHERE tbl = 'dbo.Employees' ORDER BY rowid").all() as { vals: string }[]).map((r) => (JSON.parse(r.vals) as { EmployeeID: number }).EmployeeID);
    expect(back).toEqual([22, 23]);
  });
});
