import { describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';

/**
 * --ddl places a bit column added by ALTER TABLE … ADD in a live bit byte with room (ddl.ts placeNew),
 * a reading no real bytes confirm; the rows read through it said nothing of it. Now every row says so
 * (the layout's warnings), and a bit that opens a byte of its own, or one declared in CREATE TABLE, says nothing.
 */
describe('an added bit column joining an existing bit byte is said on every row', () => {
  it('joins: warned', () => {
    const t = layoutsFromDdl('create table t (id int not null primary key, a bit not null);\ngo\nalter table t add b bit null;\ngo\n')[0]!;
    const b = t.columns.find((c) => c.name === 'b')!;
    expect([b.leafOffset, b.leafBitPosition]).toEqual([8, 1]);
    expect(t.warnings?.some((w) => w.includes('bit column b, added by ALTER TABLE … ADD, is read from bit 1 of the bit byte at offset 8') && w.includes('not verified on real bytes'))).toBe(true);
  });

  it('a byte of its own, or declared in CREATE TABLE: no warning', () => {
    const own = layoutsFromDdl('create table t (id int not null primary key);\ngo\nalter table t add b bit null;\ngo\n')[0]!;
    expect(own.warnings ?? []).toEqual([]);
    const created = layoutsFromDdl('create table t (id int not null primary key, a bit not null, b bit null);')[0]!;
    expect(created.warnings ?? []).toEqual([]);
  });
});
