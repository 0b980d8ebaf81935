import { describe, expect, it } from 'vitest';
import { findTableName, NameIndex, otherSchemaNamesakes, otherSchemasNote, unknownTableHint } from '../../../src/reconstruct/metadata/names.js';
import { splitQualifiedName, stagedTableName, tableNameOrText } from '../../../src/util/tsql.js';
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
    ['[TSQLV4].[dbo].[Order.Items]', '; [TSQLV4].[dbo].[Order.Items] names a database too: rowback reads the tables of the files or database given, so give the table as dbo.[Order.Items]'],
    // fn_dblog's AllocUnitName of an index (schema.table.index), as `rowback log` prints it
    ['dbo.Employees.PK_Employees', "; dbo.Employees.PK_Employees is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as dbo.Employees"],
    ['HR.EMPLOYEES.[PK Employees]', "; HR.EMPLOYEES.[PK Employees] is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as HR.Employees"],
    ['dbo.[Order.Items].IX_1', "; dbo.[Order.Items].IX_1 is fn_dblog's AllocUnitName form, schema.table.index (an index's allocation unit; an index is no table): give the table as dbo.[Order.Items]"],
    ['dbo..Employees', "; dbo..Employees names a database too: rowback reads the tables of the files or database given, so give the table as dbo.Employees"],
    ['dbo.Customers', '; Sales.Customers has the name Customers in another schema: give it as Sales.Customers'],
    ['Customers', '; Sales.Customers has the name Customers in another schema (a name without a schema is looked for in schema dbo): give it as Sales.Customers'],
    ['Sales.Employees', '; dbo.Employees, HR.Employees have the name Employees in other schemas: give the one meant with its schema'],
    // three or four parts naming no table read: said plainly, no table named that is not there
    // (the bracketed forms were refused before the tables were read, "give the table as dbo.Nope")
    ['TSQLV4.dbo.Nope', "; read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), TSQLV4.dbo.Nope would be dbo.Nope or TSQLV4.dbo, neither of which is among the tables read"],
    ['[TSQLV4].[dbo].[Nope]', "; read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), [TSQLV4].[dbo].[Nope] would be dbo.Nope or TSQLV4.dbo, neither of which is among the tables read"],
    ['TSQLV4..Nope', '; read as database.schema.table, TSQLV4..Nope would be dbo.Nope, which is not among the tables read'],
    ['[S].[TSQLV4].[dbo].[Nope]', '; read as server.database.schema.table, [S].[TSQLV4].[dbo].[Nope] would be dbo.Nope, which is not among the tables read'],
    // a schema that is not there: the tables of that name in other schemas, as for two parts
    ['[TSQLV4].[Nope].[Customers]', "; read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), [TSQLV4].[Nope].[Customers] would be Nope.Customers or TSQLV4.Nope, neither of which is among the tables read; Sales.Customers has the name Customers: give it as Sales.Customers"],
    ['S.TSQLV4.Nope.Employees', '; read as server.database.schema.table, S.TSQLV4.Nope.Employees would be Nope.Employees, which is not among the tables read; dbo.Employees, HR.Employees have the name Employees: give the one meant with its schema'],
    // nothing likely meant: no hint
    ['a.b.c.d.e', ''],
    ['dbo.Nope', ''],
    ['[unterminated', ''],
  ])('%s → %s', (wanted, hint) => {
    expect(unknownTableHint(wanted, tables)).toBe(hint);
  });

  it('a database part naming another database than the tables were read from: said, not dropped (the file may be the wrong one)', () => {
    // Other.Sales.Customers against TSQLV4's tables was told 'give the table as Sales.Customers', another database's rows
    const other = '; Other.Sales.Customers names the database Other, and the tables read are of the database TSQLV4: check that the file given is the one meant (its table of that name is Sales.Customers)';
    expect(unknownTableHint('Other.Sales.Customers', tables, 'TSQLV4')).toBe(other);
    expect(unknownTableHint('[S].[Other].[dbo].[Orders]', tables, 'TSQLV4')).toContain('names the database Other, and the tables read are of the database TSQLV4');
    // its own database, in any letter case, or none known: the database part is dropped as before
    expect(unknownTableHint('tsqlv4.Sales.Customers', tables, 'TSQLV4')).toBe('; tsqlv4.Sales.Customers names a database too: rowback reads the tables of the files or database given, so give the table as Sales.Customers');
    expect(unknownTableHint('Other.Sales.Customers', tables)).toContain('names a database too');
    // a database attached by its file is named by its path (REAL AngularJs_CRUD Database1.mdf's boot page): no claim
    expect(unknownTableHint('Database1.Sales.Customers', tables, 'F:\\MVC LEARNNG\\APP_DATA\\DATABASE1.MDF')).toContain('names a database too');
  });

  it('both readings of three parts name a table: both said, neither picked', () => {
    expect(unknownTableHint('Sales.dbo.Orders', [...tables, 'Sales.dbo'])).toBe("; Sales.dbo.Orders read as database.schema.table names dbo.Orders, read as fn_dblog's AllocUnitName (schema.table.index) Sales.dbo: give the one meant as a one- or two-part name");
  });
});

/**
 * The tables a hint or note names, each as one name (util/tsql.ts tableNameText): a namesake in
 * another schema named `User` was offered as `--table Sales.User`, which does not parse in T-SQL, and
 * one named `a,b` as `--table Sales.a,b`, which --table splits into two. Names: SYNTHETIC.
 */
describe('tables named by a hint or note read as one name each', () => {
  const tables = ['dbo.User', 'Sales.User', 'dbo.a,b', 'Sales.a,b', '[dbo].[Order.Items]', '[Sales].[Order.Items]', 'dbo.Orders', 'Sales.Orders'];

  it('unknownTableHint', () => {
    expect(unknownTableHint('HR.User', tables)).toBe('; dbo.[User], Sales.[User] have the name User in other schemas: give the one meant with its schema');
    expect(unknownTableHint('[HR].[a,b]', tables)).toBe('; dbo.[a,b], Sales.[a,b] have the name a,b in other schemas: give the one meant with its schema');
    expect(unknownTableHint('TSQLV4.dbo.[User]', tables)).toBe('; TSQLV4.dbo.[User] names a database too: rowback reads the tables of the files or database given, so give the table as dbo.[User]');
    expect(unknownTableHint('TSQLV4.dbo.Nope', ['Sales.Nope'])).toBe("; read as database.schema.table or as fn_dblog's AllocUnitName (schema.table.index), TSQLV4.dbo.Nope would be dbo.Nope or TSQLV4.dbo, neither of which is among the tables read; Sales.Nope has the name Nope: give it as Sales.Nope");
    // regular names as before
    expect(unknownTableHint('HR.Orders', tables)).toBe('; dbo.Orders, Sales.Orders have the name Orders in other schemas: give the one meant with its schema');
  });

  it('a piece of a comma-named table (a list split at its comma): that table, in brackets, is said', () => {
    const hint = "; dbo.[a,b] has a name holding a comma, which splits a list of tables (--table dbo.A,dbo.B) unless the name is in brackets: give it as dbo.[a,b]";
    // `--table dbo.a,b` is read as dbo.a and b
    expect(unknownTableHint('dbo.a', tables)).toBe(hint);
    expect(unknownTableHint('b', tables)).toBe("; dbo.[a,b], Sales.[a,b] have a name holding a comma, which splits a list of tables (--table dbo.A,dbo.B) unless the name is in brackets: give the one meant in brackets");
    expect(unknownTableHint('Sales.A', tables)).toBe("; Sales.[a,b] has a name holding a comma, which splits a list of tables (--table dbo.A,dbo.B) unless the name is in brackets: give it as Sales.[a,b]");
    expect(unknownTableHint('dbo.a', ['dbo.[Order, Items]', 'dbo.a b'])).toBe('');
    expect(unknownTableHint(' Items', ['[dbo].[Order, Items]'])).toBe("; dbo.[Order, Items] has a name holding a comma, which splits a list of tables (--table dbo.A,dbo.B) unless the name is in brackets: give it as dbo.[Order, Items]");
    // a schema that is not the table's: no such piece
    expect(unknownTableHint('HR.a', tables)).toBe('');
  });

  it('otherSchemasNote: the dbo table read and its namesakes, bracketed where they must be', () => {
    // the --table value a shell word (util/shell-word.ts): `[` is a glob to sh and zsh
    expect(otherSchemasNote(tables, 'dbo.User', ['User'])).toBe("dbo.[User] is the table read (a name without a schema is dbo's); Sales.[User] has the same name in another schema: give the schema (--table 'Sales.[User]') to read it");
    expect(otherSchemasNote(tables, 'dbo.a,b', ['[a,b]'])).toBe("dbo.[a,b] is the table read (a name without a schema is dbo's); Sales.[a,b] has the same name in another schema: give the schema (--table 'Sales.[a,b]') to read it");
    expect(otherSchemasNote(tables, 'dbo.Orders', ['Orders'])).toBe("dbo.Orders is the table read (a name without a schema is dbo's); Sales.Orders has the same name in another schema: give the schema (--table Sales.Orders) to read it");
  });

  it('otherSchemaNamesakes reads bracketed names by their parts', () => {
    // `[Sales].[Order.Items]` was cut at its first dot: schema `[Sales]`, name `[Order.Items]`, no namesake
    expect(otherSchemaNamesakes(tables, '[dbo].[Order.Items]')).toEqual(['[Sales].[Order.Items]']);
    expect(otherSchemaNamesakes(['[dbo].[T]', '[Sales].[T]'], '[dbo].[T]')).toEqual(['[Sales].[T]']);
  });
});

describe('splitQualifiedName of a name with a database part', () => {
  it.each([
    // three or four parts, no table known here: none named (the tables decide: tableNameOrText keeps
    // such a name for unknownTableHint); it named both readings, `dbo.Nope` a table that is nowhere
    ['[TSQLV4].[Sales].[Customers]', "'[TSQLV4].[Sales].[Customers]' is not a one- or two-part table name: a database part (or an index part, as fn_dblog's AllocUnitName schema.table.index has) is no part of a table's name here"],
    ['[dbo].[tblDept].[PK_tblDept]', "'[dbo].[tblDept].[PK_tblDept]' is not a one- or two-part table name: a database part (or an index part, as fn_dblog's AllocUnitName schema.table.index has) is no part of a table's name here"],
    ['TSQLV4..Orders', "'TSQLV4..Orders' is not a one- or two-part table name: a database part is no part of a table's name here"],
    ['[S].[D].[dbo].[Order.Items]', "'[S].[D].[dbo].[Order.Items]' is not a one- or two-part table name: a server or database part is no part of a table's name here"],
    ['a..', "'a..' is not a one- or two-part table name"],
  ])('%s → RangeError %s', (text, message) => {
    expect(() => splitQualifiedName(text)).toThrow(new RangeError(message));
  });
});

describe('tableNameOrText of a name with a database part', () => {
  it('three and four parts in any form are kept for the tables to decide; five parts, a list or an empty last part refused', () => {
    for (const t of ['[CRM].[dbo].[Customer]', 'CRM..Customer', '[CRM]..[Customer]', '"CRM"."dbo"."Customer"', '[SRV].[CRM].[dbo].[Customer]', ' CRM.dbo.Customer ']) {
      expect(tableNameOrText(t)).toBe(t.trim());
    }
    for (const t of ['[a].[b].[c].[d].[e]', '[CRM].[dbo].[A],dbo.B', 'CRM.dbo.', '[CRM].[dbo].[']) expect(() => tableNameOrText(t)).toThrow(RangeError);
  });

  it('text whose brackets quote its parts is no table\'s plain schema.name text', () => {
    // schema `[CRM]`, table `[dbo].[Customer]`: its plain schema.name text is `[CRM].[dbo].[Customer]`,
    // but that text typed names three parts (a database's table), not this table
    const odd = stagedTableName({ schema: '[CRM]', name: '[dbo].[Customer]' });
    expect(findTableName(['dbo.Customer', odd], '[CRM].[dbo].[Customer]')).toBeUndefined();
    expect(findTableName(['dbo.Customer', odd], odd)).toBe(odd);
    // an unterminated bracket is text: the table whose text it is
    expect(findTableName(['[dbo].[[x]'], 'dbo.[x')).toBe('[dbo].[[x]');
  });
});
