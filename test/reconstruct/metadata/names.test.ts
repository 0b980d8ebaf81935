import { describe, expect, it } from 'vitest';
import { findTableName, NameIndex } from '../../../src/reconstruct/metadata/names.js';
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
