import { describe, expect, it } from 'vitest';
import { targetViewUniqueKeysSql, viewUniqueKeysFromCatalog, type ViewUniqueKeyRow } from '../../src/reinsert/mssql-target.js';
import { planReinsert, renderScript } from '../../src/reinsert/plan.js';
import type { TargetColumn, TargetTable } from '../../src/reinsert/target-table.js';

/**
 * Indexed views over a target table (session 36's left-out). A view's first index is a unique
 * clustered index (Microsoft Learn, Create indexed views), so a recovered row whose view row's key
 * the view already holds fails its INSERT (Msg 2601), its whole batch with it, on every resume; a
 * CRM's "one active contact per e-mail" view is such a key. rowback does not evaluate a view's
 * definition, so it cannot check them; the catalog read now names each such index and the script's
 * head says those rows are NOT CHECKED against it (the head said nothing: the first a DBA heard of
 * the view was the failed batch). Catalog rows SYNTHETIC (no SQL Server here: the query itself is
 * in test/integration only).
 */

const c = (name: string, type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name, type, maxLength: 4, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });
const contacts = (o: Partial<TargetTable> = {}): TargetTable => ({
  schema: 'crm', name: 'Contacts', keyColumns: ['Id'], uniqueKeys: [], insteadOfTriggers: { insert: [], delete: [] },
  columns: [c('Id', 'int', { nullable: false }), c('Email', 'nvarchar', { maxLength: 200 }), c('Active', 'bit', { maxLength: 1 })], ...o,
});
const rows = [1, 2, 3].map((id) => ({ id, table: 'crm.Contacts', lsn: `0000002a:00000010:000${id}`, values: { Id: id, Email: `c${id}@x.test`, Active: true } }));
const row = (o: Partial<ViewUniqueKeyRow>): ViewUniqueKeyRow => ({ schema: 'crm', table: 'Contacts', view_schema: 'crm', view_name: 'ActiveEmails', index_name: 'UX_ActiveEmails', index_id: 1, column: 'Email', key_ordinal: 1, ...o });

describe('unique indexes of indexed views over a target table', () => {
  it('are read by table, each index with its key columns in key order, once each (a schema-bound view has a dependency row per column it names)', () => {
    const sql = targetViewUniqueKeysSql(2);
    expect(sql).toContain('SELECT DISTINCT');
    expect(sql).toContain('JOIN sys.sql_expression_dependencies d ON d.referenced_id = t.object_id');
    expect(sql).toContain('i.is_unique = 1 AND i.is_disabled = 0 AND i.is_hypothetical = 0');
    expect(sql).toContain('IN (@n0, @n1)');
    const tables = new Map([['crm.Contacts', contacts()], ['crm.Other', contacts({ name: 'Other' })]]);
    viewUniqueKeysFromCatalog(tables, [
      row({ column: 'Region', key_ordinal: 2 }), row({}), row({}), // the same column twice: the dependency rows DISTINCT did not fold
      row({ view_schema: 'rep]orts', view_name: 'By]Phone', index_name: 'UX]Phone', column: 'Phone' }),
      row({ table: 'Elsewhere' }),
    ]);
    expect(tables.get('crm.Contacts')!.viewUniqueKeys).toEqual([
      { view: 'crm.ActiveEmails', index: 'UX_ActiveEmails', columns: ['Email', 'Region'] },
      { view: 'rep]orts.By]Phone', index: 'UX]Phone', columns: ['Phone'] },
    ]);
    expect(tables.get('crm.Other')!.viewUniqueKeys).toEqual([]);
  });

  it("the script's head names each, quoted, with the rows of the table not checked against it; none when no view reads the table", () => {
    const viewUniqueKeys = [{ view: 'crm.ActiveEmails', index: 'UX_ActiveEmails', columns: ['Email'] }, { view: 'rep]orts.By]Phone', index: 'UX]Phone', columns: ['Ph]one'] }];
    const script = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts({ viewUniqueKeys })]]), []));
    const line = script.split('\n').find((l) => l.includes('indexed views reading it'));
    expect(line).toBe('-- NOTE: 3 row(s) of crm.Contacts are NOT CHECKED against the unique indexes of indexed views reading it: [UX_ActiveEmails] of view [crm].[ActiveEmails] ([Email]); [UX]]Phone] of view [rep]]orts].[By]]Phone] ([Ph]]one]); rowback does not evaluate a view\'s definition, so if the view already holds a row with the key a recovered row gives it, that row\'s INSERT fails its whole batch (Msg 2601), nothing of that batch going in while the run goes on with the others: reject that row, or drop the view\'s index for the re-insert, and resume the run');
    const none = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts({ viewUniqueKeys: [] })]]), []));
    expect(none).not.toContain('indexed views reading it');
    expect(none).not.toContain('indexed views: not read');
  });

  it('not read: said with the unique indexes when neither was read, on a line of its own when only the views were not', () => {
    const neither = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts({ uniqueKeys: undefined })]]), []));
    expect(neither).toContain('-- unique indexes: not read for crm.Contacts (planned without the target\'s catalog): a row whose value in a unique index or UNIQUE constraint other than the key (or in a unique index of an indexed view reading the table) another row already holds is not looked for');
    expect(neither).not.toContain('-- indexed views: not read');
    const views = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts()]]), []));
    expect(views).toContain('-- indexed views: not read for crm.Contacts: a unique index of a view reading one of them is not named here, and a recovered row its key collides in fails its whole batch (Msg 2601)');
  });
});
