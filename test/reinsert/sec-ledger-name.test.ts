import { describe, expect, it } from 'vitest';
import { planReinsert, quotedRowLedger, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * The ledger table (`target.ledgerTable` of a request, `ledgerTable` of a target in serve's config)
 * names the row ledger that every script writes outside any row's NOT SCRIPTED guard: its CREATE
 * TABLE, each row's IF EXISTS look-up and INSERT, the undo's DELETE. A name holding a line break
 * wrote lines of its own into the script (`GO`, `:!! calc`: a shell command on the machine of
 * whoever runs it with sqlcmd), `$(` a sqlcmd variable, an unpaired surrogate U+FFFD (another
 * table). Such a name is refused (INPUT_BAD_IDENTIFIER), with every other plan unchanged.
 */
const col = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn => ({ name, type, maxLength: 400, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });
const table: TargetTable = { schema: 'dbo', name: 'T', columns: [col('Id', 'int', { nullable: false })], keyColumns: ['Id'] };
const plan = (ledgerTable: string) => planReinsert([{ id: 1, table: 'dbo.T', lsn: '0000002a:00000100:0001', values: { Id: 1 }, fromLog: true }], new Map([['dbo.T', table]]), [], { ledgerTable });

describe('a ledger table name sqlcmd would act on', () => {
  const hostile = ['dbo.[led\nGO\n:!! calc\n]', 'dbo.[led\r\n:r C:\\evil.sql]', 'dbo.[$(SQLCMDPASSWORD)]', '[a$(b)].led', '[x\ud800].led', 'dbo.[led\u2028x]', 'dbo.[led\u0000]'];

  it('is refused by the planner, naming it without its line breaks', () => {
    for (const name of hostile) {
      let err: unknown;
      try {
        const p = plan(name);
        // the old code planned it: the script then held its lines raw
        err = renderScript(p) + renderUndoScript(p);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(name)).toMatchObject({ code: 'INPUT_BAD_IDENTIFIER', location: { field: 'target.ledgerTable' } });
      expect((err as Error).message).not.toMatch(/[\r\n]|\$\(SQLCMD|\$\(b/);
      expect(() => quotedRowLedger(name), JSON.stringify(name)).toThrow(/ledger table name/);
    }
  });

  it('plain names, quoted ones and a ] are planned as before', () => {
    for (const [name, quoted] of [['audit.my]ledger', '[audit].[my]]ledger_rows]'], ['[odd schema].[led ger]', '[odd schema].[led ger_rows]'], ['dbo.Ledgér', '[dbo].[Ledgér_rows]']] as const) {
      expect(quotedRowLedger(name)).toBe(quoted);
      expect(renderScript(plan(name))).toContain(`INSERT INTO ${quoted} (row_key`);
    }
  });
});
