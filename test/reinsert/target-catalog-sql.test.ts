import { describe, expect, it } from 'vitest';
import { CATALOG_NAMES_PER_QUERY, MssqlTarget, targetColumnsSql, targetFksSql, targetUniqueKeysSql, uniqueKeysFromCatalog, type UniqueKeyRow } from '../../src/reinsert/mssql-target.js';
import type { TargetTable } from '../../src/reinsert/target-table.js';

/**
 * The target catalog queries (MssqlTarget.loadTables), sent before every real run and every dry run
 * with a target. They read the table list with OPENJSON, which SQL Server finds only under
 * database compatibility level 130 or higher (Microsoft Learn, OPENJSON (Transact-SQL), Note), and
 * joined names with CONCAT (2012+): a target database kept at level 120 or lower failed at the
 * first query. And TYPE_NAME(system_type_id) is NULL for hierarchyid, geometry and geography
 * (system_type_id 240 names no type: sys.types holds them as user_type_id 128-130), which
 * tablesFromCatalog then lowercased: a TypeError for any target table with such a column.
 * A real server is needed to run them (test/integration/reinsert.test.ts, skipped without a
 * container runtime); here the text and the parameters sent are checked.
 */
describe('target catalog queries', () => {
  it('use no OPENJSON, no CONCAT: one nvarchar parameter per table name', () => {
    for (const text of [targetColumnsSql(3), targetFksSql(3), targetUniqueKeysSql(3)]) {
      expect(text).not.toMatch(/OPENJSON|CONCAT|STRING_SPLIT|STRING_AGG/i);
      expect(text).toContain('IN (@n0, @n1, @n2)');
    }
    expect(targetColumnsSql(1)).toContain("WHERE s.name + N'.' + t.name IN (@n0)");
    expect(targetFksSql(1)).toContain("OR SCHEMA_NAME(pa.schema_id) + N'.' + pa.name IN (@n0)");
  });

  it('takes the key from one index per table: the primary key, else the unique clustered index (never a mix of both)', () => {
    const text = targetColumnsSql(1);
    expect(text).toContain('AND ic.index_id = (\n      SELECT TOP (1) i.index_id FROM sys.indexes i\n      WHERE i.object_id = t.object_id AND (i.is_primary_key = 1 OR (i.is_unique = 1 AND i.index_id = 1))\n      ORDER BY i.is_primary_key DESC)');
    // no per-column choice between the two indexes
    expect(text).not.toMatch(/JOIN sys\.index_columns[\s\S]*ORDER BY i\.is_primary_key DESC\n\) k/);
  });

  it('names a CLR type column by its user type, every other column by its system type', () => {
    expect(targetColumnsSql(1)).toContain('TYPE_NAME(CASE WHEN c.system_type_id = 240 THEN c.user_type_id ELSE c.system_type_id END) AS type_name');
  });

  it('loadTables binds each name as its own parameter, in parts under the 2,100-parameter limit, and returns each foreign key once', async () => {
    const sent: { text: string; params: Map<string, { type: unknown; value: unknown }> }[] = [];
    let guidFails = false;
    const fakePool = {
      request() {
        const params = new Map<string, { type: unknown; value: unknown }>();
        const r = {
          input(name: string, type: unknown, value: unknown) { params.set(name, { type, value }); return r; },
          async query(text: string) {
            sent.push({ text, params });
            if (text.includes('sys.foreign_keys')) return { recordset: [{ name: 'FK_x', child: 'dbo.t1', parent: 'dbo.t1500' }] };
            if (text.includes('DB_NAME()')) return { recordset: [{ db: 'Side]db' }] };
            if (text.includes('sys.database_recovery_status')) {
              if (guidFails) throw new Error('The SELECT permission was denied');
              return { recordset: [{ guid: '0f3c2b6e-0000-4000-8000-00000000000a', family: null }] };
            }
            return { recordset: [] };
          },
        };
        return r;
      },
    };
    const target = new MssqlTarget({ connectionString: 'Server=nowhere;Database=x', database: 'Side]db' });
    (target as unknown as { pool: unknown }).pool = fakePool;
    const names = Array.from({ length: 1500 }, (_, i) => `dbo.t${i}`);
    const { fks, database, databaseGuid, familyGuid } = await target.loadTables(names);
    expect(sent).toHaveLength(13); // columns, unique indexes, INSTEAD OF triggers, indexed views' unique indexes and foreign keys, for 1,000 then 500 names; then where they were read, its binding id, and whether the views' dependencies were all visible (VIEW DEFINITION)
    expect(sent.map((s) => s.params.size)).toEqual([...Array(5).fill(CATALOG_NAMES_PER_QUERY), ...Array(5).fill(500), 0, 0, 0]);
    expect(sent[12]!.text).toBe("USE [Side]]db];\nSELECT HAS_PERMS_BY_NAME(DB_NAME(), N'DATABASE', N'VIEW DEFINITION') AS [may];");
    expect(sent[1]!.text).toContain('FROM sys.tables t');
    expect(sent[1]!.text).toContain('i.is_unique = 1 AND i.is_disabled = 0 AND i.is_hypothetical = 0');
    expect(sent[2]!.text).toContain('tr.is_disabled = 0 AND (tr.is_instead_of_trigger = 1 OR te.type = 1)');
    expect(sent[3]!.text).toContain('JOIN sys.sql_expression_dependencies d ON d.referenced_id = t.object_id');
    expect(sent[10]!.text).toBe('USE [Side]]db];\nSELECT DB_NAME() AS [db];');
    expect(sent[11]!.text).toBe('USE [Side]]db];\nSELECT CONVERT(nvarchar(36), database_guid) AS [guid], CONVERT(nvarchar(36), family_guid) AS [family] FROM sys.database_recovery_status WHERE database_id = DB_ID();');
    expect(database).toBe('Side]db');
    // the job's source database is compared with it (source-database.ts): upper case, as the source's
    expect(databaseGuid).toBe('0F3C2B6E-0000-4000-8000-00000000000A');
    expect(familyGuid).toBeNull();
    expect(sent[5]!.params.get('n0')!.value).toBe('dbo.t1000');
    for (const s of sent) {
      expect(s.text.startsWith('USE [Side]]db];\n')).toBe(true);
      expect(s.text).not.toContain('dbo.t');
    }
    expect(fks).toEqual([{ name: 'FK_x', child: 'dbo.t1', parent: 'dbo.t1500' }]);
    // no names: nothing sent (`IN ()` is not T-SQL)
    sent.length = 0;
    expect(await target.loadTables([])).toEqual({ tables: new Map(), fks: [], database: null, databaseGuid: null, familyGuid: null });
    expect(sent).toHaveLength(0);
    // a login that may not read it: not known, never the plan's failure
    guidFails = true;
    expect(await target.loadTables(['dbo.t1'])).toMatchObject({ database: 'Side]db', databaseGuid: null, familyGuid: null });
  });

  it('reads unique indexes and UNIQUE constraints: enabled, not hypothetical, key columns only in key order, filter and IGNORE_DUP_KEY, the conflict key\'s own marked', () => {
    const text = targetUniqueKeysSql(2);
    expect(text).toContain("WHERE s.name + N'.' + t.name IN (@n0, @n1)");
    expect(text).toContain('i.is_unique = 1 AND i.is_disabled = 0 AND i.is_hypothetical = 0');
    expect(text).toContain('ic.key_ordinal > 0');
    expect(text).toContain('i.ignore_dup_key, i.has_filter, i.filter_definition');
    expect(text).toContain('ORDER BY s.name, t.name, i.index_id, ic.key_ordinal;');
    // the conflict key's index is chosen as targetColumnsSql chooses it (the primary key, else the unique clustered index)
    expect(text).toContain('(x.is_primary_key = 1 OR (x.is_unique = 1 AND x.index_id = 1))\n  ORDER BY x.is_primary_key DESC');
  });

  // rows as the driver gives them (bits as booleans) -> the tables' uniqueKeys and keyIndex
  const r = (index_id: number, index_name: string, column: string, key_ordinal: number, more: Partial<UniqueKeyRow> = {}): UniqueKeyRow => ({
    schema: 'crm', table: 'Contacts', index_name, index_id, is_conflict_key: false, is_primary_key: false, is_unique_constraint: false,
    ignore_dup_key: false, has_filter: false, filter_definition: null, column, key_ordinal, ...more,
  });
  const cases: { name: string; rows: UniqueKeyRow[]; uniqueKeys: TargetTable['uniqueKeys']; keyIndex?: TargetTable['keyIndex'] }[] = [
    { name: 'none: read, empty', rows: [], uniqueKeys: [] },
    {
      name: 'the primary key is the conflict key\'s index; a unique index beside it',
      rows: [r(1, 'PK_Contacts', 'ContactId', 1, { is_conflict_key: true, is_primary_key: true }), r(2, 'UX_Contacts_Email', 'Email', 1)],
      keyIndex: { name: 'PK_Contacts', primaryKey: true }, uniqueKeys: [{ name: 'UX_Contacts_Email', columns: ['Email'] }],
    },
    {
      name: 'two key columns come back out of order: key order kept',
      rows: [r(3, 'UQ_Tenant_Code', 'Code', 2, { is_unique_constraint: true }), r(3, 'UQ_Tenant_Code', 'TenantId', 1, { is_unique_constraint: true })],
      uniqueKeys: [{ name: 'UQ_Tenant_Code', columns: ['TenantId', 'Code'], constraint: true }],
    },
    {
      name: 'filtered, IGNORE_DUP_KEY',
      rows: [r(4, 'UX_Email_Active', 'Email', 1, { has_filter: true, filter_definition: '([Active]=(1))', ignore_dup_key: true })],
      uniqueKeys: [{ name: 'UX_Email_Active', columns: ['Email'], filter: '([Active]=(1))', ignoreDupKey: true }],
    },
    {
      name: 'a unique clustered conflict key with IGNORE_DUP_KEY',
      rows: [r(1, 'CX_Code', 'Code', 1, { is_conflict_key: true, ignore_dup_key: true })],
      keyIndex: { name: 'CX_Code', ignoreDupKey: true }, uniqueKeys: [],
    },
  ];
  for (const c of cases) {
    it(`uniqueKeysFromCatalog: ${c.name}`, () => {
      const tables = new Map<string, TargetTable>([['crm.Contacts', { schema: 'crm', name: 'Contacts', columns: [], keyColumns: [] }], ['crm.Other', { schema: 'crm', name: 'Other', columns: [], keyColumns: [] }]]);
      uniqueKeysFromCatalog(tables, c.rows);
      const t = tables.get('crm.Contacts')!;
      expect(t.uniqueKeys).toEqual(c.uniqueKeys);
      expect(t.keyIndex).toEqual(c.keyIndex);
      // another table the catalog was read for: read, none
      expect(tables.get('crm.Other')!.uniqueKeys).toEqual([]);
    });
  }
});
