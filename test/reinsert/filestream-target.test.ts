import { describe, expect, it } from 'vitest';
import { tablesFromCatalog, targetColumnsSql } from '../../src/reinsert/mssql-target.js';
import { planReinsert } from '../../src/reinsert/plan.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * A value staged for a target's FILESTREAM column is refused (breaker C's left-out). rowback never
 * recovers a FILESTREAM value: a log row image, page or backup page holds only the row's 48-byte
 * pointer to its file. Where the source's catalog knew the column, the row holds a marker and was
 * refused already; where it did not (an export file or catalog JSON made before is_filestream was
 * read), the pointer was staged as varbinary(max) bytes with a row warning, and the re-insert went
 * on to INSERT those 48 bytes as the document. The target's catalog now says which columns are
 * FILESTREAM (sys.columns.is_filestream). Values SYNTHETIC (no FILESTREAM table in the corpus).
 */
const POINTER = '0x' + '3C'.repeat(48);
const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: -1, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });
const docs = (filestream: boolean): TargetTable => ({ schema: 'dbo', name: 'Docs', keyColumns: ['Id'], columns: [c('Id', 'int', { maxLength: 4, nullable: false }), c('Doc', 'varbinary', filestream ? { filestream: true } : {})] });

describe("a target's FILESTREAM column", () => {
  it('is read from the catalog (sys.columns.is_filestream)', () => {
    expect(targetColumnsSql(1)).toContain('c.is_filestream');
    const base = { schema: 'dbo', table: 'Docs', type_name: 'varbinary', max_length: -1, precision: 0, scale: 0, is_nullable: true, is_identity: false, is_computed: false, key_ordinal: 0 };
    const t = tablesFromCatalog([{ ...base, column: 'Doc', is_filestream: true }, { ...base, column: 'Plain', is_filestream: false }, { ...base, column: 'Old' }]).get('dbo.Docs')!;
    expect(t.columns.map((x) => x.filestream)).toEqual([true, undefined, undefined]);
  });

  it('takes no value (the pointer read as bytes), naming the column and the way on; NULL goes in', () => {
    let e: unknown;
    try { planParam(docs(true).columns[1]!, POINTER); } catch (x) { e = x; }
    expect(e).toMatchObject({ code: 'REINSERT_OFFROW_VALUE', location: { column: 'Doc' } });
    expect((e as Error).message).toMatch(/^column Doc of the target is a FILESTREAM column, and rowback never recovers a FILESTREAM value: the value staged for it \(48 bytes\) is the row's pointer/);
    expect(() => planParam(docs(true).columns[1]!, null)).not.toThrow();
  });

  it('a plan holds the row back into such a column, and plans it into a plain varbinary(max) as before', () => {
    const rows = [{ id: 1, table: 'dbo.Docs', lsn: '0000002a:00000010:0001', values: { Id: 1, Doc: POINTER } }];
    const held = planReinsert(rows, new Map([['dbo.Docs', docs(true)]]), []);
    expect(held.problems.map((p) => [p.rowId, p.code])).toEqual([[1, 'REINSERT_OFFROW_VALUE']]);
    expect(held.batches).toEqual([]);
    const plain = planReinsert(rows, new Map([['dbo.Docs', docs(false)]]), []);
    expect(plain.problems).toEqual([]);
    expect(plain.batches).toHaveLength(1);
  });
});
