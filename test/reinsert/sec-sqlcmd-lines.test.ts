import { describe, expect, it } from 'vitest';
import { commentText, planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * The scripts (dry run, export, undo) are run by people with sqlcmd or SSMS, which read them line
 * by line before SQL Server does: a line `GO` ends a batch, a line `:!! cmd` runs a shell command,
 * `:r file` / `:connect` act, and `$(var)` is replaced by a scripting variable (SQLCMDPASSWORD…)
 * anywhere, quoted text included. go-sqlcmd (pkg/sqlcmd/batch.go) tracks '…' and "…" but not […]
 * and takes `\` as an escape inside '…'. So a table or column name holding "\nGO\n" or "\n:!! …\n"
 * (names come from the evidence's catalog), or a value holding "\\'\nGO\n…", split the script and ran
 * its tail as T-SQL, or a shell command, on the machine of whoever ran the script; and T-SQL drops a
 * line break that follows a backslash inside a literal (line continuation), so a value "a\\\nb" went
 * in as "ab". SYNTHETIC names and values.
 */
const col = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn => ({ name, type, maxLength: 400, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

function lineProblems(script: string): string[] {
  const bad: string[] = [];
  if (script.includes('\r')) bad.push('a CR');
  if (script.includes('$(')) bad.push('"$("');
  for (const line of script.split('\n')) {
    const t = line.trim();
    if (/^(GO\b|:|!!)/i.test(t)) bad.push(`line ${JSON.stringify(line)}`);
  }
  return bad;
}

describe('generated scripts hold nothing sqlcmd or SSMS would act on', () => {
  const hostileValues = ['a\nb', 'a\r\nb', 'x\\\'\nGO\nDROP TABLE victims; --', 'a\\\nb', '$(SQLCMDPASSWORD)', ':!! calc', 'tail\\', '\n:r C:\\evil.sql\n', 'x'.repeat(5000) + '\n' + 'y'];
  it('values with line breaks, backslashes and $( are written without a raw line break or "$("', () => {
    const table: TargetTable = { schema: 'dbo', name: 'Notes', columns: [col('Id', 'int', { nullable: false }), col('Body', 'nvarchar', { maxLength: -1 }), col('Code', 'varchar', { maxLength: 8000 })], keyColumns: ['Id'] };
    const rows = hostileValues.map((v, i) => ({ id: i + 1, table: 'dbo.Notes', lsn: `l${i}`, values: { Id: i + 1, Body: v, Code: v } }));
    const plan = planReinsert(rows, new Map([['dbo.Notes', table]]), []);
    expect(plan.problems).toEqual([]);
    const script = renderScript(plan);
    expect(lineProblems(script)).toEqual([]);
    expect(lineProblems(renderUndoScript(plan))).toEqual([]);
    // the value is kept exactly: its line break as NCHAR(10), never after a backslash in a literal
    expect(script).toContain("CAST(N'a\\' AS nvarchar(max)) + NCHAR(10) + N'b'");
    expect(script).toContain("CAST(N'$' AS nvarchar(max)) + N'(SQLCMDPASSWORD)'");
    // the driver's parameters are the values themselves
    expect(plan.batches[0].rows.map((r) => r.params.find((p) => p.column === 'Body')!.value)).toEqual(hostileValues);
  });

  it('rows of a table or column whose name holds a line break or "$(" are not scripted, and say so', () => {
    for (const [schema, name, column] of [['dbo', 'x\nGO\n:!! calc\nDROP TABLE victims;--', 'Id'], ['dbo', 'T', 'c\r\n:r C:\\evil.sql\r\n'], ['a$(b)', 'T', 'Id'], ['dbo', 'T', '$(SQLCMDUSER)']]) {
      const table: TargetTable = { schema, name, columns: [col('Id', 'int', { nullable: false }), ...(column === 'Id' ? [] : [col(column, 'int')])], keyColumns: ['Id'] };
      const key = `${schema}.${name}`;
      const plan = planReinsert([{ id: 1, table: key, lsn: 'l', values: { Id: 1, ...(column === 'Id' ? {} : { [column]: 2 }) } }], new Map([[key, table]]), []);
      const script = renderScript(plan);
      expect(lineProblems(script), JSON.stringify([schema, name, column])).toEqual([]);
      expect(script).toMatch(/NOT SCRIPTED: row 1/);
      // the header does not count it as covered, and says it is left out before any batch
      expect(script).toMatch(/^-- covers staged rows: \(none\)$/m);
      expect(script).toMatch(/^-- WARNING: 1 row\(s\) planned but NOT SCRIPTED \(.*\): rows 1; rowback's own re-insert run inserts them through the driver/m);
      expect(script).not.toMatch(/INSERT INTO/);
      const undo = renderUndoScript(plan);
      expect(lineProblems(undo)).toEqual([]);
      expect(undo).not.toMatch(/DELETE (TOP|FROM)/);
      expect(undo).toMatch(/rowback undo: row 1 is not deleted by this script/);
      expect(undo).toMatch(/^-- deletes staged rows: \(none\)$/m);
      expect(undo).toMatch(/^-- WARNING: 1 row\(s\) NOT DELETED by this script \(.*\): rows 1; delete them by hand$/m);
      // the service's own run goes through the driver, one batch, no line-based client: unchanged
      expect(plan.batches[0].rows[0].insertSql).toMatch(/^INSERT INTO/);
    }
  });

  it('comment lines hold no "$(" (sqlcmd replaces variables in comments too)', () => {
    expect(commentText('table $(SQLCMDPASSWORD)')).not.toContain('$(');
  });
});
