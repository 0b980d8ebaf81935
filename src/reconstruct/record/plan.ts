import { DecodeError } from '../../errors.js';
import { isVisibleColumn, type ColumnLayout, type TableLayout } from '../metadata/table-layout.js';
import type { SqlValue } from '../values.js';
import type { CdFastReader } from './cd-fast.js';
import type { DecodedRow } from '../decode-row.js';
import { columnCodePage, fixedStorageLength, isTextPointerType, isVariableLengthType, valueDecoder, type BoundDecoder } from '../types/index.js';
import { codePageForCollation } from '../collation.js';
import { declaredType } from '../metadata/layout-rules.js';
import { ROW_TEXT_NOTES } from '../types/string.js';
import { maxOf } from '../../util/append-all.js';
import { identifierText } from '../../util/identifier-text.js';

/**
 * A per-layout decoding plan, built once per TableLayout object and cached (WeakMap), so that
 * decoding a row is a loop over small arrays with pre-bound value decoders.
 */
export type ColumnKind = 'fixed' | 'bit' | 'var' | 'sparse' | 'unstored';

export interface ColumnPlan {
  column: ColumnLayout;
  name: string;
  kind: ColumnKind;
  /** Fixed/bit: byte offset in the record (leaf_offset). */
  offset: number;
  /** Fixed: bytes in the fixed part. */
  length: number;
  /** Bit: bit number in the shared byte. */
  bit: number;
  /** Var: 0-based index in the variable-column offset array. */
  varIndex: number;
  /** 0-based bit in the null bitmap; -1 when the column has none. */
  nullBit: number;
  /** 0-based index in TableLayout.columns (partition_column_id order). */
  physical: number;
  /**
   * 0-based position in a CD record's column array: `leaf_null_bit − 1`, i.e. the physical order
   * (uniquifier, clustering key columns in key order, then the other stored columns), -1 for a column
   * with no null bit (sparse, unstored). Not partition_column_id order: BusinessCentral.BakReader
   * PROVENANCE.md ("Physical column order is not declaration order: clustered-index key columns come
   * first (in key order), then remaining columns by column id", validated against SELECT); real record
   * in field case `bc-sourcecodesetup-base-cd7` (key `[Primary Key]`, column 2, sits at CD index 0).
   */
  cdIndex: number;
  isUniquifier: boolean;
  isTextPointer: boolean;
  isXml: boolean;
  hasDefault: boolean;
  defaultValue: SqlValue;
  decode: BoundDecoder;
}

export interface RowPlan {
  table: TableLayout;
  /** Visible columns in output (column_id) order. */
  output: ColumnPlan[];
  /** The hidden uniquifier, when the layout has one. */
  uniquifier: ColumnPlan | null;
  /** Every stored column (not dropped-only or unstored), physical order: used by the CD decoder. */
  physical: ColumnPlan[];
  /** Var indexes that belong to non-sparse columns (a complex column elsewhere may be the sparse vector). */
  varIndexOwner: Map<number, ColumnPlan>;
  /**
   * The null-bitmap bit of each var index's owner (`varIndexOwner`), -1 where the index has no owner
   * or its owner no bit: read per row by the NULL-with-bytes check without a Map lookup.
   */
  varNullBits: Int32Array;
  hasSparse: boolean;
  /** Sparse columns by sys.columns.column_id. */
  sparseById: Map<number, ColumnPlan>;
  /**
   * Builds the `values` object from `scratch` (one slot per output column) as an object literal
   * with the layout's column names, so every row object shares one hidden class and no keyed
   * stores happen per value.
   */
  makeValues: (scratch: SqlValue[]) => Record<string, SqlValue>;
  /** Reusable per-plan array the decoders fill before makeValues copies it (decoding is synchronous). */
  scratch: SqlValue[];
  /** Character columns in the layout: with two or more, decodeRow hands the decoders a Buffer view. */
  stringColumns: number;
  /** Highest null bit (1-based) of the layout's stored columns: a record with more columns than this outgrew the layout. */
  storedColumns: number;
  /**
   * Where the layout's fixed-length columns end (bytes from the record start: the greatest leaf
   * offset + length of a fixed or bit column, dropped ones included), Infinity when a fixed slot's
   * length is unknown (a fixed column of unknown length, or a fixed slot read as a variable type). A record whose fixed part runs past it holds bytes no column of the layout owns.
   */
  fixedExtent: number;
  /**
   * The FixedVar decoder's generated per-layout column reader (record/fixedvar.ts): undefined until
   * the first FixedVar row, null when the layout has a column kind only the generic loop handles.
   */
  fixedVarFast: FixedVarFast | null | undefined;
  /**
   * The CD decoder's generated per-layout reader (record/cd-fast.ts `cdFastReaderFor`): undefined
   * until the first CD row, null when the layout keeps the generic path.
   */
  cdFast: CdFastReader | null | undefined;
  /** Output columns whose declared size bounds their values (see ValueLimit); checked by decodeRow. */
  limits: ValueLimit[];
  /** sql_variant output columns with the code page their char/varchar values are read in (checkVariantText). */
  variants: Array<{ name: string; codePage: number }>;
  /** Stored output columns the layout declares NOT NULL, with their null bit (checkNotNull); null when none. */
  notNull: NotNullCheck | null;
  /**
   * Dropped columns an ALTER COLUMN left behind when it moved a column to a new slot (partition_column_id
   * 0x04000000 + n: `ALTER_DROPPED_BASE`), not sharing a live column's slot (those are in-place changes,
   * layout-rules.ts addInPlaceRetypeWarnings): a record holding one and lacking a live column may predate
   * that ALTER rather than an ADD, its value in the old slot (`movedColumnClause`).
   */
  alterDropped: ColumnPlan[];
  /** Output names of the FILESTREAM columns (ColumnLayout.isFilestream): their values become markers (decode-row.ts). */
  filestream: string[];
  /**
   * Output names of the varbinary(max) columns a catalog without is_filestream leaves undecided
   * (ColumnLayout.filestreamUnknown): a value there gets a row warning (decode-row.ts).
   */
  filestreamUnknown: string[];
}

/** The checker of a layout's NOT NULL columns: `(values, record column count, warnings)`. */
export type NotNullCheck = (values: Record<string, SqlValue>, columnCount: number, warnings: string[]) => void;

/**
 * A NOT NULL column that reads NULL from a record holding it: its null-bitmap bit (or CD null
 * marker) is set where SQL Server never sets it, so either the record is damaged (one flipped bit in
 * a page with no checksum: a breaker's NORTHWND.MDF case printed `"CustomerID":null`, the key, with
 * no word) or the row was deleted before an ALTER COLUMN … NOT NULL and is read with today's layout.
 * One warning per such column; nothing for columns the record does not hold (they predate the
 * column and are warned about as such). Generated per layout, like the value-limit checker.
 */
export function notNullChecker(output: readonly ColumnPlan[]): NotNullCheck | null {
  const cols = output.filter((cp) => !cp.column.nullable && cp.nullBit >= 0 && (cp.kind === 'fixed' || cp.kind === 'bit' || cp.kind === 'var'));
  if (cols.length === 0) return null;
  const message = notNullMessage;
  if (cols.length > 2000 || new Set(cols.map((cp) => cp.name)).size !== cols.length) {
    return (values, columnCount, warnings) => {
      for (const cp of cols) if (values[cp.name] === null && cp.nullBit < columnCount) warnings.push(message(cp));
    };
  }
  const body = cols.map((cp, i) => `if (v[${JSON.stringify(cp.name)}] === null && cc > ${cp.nullBit}) w.push(m[${i}]);`).join('\n');
  return new Function('m', `return function notNull(v, cc, w) {\n${body}\n};`)(cols.map(message)) as NotNullCheck;
}

/** The warning of a NOT NULL column that reads NULL from a record holding it (notNullChecker; the FixedVar generated reader). */
export function notNullMessage(cp: ColumnPlan): string {
  return `column ${identifierText(cp.name)} is declared NOT NULL, yet this record marks it NULL: the record is damaged (a changed bit), or the row was deleted before the column became NOT NULL and is read with today's layout; check it against a backup before re-inserting it`;
}

/**
 * The checks decodeRow makes on every decoded row's values, in this order: declared sizes
 * (checkValueLimits), text inside sql_variant values (checkVariantText), NOT NULL columns read NULL
 * (the plan's notNull). The FixedVar generated reader makes the first and the last itself, on its
 * own local values, in the same order, with the same warnings (it never reads sql_variant columns).
 */
export function checkDecodedValues(values: Record<string, SqlValue>, plan: RowPlan, columnCount: number, warnings: string[]): void {
  if (plan.limits.length !== 0) checkValueLimits(values, plan.limits, warnings);
  if (plan.variants.length !== 0) checkVariantText(values, plan.variants, warnings);
  if (plan.notNull !== null) plan.notNull(values, columnCount, warnings);
}

/**
 * A char/varchar value inside a sql_variant is read in the code page of its own collation, stored
 * with it (types/variant.ts). When rowback cannot name that collation (an id outside
 * collation-ids.ts, e.g. a _UTF8 one) or its code page, the value was read in the column's code page
 * (a sql_variant column has no collation: 1252 unless the layout says otherwise). ASCII reads the
 * same in every code page but UTF-16-only ones; a value with a byte ≥ 0x80 may not, so each such
 * value gets a warning naming the column and the code page used (review8's write-up: a Cyrillic or
 * Chinese varchar in a variant printed as plausible wrong text). Appends to `warnings`.
 */
export function checkVariantText(values: Record<string, SqlValue>, variants: RowPlan['variants'], warnings: string[]): void {
  for (const v of variants) {
    const x = values[v.name] as { baseType?: string; value?: unknown; collation?: string } | null | undefined;
    if (x === null || x === undefined || typeof x !== 'object') continue;
    if ((x.baseType === 'varchar' || x.baseType === 'char') && typeof x.value === 'string' && /[^\x00-\x7f]/.test(x.value)) {
      if (x.collation !== undefined && codePageForCollation(x.collation) !== null) continue;
      const why = x.collation === undefined ? 'its own collation, stored with it, is not one rowback can name' : `rowback does not know the code page of its own collation ${x.collation}`;
      warnings.push(`column ${identifierText(v.name)}: a ${x.baseType} value inside a sql_variant holds characters beyond ASCII, read as code page ${v.codePage} (the column's): ${why}, so they are wrong if its code page differs`);
    }
  }
}

/**
 * A declared size a stored value cannot exceed: SQL Server refuses a longer string or a decimal
 * with more integer digits on every write (MS Learn "char and varchar", "nchar and nvarchar",
 * "binary and varbinary", "decimal and numeric": n / p are limits enforced on assignment). A decoded
 * value beyond it means the layout is not the one the row was written with (an ALTER COLUMN since,
 * another table's or database's layout, a wrong --ddl) — never that the value is right for this
 * layout: re-inserting it would fail.
 *  - `chars`: varchar(n) — the decoded string's UTF-16 length. One byte gives at most one
 *    character in every code page (DBCS pairs and UTF-8 sequences give fewer), so a string longer
 *    than n characters surely had more than n bytes; a multi-byte one of ≤ n characters is not judged.
 *    varchar(max) (no limit) and char(n) (always n bytes) take only the NUL check (judgeLimit): half
 *    or more NUL characters is UTF-16 text read through a one-byte layout.
 *  - `units`: nvarchar(n) / sysname — UTF-16 code units, exactly bytes ÷ 2; limit max_length ÷ 2.
 *  - `hex`: varbinary(n) — the `0x…` text, (length − 2) ÷ 2 bytes.
 *  - `decimal`: decimal/numeric(p, s) — integer digits of the text above p − s.
 */
export interface ValueLimit {
  name: string;
  kind: 'chars' | 'units' | 'hex' | 'decimal';
  /** chars/units/hex: the most characters, code units or bytes; decimal: the most integer digits (p − s). */
  max: number;
  /** decimal: its scale (fraction digits the text always has); 0 otherwise. */
  scale: number;
  /** The declared type as T-SQL writes it, for the warning: `varchar(5)`, `decimal(5,2)`. */
  declared: string;
}

function limitOf(cp: ColumnPlan): ValueLimit | null {
  const c = cp.column;
  if (cp.kind !== 'var' && cp.kind !== 'fixed' && cp.kind !== 'sparse') return null;
  const n = c.maxLength;
  switch (c.type) {
    case 'varchar':
      // varchar(max): no length limit, the NUL check alone (judgeLimit)
      return n > 0 ? { name: cp.name, kind: 'chars', max: n, scale: 0, declared: `varchar(${n})` } : n === -1 ? { name: cp.name, kind: 'chars', max: Infinity, scale: 0, declared: 'varchar(max)' } : null;
    case 'char':
      // always n bytes (blank-padded): the NUL check alone
      return n > 0 ? { name: cp.name, kind: 'chars', max: n, scale: 0, declared: `char(${n})` } : null;
    case 'nvarchar':
    case 'sysname':
      // nvarchar(max): no length limit, the one-byte-text check alone (judgeLimit)
      return n > 0 ? { name: cp.name, kind: 'units', max: n >> 1, scale: 0, declared: c.type === 'sysname' ? 'sysname' : `nvarchar(${n >> 1})` } : n === -1 ? { name: cp.name, kind: 'units', max: Infinity, scale: 0, declared: 'nvarchar(max)' } : null;
    case 'nchar':
      // always n/2 code units (blank-padded): the one-byte-text check alone
      return n > 0 ? { name: cp.name, kind: 'units', max: n >> 1, scale: 0, declared: `nchar(${n >> 1})` } : null;
    case 'varbinary':
      return n > 0 ? { name: cp.name, kind: 'hex', max: n, scale: 0, declared: `varbinary(${n})` } : null;
    case 'decimal':
    case 'numeric':
      return Number.isInteger(c.precision) && c.precision >= 1 && c.precision <= 38 && c.scale >= 0 && c.scale <= c.precision
        ? { name: cp.name, kind: 'decimal', max: c.precision - c.scale, scale: c.scale, declared: `${c.type}(${c.precision},${c.scale})` }
        : null;
    default:
      return null;
  }
}

/**
 * The warning for each value of `values` beyond its column's ValueLimit, appended to `warnings`
 * (text: "column X holds …, more than its declared T allows: …"; recover-rows' layout check counts
 * it against the layout). Strings only: NULL, off-row markers and other shapes are not judged.
 * Per layout, a generated function (cached on the limits array) reads each limited value by a
 * constant key and compares only its length; the exact judgement runs for a value past that bound.
 */
export function checkValueLimits(values: Record<string, SqlValue>, limits: readonly ValueLimit[], warnings: string[]): void {
  let check = limitCheckers.get(limits);
  if (check === undefined) limitCheckers.set(limits, (check = limitChecker(limits)));
  check(values, warnings);
}

/**
 * partition_column_id SQL Server gives the old column an ALTER COLUMN drops: 0x04000000 + n (rusanu.com
 * 2011 "SQL Server table columns under the hood", physical-table-fixed-2: 67108865, 67108866; a DROP
 * COLUMN keeps the column's own id). Ids from 0x08000000 are other internal columns (change tracking's
 * hidden bigint, 0x08000002).
 */
const ALTER_DROPPED_FIRST = 0x04000000;
const ALTER_DROPPED_END = 0x08000000;

function isAlterDropped(cp: ColumnPlan): boolean {
  const id = cp.column.partitionColumnId;
  return cp.column.isDropped && id >= ALTER_DROPPED_FIRST && id < ALTER_DROPPED_END && cp.nullBit >= 0 && (cp.kind === 'fixed' || cp.kind === 'bit' || cp.kind === 'var');
}

/** Matches the clause {@link movedColumnClause} adds to a "row predates the column" warning (layout-warnings.ts counts it as hard drift). */
export const MOVED_COLUMN_WARNING = /may instead predate an ALTER COLUMN that moved this column to a new slot/;

/**
 * The clause added to a "row predates the column" warning (`predatesColumn`) when the record holds
 * columns an ALTER COLUMN dropped (`RowPlan.alterDropped`): SQL Server records a column that an ALTER
 * COLUMN could not change in place (a larger fixed type, fixed ↔ variable) as a new column with a new
 * null bit and slot beside the dropped old one (rusanu.com 2011, physical-table-fixed-3: first_name
 * char(75) → char(100) "moved from offset 8 to offset 211", the char(75) left dropped at 8). A row
 * written before that ALTER lacks the new column, exactly as a row written before an ADD does, and
 * holds the value in the old slot: read as "predates the column" alone it printed NULL (or the
 * default) for a value the record holds, advising `--accept-layout-drift`. The catalog does not say
 * which live column each dropped one became, so the clause names every such column the record holds
 * not NULL (a NULL there leaves the NULL shown right either way) with its value read as its old type (`found`: `$dropped_67108866 char(75) at leaf offset 8 holds
 * 'Remus'`), and says that the value, converted, is the column's if the row predates that ALTER.
 * `found` empty: no clause (the record holds none of them).
 */
export function movedColumnClause(cp: ColumnPlan, found: string[]): string | undefined {
  if (found.length === 0) return undefined;
  return `; but this record holds ${found.join(', ')}, left by an ALTER COLUMN (partition_column_id 0x04000000 + n), so the row may instead predate an ALTER COLUMN that moved this column to a new slot: then its value is the one there (converted to ${declaredType(cp.column)}), not what is shown: compare with a backup taken before the ALTER`;
}

/**
 * How {@link movedColumnClause} names one dropped column and what the record holds in it.
 * `noted`: ROW_TEXT_NOTES' length before that value was decoded: the notes of bytes its code page
 * does not define that its decoding added are taken off (they named the dropped column as a row
 * value and said rowback holds the row back from re-insert, which it does not for a column it does
 * not stage; and one copy per column the record lacks) and said here, beside the value they are of.
 */
export function movedColumnHolding(d: ColumnPlan, value: SqlValue | Error, noted = ROW_TEXT_NOTES.length): string {
  const where = d.kind === 'var' ? `variable column ${d.varIndex + 1}` : `leaf offset ${d.offset}`;
  const what = value instanceof Error ? `bytes that do not read as ${d.column.type} (${value.message})` : value === null ? 'NULL' : JSON.stringify(value);
  let undef = '';
  if (ROW_TEXT_NOTES.length > noted) {
    // as undefinedBytesWarning wrote it (identifierText); the dropped column is named by rowback's own `$dropped_N` below
    const head = `column ${identifierText(d.name)}: `;
    const spans = ROW_TEXT_NOTES.splice(noted).map((n) => {
      const cut = n.indexOf(': printed as U+FFFD');
      return n.slice(n.startsWith(head) ? head.length : 0, cut < 0 ? n.length : cut);
    });
    undef = ` (U+FFFD printed where ${spans.join('; ')}: the value's bytes there are not shown)`;
  }
  return `${d.name} (${declaredType(d.column)}) at ${where}: ${what}${undef}`;
}

/**
 * The warning of a record that ends before column `cp` (written before ALTER TABLE … ADD): its
 * default taken, or NULL — and for a nullable column added `DEFAULT x WITH VALUES`, that x is its
 * value if the row still existed when the column was added (ColumnLayout.addedWithValues); for one
 * added with a default expression that filled the rows then (ColumnLayout.addedWithExpression), that
 * the value was the expression's and is not known; for a NOT NULL column with no default known, that
 * NULL is only right if the row was gone before the ADD.
 */
export function predatesColumn(cp: ColumnPlan, storedColumns: number, moved?: string): string {
  if (moved !== undefined) return `${predatesColumn(cp, storedColumns)}${moved}`;
  const head = `column ${identifierText(cp.name)} is not in this record (stored column count ${storedColumns}; row predates the column): `;
  if (cp.hasDefault) return `${head}took its default`;
  const wv = cp.column.addedWithValues;
  if (wv === undefined) {
    const clause = cp.column.addedWithExpression;
    if (clause === undefined) {
      if (cp.column.nullable) return `${head}NULL`;
      const declared = cp.column.declaredDefault;
      if (declared !== undefined) {
        return `${head}NULL, as if the row was deleted before the column was added; the column is NOT NULL, so if the row still existed then, it took the default the column was added with. The script gives ${declared}, the column's default now, but declares the column in CREATE TABLE rather than adding it (ALTER TABLE … ADD), so it does not say that was the default of that time: if it was, script the column as ALTER TABLE … ADD ${identifierText(cp.name)} … NOT NULL ${declared} and the value reads as it; else fill the value in before re-inserting it`;
      }
      return `${head}NULL, as if the row was deleted before the column was added; the column is NOT NULL, so if the row still existed then, it took the column's default of that time, which the metadata read here does not give: fill the value in before re-inserting it`;
    }
    return `${head}NULL, as if the row was deleted before the column was added; it was added ${clause}, so if the row still existed then, its value is what that expression gave at the time, which the DDL does not record: read the table's metadata from the .mdf or a backup instead of --ddl, or fill the value in before re-inserting it`;
  }
  return `${head}NULL, as if the row was deleted before the column was added; it was added DEFAULT ${JSON.stringify(wv)} WITH VALUES, so if the row still existed then, its value is ${JSON.stringify(wv)}: compare with the database or a backup before re-inserting it`;
}

/**
 * The generated test (JavaScript source) that decides whether {@link judgeLimit} must look at the value
 * held in variable `x` (`c`: a scratch variable): shared by the limit checker below and the FixedVar
 * generated reader (record/fixedvar.ts `fastReaderFor`), which runs it on its own local values.
 *
 * A bound every fitting value's text length stays within: n characters, n code units, 2 + 2n hex
 * characters, or (p − s) digits + point + s digits, not counting a minus sign (counted in the
 * bound, a positive value one integer digit over would be as long as the longest negative one that fits).
 * A decimal of fraction only (p = s) prints a leading 0 ('0.25'), as long as a value with one integer
 * digit ('1.25'), which does not fit: every value of such a column is judged exactly (bound s + 1).
 * chars: a NUL anywhere (or, given `nul`, the variable holding 1 when the value holds U+0000 and 0
 * when not: the code-page decoder's `nul` after `decodeNoting`); units: a first code unit whose two
 * bytes could both be one-byte text (Latin nvarchar text has a zero high byte and never gets past this
 * one comparison).
 */
export function limitTestSource(l: ValueLimit, x: string, c: string, nul?: string): string {
  const bound = l.kind === 'hex' ? 2 + 2 * l.max : l.kind === 'decimal' ? (l.max === 0 ? l.scale + 1 : l.max + (l.scale > 0 ? 1 + l.scale : 0)) : l.max;
  const length = l.kind === 'decimal' ? `${x}.length - (${x}.charCodeAt(0) === 45 ? 1 : 0)` : `${x}.length`;
  const extra = l.kind === 'chars' ? (nul !== undefined ? ` || ${nul} !== 0` : ` || ${x}.indexOf('\\0') >= 0`) : l.kind === 'units' ? ` || (${x}.length >= ${ONE_BYTE_TEXT_MIN_UNITS} && (${c} = ${x}.charCodeAt(0)) >= 0x2020 && ${c} <= 0x7a7a)` : '';
  return `typeof ${x} === 'string' && (${length} > ${bound}${extra})`;
}

type LimitChecker = (values: Record<string, SqlValue>, warnings: string[]) => void;
const limitCheckers = new WeakMap<readonly ValueLimit[], LimitChecker>();

function limitChecker(limits: readonly ValueLimit[]): LimitChecker {
  const names = limits.map((l) => l.name);
  if (limits.length > 2000 || new Set(names).size !== names.length) {
    return (values, warnings) => {
      for (const l of limits) judgeLimit(l, values[l.name], warnings);
    };
  }
  const body = limits.map((l, i) => `x = v[${JSON.stringify(l.name)}]; if (${limitTestSource(l, 'x', 'c')}) judge(limits[${i}], x, w);`).join('\n');
  return new Function('limits', 'judge', `return function valueLimits(v, w) { let x, c;\n${body}\n};`)(limits, judgeLimit) as LimitChecker;
}

/** The exact judgement of one value against its limit (checkValueLimits). */
export function judgeLimit(l: ValueLimit, v: SqlValue, warnings: string[]): void {
  if (typeof v !== 'string') return;
  let size: number;
  let what: string;
  switch (l.kind) {
    case 'chars': size = v.length; what = `${size} characters`; break;
    case 'units': size = v.length; what = `${size} UTF-16 code units`; break;
    case 'hex': size = (v.length - 2) >> 1; what = `${size} bytes`; break;
    default: {
      const dot = v.indexOf('.');
      const intText = dot < 0 ? v : v.slice(0, dot);
      const digits = intText.replace(/^-/, '').replace(/^0+/, '').length;
      if (digits > l.max) warnings.push(`column ${identifierText(l.name)} holds ${v}, more integer digits (${digits}) than its declared ${l.declared} allows (${l.max}): ${LIMIT_ADVICE}`);
      return;
    }
  }
  if (size > l.max) warnings.push(`column ${identifierText(l.name)} holds ${what}, more than its declared ${l.declared} allows: ${LIMIT_ADVICE}`);
  if (l.kind === 'units' && v.length >= ONE_BYTE_TEXT_MIN_UNITS) {
    const oneByte = oneByteReading(v);
    if (oneByte !== null) {
      warnings.push(`column ${identifierText(l.name)} (${l.declared}) holds ${v.length} characters each of which is two one-byte text characters (read one byte each: ${JSON.stringify(oneByte.length > 60 ? `${oneByte.slice(0, 60)}…` : oneByte)}): that is how varchar text reads when taken as ${l.declared.startsWith('nchar') ? 'nchar' : 'nvarchar'} (UTF-16); the column may be ${l.declared.startsWith('nchar') ? 'char' : 'varchar'} in the table (check the layout)`);
    }
  }
  if (l.kind === 'chars') {
    let nul = 0;
    for (let i = v.indexOf('\0'); i >= 0; i = v.indexOf('\0', i + 1)) nul++;
    // Half or more of its characters NUL: the shape of UTF-16 text (a NUL after each Latin character),
    // not a stray NUL an application stored (a C string's terminator: "abc\0"; breaker).
    if (nul > 0 && nul * 2 >= v.length) {
      const t = l.declared.startsWith('char') ? 'char' : 'varchar';
      warnings.push(`column ${identifierText(l.name)} (${l.declared}) holds ${nul} NUL character(s) among its ${v.length}: ${t} text rarely holds any, and a NUL after every character is how n${t} (UTF-16) text reads when taken as ${t}: the column may be n${t} in the table (check the layout)`);
    }
  }
}

/**
 * Code units an nvarchar/nchar value needs before oneByteReading judges it: varchar text taken as
 * UTF-16 pairs its bytes into CJK-looking characters ("Computer Science" reads "潃灭瑵牥匠楣湥散",
 * a newcomer's --ddl with NVARCHAR for varchar columns, warning-free), and a real CJK string passes
 * the test by chance: measured on SYNTHETIC random strings of U+4E00–U+9FA5, 95 in a million of 5
 * characters and none in a million of 6 or 8 (none of 200,000 hangul or kana strings); no real row
 * of the corpus (107,149, most of them with nvarchar columns) has shown one. 6 characters (12 bytes
 * of varchar text) are needed.
 */
const ONE_BYTE_TEXT_MIN_UNITS = 6;

/**
 * `v` (UTF-16 code units) read back as the one-byte text it would be if every code unit were two
 * varchar bytes (low byte first, as SQL Server stores nvarchar): returned when every byte is a
 * letter, digit, space or common punctuation (. , - ' @ _ & / ( ) :), at least half of them
 * lower-case letters or spaces, and no code unit falls in U+3000–U+30FF (CJK punctuation, kana);
 * else null. That shape is ordinary Latin text; real CJK or other nvarchar text almost never has it.
 */
function oneByteReading(v: string): string | null {
  let lower = 0;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const u = v.charCodeAt(i);
    if (u >= 0x3000 && u <= 0x30ff) return null;
    for (const b of [u & 0xff, u >> 8]) {
      if (!ONE_BYTE_TEXT[b]) return null;
      if ((b >= 0x61 && b <= 0x7a) || b === 0x20) lower++;
    }
    out += String.fromCharCode(u & 0xff, u >> 8);
  }
  return lower >= v.length ? out : null;
}

/** The bytes oneByteReading takes for text: A–Z, a–z, 0–9, space and . , - ' @ _ & / ( ) : */
const ONE_BYTE_TEXT: readonly boolean[] = Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || " .,-'@_&/():".includes(String.fromCharCode(b)));

/** Matches the one-byte-text warning of an nvarchar/nchar value (recover-rows' layout check counts it against the layout). */
export const NVARCHAR_ONE_BYTE_WARNING = /^column .+ \((?:n(?:var)?char\((?:\d+|max)\)|sysname)\) holds \d+ characters each of which is two one-byte text characters/;

/** Matches the NUL-character warning of a varchar value (recover-rows' layout check counts it against the layout). */
export const VARCHAR_NUL_WARNING = /^column .+ \((?:var)?char\((?:\d+|max)\)\) holds \d+ NUL character\(s\)/;

/** Matches the warnings checkValueLimits writes (recover-rows' layout check counts them against the layout). */
export const VALUE_LIMIT_WARNING = /^column .+ holds .+, more .*than its declared .+ allows/;

const LIMIT_ADVICE = 'the layout is not the one this row was written with (an ALTER COLUMN since, or another table\'s layout); re-inserting it as it is would fail';

/** A generated FixedVar column reader for one layout; see record/fixedvar.ts `fastReaderFor`. */
export interface FixedVarFast {
  /** The reader applies only when the record's fixed part ends at or after this offset … */
  minFixedEnd: number;
  /** … and the record holds at least this many columns (no column missing from the record). */
  minColumns: number;
  read: (
    image: Uint8Array, columnCount: number, hasBitmap: boolean, bitmapStart: number,
    varCount: number, varArray: number, varDataStart: number,
    /** The row's warnings: the reader appends those of checkDecodedValues (its checks are generated in). */
    warnings: string[],
  ) => Record<string, SqlValue>;
  /** The whole record when it has the common shape (record/fixedvar.ts wholeRecordReader), else undefined. */
  row: (image: Uint8Array) => DecodedRow | undefined;
}

/**
 * A property key for generated object-literal source: the name as a quoted string key, so V8 builds
 * the object from one boilerplate with every property in the object itself (computed keys, `["x"]: v`,
 * are defined one by one after an empty literal: measured on Node 20, 21–23 ns against 8–14 ns for the
 * 12-column CRM row). `__proto__` stays computed: as a quoted key, `"__proto__": v` would set the
 * prototype instead of defining a property.
 */
export function literalKey(name: string): string {
  return name === '__proto__' ? '["__proto__"]' : JSON.stringify(name);
}

/**
 * An object-literal factory for the output column names. Names are embedded with JSON.stringify,
 * so any column name (quotes, brackets, `__proto__`) is a plain data key — `__proto__` is handled as
 * a computed key, which defines an own property rather than setting the prototype.
 */
function valuesFactory(names: string[]): (scratch: SqlValue[]) => Record<string, SqlValue> {
  if (names.length > 2000 || new Set(names).size !== names.length) {
    return (v) => {
      const o: Record<string, SqlValue> = {};
      for (let i = 0; i < names.length; i++) o[names[i]] = v[i];
      return o;
    };
  }
  const body = 'return {' + names.map((n, i) => `${literalKey(n)}: v[${i}]`).join(', ') + '};';
  return new Function('v', body) as (scratch: SqlValue[]) => Record<string, SqlValue>;
}

/**
 * `compressed`: the layout's records are CD records (ROW/PAGE), where a column is found by its null
 * bit alone (`cdIndex`) and leaf_offset plays no part: a stored column with leaf_offset 0 is read
 * there by its type. In a FixedVar layout a stored column (a null bit, not computed) with leaf_offset
 * 0 has no place in the record: refused (DECODE_SCHEMA_MISMATCH), where it read as NULL on every row,
 * no warning (a CD layout's columns likewise, every value NULL).
 */
function planColumn(c: ColumnLayout, physical: number, compressed: boolean): ColumnPlan {
  const impossible = c.isDropped ? null : impossibleTypeProperties(c);
  if (impossible !== null) {
    throw new DecodeError('DECODE_SCHEMA_MISMATCH', `column ${identifierText(c.name)} is ${impossible}, which no SQL Server column is: the layout is damaged or hand-made (its values would be read with a wrong scale or length); read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql)`, { column: c.name });
  }
  let kind: ColumnKind;
  if (c.isColumnSet) kind = 'unstored';
  else if (c.isSparse) kind = 'sparse';
  else if (c.leafOffset < 0) kind = 'var';
  else if (c.leafOffset > 0) kind = c.type === 'bit' ? 'bit' : 'fixed';
  else if (c.leafNullBit > 0 && compressed) kind = c.type === 'bit' ? 'bit' : 'fixed';
  else if (c.leafNullBit > 0 && !c.computed) {
    throw new DecodeError('DECODE_SCHEMA_MISMATCH', `column ${identifierText(c.name)} has a null bit (leaf_null_bit ${c.leafNullBit}) but leaf_offset 0: a stored column of an uncompressed record has a fixed slot (leaf_offset > 0) or a variable-column index (< 0), so its place in the record is unknown and its value would read as NULL; read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql) or give its DATA_COMPRESSION if the partition is ROW/PAGE-compressed`, { column: c.name });
  } else kind = 'unstored'; // non-persisted computed columns have no leaf slot
  if (kind === 'fixed' && isVariableLengthType(c.type)) kind = 'var';
  return {
    column: c,
    name: c.name,
    kind,
    offset: c.leafOffset > 0 ? c.leafOffset : 0,
    length: kind === 'fixed' ? Math.max(0, fixedStorageLength(c)) : 0,
    bit: c.leafBitPosition ?? 0,
    varIndex: c.leafOffset < 0 ? -c.leafOffset - 1 : -1,
    nullBit: c.leafNullBit > 0 ? c.leafNullBit - 1 : -1,
    physical,
    cdIndex: kind !== 'unstored' && kind !== 'sparse' && c.leafNullBit > 0 ? c.leafNullBit - 1 : -1,
    isUniquifier: c.isUniquifier,
    // A 16-byte non-complex text/ntext/image value is a text pointer only when 'text in row' is OFF. With it
    // ON the row holds the string itself ("stored similarly to variable-length strings") or the in-row root
    // (24-72 bytes), never a 16-byte pointer (Microsoft, SQL Server 2000 Architecture "text, ntext, and image
    // Data When text in row Is Set to ON"); the option shows as max_length = the in-row limit (24-7000,
    // syscolpars.length = maxinrow: 3000/6000 in aspnetdb.mdf) instead of 16.
    isTextPointer: isTextPointerType(c.type) && !(c.maxLength > 16),
    isXml: c.type === 'xml',
    hasDefault: c.defaultValue !== undefined,
    defaultValue: c.defaultValue === undefined ? null : c.defaultValue,
    decode: valueDecoder(c),
  };
}

/**
 * Why a live column's type properties are ones SQL Server never gives a column (what it says, e.g.
 * `datetime2 with scale 9`), or null. MS Learn: time, datetime2 and datetimeoffset take a
 * fractional-seconds scale 0–7; decimal and numeric a precision 1–38 and a scale 0–p; char(n) and
 * binary(n) n 1–8000 bytes, nchar(n) n 1–4000 (2n bytes); a bit is one of a byte's 8 bits (leaf_bit_position 0–7). A layout breaking them comes from a
 * hand-made or converted catalog (the DDL parser refuses such types): before, catalog JSON with a
 * datetime2 of scale 9 printed `1982-06-05Tundefined:undefined:undefined.000000NaN` and a
 * decimal(5,7) printed `0.0012345`, with no warning. Dropped columns are not judged (their values
 * are not printed, and a data file's dropped-column properties come from sysrscols).
 */
export function impossibleTypeProperties(c: Pick<ColumnLayout, 'type' | 'maxLength' | 'precision' | 'scale'> & Partial<Pick<ColumnLayout, 'leafBitPosition'>>): string | null {
  const whole = (n: number, lo: number, hi: number): boolean => Number.isInteger(n) && n >= lo && n <= hi;
  switch (c.type) {
    case 'bit':
      // one bit of a shared byte (leaf_bit_position 0–7): 1 << 8 and above tested no bit of the byte, so the column read false on every row
      return whole(c.leafBitPosition ?? 0, 0, 7) ? null : `bit with leaf_bit_position ${c.leafBitPosition} (0–7)`;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return whole(c.scale, 0, 7) ? null : `${c.type} with scale ${c.scale} (0–7)`;
    case 'decimal':
    case 'numeric':
      return whole(c.precision, 1, 38) && whole(c.scale, 0, c.precision) ? null : `${c.type}(${c.precision},${c.scale}) (precision 1–38, scale 0–precision)`;
    case 'char':
    case 'binary':
      return whole(c.maxLength, 1, 8000) ? null : `${c.type} with max_length ${c.maxLength} (1–8000 bytes)`;
    case 'nchar':
      return whole(c.maxLength, 2, 8000) && c.maxLength % 2 === 0 ? null : `nchar with max_length ${c.maxLength} (2–8000 bytes, even)`;
    default:
      return null;
  }
}

const plans = new WeakMap<TableLayout, RowPlan>();
/** The last layout asked for and its plan: a scan decodes long runs of one table (skips the WeakMap lookup). */
let lastTable: TableLayout | null = null;
let lastPlan: RowPlan | null = null;

export function planFor(table: TableLayout): RowPlan {
  if (table === lastTable) return lastPlan as RowPlan;
  let p = plans.get(table);
  if (p) {
    lastTable = table;
    lastPlan = p;
    return p;
  }
  const compressed = table.compression === 'ROW' || table.compression === 'PAGE';
  const all = table.columns.map((c, i) => planColumn(c, i, compressed));
  const visible = all.filter((cp) => isVisibleColumn(cp.column));
  // Output in sys.columns order (column_id); the physical order puts clustering keys first.
  const output = visible
    .map((cp, i) => ({ cp, i }))
    .sort((a, b) => (a.cp.column.columnId || Infinity) - (b.cp.column.columnId || Infinity) || a.i - b.i)
    .map((x) => x.cp);
  const varIndexOwner = new Map<number, ColumnPlan>();
  for (const cp of all) if (cp.kind === 'var') varIndexOwner.set(cp.varIndex, cp);
  const varNullBits = new Int32Array(varIndexOwner.size === 0 ? 0 : maxOf(varIndexOwner.keys()) + 1).fill(-1);
  for (const [k, cp] of varIndexOwner) varNullBits[k] = cp.nullBit;
  const sparseById = new Map<number, ColumnPlan>();
  for (const cp of all) if (cp.kind === 'sparse') sparseById.set(cp.column.columnId, cp);
  p = {
    table,
    output,
    uniquifier: all.find((cp) => cp.isUniquifier) ?? null,
    physical: all,
    varIndexOwner,
    varNullBits,
    hasSparse: sparseById.size > 0,
    sparseById,
    makeValues: valuesFactory(output.map((cp) => cp.name)),
    scratch: new Array<SqlValue>(output.length).fill(null),
    storedColumns: maxOf(all.map((cp) => cp.nullBit + 1), 0),
    // A column with a fixed slot (leaf offset > 0) read as another kind (a variable-length type there:
    // an unknown system type read as varbinary, a fixed-length CLR type) has a slot length not known
    // here: no extent, rather than a warning on every row of a table read with its own catalog.
    fixedExtent: all.reduce((end, cp) => (cp.kind === 'bit' ? Math.max(end, cp.offset + 1) : cp.kind === 'fixed' ? (cp.length > 0 ? Math.max(end, cp.offset + cp.length) : Infinity) : cp.kind === 'var' && cp.column.leafOffset > 0 ? Infinity : end), 4),
    fixedVarFast: undefined,
    cdFast: undefined,
    limits: output.map(limitOf).filter((l): l is ValueLimit => l !== null),
    variants: output.filter((cp) => cp.column.type === 'sql_variant').map((cp) => ({ name: cp.name, codePage: columnCodePage(cp.column) })),
    notNull: notNullChecker(output),
    // one per slot (several ALTERs may have left copies there: the latest, highest id, is how the
    // slot was read last), none where a live column shares the slot (an in-place change)
    alterDropped: all.filter((cp) => isAlterDropped(cp)
      && !all.some((x) => x.column.leafOffset === cp.column.leafOffset && x.nullBit === cp.nullBit && (!x.column.isDropped || (isAlterDropped(x) && x.column.partitionColumnId > cp.column.partitionColumnId)))),
    filestream: output.filter((cp) => cp.column.isFilestream === true).map((cp) => cp.name),
    filestreamUnknown: output.filter((cp) => cp.column.filestreamUnknown === true).map((cp) => cp.name),
    stringColumns: output.filter((cp) => ['char', 'varchar', 'text', 'nchar', 'nvarchar', 'ntext', 'sysname'].includes(cp.column.type)).length,
  };
  plans.set(table, p);
  lastTable = table;
  lastPlan = p;
  return p;
}
