/**
 * The JSON form of one decoded column value (see README "Types and their output form").
 * Numbers only where JSON numbers are exact for the type (up to int, real/float);
 * bigint and every decimal are strings; binary is `0x…` upper-case hex.
 */
export type OffRowKind = 'text-pointer' | 'row-overflow' | 'lob-root';

/**
 * A value stored outside the row: on other pages of the data file (`PagedOffRow`: a text pointer, a
 * row-overflow or LOB root pointer, resolved from pages when a source has them), or a FILESTREAM
 * column's file (`FilestreamOffRow`: never resolved). A re-insert refuses a row holding one
 * (REINSERT_OFFROW_VALUE).
 */
export interface OffRowMarker {
  offRow: PagedOffRow | FilestreamOffRow;
}

/**
 * A FILESTREAM varbinary(max) column's value: a file in the database's FILESTREAM container, of
 * which the row holds only a pointer (Microsoft Press, "SQL Server 2012 Internals", Special Storage:
 * "a 48-byte file pointer value in the column"; its layout is not published). No log row image,
 * data-file page or page of a backup's data holds the value, and rowback does not read the container
 * nor a backup's FILESTREAM data, so it is never resolved: the row is printed with this marker (and
 * a warning) in the column's place, the other columns as decoded.
 */
export interface FilestreamOffRow {
  kind: 'filestream';
  /** The pointer's bytes as the row holds them (`0x…` upper-case hex), when they were read as bytes: evidence, not the value. */
  pointer?: string;
  /** Why the value is not here and where it may be. */
  unavailable: string;
}

export interface PagedOffRow {
  /** `file:page`, e.g. `1:1234`. */
  page: string;
  slot: number;
  kind: OffRowKind;
  /** Total length of the value when the pointer records it (row-overflow and LOB roots). */
  length?: number;
  /** Text-pointer timestamp (hex), when present. */
  timestamp?: string;
  /**
   * Set when a recovery tried to read the value from data-file or backup pages and could not: why
   * it is gone (page missing, slot emptied, LOB root now carrying another blob id, …), with its code.
   */
  unavailable?: string;
}

export interface VariantValue {
  baseType: string;
  /**
   * The base type's precision and scale as the variant stores them (SQL_VARIANT_PROPERTY Precision /
   * Scale): decimal/numeric carry both, time/datetime2/datetimeoffset their scale. Absent for other
   * base types. A re-insert needs them: `decimal` alone would be decimal(18,0), rounding 123.4567 to 123.
   */
  precision?: number;
  scale?: number;
  /**
   * SQL_VARIANT_PROPERTY MaxLength in bytes, for binary/varbinary/char/varchar/nchar/nvarchar base
   * types: the declared length of the value's type (varchar(50): 50, nchar(10): 20), never less than
   * the value's own length (types/variant.ts).
   */
  maxLength?: number;
  /**
   * SQL_VARIANT_PROPERTY Collation of a char/varchar/nchar/nvarchar value (its own, stored with it),
   * when rowback can name it (collation-ids.ts). Absent for other base types, and when unknown: the
   * text of a char/varchar value is then read in the column's code page, with a warning when not ASCII.
   */
  collation?: string;
  value: SqlValue;
}

export type SqlValue = null | number | string | boolean | OffRowMarker | VariantValue;

export function isOffRow(v: SqlValue): v is OffRowMarker {
  return typeof v === 'object' && v !== null && 'offRow' in v;
}

/** An off-row value on pages (text pointer, row-overflow, LOB root), which a source with pages may resolve; not a FILESTREAM file. */
export function isPagedOffRow(v: SqlValue): v is { offRow: PagedOffRow } {
  return isOffRow(v) && v.offRow.kind !== 'filestream';
}
