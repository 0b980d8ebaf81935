import { describe, expect, it } from 'vitest';
import { nstring, quoteName, quoteQualified, splitQualifiedName } from '../../../src/util/tsql.js';

describe('quoteName', () => {
  it.each([
    ['Customers', '[Customers]'],
    ['Order Lines', '[Order Lines]'],
    ['a]b', '[a]]b]'],
    [']]', '[]]]]]'],
    ['x[y', '[x[y]'],
    ["O'Brien", "[O'Brien]"],
    ['客户', '[客户]'],
    ['x]; DROP TABLE t; --', '[x]]; DROP TABLE t; --]'],
  ])('%s → %s', (id, q) => expect(quoteName(id)).toBe(q));

  it('refuses empty and over-long names like QUOTENAME', () => {
    expect(() => quoteName('')).toThrow(expect.objectContaining({ code: 'INPUT_BAD_IDENTIFIER' }));
    expect(() => quoteName('x'.repeat(129))).toThrow(expect.objectContaining({ code: 'INPUT_BAD_IDENTIFIER' }));
    expect(quoteName('x'.repeat(128))).toHaveLength(130);
  });

  it('qualifies', () => expect(quoteQualified('sa]les', 'T')).toBe('[sa]]les].[T]'));
  it('nstring doubles quotes', () => expect(nstring("it's")).toBe("N'it''s'"));
});

describe('splitQualifiedName', () => {
  it.each([
    ['dbo.Customers', { schema: 'dbo', name: 'Customers' }],
    ['Customers', { schema: 'dbo', name: 'Customers' }],
    ['[sales].[Order Lines]', { schema: 'sales', name: 'Order Lines' }],
    ['[a.b].[c]]d]', { schema: 'a.b', name: 'c]d' }],
    ['crm.[x.y]', { schema: 'crm', name: 'x.y' }],
    ['"dbo"."Employee"', { schema: 'dbo', name: 'Employee' }],
    ['"a.b"."c""d"', { schema: 'a.b', name: 'c"d' }],
    ['"sales".[Order Lines]', { schema: 'sales', name: 'Order Lines' }],
    ['"Employee"', { schema: 'dbo', name: 'Employee' }],
    // spaces around the dot, as T-SQL allows them: the bracket after them opens a part
    ['[dbo] . [tblDept]', { schema: 'dbo', name: 'tblDept' }],
    ['dbo . [Order.Items]', { schema: 'dbo', name: 'Order.Items' }],
    ['"dbo" .  "Employee"', { schema: 'dbo', name: 'Employee' }],
    ['dbo . Customers', { schema: 'dbo', name: 'Customers' }],
  ])('%s', (text, want) => expect(splitQualifiedName(text)).toEqual(want));
  it.each(['a.b.c', '[a', 'a.', '.b', '"a', '"a"b', '"a"."b"."c"', 'a. ', '[a] . [b] . [c]'])('rejects %s', (t) => expect(() => splitQualifiedName(t)).toThrow(RangeError));
});
