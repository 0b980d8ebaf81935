/**
 * util/tsql.ts tableText / tableNameText / tableListText: a table's name as a message lists it.
 * Names were built by hand as `${schema}.${name}`: a table `a,b` read as two tables of a list
 * (`known tables: dbo.a,b, dbo.c`, which `--table` splits at the comma), `Order Details` as
 * `dbo.Order Details`, and `User` as `dbo.User`, which does not parse in T-SQL. Each part now goes
 * through identifierText; regular names stay as they were. Names: SYNTHETIC, but for Northwind's
 * `Order Details` (corpus SessionShoppingCart NORTHWND.MDF; test/cli/table-names-in-lists).
 */
import { describe, expect, it } from 'vitest';
import { splitQualifiedName, tableListText, tableNameText, tableText } from '../../src/util/tsql.js';
import { splitTableList } from '../../src/util/table-list.js';

const TABLES: Array<[{ schema: string; name: string }, string]> = [
  [{ schema: 'dbo', name: 'Customers' }, 'dbo.Customers'],
  [{ schema: 'Sales', name: 'Orders' }, 'Sales.Orders'],
  [{ schema: 'dbo', name: 'Order Details' }, 'dbo.[Order Details]'],
  [{ schema: 'dbo', name: 'a,b' }, 'dbo.[a,b]'],
  [{ schema: 'dbo', name: 'Order.Items' }, 'dbo.[Order.Items]'],
  [{ schema: 'dbo.Order', name: 'Items' }, '[dbo.Order].Items'],
  [{ schema: 'dbo', name: 'x]y' }, 'dbo.[x]]y]'],
  [{ schema: 'dbo', name: 'User' }, 'dbo.[User]'],
  [{ schema: 'Key', name: 'order' }, '[Key].[order]'],
  [{ schema: 'my schema', name: ' padded ' }, '[my schema].[ padded ]'],
  // letters beyond ASCII are letters of a regular identifier; a supplementary character (U+1D49C,
  // a letter to \p{L}) is allowed in none ("Database identifiers"): `dbo.𝒜bc` does not parse unquoted
  [{ schema: 'dbo', name: 'Größe' }, 'dbo.Größe'],
  [{ schema: 'dbo', name: '\u{1D49C}bc' }, 'dbo.[\u{1D49C}bc]'],
  [{ schema: 'Sch\u{1D49C}', name: 'T' }, '[Sch\u{1D49C}].T'],
];

describe('tableText', () => {
  it.each(TABLES)('%o → %s', (t, text) => {
    expect(tableText(t)).toBe(text);
  });

  it('reads back as the same two parts (--table, T-SQL)', () => {
    for (const [t, text] of TABLES) expect(splitQualifiedName(text)).toEqual(t);
  });
});

describe('tableText: a name holding a control character or an unpaired surrogate', () => {
  it('writes it as \\u{…}, so the message stays one line and shows no U+FFFD', () => {
    // SYNTHETIC names: a table `a<LF>b` broke a one-line refusal in two; `T<U+D83D>` printed as T\ufffd
    expect(tableText({ schema: 'dbo', name: 'a\nb' })).toBe('dbo.[a\\u{a}b]');
    expect(tableText({ schema: 'dbo', name: 'x\u2028y\u0085' })).toBe('dbo.[x\\u{2028}y\\u{85}]');
    expect(tableText({ schema: 'dbo', name: 'T\ud83d' })).toBe('dbo.[T\\u{d83d}]');
    // a pair is one character, kept (a supplementary character: bracketed, not escaped)
    expect(tableText({ schema: 'dbo', name: 'T\ud83d\ude00' })).toBe('dbo.[T\ud83d\ude00]');
    expect(tableListText(['[dbo].[a\nb]', 'dbo.c'])).not.toMatch(/[\r\n]/);
  });
});

describe('tableNameText', () => {
  it.each([
    // stagedTableName's forms (plain, bracketed) and a user's
    ['dbo.Customers', 'dbo.Customers'],
    ['dbo.Order Details', 'dbo.[Order Details]'],
    ['[dbo].[Order.Items]', 'dbo.[Order.Items]'],
    ['[dbo.Order].[Items]', '[dbo.Order].Items'],
    ['dbo.a,b', 'dbo.[a,b]'],
    ['dbo.User', 'dbo.[User]'],
    ['Customers', 'dbo.Customers'],
    // no one- or two-part name: as it is
    ['dbo.Order.Items', 'dbo.Order.Items'],
    ['[unterminated', '[unterminated'],
  ])('%s → %s', (text, shown) => {
    expect(tableNameText(text)).toBe(shown);
  });
});

describe('tableListText', () => {
  it('lists as many tables as it is given, each read back as itself', () => {
    const staged = ['dbo.a,b', 'dbo.c', 'dbo.Order Details', '[dbo].[Order.Items]', 'dbo.User'];
    const listed = tableListText(staged);
    expect(listed).toBe('dbo.[a,b], dbo.c, dbo.[Order Details], dbo.[Order.Items], dbo.[User]');
    // what --table makes of the list: the same five tables
    expect(splitTableList(listed).map((n) => splitQualifiedName(n))).toEqual(staged.map((n) => splitQualifiedName(n)));
  });

  it('regular names as before', () => {
    expect(tableListText(['dbo.tblDept', 'dbo.Employee'])).toBe('dbo.tblDept, dbo.Employee');
    expect(tableListText([])).toBe('');
  });
});
