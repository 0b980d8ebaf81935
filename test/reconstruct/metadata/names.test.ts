import { describe, expect, it } from 'vitest';
import { findTableName, NameIndex, unknownTableHint } from '../../../src/reconstruct/metadata/names.js';
import { splitQualifiedName } from '../../../src/util/tsql.js';
import { InputError } from '../../../src/errors.js';

/**
 * Names as SQL Server compares them depend on the database's collation: a case-sensitive database
 * holds `Name` and `name` side by side. Exact first, then another case when one item has it, else
 * ambiguous (names.ts). SYNTHETIC names.
 */
describe('NameIndex', () => {
  const index = new NameIndex(['Name', 'name', 'City'], (n) => n);
  it.each([
    // [wanted, result]
    ['Name', { found: 'Name' }],
    ['name', { found: 'name' }],
    ['City', { found: 'City' }],
    ['CITY', { found: 'City' }],
    ['NAME', { ambiguous: ['Name', 'name'] }],
    ['Age', {}],
  ] as const)('%s → %j', (wanted, result) => {
    expect(index.match(wanted)).toEqual(result);
  });

  it('a name given twice keeps the first item', () => {
    const i = new NameIndex([{ n: 'a', v: 1 }, { n: 'a', v: 2 }], (x) => x.n);
    expect(i.match('A').found?.v).toBe(1);
  });
});

describe('findTableName', () => {
  const names = ['dbo.Contact', 'dbo.contact', 'crm.Orders'];
  it.each([
    ['dbo.contact', 'dbo.contact'],
    ['dbo.Contact', 'dbo.Contact'],
    ['contact', 'dbo.contact'],
    ['crm.orders', 'crm.Orders'],
    ['Orders', undefined], // another schema than dbo is named with it
    ['dbo.Nothing', undefined],
  ] as const)('%s → %s', (wanted, found) => {
    expect(findTableName(names, wanted)).toBe(found);
  });

  it('a name that two tables match only by case: INPUT_AMBIGUOUS_NAME naming both', () => {
    let err: unknown;
    try {
      findTableName(names, 'dbo.CONTACT');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INPUT_AMBIGUOUS_NAME');
    expect((err as InputError).message).toBe('table dbo.CONTACT matches dbo.Contact and dbo.contact, which differ only in letter case (a case-sensitive database): give the name in its exact case');
  });
});

/**
 * A table name the metadata lacks, refused with the table most likely meant: a DBA's three-part
 * `CRM.dbo.Customer` (the database part is no part of a table's name in the files read), or a name
 * whose table is in another schema. The names are TSQLV4's (corpus TSQLV4-compressed: dbo.Employees
 * and HR.Employees, Sales.Customers) and one with a dot. Tables as rowback gives them out.
 */
describe('unknownTableHint', () => {
  const tables = ['dbo.Employees', 'HR.Employees', 'Sales.Customers', 'dbo.Orders', '[dbo].[Order.Items]'];
  it.each([
    // [wanted, hint]
    ['TSQLV4.Sales.Customers', '; TSQLV4.Sales.Customers names a database too: rowback reads the tables of the files or database given, so give the table as Sales.Customers'],
    ['tsqlv4.sales.customers', '; tsqlv4.sales.customers names a database too: rowback reads the tables of the files or database given, so give the table as Sales.Customers'],
    ['SRV.TSQLV4.dbo.Orders', '; SRV.TSQLV4.dbo.Orders names a server and a database too: rowback reads the tables of the files or database given, so give the table as dbo.Orders'],
    ['TSQLV4..Orders', '; TSQLV4..Orders names a database too: rowback reads the tables of the files or database given, so give the table as dbo.Orders'],
    ['[TSQLV4].[dbo].[Order.Items]', '; [TSQLV4].[dbo].[Order.Items] names a database too: rowback reads the tables of the files or database given, so give the table as [dbo].[Order.Items]'],
    // fn_dblog's AllocUnitName of an index (schema.table.index), as `rowback log` prints it
    ['dbo.Employees.PK_Employees', "; dbo.Employees.PK_Employees is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as dbo.Employees"],
    ['HR.EMPLOYEES.[PK Employees]', "; HR.EMPLOYEES.[PK Employees] is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as HR.Employees"],
    ['dbo.[Order.Items].IX_1', "; dbo.[Order.Items].IX_1 is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as [dbo].[Order.Items]"],
    ['dbo..Employees', "; dbo..Employees names a database too: rowback reads the tables of the files or database given, so give the table as dbo.Employees"],
    ['dbo.Customers', '; Sales.Customers has the name Customers in another schema: give it as Sales.Customers'],
    ['Customers', '; Sales.Customers has the name Customers in another schema (a name without a schema is looked for in schema dbo): give it as Sales.Customers'],
    ['Sales.Employees', '; dbo.Employees, HR.Employees have the name Employees in other schemas: give the one meant with its schema'],
    // nothing likely meant: no hint
    ['TSQLV4.dbo.Nope', ''],
    ['a.b.c.d.e', ''],
    ['dbo.Nope', ''],
    ['[unterminated', ''],
  ])('%s → %s', (wanted, hint) => {
    expect(unknownTableHint(wanted, tables)).toBe(hint);
  });

  it('both readings of three parts name a table: both said, neither picked', () => {
    expect(unknownTableHint('Sales.dbo.Orders', [...tables, 'Sales.dbo'])).toBe("; Sales.dbo.Orders read as database.schema.table names dbo.Orders, read as fn_dblog's AllocUnitName (schema.table.index) Sales.dbo: give the one meant as a one- or two-part name");
  });
});

describe('splitQualifiedName of a name with a database part', () => {
  it.each([
    // three parts, no table known yet: both readings, database.schema.table and fn_dblog's AllocUnitName
    ['[TSQLV4].[Sales].[Customers]', "'[TSQLV4].[Sales].[Customers]' is not a one- or two-part table name: read as database.schema.table it names the table Sales.Customers, read as fn_dblog's AllocUnitName (schema.table.index) the table TSQLV4.Sales; rowback reads the tables of the files or database given: give the one meant as a one- or two-part name"],
    ['[dbo].[tblDept].[PK_tblDept]', "'[dbo].[tblDept].[PK_tblDept]' is not a one- or two-part table name: read as database.schema.table it names the table tblDept.PK_tblDept, read as fn_dblog's AllocUnitName (schema.table.index) the table dbo.tblDept; rowback reads the tables of the files or database given: give the one meant as a one- or two-part name"],
    ['TSQLV4..Orders', "'TSQLV4..Orders' names a database too: rowback reads the tables of the files or database given, so give the table as dbo.Orders (a one- or two-part name)"],
    ['[S].[D].[dbo].[Order.Items]', "'[S].[D].[dbo].[Order.Items]' names a server and a database too: rowback reads the tables of the files or database given, so give the table as [dbo].[Order.Items] (a one- or two-part name)"],
    ['a..', "'a..' is not a one- or two-part table name"],
  ])('%s → RangeError %s', (text, message) => {
    expect(() => splitQualifiedName(text)).toThrow(new RangeError(message));
  });
});
