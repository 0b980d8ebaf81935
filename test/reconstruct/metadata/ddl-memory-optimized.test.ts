/**
 * A `CREATE TABLE … WITH (MEMORY_OPTIMIZED = ON)` table gets an unreadable layout naming why: its
 * rows are never data-page records or LOP_INSERT_ROWS/LOP_DELETE_ROWS row images (In-Memory OLTP
 * logs them as LOP_HK records, MS Learn "Introduction to Memory-Optimized Tables"), so the script's
 * column list gives no record layout of them. Before, the option was skipped and `rowback decode`
 * printed {"a":1,"b":2} for a SYNTHETIC FixedVar record under it, exit 0, no word.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { decodeErrorOf } from '../../support/decode-error.js';

const image = Buffer.from('10000c00' + '01000000' + '02000000' + '0200' + '00', 'hex');

describe('memory-optimized tables in a --ddl script (SYNTHETIC record)', () => {
  const [t, u, v] = layoutsFromDdl(
    'CREATE TABLE dbo.t (a int NOT NULL PRIMARY KEY NONCLUSTERED, b int)\n  WITH (MEMORY_OPTIMIZED = ON, DURABILITY = SCHEMA_AND_DATA);\n' +
      'CREATE TABLE dbo.u (a int, b int);\n' +
      'CREATE TABLE dbo.v (a int, b int) WITH (MEMORY_OPTIMIZED = OFF);',
  );

  it('MEMORY_OPTIMIZED = ON: refused with the reason, naming the line', () => {
    expect(t.unreadable).toMatch(/^line 2: it is a memory-optimized table \(MEMORY_OPTIMIZED = ON\).*LOP_HK/);
    const e = decodeErrorOf(() => decodeRow(image, t));
    expect(e.code).toBe('DECODE_NO_COLUMNS');
    expect(e.message).toMatch(/memory-optimized table/);
  });

  it('the other tables of the script, and MEMORY_OPTIMIZED = OFF, decode as before', () => {
    expect(u.unreadable).toBeUndefined();
    expect(v.unreadable).toBeUndefined();
    expect(decodeRow(image, u).values).toEqual({ a: 1, b: 2 });
    expect(decodeRow(image, v).values).toEqual({ a: 1, b: 2 });
  });
});
