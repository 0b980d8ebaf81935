/**
 * MssqlTarget's look-up of a row's value of a unique index (TargetSession.findUniqueHolder), driver
 * stubbed: the check's own statement (PlannedRow.uniqueChecks[].sql: the existing row's columns,
 * UPDLOCK, HOLDLOCK, the index's key) with the row's parameters bound as the INSERT's are, the
 * existing row in the form the recovered row has, and a timeout naming the index. A real server:
 * test/integration/reinsert-unique.test.ts.
 */
import sql from 'mssql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReinsertError } from '../../src/errors.js';
import { MssqlTarget } from '../../src/reinsert/mssql-target.js';
import { planReinsert } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], maxLength = 4): TargetColumn => ({ name, type, maxLength, precision: type === 'int' ? 10 : 0, scale: 0, nullable: true, identity: false, computed: false });
const t: TargetTable = { schema: 'crm', name: 'Contacts', keyColumns: ['ContactId'], columns: [c('ContactId', 'int'), c('Email', 'nvarchar', 400), c('Score', 'real')], uniqueKeys: [{ name: 'UX_Contacts_Email', columns: ['Email'] }] };
const row = () => planReinsert([{ id: 7, table: 'crm.Contacts', lsn: '0001', values: { ContactId: 1, Email: 'ann@example.test', Score: 0.1 } }], new Map([['crm.Contacts', t]]), []).batches[0]!.rows[0]!;

describe('MssqlTarget.findUniqueHolder (driver stubbed)', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('sends the check\'s statement with the row\'s parameters; answers the existing row in the recovered row\'s form, or undefined', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockImplementation(async function (this: sql.ConnectionPool) { return this; } as never);
    vi.spyOn(sql.ConnectionPool.prototype, 'close').mockResolvedValue(undefined as never);
    const sent: { text: string; params: string[] }[] = [];
    let answer: Record<string, unknown>[] = [{ ContactId: 40, Email: 'ann@example.test', Score: Math.fround(0.1) }];
    vi.spyOn(sql.Request.prototype, 'query').mockImplementation(async function (this: sql.Request, text: unknown) {
      sent.push({ text: String(text), params: Object.keys((this as unknown as { parameters: Record<string, unknown> }).parameters) });
      return Object.assign({ recordset: Object.assign([...answer], { columns: { Score: { type: sql.Real } } }) }) as never;
    } as never);
    const r = row();
    const check = r.uniqueChecks![0]!;
    const target = new MssqlTarget({ connectionString: 'Server=db1;Database=CRM' });
    const session = await target.session();
    expect(await session.findUniqueHolder(r, check)).toEqual({ ContactId: 40, Email: 'ann@example.test', Score: 0.1 });
    expect(sent).toEqual([{ text: check.sql, params: ['p1', 'p2', 'p3'] }]);
    expect(check.sql).toMatch(/^SELECT TOP \(1\) .* FROM \[crm\]\.\[Contacts\] WITH \(UPDLOCK, HOLDLOCK\) WHERE \[Email\] = @p2;$/);
    answer = [];
    expect(await session.findUniqueHolder(r, check)).toBeUndefined();
    await target.close();
  });

  it('a look-up that outlasts the timeout names the row, the index and the table', async () => {
    vi.spyOn(sql.ConnectionPool.prototype, 'connect').mockImplementation(async function (this: sql.ConnectionPool) { return this; } as never);
    vi.spyOn(sql.ConnectionPool.prototype, 'close').mockResolvedValue(undefined as never);
    vi.spyOn(sql.Request.prototype, 'query').mockImplementation(async () => { throw new sql.RequestError('Timeout: Request failed to complete in 45000ms', 'ETIMEOUT'); });
    const r = row();
    const target = new MssqlTarget({ connectionString: 'Server=db1;Database=CRM;Request Timeout=45000' });
    const session = await target.session();
    const err = await session.findUniqueHolder(r, r.uniqueChecks![0]!).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ReinsertError);
    expect((err as ReinsertError).message).toMatch(/^looking for row 7's value of UX_Contacts_Email in crm\.Contacts did not finish within 45 s/);
    await target.close();
  });
});
