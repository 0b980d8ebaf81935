import { expect, it } from 'vitest';
import { collationNameForId } from '../../src/reconstruct/collation-ids.js';
import { decodeSqlVariant } from '../../src/reconstruct/types/variant.js';

/**
 * A collation id with a bit set that no id of the list (collation-ids.ts, SQL Server 2017's 3,927
 * collations) holds: bits 20-23 of a Windows collation's id. collationNameForId ignored them and
 * named the collation without them, so a value's text was read in that collation's code page with
 * no warning (a sql_variant's char/varchar value is read in its own collation's code page, and
 * re-inserted as `CONVERT(varchar(n), @p COLLATE <name>)`). Unknown now: read in the column's code
 * page, warned, and refused for re-insert when not ASCII.
 *
 * SYNTHETIC ids and bytes: 0x0010d008 is Latin1_General_CI_AS's id (53256) with bit 20 set, not an id
 * read from a real file (what SQL Server 2019's _UTF8 collations use is not established here); the
 * variant is the property layout of types/variant.ts with that id and the UTF-8 bytes of 'é'.
 */
it('an id with bits 20-23 set is not named as the collation without them', () => {
  expect(collationNameForId(53256)).toBe('Latin1_General_CI_AS');
  for (const bit of [0x100000, 0x200000, 0x400000, 0x800000]) expect(collationNameForId(53256 | bit), bit.toString(16)).toBeNull();
  // the SQL collations keep their whole ids
  expect(collationNameForId(872468488)).toBe('SQL_Latin1_General_CP1_CI_AS');
});

it('a sql_variant varchar with such an id carries no collation (the text is then warned and not re-inserted as that collation)', () => {
  const id = 53256 | 0x100000;
  const b = new Uint8Array([0xa7, 0x01, 0x0a, 0x00, id & 0xff, (id >>> 8) & 0xff, (id >>> 16) & 0xff, id >>> 24, 0xc3, 0xa9]);
  const v = decodeSqlVariant(b, 0, b.length);
  expect(v).not.toBeNull();
  expect(v!.collation).toBeUndefined();
  expect(v!.maxLength).toBe(10);
});
