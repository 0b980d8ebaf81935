/**
 * The notes a --ddl script gets (its columns on the database default collation, its sparse column
 * ids) named each column as `schema.table.column` unquoted: a column `Dept Name` read
 * `dbo.tblDept.Dept Name`, a column `x]y` `dbo.tblDept.x]y`, one `a, b` as two columns of a list.
 * Each part is now named as T-SQL writes an identifier that is not a regular one (util/tsql.ts
 * identifierText: `[Dept Name]`, `[x]]y]`), a regular one as it is. Scripts: SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { assumedCollationNote, assumedSparseIdsNote, columnsOnDefaultCollation, databaseCollationNote, layoutsFromDdl, unreadableDatabaseCollationRefusal } from '../../../src/reconstruct/metadata/ddl.js';
import { columnText, identifierText } from '../../../src/util/tsql.js';

const SCRIPT = 'CREATE TABLE [dbo].[Order Items] (Id int NOT NULL, [a b] varchar(20) NULL, [x]]y] char(3) NULL, [a, b] text NULL, Name nvarchar(10) NULL, Plain varchar(5) NULL);';
const NAMED = 'dbo.[Order Items].[a b], dbo.[Order Items].[x]]y], dbo.[Order Items].[a, b], dbo.[Order Items].Plain';

describe('identifierText / columnText', () => {
  it.each([
    ['DeptName', 'DeptName'], ['_x1@$#', '_x1@$#'], ['Ärger', 'Ärger'],
    ['a b', '[a b]'], ['x]y', '[x]]y]'], ['a.b', '[a.b]'], ['1st', '[1st]'], ['', '[]'], ['[a]', '[[a]]]'], ['@v', '[@v]'],
  ])('%s → %s', (name, text) => {
    expect(identifierText(name)).toBe(text);
  });

  // SQL Server's reserved keywords (Microsoft Learn, "Reserved Keywords (Transact-SQL)") can be a
  // name only as a delimited identifier: `dbo.Orders.Order` does not parse, `dbo.Orders.[Order]` does
  it.each([
    ['Order', '[Order]'], ['order', '[order]'], ['User', '[User]'], ['KEY', '[KEY]'], ['Key', '[Key]'], ['select', '[select]'],
    ['Table', '[Table]'], ['current_user', '[current_user]'], ['TRY_CONVERT', '[TRY_CONVERT]'], ['Percent', '[Percent]'],
    // not reserved: regular identifiers, bare as before (keywords that are no reserved words, and a keyword inside a name)
    ['Orders', 'Orders'], ['Users', 'Users'], ['Name', 'Name'], ['Date', 'Date'], ['Value', 'Value'], ['Type', 'Type'], ['OrderKey', 'OrderKey'], ['_Order', '_Order'],
  ])('reserved keyword %s → %s', (name, text) => {
    expect(identifierText(name)).toBe(text);
  });

  it('a reserved keyword as a table or column part', () => {
    expect(columnText('dbo', 'Orders', 'Order')).toBe('dbo.Orders.[Order]');
    expect(columnText('dbo', 'User', 'Key')).toBe('dbo.[User].[Key]');
  });

  it('each part of a column name alone', () => {
    expect(columnText('dbo', 'tblDept', 'Dept Name')).toBe('dbo.tblDept.[Dept Name]');
    expect(columnText('my schema', 'Order.Items', 'x]y')).toBe('[my schema].[Order.Items].[x]]y]');
  });
});

describe('a --ddl note names a column that is no regular identifier in brackets', () => {
  it('columnsOnDefaultCollation and the three notes built on it', () => {
    expect(columnsOnDefaultCollation(SCRIPT).join(', ')).toBe(NAMED);
    expect(assumedCollationNote(SCRIPT, {}, '--collation')).toContain(`4 char/varchar/text column(s) without COLLATE (${NAMED}) are read as SQL_Latin1_General_CP1_CI_AS`);
    // the table given as a layout names it: its columns only
    expect(assumedCollationNote(SCRIPT, {}, '--collation', { schema: 'dbo', name: 'Order Items' })).toContain(`(${NAMED})`);
    expect(databaseCollationNote(SCRIPT, {}, 'Cyrillic_General_CI_AS', 'boot page of X.bak', '--collation')).toContain(`(${NAMED}) are read as Cyrillic_General_CI_AS (code page 1251)`);
    expect(unreadableDatabaseCollationRefusal(SCRIPT, {}, { collation: 'Klingon_CI_AS', from: 'boot page of X.bak' }, '--collation NAME')).toContain(`(${NAMED}) take the database's default collation`);
  });

  it('a column whose name is a reserved keyword', () => {
    const sql = 'CREATE TABLE dbo.[User] ([Key] int NOT NULL, [Order] varchar(20) NULL, Name varchar(10) NULL);';
    expect(columnsOnDefaultCollation(sql).join(', ')).toBe('dbo.[User].[Order], dbo.[User].Name');
  });

  it('the sparse column ids note', () => {
    const sql = 'CREATE TABLE dbo.[Wide T] (Id int NOT NULL, [a b] int SPARSE NULL, [x]]y] varchar(10) SPARSE NULL);';
    expect(assumedSparseIdsNote(layoutsFromDdl(sql), '--schema')).toContain('dbo.[Wide T] ([a b] = 2, [x]]y] = 3)');
  });
});
