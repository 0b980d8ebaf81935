/**
 * A record with more variable-length entries than the layout has variable-length columns: the
 * entries past the layout's belong to no column of it. The column count (fixed and variable columns
 * alike) and the fixed part can still agree, so no other check saw it: a CREATE TABLE script
 * declaring `Id smallint, Code smallint, DeptName varchar(50)` for AngularJs_CRUD's dbo.tblDept
 * (`Id int, DeptName varchar, DeptDesc varchar`) printed its 13 deleted rows as {Id, Code: 0,
 * DeptName}, DeptDesc's bytes dropped unsaid, exit 0.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { driftKind, hasDriftWarning } from '../../src/reconstruct/record/layout-warnings.js';

// SYNTHETIC FixedVar record written from the format (FORMAT-NOTES §1): status 0x30, fixed part ends
// at 8 (int 6), 3 columns, null bitmap 0x00, 2 variable entries ending at 19 ('CS') and 35
// ('Computer Science'): the shape of a dbo.tblDept row.
const IMAGE = Uint8Array.from(Buffer.from('30000800060000000300000200130023004353' + Buffer.from('Computer Science', 'latin1').toString('hex'), 'hex'));
const beyond = (ws: string[]) => ws.filter((w) => w.startsWith('the record holds 2 variable-length column entries, '));

describe('variable-length entries past the layout', () => {
  it("the table's own layout reads the row with no warning", () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.tblDept (Id int NOT NULL, DeptName varchar(150), DeptDesc varchar(500))');
    const row = decodeRow(IMAGE, t!);
    expect(row.values).toEqual({ Id: 6, DeptName: 'CS', DeptDesc: 'Computer Science' });
    expect(row.warnings).toEqual([]);
  });

  it('a layout of one variable column where the record has two: a warning that counts against the layout (it read {Id: 6, Code: 0, DeptName: CS} silently)', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.tblDept (Id smallint NOT NULL, Code smallint NOT NULL, DeptName varchar(150))');
    const row = decodeRow(IMAGE, t!);
    const [w] = beyond(row.warnings);
    expect(w).toContain('1 of which no column of the layout in this record owns (the layout has 1 variable-length column): entry 2 (16 byte(s), starting 0x436F6D707574657220536369656E6365)');
    expect(hasDriftWarning(row.warnings)).toBe(true);
    expect(driftKind(row.warnings)).toBe(2);
  });

  it('a layout with no variable column at all: both entries named', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.X (A tinyint NOT NULL, B tinyint NOT NULL, C smallint NULL)');
    const row = decodeRow(IMAGE, t!);
    expect(beyond(row.warnings)).toEqual([expect.stringContaining('2 of which no column of the layout in this record owns (the layout has 0 variable-length columns): entries 1, 2 (18 byte(s), starting 0x4353)')]);
  });

  it('a fourth column owning the second entry, past the record\'s 3 columns: not "row predates the column" alone (--accept-layout-drift printed DeptDesc NULL)', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.tblDept (Id smallint NOT NULL, Code smallint NULL, DeptName varchar(150), DeptDesc varchar(500))');
    const row = decodeRow(IMAGE, t!);
    expect(beyond(row.warnings)).toEqual([expect.stringContaining("entry 2 (DeptDesc's slot, null bit 3: past the record's column count 3) (16 byte(s)")]);
    expect(driftKind(row.warnings)).toBe(2);
  });

  it('a row that predates a variable-length column added later (no entry for its slot): only the predates warning', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.tblDept (Id int NOT NULL, DeptName varchar(150), DeptDesc varchar(500), Added varchar(10) NULL)');
    const row = decodeRow(IMAGE, t!);
    expect(row.values).toEqual({ Id: 6, DeptName: 'CS', DeptDesc: 'Computer Science', Added: null });
    expect(beyond(row.warnings)).toEqual([]);
    expect(driftKind(row.warnings)).toBe(1);
  });

  it('one warning, the column-count one, when the record also holds more columns than the layout', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.X (Id int NOT NULL, A varchar(10))');
    const row = decodeRow(IMAGE, t!);
    expect(beyond(row.warnings)).toEqual([]);
    expect(row.warnings).toEqual([expect.stringContaining('record holds 3 columns but the layout knows 2')]);
  });
});

describe('a fixed slot inside the record of a column past its column count', () => {
  // SYNTHETIC: the same shape with Id 65542 (0x00010006), as an int.
  const BIG = Uint8Array.from(Buffer.from('30000800060001000300000200130023004353' + Buffer.from('Computer Science', 'latin1').toString('hex'), 'hex'));
  const later = (ws: string[]) => ws.filter((w) => w.startsWith("the record's fixed part (ends at offset 8) holds the slot of column"));

  it('smallint Id and a smallint Code added "later" in the int\'s upper half: named, counted against the layout (it read Id 6 with only "row predates the column")', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.tblDept (Id smallint NOT NULL, DeptName varchar(150), DeptDesc varchar(500), Code smallint NULL)');
    const row = decodeRow(BIG, t!);
    expect(row.values.Id).toBe(6);
    expect(later(row.warnings)).toEqual([expect.stringContaining('Code (leaf offset 6, 2 bytes, null bit 3), past the record\'s column count 3')]);
    expect(driftKind(row.warnings)).toBe(2);
  });

  it('the right layout with a column added after the row: only the predates warning', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.tblDept (Id int NOT NULL, DeptName varchar(150), DeptDesc varchar(500))\nALTER TABLE dbo.tblDept ADD Code smallint NULL');
    const row = decodeRow(BIG, t!);
    expect(row.values).toEqual({ Id: 65542, DeptName: 'CS', DeptDesc: 'Computer Science', Code: null });
    expect(later(row.warnings)).toEqual([]);
    expect(driftKind(row.warnings)).toBe(1);
  });
});

