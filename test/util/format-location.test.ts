import { expect, it } from 'vitest';
import { DecodeError, formatLocation } from '../../src/errors.js';
import { PageReader } from '../../src/datafile/page-reader.js';
import type { PageSource } from '../../src/datafile/page-source.js';

// location → expected, as the one-line errors print it
it.each([
  [{ file: '/x/db.mdf', page: '1:9' }, 'file /x/db.mdf, page 1:9'],
  [{ file: '/x/backup of monday.bak' }, 'file /x/backup of monday.bak'],
  [{ lsn: '00000019:0000003e:0001', column: 'Name' }, 'LSN 00000019:0000003e:0001, column Name'],
])('%j → %s', (loc, want) => {
  expect(formatLocation(loc)).toBe(want);
});

// A page source's description says what the file is ("data file X"); a skipped page's location
// holds the path alone, so the line reads "(file X, page P)", never "(file data file X, …)".
it.each([
  ['data file /x/db.mdf', 'file /x/db.mdf, page 1:9'],
  ['backup /x/a.bak', 'file /x/a.bak, page 1:9'],
  ['compressed backup /x/c.bak', 'file /x/c.bak, page 1:9'],
])('a page missing from %s is located as %s', (description, want) => {
  const source: PageSource = { description, readPage: () => undefined, fileIds: () => [1], close: () => {} };
  const reader = new PageReader(source);
  expect(reader.get({ fileId: 1, pageId: 9 })).toBeUndefined();
  expect(reader.skipped).toHaveLength(1);
  expect(formatLocation(reader.skipped[0]!.location)).toBe(want);
  expect(reader.skipped[0]!.reason).toContain(`${description} does not hold page 1:9`);
});

// A table's and a column's name as one name each (locationPartText: nameText, identifierText),
// whatever form location.table holds: a staged `schema.name` or `[schema].[name]`, T-SQL's
// `[dbo].[T]`, tableText's display form (not bracketed twice), a name as typed. Names: SYNTHETIC but
// for NORTHWND's dbo.Order Details (corpus SessionShoppingCart; test/cli/location-names).
it.each([
  [{ table: 'dbo.Order Details', column: 'Unit Price' }, 'table dbo.[Order Details], column [Unit Price]'],
  [{ table: 'dbo.[Order Details]' }, 'table dbo.[Order Details]'],
  [{ table: '[dbo].[Order Details]' }, 'table dbo.[Order Details]'],
  [{ table: '[dbo].[Order.Items]' }, 'table dbo.[Order.Items]'],
  [{ table: '[dbo.Order].[Items]' }, 'table [dbo.Order].Items'],
  [{ table: 'dbo.[a,b]', column: 'x]y' }, 'table dbo.[a,b], column [x]]y]'],
  [{ table: 'dbo.Orders', column: 'Order' }, 'table dbo.Orders, column [Order]'],
  [{ table: 'Orders', column: 'a, column b' }, 'table Orders, column [a, column b]'],
  [{ table: 'CRM..Customer' }, 'table CRM..Customer'],
  [{ table: 'sys.sysschobjs', page: '1:50' }, 'table sys.sysschobjs, page 1:50'],
  [{ table: '[dbo', column: 'a\nb' }, 'table [[dbo], column [a\\u{a}b]'],
  [{ lsn: '00000019:0000003e:0001', column: 'RowLog Contents 0' }, 'LSN 00000019:0000003e:0001, column [RowLog Contents 0]'],
])('%j → %s (one name each)', (loc, want) => {
  expect(formatLocation(loc)).toBe(want);
});

it('describe() brackets the names; the location (toJSON, a report\'s failed, the API\'s location) keeps them raw', () => {
  const e = new DecodeError('DECODE_SCHEMA_MISMATCH', 'x', { table: 'dbo.Order Details', offset: 12, column: 'Unit Price' });
  expect(e.describe()).toBe('DECODE_SCHEMA_MISMATCH: x (table dbo.[Order Details], offset 12, column [Unit Price])');
  expect(e.toJSON().location).toEqual({ table: 'dbo.Order Details', offset: 12, column: 'Unit Price' });
});
