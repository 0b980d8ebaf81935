/**
 * Sparse values are matched to columns by sys.columns.column_id alone (the vector names ids, not
 * positions), so a layout whose ids are not the table's put them in the wrong columns with no word:
 * a CREATE TABLE script numbers its columns 1, 2, … in its order, while a table that had a column
 * dropped before it was scripted keeps the gap (breaker: table ID 1, X 2 dropped, A 3 and B 4 sparse,
 * scripted as ID, A, B; a row with A = 7, B = 1234 printed A NULL, B 7, no warning, exit 0).
 *
 * SYNTHETIC row images, built here byte by byte in SQL Server's FixedVar format: status 0x30, the
 * fixed part (ID), column count 1, the null bitmap, one variable column with the complex bit holding
 * the sparse vector (complex id 5, count, column ids, end offsets, values: improve.dk "Sparse column
 * storage – the sparse vector", text-examples/improvedk-sparse-vector.json).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { driftKind } from '../../../src/reconstruct/record/layout-warnings.js';
import { parseSparseVector } from '../../../src/reconstruct/record/sparse.js';

function u16(n: number): number[] {
  return [n & 0xff, n >> 8];
}
function i32(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
}

/** The sparse vector of int values by column id, in the order given. */
function vector(values: Array<[number, number]>): number[] {
  const head = 4 + 4 * values.length;
  const ends = values.map((_, i) => head + 4 * (i + 1));
  return [...u16(5), ...u16(values.length), ...values.flatMap(([id]) => u16(id)), ...ends.flatMap(u16), ...values.flatMap(([, v]) => i32(v))];
}

/** A record of ID (int, not sparse) and a sparse vector. */
function record(id: number, vec: number[]): Uint8Array {
  const head = [0x30, 0x00, ...u16(8), ...i32(id), ...u16(1), 0x00, ...u16(1)];
  const end = head.length + 2 + vec.length;
  return Uint8Array.from([...head, ...u16(end | 0x8000), ...vec]);
}

const layout = (sql: string) => layoutsFromDdl(sql)[0]!;
// A = 7 (column id 3), B = 1234 (column id 4): the row as SQL Server wrote it, X (id 2) dropped before.
const row = record(1, vector([[3, 7], [4, 1234]]));

describe('sparse vector column ids against the layout', () => {
  it('a script that gives the real ids (CREATE with X, then DROP COLUMN X) reads A 7, B 1234 with no warning', () => {
    const r = decodeRow(row, layout('CREATE TABLE dbo.S (ID int NOT NULL, X int NULL, A int SPARSE NULL, B int SPARSE NULL)\nGO\nALTER TABLE dbo.S DROP COLUMN X\nGO\n'));
    expect(r.values).toEqual({ ID: 1, A: 7, B: 1234 });
    expect(r.warnings).toEqual([]);
  });

  it('a script numbering its columns anew (ID, A, B: ids 1, 2, 3) says the id it has no column for, and the warning counts against the layout', () => {
    const r = decodeRow(row, layout('CREATE TABLE dbo.S (ID int NOT NULL, A int SPARSE NULL, B int SPARSE NULL)'));
    // B 7 is A's value: the row is never printed as it stands without a warning that counts against its layout
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^the sparse vector holds a value for column id 4, which no sparse column of the layout has \(its sparse columns: A id 2, B id 3\)/);
    expect(driftKind(r.warnings)).toBe(2);
  });

  it('an id of a column the layout has as not sparse is refused naming it (DECODE_SCHEMA_MISMATCH)', () => {
    let err: unknown;
    try {
      decodeRow(row, layout('CREATE TABLE dbo.S (ID int NOT NULL, A int SPARSE NULL, C int NULL, B int SPARSE NULL)'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).code).toBe('DECODE_SCHEMA_MISMATCH');
    expect((err as DecodeError).message).toMatch(/column id 3, which is C, not a sparse column/);
  });

  it('a dropped sparse column the layout knows (DROP COLUMN Z) is passed over as SQL Server does: no warning', () => {
    const r = decodeRow(record(1, vector([[2, 5], [3, 7], [4, 1234]])), layout('CREATE TABLE dbo.S (ID int NOT NULL, Z int SPARSE NULL, A int SPARSE NULL, B int SPARSE NULL)\nGO\nALTER TABLE dbo.S DROP COLUMN Z\nGO\n'));
    expect(r.values).toEqual({ ID: 1, A: 7, B: 1234 });
    expect(r.warnings).toEqual([]);
  });

  it('a vector naming one column id twice is damaged: the second value would replace the first', () => {
    const v = Uint8Array.from(vector([[3, 7], [3, 1234]]));
    expect(() => parseSparseVector(v, 0, v.length)).toThrowError(/names column id 3 twice/);
  });
});

describe('the note a script of sparse columns gets (assumedSparseIdsNote)', () => {
  it('said for a table with sparse columns and no dropped column in the script; not when the script holds the DROP', async () => {
    const { assumedSparseIdsNote } = await import('../../../src/reconstruct/metadata/ddl.js');
    const note = assumedSparseIdsNote([layout('CREATE TABLE dbo.S (ID int NOT NULL, A int SPARSE NULL, B int SPARSE NULL)')], '--schema');
    expect(note).toMatch(/^sparse columns are found in each row by column_id, taken from the script's order: dbo\.S \(A = 2, B = 3\); if a column of the table was ever dropped .* give exact ids with --schema$/);
    expect(assumedSparseIdsNote([layout('CREATE TABLE dbo.S (ID int NOT NULL, X int NULL, A int SPARSE NULL, B int SPARSE NULL)\nGO\nALTER TABLE dbo.S DROP COLUMN X\nGO\n')], '--schema')).toBeUndefined();
    expect(assumedSparseIdsNote([layout('CREATE TABLE dbo.T (ID int NOT NULL, A int NULL)')], '--schema')).toBeUndefined();
  });
  it('rowback decode --ddl says it on stderr (the row alone cannot show a shifted id)', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { runDecode } = await import('../../../src/cli/commands/decode.js');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-sparse-note-'));
    try {
      const f = join(dir, 's.sql');
      writeFileSync(f, 'CREATE TABLE dbo.S (ID int NOT NULL, A int SPARSE NULL, B int SPARSE NULL)');
      // A = 7 as SQL Server wrote it with id 3 (X dropped): the script's id 3 is B
      const r = await runDecode({ ddl: f, hex: Buffer.from(record(1, vector([[3, 7]]))).toString('hex') } as never);
      expect(JSON.parse(r.text).values).toEqual({ ID: 1, A: null, B: 7 });
      expect(r.notes[0]).toMatch(/^rowback decode: note: --ddl: sparse columns are found in each row by column_id, taken from the script's order: dbo\.S \(A = 2, B = 3\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
