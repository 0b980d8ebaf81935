/**
 * A table name as a user typed it (`--table`, a job's `tables` and `metadata.allocUnits` keys, a
 * re-insert's `tableMap` keys and targets) is repeated in the refusal of it one line long: a line
 * break (or another control character) in it is written `\u{…}` (util/echo.ts echoInput), as every
 * other echoed input is. splitNameParts' and splitQualifiedName's RangeErrors, which the CLI's and
 * the API's refusals quote whole (`--table '…': unterminated [ in '…'`), wrote the text raw, and the
 * refusals that wrote a name as one T-SQL name (tableNameText) quoted the same name raw beside it:
 * `metadata.allocUnits.a<LF>b: table dbo.[a\u{a}b] is not …`, one name escaped and split at once.
 * SYNTHETIC names and layouts.
 */
import { describe, expect, it } from 'vitest';
import { jobTableText, splitNameParts, splitQualifiedName } from '../../src/util/tsql.js';
import { TableNameIndex } from '../../src/reconstruct/metadata/names.js';
import { jobAllocUnitIds } from '../../src/worker/job-spec.js';
import { resolveTableMap } from '../../src/reinsert/plan.js';
import { sideTableParts } from '../../src/reinsert/service.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

/** The message `f` throws (fails the test when it throws nothing). */
const refusal = (f: () => unknown): string => {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('not refused');
};

/** A message a name with a line break (or U+2028, NEL) is quoted in: one line, the break as `\u{…}`. */
const oneLine = (message: string): void => {
  expect(message).not.toMatch(/[\n\r\u0085\u2028]/);
  expect(message).toMatch(/\\u\{(a|d|85|2028)\}/);
};

describe('a typed table name is quoted one line long in its refusal', () => {
  it('splitNameParts and splitQualifiedName: unterminated, unexpected, three parts', () => {
    expect(refusal(() => splitNameParts('[a\nrowback: note: x'))).toBe("unterminated [ in '[a\\u{a}rowback: note: x'");
    expect(refusal(() => splitNameParts('[a]\nb'))).toBe("unexpected '\\u{a}' in '[a]\\u{a}b'");
    expect(refusal(() => splitQualifiedName('x.y.z\u2028w'))).toBe("'x.y.z\\u{2028}w' is not a one- or two-part table name: a database part (or an index part, as fn_dblog's AllocUnitName schema.table.index has) is no part of a table's name here");
    oneLine(refusal(() => splitQualifiedName('a.\r.')));
  });

  it("jobTableText: the plain text of two of the job's tables", () => {
    // SYNTHETIC: dbo.[a<LF>.b] and [dbo.a<LF>].b, both the text dbo.a<LF>.b
    expect(refusal(() => jobTableText('dbo.a\n.b', ['[dbo].[a\n.b]', '[dbo.a\n].[b]']))).toBe("'dbo.a\\u{a}.b' is the schema.name text of [dbo].[a\\u{a}.b] and [dbo.a\\u{a}].[b]: give one of them in brackets");
  });

  it('TableNameIndex: plain text two tables share', () => {
    const message = refusal(() => new TableNameIndex(['[dbo].[a\n.b]', '[dbo.a\n].[b]']).find('dbo.a\n.b'));
    oneLine(message);
    expect(message).toBe('table dbo.a\\u{a}.b is the schema.name text of 2 tables, [dbo].[a\\u{a}.b] and [dbo.a\\u{a}].[b]: give the one meant in brackets ([dbo].[a\\u{a}.b] or [dbo.a\\u{a}].[b])');
  });

  it("a job's metadata.allocUnits keys: the field the refusal starts with, and a key that does not parse", () => {
    const l = (name: string): TableLayout => ({ schema: 'dbo', name, indexId: 1, compression: 'NONE', columns: [] });
    const layouts = [l('T'), l('U')];
    const unknown = refusal(() => jobAllocUnitIds({ allocUnits: { 'a\nb': '7' } } as never, layouts));
    expect(unknown).toBe("metadata.allocUnits.a\\u{a}b: table dbo.[a\\u{a}b] is not in the job's metadata; its tables: dbo.T, dbo.U");
    oneLine(refusal(() => jobAllocUnitIds({ allocUnits: { '[a\nb': '7' } } as never, layouts)));
    oneLine(refusal(() => jobAllocUnitIds({ allocUnits: { 'dbo.T\u0085': '7', 'dbo.[T]': '7' } } as never, layouts)));
    oneLine(refusal(() => jobAllocUnitIds({ allocUnits: { 'dbo.T': '7', 'dbo.U\u2028': '7' } } as never, layouts)));
  });

  it('a tableMap key or target', () => {
    const job = ['crm.Lines', 'crm.lines'];
    oneLine(refusal(() => resolveTableMap({ '[crm\n': 'side.X' }, job)));
    oneLine(refusal(() => resolveTableMap({ 'crm.Lines': '[side\n' }, job)));
    oneLine(refusal(() => resolveTableMap({ 'crm.Nothing\n': 'side.X' }, job)));
    expect(refusal(() => resolveTableMap({ 'crm.Nothing': 'side.X\n' }, job))).toBe("tableMap key 'crm.Nothing' names no table of the job (its tables: crm.Lines, crm.lines): its rows would go back to their own table, not to side.X\\u{a}");
    oneLine(refusal(() => resolveTableMap({ 'CRM.LINES\r': 'side.X' }, job)));
    oneLine(refusal(() => resolveTableMap({ 'crm.Lines': 'side.X', '[crm].[Lines]\n': 'side.Y' }, job)));
    oneLine(refusal(() => sideTableParts({ 'crm.Lines': '[side\n' })));
  });
});
