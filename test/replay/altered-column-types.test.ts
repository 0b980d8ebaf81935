/**
 * `diff` of a table whose column was altered between the two states to a type that prints its
 * values in another form (ALTER COLUMN Id bigint, the usual cure for an IDENTITY running out; a
 * datetime made datetime2; a char made varchar): the names match, so the column-list check passed,
 * and int 5 never matched bigint "5": by the clustered key every earlier row was "missing from the
 * later state" and all later rows "added", staged for re-insert as if deleted (breaker). Refused now
 * before rows are compared (SCHEMA_TABLE_CHANGED naming the columns). SYNTHETIC layouts (the corpus
 * holds no table altered between two of its files).
 */
import { describe, expect, it } from 'vitest';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { diffTableStates, refuseAlteredColumns, type TableState } from '../../src/replay/table-diff.js';

const layout = (sql: string) => layoutsFromDdl(sql)[0]!;

describe('two states of a table altered in between', () => {
  it('the two states as read: every row "missing" by the key (what was staged), so the layouts are compared first', () => {
    const before: TableState = { table: 'dbo.T', columns: ['Id', 'Name'], rows: [{ values: { Id: 5, Name: 'a' } }, { values: { Id: 6, Name: 'b' } }] };
    const after: TableState = { table: 'dbo.T', columns: ['Id', 'Name'], rows: [{ values: { Id: '5', Name: 'a' } }, { values: { Id: '6', Name: 'b' } }] };
    expect(diffTableStates(before, after, ['Id']).missing).toHaveLength(2);
  });

  it.each([
    ['int → bigint key', 'Id int NOT NULL PRIMARY KEY, Name varchar(10)', 'Id bigint NOT NULL PRIMARY KEY, Name varchar(10)', 'Id int → bigint'],
    ['datetime → datetime2', 'Id int, At datetime', 'Id int, At datetime2(7)', 'At datetime → datetime2(scale 7)'],
    ['decimal scale', 'Id int, Price decimal(10,2)', 'Id int, Price decimal(12,4)', 'Price decimal(scale 2) → decimal(scale 4)'],
    ['char → varchar', 'Id int, Code char(10)', 'Id int, Code varchar(10)', 'Code char(10) → varchar'],
    ['char length', 'Id int, Code char(10)', 'Id int, Code char(12)', 'Code char(10) → char(12)'],
  ])('%s: refused, naming the column', (_n, a, b, said) => {
    expect(() => refuseAlteredColumns(layout(`CREATE TABLE dbo.T (${a})`), layout(`CREATE TABLE dbo.T (${b})`), 'dbo.T')).toThrow(expect.objectContaining({ code: 'SCHEMA_TABLE_CHANGED', message: expect.stringContaining(said) }));
  });

  it.each([
    ['varchar widened', 'Id int, Name varchar(10)', 'Id int, Name varchar(100)'],
    ['decimal precision only', 'Id int, Price decimal(10,2)', 'Id int, Price decimal(18,2)'],
    ['NULL made NOT NULL', 'Id int NULL, Name nvarchar(10)', 'Id int NOT NULL, Name nvarchar(10)'],
    ['a column added (left to the column-list check)', 'Id int', 'Id int, Extra int'],
  ])('%s: compared as before', (_n, a, b) => {
    expect(() => refuseAlteredColumns(layout(`CREATE TABLE dbo.T (${a})`), layout(`CREATE TABLE dbo.T (${b})`), 'dbo.T')).not.toThrow();
  });
});
