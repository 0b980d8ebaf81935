import { describe, expect, it } from 'vitest';
import { MssqlTarget, targetViewUniqueKeysSql, viewUniqueKeysFromCatalog, type ViewUniqueKeyRow } from '../../src/reinsert/mssql-target.js';
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
    expect(line).toBe('-- NOTE: 3 row(s) of crm.Contacts are NOT CHECKED against the unique indexes of indexed views reading it: [UX_ActiveEmails] of view [crm].[ActiveEmails] ([Email]); [UX]]Phone] of view [rep]]orts].[By]]Phone] ([Ph]]one]); rowback does not evaluate a view\'s definition, so if the view already holds a row with the key a recovered row gives it, that row\'s INSERT fails its whole batch (Msg 2601; not in a view that groups rows, GROUP BY, which adds the row to the group it already holds), nothing of that batch going in while the run goes on with the others: reject that row, or drop the view\'s index for the re-insert, and resume the run');
    const none = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts({ viewUniqueKeys: [] })]]), []));
    expect(none).not.toContain('indexed views reading it');
    expect(none).not.toContain('indexed views: not read');
  });

  it('a view whose name holds a dot is named as one view (two parts), not split at the dot into three', () => {
    // `${view_schema}.${view_name}` was split at each dot: the head named [dbo].[Active].[Emails], an object Emails of a schema Active of a database dbo
    const tables = new Map([['crm.Contacts', contacts()]]);
    viewUniqueKeysFromCatalog(tables, [row({ view_schema: 'dbo', view_name: 'Active.Emails' }), row({ view_schema: 'rep.orts', view_name: 'ByPhone', index_name: 'UX_Phone', column: 'Phone' })]);
    const viewUniqueKeys = tables.get('crm.Contacts')!.viewUniqueKeys!;
    expect(viewUniqueKeys.map((k) => k.view)).toEqual(['[dbo].[Active.Emails]', '[rep.orts].[ByPhone]']);
    const line = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts({ viewUniqueKeys })]]), [])).split('\n').find((l) => l.includes('indexed views reading it'));
    expect(line).toContain('[UX_ActiveEmails] of view [dbo].[Active.Emails] ([Email]); [UX_Phone] of view [rep.orts].[ByPhone] ([Phone])');
  });

  it('not read: said with the unique indexes when neither was read, on a line of its own when only the views were not', () => {
    const neither = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts({ uniqueKeys: undefined })]]), []));
    expect(neither).toContain('-- unique indexes: not read for crm.Contacts (planned without the target\'s catalog): a row whose value in a unique index or UNIQUE constraint other than the key (or in a unique index of an indexed view reading the table) another row already holds is not looked for');
    expect(neither).not.toContain('-- indexed views: not read');
    const views = renderScript(planReinsert(rows, new Map([['crm.Contacts', contacts()]]), []));
    expect(views).toContain('-- indexed views: not read for crm.Contacts: a unique index of a view reading one of them is not named here, and a recovered row its key collides in fails its whole batch (Msg 2601)');
  });

  /**
   * sys.sql_expression_dependencies needs VIEW DEFINITION on the database and SELECT on the view,
   * the latter db_owner's by default (Microsoft Learn, sys.sql_expression_dependencies,
   * Permissions). A re-insert login without them failed the whole plan on the views' query (a
   * permission error), or read no dependency and the head said nothing of the views, as if none.
   * Now both are "not read", said in the head, the plan going on. SYNTHETIC: the driver's pool is
   * stubbed (no SQL Server here).
   */
  it('a login that may not read the views\' dependencies: the plan goes on and the head says the views were not read (it failed whole, or said nothing)', async () => {
    const load = async (o: { deny?: boolean; may: number }) => {
      const fakePool = {
        request() {
          const r = {
            input() { return r; },
            async query(text: string) {
              if (text.includes('sys.sql_expression_dependencies')) {
                if (o.deny) throw new Error("The SELECT permission was denied on the object 'sql_expression_dependencies', database 'mssqlsystemresource', schema 'sys'.");
                return { recordset: [row({ index_name: 'UX_ActiveEmails' })] };
              }
              if (text.includes('HAS_PERMS_BY_NAME')) return { recordset: [{ may: o.may }] };
              if (text.includes('FROM sys.tables t\nJOIN sys.schemas s ON s.schema_id = t.schema_id\nJOIN sys.columns c')) {
                return { recordset: [{ schema: 'crm', table: 'Contacts', column: 'Id', type_name: 'int', max_length: 4, precision: 10, scale: 0, is_nullable: false, is_identity: false, is_computed: false, key_ordinal: 1 }] };
              }
              if (text.includes('DB_NAME() AS [db]')) return { recordset: [{ db: 'CRM' }] };
              return { recordset: [] };
            },
          };
          return r;
        },
      };
      const target = new MssqlTarget({ connectionString: 'Server=nowhere;Database=CRM' });
      (target as unknown as { pool: unknown }).pool = fakePool;
      return (await target.loadTables(['crm.Contacts'])).tables.get('crm.Contacts')!;
    };
    const head = (t: TargetTable) => renderScript(planReinsert([rows[0]!].map((r) => ({ ...r, values: { Id: 1 } })), new Map([['crm.Contacts', t]]), []));
    // SELECT denied on sys.sql_expression_dependencies: not read, the plan made
    const denied = await load({ deny: true, may: 1 });
    expect(denied.viewUniqueKeys).toBeUndefined();
    expect(head(denied)).toContain('-- indexed views: not read for crm.Contacts');
    // no VIEW DEFINITION: what the query returns is not all there is
    const blind = await load({ may: 0 });
    expect(blind.viewUniqueKeys).toBeUndefined();
    expect(head(blind)).toContain('-- indexed views: not read for crm.Contacts');
    // both held: read and named
    const read = await load({ may: 1 });
    expect(read.viewUniqueKeys).toEqual([{ view: 'crm.ActiveEmails', index: 'UX_ActiveEmails', columns: ['Email'] }]);
    expect(head(read)).toContain('NOT CHECKED against the unique index of indexed views reading it: [UX_ActiveEmails] of view [crm].[ActiveEmails] ([Email])');
  });
});
