import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { parseSparseVector } from '../../src/reconstruct/record/sparse.js';
import { decodeValue } from '../../src/reconstruct/types/index.js';
import type { SqlValue } from '../../src/reconstruct/values.js';
import { parseHex } from '../../src/util/hex.js';
import { describeCorpus, listCorpus, readCorpusJson } from '../support/corpus.js';

/**
 * The proof table: every real row image in ../shared/corpus/text-examples decodes to the values its
 * file gives, through DDL written from the example's `ddl` description → layoutsFromDdl → decodeRow.
 * Expected values are the example's values in rowback's output form (README "Types and their
 * output form"): bit → boolean, bigint → string, datetime → `YYYY-MM-DDTHH:MM:SS.fff`, money and
 * smallmoney with 4 decimals, datetime2(n) with n digits, binary/CLR → `0x…`, off-row values →
 * offRow markers whose page/slot are read from the 16-byte text pointer the notes describe.
 */

interface Example {
  id: string;
  ddl: string;
  hex: string | string[] | null;
  values: unknown;
  vectors?: unknown;
  notes?: string;
}

type Expect = Record<string, SqlValue | ((v: SqlValue) => void)>;

const textPointer = (page: string, slot: number) => (v: SqlValue): void => {
  expect(v).toMatchObject({ offRow: { page, slot, kind: 'text-pointer' } });
};

/** Row examples: our DDL for the description, the table, and the expected values per row image. */
const ROWS: Record<string, { ddl: string; table?: string; expect: Expect[] }> = {
  'improvedk-deciphering-heap-int': {
    ddl: 'CREATE TABLE tmp (ID int identity(1,1))',
    expect: [{ ID: 1 }, { ID: 2 }],
  },
  'lc-char-nchar': {
    ddl: 'CREATE TABLE dbo.T2 (Id INT, C CHAR(5), NC NCHAR(5))',
    expect: [{ Id: 1, C: 'ab   ', NC: 'xy   ' }],
  },
  'lc-datetime2-scale0-7': {
    ddl: 'CREATE TABLE dbo.Dt2ScaleTest (Id INT, D0 DATETIME2(0), D7 DATETIME2(7), D7default DATETIME2)',
    expect: [{ Id: 1, D0: '2026-09-30T12:34:56', D7: '2026-09-30T12:34:56.1234567', D7default: '2026-09-30T12:34:56.1234567' }],
  },
  'lc-decimal-38-10-positive': {
    ddl: 'CREATE TABLE dbo.DecPrecisionProbe (Id INT, Val DECIMAL(38,10))',
    expect: [{ Id: 2, Val: '999999999999999999999999999.9999999999' }],
  },
  'lc-decimal-negative': {
    ddl: 'CREATE TABLE dbo.DecimalTest (Id INT, Small DECIMAL(5,2), Big DECIMAL(18,4))',
    expect: [{ Id: 2, Small: '-123.45', Big: '-123456789012.3456' }],
  },
  'lc-decimal-positive': {
    ddl: 'CREATE TABLE dbo.DecimalTest (Id INT, Small DECIMAL(5,2), Big DECIMAL(18,4))',
    expect: [{ Id: 1, Small: '123.45', Big: '123456789012.3456' }],
  },
  'lc-fixed-types': {
    ddl: `CREATE TABLE dbo.NewTypesTest (Id INT, TinyIntCol TINYINT, SmallIntCol SMALLINT, BitCol1 BIT, BitCol2 BIT,
      GuidCol UNIQUEIDENTIFIER, MoneyCol MONEY, SmallMoneyCol SMALLMONEY, DateTimeCol DATETIME,
      SmallDateTimeCol SMALLDATETIME, FloatCol FLOAT, RealCol REAL)`,
    expect: [{
      Id: 1, TinyIntCol: 200, SmallIntCol: -12345, BitCol1: true, BitCol2: false,
      GuidCol: '12345678-1234-5678-9ABC-123456789ABC', MoneyCol: '123456.7890', SmallMoneyCol: '-321.1200',
      DateTimeCol: '2026-05-17T13:45:30.123', SmallDateTimeCol: '2026-05-17T13:45:00', FloatCol: 3.14159265358979,
      // real is a float32: the example's 2.71828 is the value SQL Server prints; compare in float32.
      RealCol: (v) => expect(Math.fround(v as number)).toBe(Math.fround(2.71828)),
    }],
  },
  'lc-geography': {
    ddl: 'CREATE TABLE dbo.CrossCheck_Geo (Id INT, Loc GEOGRAPHY)',
    // the example states geography::Point(25.03, 121.56, 4326) = 0xE610…; rowback prints the bytes.
    expect: [{ Id: 1, Loc: '0xE6100000010C48E17A14AE073940A4703D0AD7635E40' }],
  },
  'lc-jobrun-bigint-null-datetime2': {
    ddl: `CREATE TABLE [LOG].[JobRun] (JobID BIGINT NOT NULL, JobName VARCHAR(100) NOT NULL, StartTime DATETIME2(7) NOT NULL,
      EndTime DATETIME2(7) NULL, Status VARCHAR(20) NOT NULL, CreateDate DATETIME2(7) NOT NULL)`,
    expect: [{
      JobID: '1', JobName: '1', StartTime: '2026-09-09T00:00:00.0000000', EndTime: null, Status: 'RUNNING',
      CreateDate: '2026-09-30T20:19:45.3810173',
    }],
  },
  'lc-lob-offrow-not-last': {
    ddl: 'CREATE TABLE dbo.LobNotLastTest (Id INT, Note NVARCHAR(MAX), Tag NVARCHAR(20))',
    // 16-byte pointer at row bytes 17..32: page 0x298, file 1, slot 0.
    expect: [{ Id: 1, Note: textPointer('1:664', 0), Tag: 'tag-value' }],
  },
  'lc-lob-offrow-textpointer': {
    ddl: "CREATE TABLE dbo.LobOffRowTest (Id INT, Note NVARCHAR(MAX)); EXEC sp_tableoption 'dbo.LobOffRowTest', 'large value types out of row', 1",
    // notes: page 0x288, file 1, slot 0.
    expect: [{ Id: 1, Note: textPointer('1:648', 0) }],
  },
  'lc-lob-two-offrow': {
    ddl: 'CREATE TABLE dbo.LobTwoOffRowTest (Id INT, NoteA NVARCHAR(MAX), NoteB NVARCHAR(MAX))',
    // pointers: page 0x2A8 file 1 slot 0, then page 0x2A8 file 1 slot 1.
    expect: [{ Id: 1, NoteA: textPointer('1:680', 0), NoteB: textPointer('1:680', 1) }],
  },
  'lc-logtest-datetime2-3-varchar': {
    ddl: 'CREATE TABLE dbo.LogTest (Id INT, CreatedAt DATETIME2(3), Amount INT, Note VARCHAR(200), Sentinel VARCHAR(100))',
    expect: [{
      Id: 1,
      // "exact value not captured": only the year 2026 is known; datetime2(3) prints 3 digits.
      CreatedAt: (v) => expect(v).toMatch(/^2026-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/),
      Amount: 1001, Note: 'note-1', Sentinel: 'LPT-baa1ca93794943ecab68ab77d8dced63',
    }],
  },
  'lc-nonunique-clustered-uniquifier-slot': {
    ddl: `CREATE TABLE dbo.Simple2 (
        Id INT NOT NULL CONSTRAINT PK_Simple2 PRIMARY KEY NONCLUSTERED,
        ColA NVARCHAR(20) NOT NULL,
        Sortable DATETIME2 NULL,
        ColB NVARCHAR(20) NULL)
      GO
      CREATE CLUSTERED INDEX CX_Simple2_Sortable ON dbo.Simple2 (Sortable)`,
    expect: [{ Id: 1, ColA: 'XYZ', Sortable: '2026-01-01T00:00:00.0000000', ColB: null }],
  },
  'lc-nvarchar': {
    ddl: 'CREATE TABLE dbo.T (Id INT, Name NVARCHAR(50))',
    expect: [{ Id: 1, Name: 'hi' }],
  },
  'lc-trailnull-omitted': {
    ddl: 'CREATE TABLE dbo.LogTestTrailNull (Id INT, ColA VARCHAR(50) NOT NULL, ColB VARCHAR(50) NULL)',
    expect: [{ Id: 2, ColA: 'trailing-null', ColB: null }],
  },
  'lc-varbinary-max': {
    ddl: 'CREATE TABLE dbo.CrossCheck_Blob2 (Id INT IDENTITY, Blob VARBINARY(MAX))',
    expect: [{ Id: 1, Blob: '0x0102030405FF' }],
  },
  'sqlmaestros-modify-row-contents1': {
    ddl: 'create table sqlservergeeks (id int, firstname char(6), lastname varchar(6))',
    expect: [{ id: 1, firstname: 'amit  ', lastname: 'bansal' }],
  },
};

/** Examples that are not row images with table-level values, and what covers them instead. */
const NOT_ROWS: Record<string, string> = {
  'improvedk-sparse-vector': 'only the 20-byte sparse vector was printed; tested below against the DDL layout',
  'orcamdf-column-value-vectors': 'type-level value vectors without a row; covered by the decoder type tests',
  'orcamdf-rowcompressed-datetime': 'CD-record vectors; tested below through DDL WITH (DATA_COMPRESSION = ROW)',
  'orcamdf-rowcompressed-integers': 'CD-record vectors; tested below through DDL WITH (DATA_COMPRESSION = ROW)',
};

/** `Slot 0: 0000000000000000:   10000800 …` (DBCC PAGE memory dump) → the hex groups after the address. */
function rowHex(line: string): string {
  const m = /^Slot \d+:\s*[0-9A-Fa-f]{16}:\s*(.*)$/.exec(line.trim());
  return m ? m[1]! : line;
}

function only(layouts: TableLayout[]): TableLayout {
  expect(layouts).toHaveLength(1);
  return layouts[0]!;
}

function check(values: Record<string, SqlValue>, expected: Expect): void {
  expect(Object.keys(values).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    if (typeof want === 'function') want(values[name]!);
    else expect(values[name], `column ${name}`).toEqual(want);
  }
}

describeCorpus('text-examples: DDL → layoutsFromDdl → decodeRow reproduces the published values', () => {
  const files = listCorpus('text-examples').filter((f) => f.endsWith('.json')).sort();

  it('every example is either a row example here or listed with its reason', () => {
    const ids = files.map((f) => f.replace(/\.json$/, ''));
    const missing = ids.filter((id) => !(id in ROWS) && !(id in NOT_ROWS));
    expect(missing).toEqual([]);
    expect(ids.length).toBeGreaterThanOrEqual(22);
  });

  for (const [id, spec] of Object.entries(ROWS)) {
    it(id, () => {
      const ex = readCorpusJson<Example>('text-examples', `${id}.json`);
      const table = only(layoutsFromDdl(spec.ddl));
      const hexes = Array.isArray(ex.hex) ? ex.hex.map(rowHex) : [ex.hex!];
      expect(hexes).toHaveLength(spec.expect.length);
      hexes.forEach((h, i) => {
        const row = decodeRow(parseHex(h), table);
        check(row.values, spec.expect[i]!);
        // same values the example file states, where it states them plainly
        const given = Array.isArray(ex.values) ? ex.values[i] : ex.values;
        expect(Object.keys(given as object).sort()).toEqual(Object.keys(spec.expect[i]!).sort());
      });
    });
  }

  it('improvedk-sparse-vector: the sparse columns B and E decode from the vector by column_id', () => {
    const ex = readCorpusJson<Example>('text-examples', 'improvedk-sparse-vector.json');
    const table = only(layoutsFromDdl('CREATE TABLE Sparse (ID int, A int SPARSE, B int SPARSE, C int SPARSE, D int SPARSE, E int SPARSE)'));
    const bytes = parseHex(ex.hex as string);
    const entries = parseSparseVector(bytes, 0, bytes.length);
    const byId = new Map(table.columns.map((c) => [c.columnId, c]));
    const values: Record<string, SqlValue> = {};
    for (const c of table.columns.filter((x) => x.isSparse)) {
      const at = entries.get(c.columnId);
      values[c.name] = at ? decodeValue(c, bytes, at[0], at[1]) : null;
    }
    expect([...entries.keys()].map((id) => byId.get(id)!.name)).toEqual(['B', 'E']);
    // ID is outside the printed bytes (the rest of the record was an image in the post).
    const { ID: _notInBytes, ...sparse } = ex.values as Record<string, SqlValue>;
    expect(values).toEqual(sparse);
  });
});

/**
 * The CD decoder (src/reconstruct/record/cd.ts) is built in parallel; while it answers
 * DECODE_UNSUPPORTED these cases are skipped, loudly — never counted as passes.
 */
function cdDecoderBuilt(): boolean {
  try {
    decodeRow(parseHex('0101120100'), only(layoutsFromDdl('CREATE TABLE t (c tinyint) WITH (DATA_COMPRESSION = ROW)')));
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'DECODE_UNSUPPORTED') {
      process.stderr.write('\n*** SKIPPING CD text-examples: the CD record decoder answers DECODE_UNSUPPORTED ***\n');
      return false;
    }
    return true;
  }
}
const describeCd = cdDecoderBuilt() ? describeCorpus : describe.skip;

describeCd('text-examples: row-compressed (CD) records through DDL WITH (DATA_COMPRESSION = ROW)', () => {
  const cases: { file: string; type: string; vectors: [string, string][] }[] = [];
  const dt = readCorpusJson<{ vectors: [string, string][] }>('text-examples', 'orcamdf-rowcompressed-datetime.json');
  cases.push({ file: 'orcamdf-rowcompressed-datetime', type: 'datetime', vectors: dt.vectors });
  const ints = readCorpusJson<{ vectors: Record<string, [string, string][]> }>('text-examples', 'orcamdf-rowcompressed-integers.json');
  for (const [type, vectors] of Object.entries(ints.vectors)) cases.push({ file: 'orcamdf-rowcompressed-integers', type, vectors });

  const expected = (type: string, text: string): SqlValue => {
    if (text === 'NULL') return null;
    if (type === 'datetime') return text.replace(' ', 'T');
    if (type === 'bigint') return text;
    return Number(text);
  };

  for (const c of cases) {
    describe(`${c.file} ${c.type}`, () => {
      const table = only(layoutsFromDdl(`CREATE TABLE t (c ${c.type}) WITH (DATA_COMPRESSION = ROW)`));
      it('the DDL gives a ROW-compressed one-column layout', () => {
        expect(table.compression).toBe('ROW');
        expect(table.columns.map((x) => x.name)).toEqual(['c']);
      });
      for (const [text, hex] of c.vectors) {
        it(`${text} ← ${hex}`, () => {
          // OrcaMDF's strings are fixed width and carry bytes past the record end (example notes).
          const row = decodeRow(parseHex(hex), table);
          expect(row.format).toBe('cd');
          expect(row.values).toEqual({ c: expected(c.type, text) });
        });
      }
    });
  }
});
