import { identifierText, tableText } from '../../util/tsql.js';
import { SchemaError } from '../../errors.js';
import type { ColumnLayout, SqlTypeName, TableLayout } from './table-layout.js';
import { fixedStorageLength } from '../types/index.js';

/**
 * SQL Server type facts shared by the two metadata paths (DDL and catalog JSON):
 * type-name normalisation, sys.columns-style max_length / precision / scale, and whether a
 * type is stored in the fixed or the variable part of a FixedVar record.
 *
 * Sources (facts only): Microsoft Learn type pages (decimal/numeric "Precision / Storage bytes"
 * table; time, datetime2, datetimeoffset "storage size" by fractional-seconds scale; float(n)
 * "n 1-24 = real, 25-53 = float"; text/ntext/image store a 16-byte text pointer),
 * sys.columns documentation (max_length = -1 for (max)/xml, 16 for text/ntext/image).
 */

export interface TypeSpec {
  type: SqlTypeName;
  maxLength: number;
  precision: number;
  scale: number;
}

/** Synonyms SQL Server accepts in DDL → the sys.types name. */
const SYNONYMS: Record<string, string> = {
  integer: 'int',
  dec: 'decimal',
  character: 'char',
  'char varying': 'varchar',
  'character varying': 'varchar',
  'national char': 'nchar',
  'national character': 'nchar',
  'national char varying': 'nvarchar',
  'national character varying': 'nvarchar',
  'national text': 'ntext',
  'binary varying': 'varbinary',
  'double precision': 'float',
  rowversion: 'timestamp',
};

const KNOWN = new Set<string>([
  'bit', 'tinyint', 'smallint', 'int', 'bigint', 'real', 'float', 'decimal', 'numeric', 'money', 'smallmoney',
  'date', 'time', 'datetime', 'smalldatetime', 'datetime2', 'datetimeoffset',
  'char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'binary', 'varbinary', 'image',
  'timestamp', 'uniqueidentifier', 'sql_variant', 'xml', 'hierarchyid', 'geography', 'geometry', 'sysname',
]);

/** Lower-cases and resolves synonyms; returns null for a name that is not a system type. */
export function normaliseTypeName(name: string): string | null {
  const n = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const s = SYNONYMS[n] ?? n;
  return KNOWN.has(s) ? s : null;
}

/** decimal/numeric storage bytes by precision (Microsoft Learn, decimal and numeric). */
export function decimalStorageBytes(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}

/** Bytes of the time part of time/datetime2/datetimeoffset for a fractional-seconds scale (3, 4 or 5). */
export function timeBytes(scale: number): number {
  if (scale <= 2) return 3;
  if (scale <= 4) return 4;
  return 5;
}

/**
 * A type as written in DDL (`decimal(18,2)`, `nvarchar(max)`, `float(24)`) → sys.columns-style spec.
 * `args` are the parenthesised arguments: numbers, or 'max'.
 */
export function typeSpecFromDdl(rawName: string, args: (number | 'max')[], where: { line?: number; what: string }): TypeSpec {
  const name = normaliseTypeName(rawName);
  if (name === null) {
    throw new SchemaError('SCHEMA_UNKNOWN_TYPE', `unknown type '${rawName}' for ${where.what}; for a user-defined alias type give --type-alias ${rawName}=<base type> or a CREATE TYPE … FROM statement`, { line: where.line });
  }
  const num = (i: number, dflt: number): number => {
    const a = args[i];
    if (a === undefined) return dflt;
    if (a === 'max') throw new SchemaError('SCHEMA_DDL_INVALID', `'max' is not valid for ${name} (${where.what})`, { line: where.line });
    return a;
  };
  const len = (unit: number): number => {
    const a = args[0];
    if (a === 'max') return -1;
    // char/varchar/binary without a length mean length 1 in DDL (Microsoft Learn, char and varchar).
    return (a ?? 1) * unit;
  };
  switch (name) {
    case 'bit': return { type: 'bit', maxLength: 1, precision: 1, scale: 0 };
    case 'tinyint': return { type: 'tinyint', maxLength: 1, precision: 3, scale: 0 };
    case 'smallint': return { type: 'smallint', maxLength: 2, precision: 5, scale: 0 };
    case 'int': return { type: 'int', maxLength: 4, precision: 10, scale: 0 };
    case 'bigint': return { type: 'bigint', maxLength: 8, precision: 19, scale: 0 };
    case 'real': return { type: 'real', maxLength: 4, precision: 24, scale: 0 };
    case 'float': {
      // float(n): n 1..24 is real (4 bytes), 25..53 is float (8 bytes).
      const n = num(0, 53);
      return n <= 24 ? { type: 'real', maxLength: 4, precision: 24, scale: 0 } : { type: 'float', maxLength: 8, precision: 53, scale: 0 };
    }
    case 'decimal':
    case 'numeric': {
      const p = num(0, 18);
      const s = num(1, 0);
      if (p < 1 || p > 38 || s < 0 || s > p) {
        throw new SchemaError('SCHEMA_DDL_INVALID', `${name}(${p},${s}) is out of range for ${where.what}`, { line: where.line });
      }
      return { type: name, maxLength: decimalStorageBytes(p), precision: p, scale: s };
    }
    case 'money': return { type: 'money', maxLength: 8, precision: 19, scale: 4 };
    case 'smallmoney': return { type: 'smallmoney', maxLength: 4, precision: 10, scale: 4 };
    case 'date': return { type: 'date', maxLength: 3, precision: 10, scale: 0 };
    case 'datetime': return { type: 'datetime', maxLength: 8, precision: 23, scale: 3 };
    case 'smalldatetime': return { type: 'smalldatetime', maxLength: 4, precision: 16, scale: 0 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset': {
      const s = num(0, 7);
      if (s < 0 || s > 7) throw new SchemaError('SCHEMA_DDL_INVALID', `${name}(${s}) scale must be 0..7 (${where.what})`, { line: where.line });
      // sys.columns precision: time 8, datetime2 19, datetimeoffset 26, plus 1 + scale when scale > 0.
      const frac = s > 0 ? s + 1 : 0;
      if (name === 'time') return { type: 'time', maxLength: timeBytes(s), precision: 8 + frac, scale: s };
      if (name === 'datetime2') return { type: 'datetime2', maxLength: timeBytes(s) + 3, precision: 19 + frac, scale: s };
      return { type: 'datetimeoffset', maxLength: timeBytes(s) + 5, precision: 26 + frac, scale: s };
    }
    case 'char': return { type: 'char', maxLength: len(1), precision: 0, scale: 0 };
    case 'varchar': return { type: 'varchar', maxLength: len(1), precision: 0, scale: 0 };
    case 'nchar': return { type: 'nchar', maxLength: len(2), precision: 0, scale: 0 };
    case 'nvarchar': return { type: 'nvarchar', maxLength: len(2), precision: 0, scale: 0 };
    case 'binary': return { type: 'binary', maxLength: len(1), precision: 0, scale: 0 };
    case 'varbinary': return { type: 'varbinary', maxLength: len(1), precision: 0, scale: 0 };
    // sysname is nvarchar(128) NOT NULL (Microsoft Learn, sysname); resolved to its base.
    case 'sysname': return { type: 'nvarchar', maxLength: 256, precision: 0, scale: 0 };
    case 'text': return { type: 'text', maxLength: 16, precision: 0, scale: 0 };
    case 'ntext': return { type: 'ntext', maxLength: 16, precision: 0, scale: 0 };
    case 'image': return { type: 'image', maxLength: 16, precision: 0, scale: 0 };
    case 'timestamp': return { type: 'timestamp', maxLength: 8, precision: 0, scale: 0 };
    case 'uniqueidentifier': return { type: 'uniqueidentifier', maxLength: 16, precision: 0, scale: 0 };
    case 'sql_variant': return { type: 'sql_variant', maxLength: 8016, precision: 0, scale: 0 };
    case 'xml': return { type: 'xml', maxLength: -1, precision: 0, scale: 0 };
    case 'hierarchyid': return { type: 'hierarchyid', maxLength: 892, precision: 0, scale: 0 };
    case 'geography': return { type: 'geography', maxLength: -1, precision: 0, scale: 0 };
    case 'geometry': return { type: 'geometry', maxLength: -1, precision: 0, scale: 0 };
    default:
      throw new SchemaError('SCHEMA_UNKNOWN_TYPE', `unknown type '${rawName}' for ${where.what}`, { line: where.line });
  }
}

/**
 * Fixed-length types live in the fixed part at leaf_offset; everything else is a variable
 * column (including text/ntext/image, whose 16-byte text pointer sits in the variable part,
 * and the CLR types hierarchyid/geography/geometry, sql_variant and xml).
 */
export function isFixedLength(type: SqlTypeName, maxLength: number): boolean {
  switch (type) {
    case 'varchar': case 'nvarchar': case 'varbinary': case 'text': case 'ntext': case 'image':
    case 'sql_variant': case 'xml': case 'hierarchyid': case 'geography': case 'geometry':
      return false;
    case 'sysname':
      return false;
    default:
      return maxLength > 0;
  }
}

/** Types whose bytes are character data in a code page (the collation decides which). */
export function usesCodePage(type: SqlTypeName): boolean {
  return type === 'char' || type === 'varchar' || type === 'text';
}

/**
 * One warning per char/varchar/text column whose collation is named but maps to no code page
 * rowback knows (collation.ts codePageForCollation: a misspelt COLLATE in a --ddl script, a
 * collation newer than the table there): its bytes are then read as code page 1252 (types/index.ts
 * columnCodePage), which is right for Western European text and wrong for any other script, so the
 * rows say so. Appended to the layout's `warnings` (every decoded row of the table carries them).
 */
export function addUnknownCollationWarnings(layout: TableLayout): void {
  const table = tableText(layout);
  for (const c of layout.columns) {
    if (!usesCodePage(c.type) || c.codePage !== null || c.isDropped) continue;
    if (!c.collation) {
      // catalog JSON whose collation_name is null (a hand-made or converted catalog): read as 1252 unsaid before
      (layout.warnings ??= []).push(`${table}: column ${identifierText(c.name)} (${c.type}) has no collation in the metadata: its text is read as code page 1252 (Western European); other scripts would show wrong characters (give collation_name)`);
      continue;
    }
    (layout.warnings ??= []).push(
      `${table}: column ${identifierText(c.name)} has collation ${c.collation}, whose code page rowback does not know: its ${c.type} text is read as code page 1252 (Western European); other scripts would show wrong characters`,
    );
  }
}

/** A type as T-SQL declares it, for messages: `decimal(10,2)`, `char(10)`, `datetime2(3)`, `varchar(max)`, `int`. */
export function declaredType(c: Pick<ColumnLayout, 'type' | 'maxLength' | 'precision' | 'scale'>): string {
  switch (c.type) {
    case 'decimal':
    case 'numeric':
      return `${c.type}(${c.precision},${c.scale})`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return `${c.type}(${c.scale})`;
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      return `${c.type}(${c.maxLength === -1 ? 'max' : c.maxLength})`;
    case 'nchar':
    case 'nvarchar':
      return `${c.type}(${c.maxLength === -1 ? 'max' : c.maxLength >> 1})`;
    default:
      return c.type;
  }
}

/**
 * Whether the bytes a dropped column left in a slot mean what the live column in the same slot reads
 * them as: same type, same fixed storage length, the same scale where the type has one (decimal,
 * numeric, time, datetime2, datetimeoffset: the scale says where the point goes), the same code page
 * for char/varchar/text (the text's bytes are read in it) and the same bit position for bit. A
 * precision change that keeps the storage length and scale (decimal(10,2) → decimal(12,2)) keeps the
 * meaning, so does a nullability change. Variable-length columns: type and code page (a shorter
 * varchar(n) is caught per value by the declared-size check, record/plan.ts).
 */
function sameStoredForm(d: ColumnLayout, c: ColumnLayout): boolean {
  // decimal and numeric are one type; sysname is nvarchar(128)
  const base = (t: SqlTypeName): string => (t === 'numeric' ? 'decimal' : t === 'sysname' ? 'nvarchar' : t);
  if (base(d.type) !== base(c.type)) return false;
  if (c.leafOffset > 0 && fixedStorageLength(d) !== fixedStorageLength(c)) return false;
  if (['decimal', 'numeric', 'time', 'datetime2', 'datetimeoffset'].includes(c.type) && d.scale !== c.scale) return false;
  if (usesCodePage(c.type) && d.codePage !== null && c.codePage !== null && d.codePage !== c.codePage) return false;
  if (c.type === 'bit' && (d.leafBitPosition ?? 0) !== (c.leafBitPosition ?? 0)) return false;
  return true;
}

/** Matches the warning {@link addInPlaceRetypeWarnings} writes. */
export const IN_PLACE_RETYPE_WARNING = /^\S.* column .+ shares its slot \(leaf offset -?\d+, null bit \d+\) with a dropped /;

/**
 * One warning per live column that shares its slot (the same leaf_offset and leaf_null_bit) with a
 * dropped column whose stored form differs (`sameStoredForm`). That is how SQL Server records an
 * ALTER COLUMN that changes a fixed-length column in place (no larger: char(100) → char(75),
 * datetime → date, int → smallint, a decimal's scale): the old column stays in the catalog as a
 * dropped one with the same offset and null bit, "a metadata only operation that did not modify any
 * record in the table, it simply changed how the data in the existing records is interpreted" where
 * the bytes allow it, the rows rewritten in place where they do not (rusanu.com "SQL Server table columns under the
 * hood", 2011, catalog screenshots physical-table-fixed-2/-3: `birth_date` and the dropped
 * `67108865` both at offset 208, null bit 4; `first_name` char(75) and the dropped char(100) both at
 * offset 8, null bit 2; field case rusanu-2011-table-columns-under-the-hood-layouts). A row logged
 * before the ALTER (a delete the log still holds) keeps the old bytes, and read as the new type they can give plausible wrong values with no other sign: a
 * decimal(10,2) 123.45 read as decimal(10,4) is 1.2345, an int 70000 read as smallint 4464, a
 * char(10) 'Alexander' read as char(4) 'Alex'. Nothing in the row tells the two apart, so every
 * row of the table carries the warning (appended to the layout's `warnings`), as a --ddl script's
 * in-place ALTER COLUMN always did; a layout whose dropped columns sit elsewhere (DROP COLUMN, a
 * slot-moving ALTER, an ADD reusing a trailing dropped slot with a new null bit) gets none.
 */
export function addInPlaceRetypeWarnings(layout: TableLayout): void {
  const table = tableText(layout);
  for (const c of layout.columns) {
    if (c.isDropped || c.isSparse || c.isUniquifier || c.leafOffset === 0 || c.leafNullBit <= 0) continue;
    const olds = layout.columns.filter((d) => d.isDropped && d.leafOffset === c.leafOffset && d.leafNullBit === c.leafNullBit && !sameStoredForm(d, c));
    if (olds.length === 0) continue;
    const was = [...new Set(olds.map((d) => declaredType(d) + (usesCodePage(d.type) && d.codePage !== c.codePage && d.codePage !== null ? ` in code page ${d.codePage}` : '')))].join(', then ');
    const now = declaredType(c) + (usesCodePage(c.type) && olds.some((d) => d.codePage !== c.codePage) && c.codePage !== null ? ` in code page ${c.codePage}` : '');
    (layout.warnings ??= []).push(
      `${table}: column ${identifierText(c.name)} shares its slot (leaf offset ${c.leafOffset}, null bit ${c.leafNullBit}) with a dropped ${was} column: an ALTER COLUMN changed it in place to ${now}, so a row logged before that ALTER holds ${was} bytes there, and read as ${now} its value may be wrong (rows written since the ALTER, and the rows on the pages, read as SQL Server reads them now): check this column of a logged row against a backup taken before the ALTER`,
    );
  }
}

/** Types that carry a collation in sys.columns. */
export function hasCollation(type: SqlTypeName): boolean {
  return usesCodePage(type) || type === 'nchar' || type === 'nvarchar' || type === 'ntext' || type === 'sysname';
}

export const DEFAULT_COLLATION = 'SQL_Latin1_General_CP1_CI_AS';
