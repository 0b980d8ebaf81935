/**
 * The JSON form of one decoded column value (see README "Types and their output form").
 * Numbers only where JSON numbers are exact for the type (up to int, real/float);
 * bigint and every decimal are strings; binary is `0x…` upper-case hex.
 */
export type OffRowKind = 'text-pointer' | 'row-overflow' | 'lob-root';

export interface OffRowMarker {
  offRow: {
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
  };
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
