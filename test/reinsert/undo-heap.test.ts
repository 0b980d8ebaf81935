import { describe, expect, it } from 'vitest';
import { planReinsert, renderUndoScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

/**
 * The undo of a key-less (heap) row deletes `TOP (1)` row matching its values. Columns it left
 * out of the match were matched by nothing: (max) columns, text/ntext/image, xml, spatial,
 * sql_variant. A heap row (Id 7, Notes nvarchar(max) 'ours') was undone with
 * `DELETE TOP (1) … WHERE [Id] = @p1`, which deletes the row (7, 'theirs') as readily; a row of
 * nothing but such columns with `DELETE TOP (1) FROM [dbo].[Docs];` — any row of the table.
 */
describe('undo of key-less rows deletes only a row with every value of the inserted one', () => {
  const heap: TargetTable = {
    schema: 'dbo', name: 'Docs', keyColumns: [],
    columns: [c('Id', 'int'), c('Notes', 'nvarchar', { maxLength: -1 }), c('Blob', 'varbinary', { maxLength: -1 }), c('Old', 'ntext', { maxLength: 16 }), c('Pic', 'image', { maxLength: 16 }), c('Memo', 'text', { maxLength: 16 })],
  };
  const spatial: TargetTable = { schema: 'dbo', name: 'Places', keyColumns: [], columns: [c('Shape', 'geography', { maxLength: -1 }), c('Tag', 'sql_variant', { maxLength: 8016 })] };
  const targets = new Map([['dbo.Docs', heap], ['dbo.Places', spatial]]);

  it('(max) and text/ntext/image columns are part of the match', () => {
    const plan = planReinsert([{ id: 1, table: 'dbo.Docs', lsn: 'a', values: { Id: 7, Notes: 'ours', Blob: '0x01', Old: 'old', Pic: '0x02', Memo: 'memo' } }], targets, []);
    const r = plan.batches[0].rows[0];
    const text = (c: string, p: string) => `(CONVERT(nvarchar(max), [${c}]) + N'.') COLLATE Latin1_General_BIN2 = (CONVERT(nvarchar(max), @${p}) + N'.')`;
    expect(r.undoSql).toBe(`DELETE TOP (1) FROM [dbo].[Docs] WHERE [Id] = @p1 AND ${text('Notes', 'p2')} AND [Blob] = @p3 AND DATALENGTH([Blob]) = DATALENGTH(@p3) AND ${text('Old', 'p4')} AND CONVERT(varbinary(max), [Pic]) = CONVERT(varbinary(max), @p5) AND DATALENGTH([Pic]) = DATALENGTH(@p5) AND ${text('Memo', 'p6')};`);
    const nulls = planReinsert([{ id: 2, table: 'dbo.Docs', lsn: 'a', values: { Id: 7, Notes: null, Blob: null, Old: null, Pic: null, Memo: null } }], targets, []).batches[0].rows[0];
    expect(nulls.undoSql).toBe('DELETE TOP (1) FROM [dbo].[Docs] WHERE [Id] = @p1 AND [Notes] IS NULL AND [Blob] IS NULL AND [Old] IS NULL AND [Pic] IS NULL AND [Memo] IS NULL;');
  });

  it("text is matched by code points with its trailing spaces, binary with its length: `=` takes 'Smith' for 'SMITH' (a _CI_ collation), 'abc' for 'abc  ', 0x01 for 0x0100", () => {
    const people: TargetTable = { schema: 'dbo', name: 'People', keyColumns: [], columns: [c('Name', 'varchar', { maxLength: 20 }), c('Code', 'nchar', { maxLength: 10 }), c('Tag', 'binary', { maxLength: 2 }), c('Raw', 'varbinary', { maxLength: 8 })] };
    const plan = planReinsert([{ id: 4, table: 'dbo.People', lsn: 'c', values: { Name: 'Smith', Code: 'ab   ', Tag: '0x0100', Raw: '0x01' } }], new Map([['dbo.People', people]]), []);
    const r = plan.batches[0].rows[0];
    // char/nchar and binary: their trailing spaces / zero bytes are padding to the column's length
    expect(r.undoSql).toBe(
      "DELETE TOP (1) FROM [dbo].[People] WHERE (CONVERT(nvarchar(max), [Name]) + N'.') COLLATE Latin1_General_BIN2 = (CONVERT(nvarchar(max), @p1) + N'.')" +
        " AND CONVERT(nvarchar(max), [Code]) COLLATE Latin1_General_BIN2 = CONVERT(nvarchar(max), @p2)" +
        ' AND [Tag] = @p3 AND [Raw] = @p4 AND DATALENGTH([Raw]) = DATALENGTH(@p4);',
    );
    // the script's undo declares each variable it compares once and uses it in both tests
    const undo = renderUndoScript(plan);
    expect(undo).toContain('DATALENGTH([Raw]) = DATALENGTH(@r4_p4)');
    expect(undo.match(/@r4_p4 varbinary\(8\) = 0x01/g)).toHaveLength(1);
  });

  it('a row with a value no = can compare (geography, sql_variant, xml) is not deleted by the undo: said, never an arbitrary row', () => {
    const plan = planReinsert([{ id: 3, table: 'dbo.Places', lsn: 'b', values: { Shape: '0xE6100000010C', Tag: { baseType: 'int', value: 5 } } }], targets, []);
    const r = plan.batches[0].rows[0];
    expect(r.undoSql).not.toMatch(/^DELETE/);
    const undo = renderUndoScript(plan);
    expect(undo).not.toMatch(/DELETE TOP \(1\) FROM \[dbo\]\.\[Places\];/);
    expect(undo).not.toMatch(/^DELETE /m);
    expect(undo).toMatch(/row 3 .*not deleted.*Shape \(geography\)/);
  });
  it("datetimeoffset is matched with its offset: `=` compares the instant, so '10:00 +01:00' took the row '09:00 +00:00'", () => {
    const events: TargetTable = { schema: 'dbo', name: 'Events', keyColumns: [], columns: [c('At', 'datetimeoffset', { maxLength: 10, scale: 7 })] };
    const plan = planReinsert([{ id: 5, table: 'dbo.Events', lsn: 'd', values: { At: '2024-01-01 10:00:00.0000000 +01:00' } }], new Map([['dbo.Events', events]]), []);
    const r = plan.batches[0].rows[0];
    expect(r.undoSql).toBe('DELETE TOP (1) FROM [dbo].[Events] WHERE [At] = CONVERT(datetimeoffset(7), @p1) AND DATEPART(TZOFFSET, [At]) = DATEPART(TZOFFSET, CONVERT(datetimeoffset(7), @p1));');
    expect(renderUndoScript(plan)).toContain('DATEPART(TZOFFSET, [At]) = DATEPART(TZOFFSET, CONVERT(datetimeoffset(7), @r5_p1))');
  });
});
