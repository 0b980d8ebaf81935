/**
 * A complex column (end offset with bit 0x8000) of 16 bytes is a text pointer, which only text,
 * ntext and image columns hold; in a varchar(n) it means a damaged end offset or complex bit, and
 * was decoded as an off-row text pointer with no word (a breaker flipped 0x8000 on a real
 * dbo.tblDept image's end offset). SYNTHETIC images, built by hand below; each byte commented.
 */
import { expect, it } from 'vitest';
import { decodeErrorOf } from '../support/decode-error.js';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';

// status 0x30 (null bitmap, variable columns), fixed end 8, Id = 2, column count 2, null bitmap 0,
// one variable column ending at 15 + 16 = 31 (0x801f: bit 0x8000 set), then 16 bytes.
const image = (): Uint8Array => new Uint8Array([
  0x30, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x1f, 0x80,
  0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x2a, 0x01, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00,
]);

it('varchar(500): refused as DECODE_BAD_RECORD naming the column, on first decode and once the generated reader of the layout is built', () => {
  const [T] = layoutsFromDdl('CREATE TABLE dbo.T (Id INT NOT NULL, A VARCHAR(500) NULL)');
  for (let i = 0; i < 2; i++) {
    const err = decodeErrorOf(() => decodeRow(image(), T!));
    expect(err.code).toBe('DECODE_BAD_RECORD');
    expect(err.message).toContain('a text pointer, which only a text, ntext, image or (max) column holds (A is none of them)');
  }
});

it('text: the same bytes are its text pointer (page 1:298, slot 3)', () => {
  const [T] = layoutsFromDdl('CREATE TABLE dbo.T (Id INT NOT NULL, A TEXT NULL)');
  const row = decodeRow(image(), T);
  expect(row.values.Id).toBe(2);
  expect(row.values.A).toMatchObject({ offRow: { kind: 'text-pointer', slot: 3 } });
});

// Not only the limited string types: any column whose length is not (max) and that is not text,
// ntext or image (it was lenient: every other type name passed, hierarchyid and sysname included).
it.each([
  ['HIERARCHYID', 'hierarchyid', 892],
  ['SYSNAME', 'sysname', 256],
])('%s: refused as DECODE_BAD_RECORD', (ddlType, type, maxLength) => {
  const [T] = layoutsFromDdl(`CREATE TABLE dbo.T (Id INT NOT NULL, A ${ddlType} NULL)`);
  // A catalog may name sysname as its own type (types/index.ts decodes it): keep that spelling.
  const layout = { ...T!, columns: T!.columns.map((c) => (c.name === 'A' ? { ...c, type: type as typeof c.type, maxLength } : c)) };
  const err = decodeErrorOf(() => decodeRow(image(), layout));
  expect(err.code).toBe('DECODE_BAD_RECORD');
  expect(err.message).toContain('(A is none of them)');
});

it('xml and geography ((max) types): the 16 bytes are a text pointer', () => {
  for (const t of ['XML', 'GEOGRAPHY']) {
    const [T] = layoutsFromDdl(`CREATE TABLE dbo.T (Id INT NOT NULL, A ${t} NULL)`);
    expect(decodeRow(image(), T!).values.A).toMatchObject({ offRow: { kind: 'text-pointer', slot: 3 } });
  }
});
