import { describe, expect, it } from 'vitest';
import { planReinsert, renderScript, renderUndoScript } from '../../src/reinsert/plan.js';
import { declaration, scriptDeclaration } from '../../src/reinsert/param-type.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 16, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/**
 * A local variable cannot be text, ntext or image (Microsoft Learn, DECLARE @local_variable,
 * data_type; error 2739). The dry-run script and the undo script DECLAREd each parameter with its
 * driver type: `DECLARE @r1_p2 ntext = N'…'` failed the whole script, before its first row, for any
 * table with such a column (pubs, Northwind, many older schemas). The driver still sends them as
 * ntext/image parameters (sp_executesql takes those); the scripts declare the (max) types.
 * SYNTHETIC table. Running it needs a real server: test/integration/reinsert.test.ts.
 */
describe('scripts declare text/ntext/image values as (max) variables', () => {
  const docs: TargetTable = { schema: 'dbo', name: 'Docs', keyColumns: ['Id'], columns: [c('Id', 'int', { maxLength: 4 }), c('Memo', 'text'), c('Old', 'ntext'), c('Pic', 'image')] };
  const heap: TargetTable = { ...docs, name: 'DocsHeap', keyColumns: [] };
  const targets = new Map([['dbo.Docs', docs], ['dbo.DocsHeap', heap]]);
  const values = { Id: 1, Memo: 'memo', Old: 'old', Pic: '0x0102' };

  it('the re-insert script', () => {
    const plan = planReinsert([{ id: 1, table: 'dbo.Docs', lsn: 'a', values }], targets, []);
    expect(plan.problems).toEqual([]);
    const p = plan.batches[0]!.rows[0]!.params;
    // the driver's parameter types are unchanged
    expect(p.map((x) => declaration(x.type))).toEqual(['int', 'ntext', 'ntext', 'image']);
    const script = renderScript(plan);
    expect(script).toContain("DECLARE @r1_p1 int = 1,\n        @r1_p2 nvarchar(max) = N'memo',\n        @r1_p3 nvarchar(max) = N'old',\n        @r1_p4 varbinary(max) = 0x0102;");
    expect(script).not.toMatch(/@r\d+_p\d+ (n?text|image)\b/);
  });

  it('the undo script of a key-less row, which compares them', () => {
    const plan = planReinsert([{ id: 2, table: 'dbo.DocsHeap', lsn: 'b', values }], targets, []);
    const undo = renderUndoScript(plan);
    expect(undo).toContain('@r2_p4 varbinary(max) = 0x0102');
    expect(undo).toContain("CONVERT(varbinary(max), [Pic]) = CONVERT(varbinary(max), @r2_p4) AND DATALENGTH([Pic]) = DATALENGTH(@r2_p4)");
    expect(undo).not.toMatch(/@r\d+_p\d+ (n?text|image)\b/);
  });

  it('scriptDeclaration differs from declaration only there', () => {
    expect(scriptDeclaration({ name: 'Text' })).toBe('varchar(max)');
    expect(scriptDeclaration({ name: 'NText' })).toBe('nvarchar(max)');
    expect(scriptDeclaration({ name: 'Image' })).toBe('varbinary(max)');
    expect(scriptDeclaration({ name: 'NVarChar', length: 50 })).toBe('nvarchar(50)');
    expect(scriptDeclaration({ name: 'Xml' })).toBe('xml');
  });
});
