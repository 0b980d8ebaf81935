import { describe, expect, it } from 'vitest';
import { commentText, notScripted, planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A table or column name holding an unpaired UTF-16 surrogate (sysname is nvarchar: a name cut
 * between the halves of a pair). The scripts (dry run, SQL export, undo) are UTF-8, which has no
 * form for it: written U+FFFD, `INSERT INTO [dbo].[Pay\ud83d]` became `INSERT INTO [dbo].[Pay\ufffd]`,
 * another table's name (one that may exist), with no word. The real run (UTF-16 through the driver)
 * is right. Now such a row is left out of the script as NOT SCRIPTED, a WARNING at the head naming
 * the name (its unit written \u{d83d}) and the row, and `notScripted` lists it for the API answer.
 * SYNTHETIC names and values.
 */
const col = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn => ({ name, type, maxLength: 400, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/** The script as the UTF-8 file holds it. */
const asFile = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

describe('scripts and names holding an unpaired surrogate', () => {
  const cases: [string, string, string, RegExp][] = [
    ['Pay\ud83d', 'Id', 'table', /the table name \[dbo\]\.\[Pay\\u\{d83d\}\] holds an unpaired UTF-16 surrogate \(U\+D83D at offset 10\)/],
    ['Pay', 'Na\udc00me', 'column', /the column name Na\\u\{dc00\}me holds an unpaired UTF-16 surrogate \(U\+DC00 at offset 2\)/],
  ];
  for (const [name, column, what, named] of cases) {
    it(`a ${what} name: the row is NOT SCRIPTED, said at the head with the name; no statement names the U+FFFD form`, () => {
      const table: TargetTable = { schema: 'dbo', name, columns: [col('Id', 'int', { nullable: false }), ...(column === 'Id' ? [] : [col(column, 'int')])], keyColumns: ['Id'] };
      const key = `dbo.${name}`;
      const other: TargetTable = { schema: 'dbo', name: 'Ok', columns: [col('Id', 'int', { nullable: false })], keyColumns: ['Id'] };
      const plan = planReinsert([
        { id: 1, table: key, lsn: 'l1', values: { Id: 1, ...(column === 'Id' ? {} : { [column]: 2 }) } },
        { id: 2, table: 'dbo.Ok', lsn: 'l2', values: { Id: 7 } },
      ], new Map([[key, table], ['dbo.Ok', other]]), []);
      expect(plan.problems).toEqual([]);
      // the driver's run is unchanged: its statement carries the name as it is
      expect(plan.batches.find((b) => b.table === key)!.rows[0]!.insertSql).toMatch(/^INSERT INTO/);
      const script = asFile(renderScript(plan));
      expect(script).not.toContain('\ufffd');
      expect(script).toMatch(/^-- covers staged rows: 2$/m);
      const warning = script.split('\n').find((l) => l.startsWith('-- WARNING: 1 row(s) planned but NOT SCRIPTED'));
      expect(warning).toMatch(named);
      expect(warning).toContain('rows 1;');
      expect(script).toMatch(/^-- NOT SCRIPTED: row 1 /m);
      expect(script.match(/INSERT INTO \[dbo\]\.\[[^\]]*\] \(\[Id/g)).toEqual(['INSERT INTO [dbo].[Ok] ([Id']);
      const undo = asFile(renderUndoScript(plan));
      expect(undo).not.toContain('\ufffd');
      expect(undo).toMatch(/^-- deletes staged rows: 2$/m);
      expect(undo.split('\n').find((l) => l.startsWith('-- WARNING: 1 row(s) NOT DELETED'))).toMatch(named);
      expect(undo).toMatch(/rowback undo: row 1 is not deleted by this script \(a name of its table or columns holds a character this UTF-8 script cannot carry\)/);
      expect(notScripted(plan)).toEqual([{ rowId: 1, table: key, why: expect.stringMatching(named) }]);
    });
  }

  it('a paired surrogate (an emoji) in a name is scripted as it is', () => {
    const name = 'Pay\ud83d\ude00';
    const table: TargetTable = { schema: 'dbo', name, columns: [col('Id', 'int', { nullable: false })], keyColumns: ['Id'] };
    const plan = planReinsert([{ id: 1, table: `dbo.${name}`, lsn: 'l1', values: { Id: 1 } }], new Map([[`dbo.${name}`, table]]), []);
    expect(notScripted(plan)).toEqual([]);
    expect(renderScript(plan)).toContain(`INSERT INTO [dbo].[${name}] ([Id])`);
  });

  it('commentText writes an unpaired surrogate as its code unit, a pair as it is', () => {
    expect(commentText('T\ud83d x \udc00 \ud83d\ude00')).toBe('T\\u{d83d} x \\u{dc00} \ud83d\ude00');
  });
});
