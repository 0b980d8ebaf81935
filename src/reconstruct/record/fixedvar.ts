import { DecodeError } from '../../errors.js';
import { toHex } from '../../util/hex.js';
import type { DecodedRow } from '../decode-row.js';
import type { SqlValue } from '../values.js';
import { readI32, readU16, readU32 } from '../types/integer.js';
import { COMPLEX_BACK_POINTER, holdsTextPointer, parseComplexColumn, parseTextPointer, TEXT_POINTER_SIZE } from './complex.js';
import { checkDecodedValues, judgeLimit, limitTestSource, literalKey, movedColumnClause, movedColumnHolding, notNullMessage, predatesColumn, type ColumnPlan, type FixedVarFast, type RowPlan } from './plan.js';
import { charDecoder, decodeNvarchar, fixedReader, oddUtf16, outOfRange, type BoundDecoder, type FixedReader } from '../types/index.js';
import { NOTE_UNDEFINED, type CodePageDecoder } from '../collation.js';
import { ROW_TEXT_NOTES, undefinedBytesWarning } from '../types/string.js';
import { parseSparseVector } from './sparse.js';
import { identifierText } from '../../util/identifier-text.js';
import {
  isGhostType, RECORD_NULL_BITMAP, RECORD_TYPE_MASK, RECORD_TYPES, RECORD_VARIABLE_COLUMNS,
  RECORD_VERSIONING_BIT, RECORD_VERSIONING_TAG, STATUS_B_GHOST_FORWARDED, VERSIONING_TAG_SIZE,
} from './status.js';

/**
 * FixedVar record (the uncompressed row format), FORMAT-NOTES §1 and OrcaMDF PrimaryRecord.cs:
 *
 *   0   status A (status.ts)           1  status B
 *   2   u16 end of the fixed part      4  fixed-length columns at their leaf_offset
 *   F   u16 column count               F+2  null bitmap, ceil(count/8) bytes (when status A 0x10)
 *   …   u16 variable-column count, u16 end offset per variable column (0x8000 = complex column)
 *   …   variable-length data, then the 14-byte versioning tag when status A 0x40.
 *
 * Facts the decoder relies on (all seen in text-examples):
 *  - unused null-bitmap bits and unused bits in shared bit bytes can be non-zero: always mask;
 *  - a NULL fixed column keeps garbage in its slot: never decode it;
 *  - trailing NULL variable columns have no offset entry; a NULL in the middle repeats the previous end;
 *  - a non-unique clustered index adds the uniquifier as a variable column (empty = 0).
 */

const EMPTY = new Uint8Array(0);

/** DECODE_TRUNCATED: the image ends inside `what` (byte `offset` of the image); `column` names the column it belongs to, when one does. */
export function truncated(what: string, offset: number, column?: string): DecodeError {
  return new DecodeError('DECODE_TRUNCATED', `row image ends inside ${what}`, column !== undefined ? { offset, column } : { offset });
}

/**
 * Status A with bit 0 set: never in a FixedVar record of SQL Server 2005+ (status.ts), always in a
 * CD record (its CD-format bit). So the layout says the partition is uncompressed while the record
 * is row-compressed: the layout's DATA_COMPRESSION is wrong for this partition (a `--ddl` without
 * `WITH (DATA_COMPRESSION = ROW|PAGE)`, a partition compressed unlike the others). Read as FixedVar
 * its bytes would give values that look right and are not, so it is refused.
 */
function cdRecordUnderFixedVar(statusA: number): DecodeError {
  return new DecodeError('DECODE_SCHEMA_MISMATCH', `record header 0x${statusA.toString(16).padStart(2, '0')} has the CD-format bit (0x01): a row-compressed record, but the layout says the partition is uncompressed (DATA_COMPRESSION NONE); give the partition's compression (ROW or PAGE) with --ddl/--schema, or its data file`, { offset: 0 });
}

/**
 * `exact` (decodeRow's default): the image is the record exactly, as a log row image (RowLog Contents 0
 * of LOP_INSERT_ROWS / LOP_DELETE_ROWS) and a page record cut to its own length are. Bytes after the
 * record's end then contradict its header and the image is refused (`bytesAfterRecord`); otherwise
 * (a buffer that may run past the record) they are named in a warning and ignored.
 */
export function decodeFixedVar(image: Uint8Array, plan: RowPlan, exact = true): DecodedRow {
  let fast = plan.fixedVarFast;
  if (fast === undefined) fast = plan.fixedVarFast = fastReaderFor(plan);
  if (fast !== null) {
    // The common record shape, whole, in the layout's generated code; anything else (undefined) below.
    const row = fast.row(image);
    if (row !== undefined) return row;
  }
  const n = image.length;
  if (n < 1) throw truncated('the status byte', 0);
  const statusA = image[0];
  if ((statusA & RECORD_VERSIONING_BIT) !== 0) throw cdRecordUnderFixedVar(statusA);
  const recordType = RECORD_TYPES[(statusA & RECORD_TYPE_MASK) >> 1];

  if (recordType === 'forwarding-stub') {
    // A forwarding stub is 9 bytes: status, then the RID of the forwarded record (page u32, file u16, slot u16).
    if (n < 9) throw truncated('the forwarding stub', n);
    const target = `${readU16(image, 5)}:${readU32(image, 1)}:${readU16(image, 7)}`;
    return {
      values: {},
      warnings: [`forwarding stub: holds no column data; the row lives at ${target}`],
      recordType, ghost: false, format: 'fixedvar', columnCount: 0,
    };
  }
  if (recordType === 'index' || recordType === 'ghost-index' || recordType === 'blob-fragment') {
    throw new DecodeError('DECODE_UNSUPPORTED', `${recordType} record: not a data row of this table layout`, { offset: 0 });
  }
  if (n < 4) throw truncated('the record header', n);
  const statusB = image[1];
  const fixedEnd = readU16(image, 2);
  if (fixedEnd < 4) throw new DecodeError('DECODE_BAD_RECORD', `fixed-part end ${fixedEnd} is inside the record header`, { offset: 2 });
  if (fixedEnd > n || ((statusA & RECORD_NULL_BITMAP) !== 0 && fixedEnd + 2 > n)) throw truncated(`the fixed part (ends at ${fixedEnd})`, n);
  // Without the null-bitmap bit the record has neither a null bitmap nor a column count: the
  // variable-column count follows the fixed part directly. SQL Server writes such records only for
  // tables that hold nothing but sparse columns when the row is written (improve.dk "The null bitmap
  // is not always present in data records", 2011; field case improvedk-nullbitmap-sparse-only). Such
  // a record holds no null-bitmapped column at all: columnCount 0, so every non-sparse column (added
  // later) reads as missing (its default or NULL, with a warning).
  const hasBitmap = (statusA & RECORD_NULL_BITMAP) !== 0;
  let columnCount = 0;
  let pos = fixedEnd;
  if (hasBitmap) {
    columnCount = readU16(image, fixedEnd);
    pos += 2;
  }
  const bitmapStart = pos;
  if (hasBitmap) {
    pos += (columnCount + 7) >> 3;
    if (pos > n) throw truncated(`the null bitmap (${columnCount} columns)`, n);
  }
  let varCount = 0;
  let varArray = pos;
  if ((statusA & RECORD_VARIABLE_COLUMNS) !== 0) {
    if (pos + 2 > n) throw truncated('the variable-column count', n);
    varCount = readU16(image, pos);
    varArray = pos + 2;
    pos = varArray + 2 * varCount;
    if (pos > n) throw truncated(`the variable-column offset array (${varCount} entries)`, n);
  }
  const varDataStart = pos;
  // Check the offset array once: ends never go backwards and stay inside the image.
  let prevEnd = varDataStart;
  for (let k = 0; k < varCount; k++) {
    const end = readU16(image, varArray + 2 * k) & 0x7fff;
    if (end < prevEnd || end > n) {
      // the layout's column in that slot of the offset array, named (README: errors name the column)
      const column = plan.varIndexOwner.get(k)?.name;
      const which = `variable column ${k + 1}${column !== undefined ? ` (${column})` : ''}`;
      if (end < prevEnd) throw new DecodeError('DECODE_BAD_RECORD', `${which} ends at ${end}, before its start ${prevEnd}`, column !== undefined ? { offset: varArray + 2 * k, column } : { offset: varArray + 2 * k });
      throw truncated(`${which} (ends at ${end})`, n, column);
    }
    prevEnd = end;
  }
  const dataEnd = prevEnd;
  // A forwarded record's last variable-length entry is its back pointer to the forwarding stub
  // (complex column id 1024, 10 bytes: OrcaMDF Record.cs "For the forwarded record, the last varlength
  // column is a backpointer", improve.dk "Anatomy of a forwarded record – the back pointer"), not a
  // column of the table: SQL Server leaves trailing NULL and empty variable columns out of the offset
  // array, so the pointer may sit in the slot of such a column, which then read as holding it (a NULL
  // column "damaged", an empty one refused as holding a back-pointer). It is not counted as a column.
  if (recordType === 'forwarded' && varCount > 0 && isBackPointerEntry(image, varArray, varCount - 1, varDataStart)) varCount--;

  const warnings: string[] = [];
  let versioningTag: string | undefined;
  if ((statusA & RECORD_VERSIONING_TAG) !== 0) {
    if (dataEnd + VERSIONING_TAG_SIZE > n) throw truncated('the 14-byte versioning tag', n);
    versioningTag = toHex(image, dataEnd, dataEnd + VERSIONING_TAG_SIZE);
  }
  const recordEnd = dataEnd + (versioningTag !== undefined ? VERSIONING_TAG_SIZE : 0);
  // a record is at least 9 bytes (SQL Server pads shorter ones); bytes past that are not this record's
  if (recordEnd < n && n > 9) {
    if (exact) throw bytesAfterRecord(image, plan, { statusA, fixedEnd, hasBitmap, columnCount, bitmapStart, varCount, varArray, recordEnd });
    warnings.push(`${n - recordEnd} byte(s) after the record's end (offset ${recordEnd}) ignored`);
  }
  // Unused null-bitmap bits (beyond the record's own column count) are left as they were by SQL
  // Server: set in ordinary rows of the corpus (AngularJs_CRUD dbo.Employee 0x40, 0xd0; pubs
  // pub_info) and of the field cases (improvedk heap 0xfe, lc LOB row 0xbc). They are masked and not
  // said: a warning on every such row told the reviewer nothing about the row and taught them to skip
  // warnings (it was one until session 8).

  if (hasBitmap && varCount > 0) nullWithBytes(image, plan, warnings, columnCount, bitmapStart, varCount, varArray, varDataStart);
  if (fixedEnd > plan.fixedExtent) warnings.push(fixedPartOverrun(plan, fixedEnd));
  if (columnCount > plan.storedColumns) {
    warnings.push(`record holds ${columnCount} columns but the layout knows ${plan.storedColumns}: the layout may be older than the row (schema drift)`);
  } else {
    if (varCount > 0 && (varCount > plan.varNullBits.length || columnCount < plan.storedColumns)) {
      const unowned = varEntriesBeyondLayout(image, plan, columnCount, varCount, varArray, varDataStart);
      if (unowned !== null) warnings.push(unowned);
    }
    if (columnCount < plan.storedColumns) {
      const later = fixedSlotsOfLaterColumns(plan, columnCount, fixedEnd);
      if (later !== null) warnings.push(later);
    }
  }
  let values: Record<string, SqlValue>;
  if (fast !== null && fixedEnd >= fast.minFixedEnd && columnCount >= fast.minColumns) {
    // Every column's bytes are known to be in the record: the generated reader (same checks, same order).
    values = fast.read(image, columnCount, hasBitmap, bitmapStart, varCount, varArray, varDataStart, warnings);
  } else {
    // One state object reused for every row: decoding is synchronous and never re-entered.
    const ctx = STATE;
    ctx.image = image;
    ctx.plan = plan;
    ctx.warnings = warnings;
    ctx.columnCount = columnCount;
    ctx.fixedEnd = fixedEnd;
    ctx.hasBitmap = hasBitmap;
    ctx.bitmapStart = bitmapStart;
    ctx.varCount = varCount;
    ctx.varArray = varArray;
    ctx.varDataStart = varDataStart;
    ctx.sparse = undefined;
    const out = plan.output;
    const scratch = plan.scratch;
    for (let i = 0; i < out.length; i++) scratch[i] = columnValue(ctx, out[i]);
    values = plan.makeValues(scratch);
    ctx.image = EMPTY; // do not keep the caller's buffer alive
    ctx.sparse = undefined;
    checkDecodedValues(values, plan, columnCount, warnings);
  }

  let uniquifier: number | undefined;
  if (plan.uniquifier) {
    const v = plan.uniquifier;
    uniquifier = 0;
    const nb = v.nullBit;
    if (v.kind === 'var' && v.varIndex < varCount && !(nb >= 0 && nb < columnCount && hasBitmap && (image[bitmapStart + (nb >> 3)] & (1 << (nb & 7))) !== 0)) {
      const s = v.varIndex === 0 ? varDataStart : readU16(image, varArray + 2 * v.varIndex - 2) & 0x7fff;
      const e = readU16(image, varArray + 2 * v.varIndex) & 0x7fff;
      if (e - s === 4) uniquifier = readI32(image, s);
      else if (e !== s) throw new DecodeError('DECODE_BAD_VALUE', `uniquifier has ${e - s} bytes, expected 0 or 4`, { offset: s, column: v.name });
    }
  }

  const row: DecodedRow = {
    values,
    warnings,
    recordType,
    ghost: isGhostType(recordType) || (statusB & STATUS_B_GHOST_FORWARDED) !== 0,
    format: 'fixedvar',
    columnCount,
  };
  if (versioningTag !== undefined) row.versioningTag = versioningTag;
  if (uniquifier !== undefined) row.uniquifier = uniquifier;
  return row;
}

/** Whether variable entry `k` is a complex column holding a forwarded record's back pointer (complex id 1024, 10 bytes: complex.ts). */
function isBackPointerEntry(image: Uint8Array, varArray: number, k: number, varDataStart: number): boolean {
  const raw = readU16(image, varArray + 2 * k);
  if ((raw & 0x8000) === 0) return false;
  const s = k === 0 ? varDataStart : readU16(image, varArray + 2 * k - 2) & 0x7fff;
  const e = raw & 0x7fff;
  return e - s === 10 && readU16(image, s) === COMPLEX_BACK_POINTER;
}

/** The start of {@link fixedPartOverrun}'s warning: the scan's layout check counts it against the layout (recover-rows.ts DRIFT_WARNINGS). */
export const FIXED_PART_OVERRUN_WARNING = /^the record's fixed part ends at offset \d+, \d+ byte\(s\) after the layout's last fixed-length column/;

/**
 * The record's fixed part runs past the layout's last fixed-length column: those bytes belong to no
 * column the layout knows. SQL Server's fixed part is exactly its fixed columns' slots, dropped ones
 * included (they keep their bytes until the table is rebuilt; an ALTER COLUMN to a wider type adds a
 * new slot after the others and leaves the old one), so the layout lacks a column the row was written
 * with: a dropped or altered column a CREATE TABLE script cannot show, or another table's layout. The
 * values are read at the layout's offsets, which may then be another column's bytes. Checked against
 * every page row and log row image of the corpus and the field cases, read with their catalogs.
 */
function fixedPartOverrun(plan: RowPlan, fixedEnd: number): string {
  const extra = fixedEnd - plan.fixedExtent;
  return `the record's fixed part ends at offset ${fixedEnd}, ${extra} byte(s) after the layout's last fixed-length column (ends at ${plan.fixedExtent}): no column of the layout owns them, so the row was written with a column the layout lacks (dropped, altered to another type, or change tracking's hidden one, which a CREATE TABLE script cannot show), or the layout is another table's; fixed-length values may be read from another column's bytes: read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql: sys.columns alone lacks dropped and hidden columns) or give the ALTER TABLE statements (DROP COLUMN, ALTER COLUMN, ENABLE CHANGE_TRACKING) after the CREATE TABLE`;
}

/** The start of {@link varEntriesBeyondLayout}'s warning: the scan's layout check counts it against the layout (layout-warnings.ts DRIFT_WARNINGS). */
export const VAR_ENTRIES_BEYOND_LAYOUT_WARNING = /^the record holds \d+ variable-length column entr(y|ies), \d+ of which no column of the layout in this record owns/;

/**
 * Variable-length entries of the record that no column of the layout *in this record* owns: SQL
 * Server writes one offset-array entry per variable-length column of the table up to the last one not
 * NULL (FORMAT-NOTES §1; OrcaMDF PrimaryRecord.cs), never more, and only for columns the record has
 * (its column count; a column added after the row has neither a null bit nor an entry in it). So an
 * entry is no column's when
 * - its slot is past the layout's variable-length slots (its variable columns' leaf_offset -1, -2, …,
 *   dropped ones and the uniquifier included), or
 * - the column owning its slot has a null bit past the record's column count (the layout says the
 *   row predates that column, yet the row holds a value in its slot).
 * The column count and the fixed part can still agree with the layout: a CREATE TABLE script
 * declaring `Id smallint, Code smallint, DeptName varchar(50)` for AngularJs_CRUD's dbo.tblDept
 * (`Id int, DeptName varchar(50), DeptDesc varchar(50)`: 3 columns, 4 fixed bytes, 2 entries)
 * printed every deleted row as {Id, Code: 0, DeptName}, DeptDesc's bytes dropped unsaid; with a
 * fourth column `DeptDesc varchar(50)` after Code the rows read as predating DeptDesc (NULL), which
 * --accept-layout-drift printed. Not counted: the forwarded record's back pointer (left out of
 * `varCount` before this), and the sparse vector (a complex entry of id 5, which may sit in any slot,
 * a later column's included, when the layout has sparse columns). Returns the warning naming the
 * entries, their owners where they have one, and their bytes; null when no entry is of that kind.
 * Checked against every page row (dump --all) and log row image (scan of every operation) of the
 * corpus read with its own catalog: none has this shape.
 */
function varEntriesBeyondLayout(image: Uint8Array, plan: RowPlan, columnCount: number, varCount: number, varArray: number, varDataStart: number): string | null {
  const owned = plan.varNullBits.length;
  const which: string[] = [];
  let bytes = 0;
  let previewAt = -1;
  let previewEnd = -1;
  for (let k = 0; k < varCount; k++) {
    const nb = k < owned ? plan.varNullBits[k]! : -2;
    // an owned slot whose column is in the record (or has no null bit: never past the count)
    if (nb === -1 || (nb >= 0 && nb < columnCount)) continue;
    const entry = readU16(image, varArray + 2 * k);
    const s = k === 0 ? varDataStart : readU16(image, varArray + 2 * k - 2) & 0x7fff;
    const e = entry & 0x7fff;
    if (plan.hasSparse && (entry & 0x8000) !== 0 && e - s >= 4 && readU16(image, s) === 5) continue; // the sparse vector
    which.push(nb === -2 ? `${k + 1}` : `${k + 1} (${plan.varIndexOwner.get(k)!.name}'s slot, null bit ${nb}: past the record's column count ${columnCount})`);
    bytes += Math.max(0, e - s);
    if (previewAt < 0 && e > s) {
      previewAt = s;
      previewEnd = e;
    }
  }
  if (which.length === 0) return null;
  const shown = which.length > 4 ? `${which.slice(0, 4).join(', ')} and ${which.length - 4} more` : which.join(', ');
  const preview = previewAt < 0 ? '' : `, starting 0x${toHex(image, previewAt, Math.min(previewEnd, previewAt + 16))}${previewEnd - previewAt > 16 ? '…' : ''}`;
  return `the record holds ${varCount} variable-length column ${varCount === 1 ? 'entry' : 'entries'}, ${which.length} of which no column of the layout in this record owns (the layout has ${owned} variable-length column${owned === 1 ? '' : 's'}): ${which.length === 1 ? 'entry' : 'entries'} ${shown} (${bytes} byte(s)${preview}), so the row was written with a variable-length column the layout lacks (dropped or altered, which a CREATE TABLE script cannot show) or the layout is another table's (check --alloc-unit and the catalog's database), not before a column was added; values may be shown in the wrong columns and that value is not shown: read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql)`;
}

/** The start of {@link fixedSlotsOfLaterColumns}'s warning: the scan's layout check counts it against the layout (layout-warnings.ts DRIFT_WARNINGS). */
export const FIXED_SLOT_OF_LATER_COLUMN_WARNING = /^the record's fixed part \(ends at offset \d+\) holds the slot of column/;

/**
 * Fixed-length columns of the layout whose null bit is past the record's column count (the layout
 * says the row was written before them: read as missing, their default or NULL) while the record's
 * fixed part covers their slot. A column added by ALTER TABLE gets a slot after the fixed part of
 * the rows written before it (they keep their fixed-part end until rewritten), so a row predating a
 * column never holds its slot: those bytes are another column's, and the layout is not the one the
 * row was written with (a CREATE TABLE script of another table, or of this one with its columns in
 * another order: `Id smallint, DeptName, DeptDesc, Code smallint NULL` for AngularJs_CRUD's dbo.tblDept
 * `Id int, …` read every row as predating Code, Id from the int's low half). Bit columns are left out
 * (a bit column added later may share a byte of the fixed part with older bit columns), and so is a
 * column whose slot a dropped column had (`inDroppedSlot`: the ADD reused the dropped column's space).
 * Returns the warning naming the columns and the record's fixed-part end, or null.
 */
/**
 * Whether fixed column `cp`'s slot overlaps a dropped column's: a fixed column added after trailing
 * fixed columns were dropped reuses their space (rusanu 2011, "SQL Server table columns under the
 * hood": physical-table-fixed-8; ddl.ts), so a row written before the ADD holds the dropped
 * column's bytes there, not another live column's.
 */
function inDroppedSlot(plan: RowPlan, cp: ColumnPlan): boolean {
  const end = cp.offset + cp.length;
  return plan.physical.some((d) => d.column.isDropped && d !== cp && (d.kind === 'fixed' || d.kind === 'bit') && d.offset < end && cp.offset < d.offset + Math.max(1, d.length));
}

function fixedSlotsOfLaterColumns(plan: RowPlan, columnCount: number, fixedEnd: number): string | null {
  const held: ColumnPlan[] = [];
  for (const cp of plan.physical) {
    if (cp.kind === 'fixed' && cp.length > 0 && cp.nullBit >= columnCount && cp.offset < fixedEnd && !inDroppedSlot(plan, cp)) held.push(cp);
  }
  if (held.length === 0) return null;
  const names = held.map((cp) => `${cp.name} (leaf offset ${cp.offset}, ${cp.length} bytes, null bit ${cp.nullBit})`).join(', ');
  return `the record's fixed part (ends at offset ${fixedEnd}) holds the slot of column${held.length > 1 ? 's' : ''} ${names}, past the record's column count ${columnCount}: a row written before a column was added does not hold its slot, so those bytes are another column's and the layout is not the one the row was written with (another table's, or this table's columns in another order or of other types: check --alloc-unit and the catalog's database), not older than the row; fixed-length values may be read from the wrong bytes: read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql)`;
}

/**
 * A variable-length column NULL in the null bitmap whose offset-array entry gives it bytes. SQL Server
 * writes a NULL variable column with zero length (its end offset repeats the previous end; header
 * comment), so the two contradict each other: the bitmap or the offset array is damaged, and the NULL
 * (what both readers print, as the bitmap says) may hide the column's value. Said on the row, naming
 * the column and both facts, for every such column within the record's column count and variable-column
 * count. Not a contradiction: a complex entry holding the sparse vector, which may sit in the slot of a
 * NULL column added later (field case improvedk-nullbitmap-sparse-only, `findSparseVector`).
 * Checked against every page row and log row image of the corpus and the field cases: none has this shape.
 */
function nullWithBytes(image: Uint8Array, plan: RowPlan, warnings: string[], columnCount: number, bitmapStart: number, varCount: number, varArray: number, varDataStart: number): void {
  const bits = plan.varNullBits;
  const last = varCount < bits.length ? varCount : bits.length;
  for (let k = 0; k < last; k++) {
    const nb = bits[k]!;
    if (nb < 0 || nb >= columnCount || (image[bitmapStart + (nb >> 3)] & (1 << (nb & 7))) === 0) continue;
    const entry = readU16(image, varArray + 2 * k);
    const s = k === 0 ? varDataStart : readU16(image, varArray + 2 * k - 2) & 0x7fff;
    const e = entry & 0x7fff;
    if (e <= s) continue;
    if ((entry & 0x8000) !== 0 && e - s >= 4 && readU16(image, s) === 5) continue; // the sparse vector
    const cp = plan.varIndexOwner.get(k)!; // only for the warning: a Map lookup per NULL column per row cost more than the rest
    warnings.push(`column ${identifierText(cp.name)} is NULL in the null bitmap (bit ${nb}) but the variable-column offset array gives it ${e - s} byte(s) (offsets ${s}-${e}, variable column ${k + 1}): SQL Server writes a NULL variable-length column with zero length, so the bitmap or the offset array is damaged; shown as NULL, its value may be lost (bytes 0x${toHex(image, s, Math.min(e, s + 16))}${e - s > 16 ? '…' : ''})`);
  }
}

/**
 * An exact row image holding bytes after the end its own header gives (10,242 FixedVar data-record images
 * of LOP_INSERT_ROWS / LOP_DELETE_ROWS in the corpus logs and 28 text examples and field cases: none
 * does; two of the examples are padded to 9 bytes). The
 * header and the image contradict each other, so some of the header is damaged and values read through
 * it look right and are not:
 *  - status bit 0x20 (variable-length columns) cleared while a variable-length column within the
 *    record's column count is not NULL: SQL Server leaves the variable-column block out only when no
 *    variable-length column holds bytes, so that column would read as '' (empty) with its bytes after
 *    the "end" (named, with whether those bytes read as a variable-column block ending at the image's end);
 *  - a variable-column block whose last end offset stops short of the image's end: that value (or the
 *    versioning tag) may be cut short (the last variable column is named);
 *  - otherwise a fixed-part end, column count or status bit (null bitmap 0x10, versioning tag 0x40)
 *    that makes the record shorter than it is (columns read as missing, a tag dropped).
 * DECODE_BAD_RECORD at the record's end, naming the column when there is one.
 */
function bytesAfterRecord(
  image: Uint8Array,
  plan: RowPlan,
  r: { statusA: number; fixedEnd: number; hasBitmap: boolean; columnCount: number; bitmapStart: number; varCount: number; varArray: number; recordEnd: number },
): DecodeError {
  const n = image.length;
  const { recordEnd } = r;
  const extra = n - recordEnd;
  const status = `0x${r.statusA.toString(16).padStart(2, '0')}`;
  const tagHint = extra === VERSIONING_TAG_SIZE && (r.statusA & RECORD_VERSIONING_TAG) === 0 ? `; ${VERSIONING_TAG_SIZE} bytes is a versioning tag's size, and status bit 0x40 (versioning tag) is clear` : '';
  const tail = `a row image (RowLog Contents 0, a DBCC PAGE record) is the record exactly${tagHint}; if these bytes are another record, give only the first`;
  if ((r.statusA & RECORD_VARIABLE_COLUMNS) === 0) {
    // The first variable-length column (in offset-array order) the null bitmap says holds a value.
    let first: ColumnPlan | undefined;
    for (const cp of plan.varIndexOwner.values()) {
      const nb = cp.nullBit;
      if (nb >= r.columnCount) continue;
      if (r.hasBitmap && nb >= 0 && (image[r.bitmapStart + (nb >> 3)] & (1 << (nb & 7))) !== 0) continue;
      if (first === undefined || cp.varIndex < first.varIndex) first = cp;
    }
    if (first !== undefined) {
      const block = readsAsVarBlock(image, recordEnd);
      return new DecodeError(
        'DECODE_BAD_RECORD',
        `status byte ${status} says the record has no variable-length columns (bit 0x20 clear), yet column ${identifierText(first.name)} is not NULL and ${extra} byte(s) follow the record's end at offset ${recordEnd}${block > 0 ? ` (they read as a variable-column block of ${block} column(s) ending at the image's end)` : ''}: SQL Server leaves that block out only when no variable-length column holds bytes, so the status byte is damaged and ${identifierText(first.name)} would read as empty instead of its value (${tail})`,
        { offset: recordEnd, column: first.name },
      );
    }
  } else if (r.varCount > 0) {
    const k = r.varCount - 1;
    const last = plan.varIndexOwner.get(k)?.name;
    const end = readU16(image, r.varArray + 2 * k) & 0x7fff;
    return new DecodeError(
      'DECODE_BAD_RECORD',
      `the record ends at offset ${recordEnd} (variable column ${k + 1}${last !== undefined ? `, ${last},` : ''} ends at ${end}) but the image holds ${extra} more byte(s): an end offset or the record header is damaged, so the value${last !== undefined ? ` of ${last}` : ''} may be cut short (${tail})`,
      last !== undefined ? { offset: recordEnd, column: last } : { offset: recordEnd },
    );
  }
  return new DecodeError(
    'DECODE_BAD_RECORD',
    `the record ends at offset ${recordEnd} (status byte ${status}, fixed part ends at ${r.fixedEnd}, ${r.hasBitmap ? `${r.columnCount} columns` : 'no null bitmap'}) but the image holds ${extra} more byte(s): its header is damaged, so columns would read as missing or short (${tail})`,
    { offset: recordEnd },
  );
}

/** Entries of a variable-column block at `at` that ends exactly at the image's end (non-decreasing offsets), else 0. */
function readsAsVarBlock(image: Uint8Array, at: number): number {
  const n = image.length;
  if (at + 2 > n) return 0;
  const count = readU16(image, at);
  const data = at + 2 + 2 * count;
  if (count === 0 || data > n) return 0;
  let prev = data;
  for (let k = 0; k < count; k++) {
    const end = readU16(image, at + 2 + 2 * k) & 0x7fff;
    if (end < prev) return 0;
    prev = end;
  }
  return prev === n ? count : 0;
}

/** What the column readers need to know about the record being decoded (one small object per row). */
interface RowState {
  image: Uint8Array;
  plan: RowPlan;
  warnings: string[];
  columnCount: number;
  fixedEnd: number;
  hasBitmap: boolean;
  bitmapStart: number;
  varCount: number;
  varArray: number;
  varDataStart: number;
  sparse: Map<number, [number, number]> | null | undefined;
}

const STATE: RowState = {
  image: EMPTY, plan: null as unknown as RowPlan, warnings: [], columnCount: 0, fixedEnd: 0, hasBitmap: false,
  bitmapStart: 0, varCount: 0, varArray: 0, varDataStart: 0, sparse: undefined,
};

function isNullBit(r: RowState, bit: number): boolean {
  return (r.image[r.bitmapStart + (bit >> 3)] & (1 << (bit & 7))) !== 0;
}

function missing(r: RowState, cp: ColumnPlan): SqlValue {
  r.warnings.push(predatesColumn(cp, r.columnCount, movedColumnClause(cp, alterDroppedHeld(r))));
  return cp.defaultValue;
}

/** The ALTER-dropped columns (plan.ts `alterDropped`) this record holds not NULL, each with its value read as its old type (plan.ts movedColumnHolding). */
function alterDroppedHeld(r: RowState): string[] {
  const out: string[] = [];
  for (const d of r.plan.alterDropped) {
    if (d.nullBit >= r.columnCount) continue;
    // the notes of its bytes a code page does not define: said in the clause (movedColumnHolding), not as a row value's
    const noted = ROW_TEXT_NOTES.length;
    let v: SqlValue | Error;
    try {
      v = columnValue(r, d);
    } catch (e) {
      v = e instanceof Error ? e : new Error(String(e));
    }
    // NULL there: the moved value was NULL too (or the row was written after the ALTER), so the NULL shown holds either way
    if (v !== null) out.push(movedColumnHolding(d, v, noted));
    else ROW_TEXT_NOTES.length = noted;
  }
  return out;
}

function columnValue(r: RowState, cp: ColumnPlan): SqlValue {
  const image = r.image;
  switch (cp.kind) {
    case 'unstored':
      if (cp.column.computed) r.warnings.push(`column ${identifierText(cp.name)} is computed and not stored in the row: NULL`);
      return null;
    case 'sparse': {
      if (r.sparse === undefined) r.sparse = checkedSparseVector(r);
      const range = r.sparse?.get(cp.column.columnId);
      if (!range) return null;
      // an xml column may be SPARSE (MS Learn "Use sparse columns" excludes geography, geometry, image,
      // ntext, text, timestamp and user-defined types only): its value in the vector is binary XML as
      // well, said as for a variable column (below); before, a sparse xml value printed as hex unsaid
      if (cp.isXml && range[1] > range[0]) r.warnings.push(`column ${identifierText(cp.name)}: binary XML is not decoded; shown as hex`);
      return cp.decode(image, range[0], range[1]);
    }
    default:
      break;
  }
  const nb = cp.nullBit;
  if (nb >= r.columnCount) return missing(r, cp);
  if (r.hasBitmap && nb >= 0 && isNullBit(r, nb)) return null;
  if (cp.kind === 'fixed') {
    const s = cp.offset;
    const e = s + cp.length;
    if (e > r.fixedEnd) {
      if (nb < 0) return missing(r, cp);
      throw new DecodeError('DECODE_SCHEMA_MISMATCH', `fixed column ${identifierText(cp.name)} (leaf offset ${s}, ${cp.length} bytes) lies past the fixed part's end ${r.fixedEnd}`, { offset: s, column: cp.name });
    }
    return cp.decode(image, s, e);
  }
  if (cp.kind === 'bit') {
    if (cp.offset >= r.fixedEnd) {
      if (nb < 0) return missing(r, cp);
      throw new DecodeError('DECODE_SCHEMA_MISMATCH', `bit column ${identifierText(cp.name)} (leaf offset ${cp.offset}) lies past the fixed part's end ${r.fixedEnd}`, { offset: cp.offset, column: cp.name });
    }
    return (image[cp.offset] & (1 << cp.bit)) !== 0;
  }
  // Variable-length column.
  const k = cp.varIndex;
  if (k >= r.varCount) {
    // Not NULL by the bitmap but no offset entry: a zero-length value (OrcaMDF PrimaryRecordEntityParser).
    // SQL Server leaves trailing empty ('') and NULL variable columns out of the offset array, and the
    // whole variable block (status bit 0x20) when every one is empty or NULL (DBCC PAGE of the
    // ReferringUrl rows 3, 6 and 7 in stackoverflow.com/q/29381088). So a record whose count lost its
    // last entry while that column was '' cannot come from SQL Server: it never writes that entry.
    if (cp.column.type === 'sql_variant') return null;
    return cp.decode(EMPTY, 0, 0);
  }
  const entry = readU16(image, r.varArray + 2 * k);
  const s = k === 0 ? r.varDataStart : readU16(image, r.varArray + 2 * k - 2) & 0x7fff;
  const e = entry & 0x7fff;
  if ((entry & 0x8000) !== 0) {
    const cv = parseComplexColumn(image, s, e, cp.name, holdsTextPointer(cp.column));
    if (cv.kind === 'off-row') return cv.marker;
    throw new DecodeError('DECODE_BAD_RECORD', `column ${identifierText(cp.name)} holds a ${cv.kind}, not a value`, { offset: s, column: cp.name });
  }
  if (cp.isTextPointer && e - s === TEXT_POINTER_SIZE) {
    // text/ntext/image keep a 16-byte text pointer in row unless the table option 'text in row' is on.
    return parseTextPointer(image, s);
  }
  if (cp.isXml && e > s) r.warnings.push(`column ${identifierText(cp.name)}: binary XML is not decoded; shown as hex`);
  return cp.decode(image, s, e);
}

/**
 * The sparse vector: the complex variable column whose complex-column id (first u16) is 5 (improve.dk
 * "Identifying complex columns in records"). It may sit in any variable slot, including one a column
 * added later owns while that column is NULL or missing (field case improvedk-nullbitmap-sparse-only:
 * `ADD C varchar(10)` after the vector was written, the vector still in slot 1, C NULL in the bitmap);
 * the owner column itself then fails with DECODE_BAD_RECORD if the bitmap says it holds a value.
 * No vector (e.g. a 9-byte sparse-only record with every sparse column NULL) = every sparse column NULL.
 */
function findSparseVector(r: RowState): Map<number, [number, number]> | null {
  const image = r.image;
  for (let k = 0; k < r.varCount; k++) {
    const entry = readU16(image, r.varArray + 2 * k);
    if ((entry & 0x8000) === 0) continue;
    const s = k === 0 ? r.varDataStart : readU16(image, r.varArray + 2 * k - 2) & 0x7fff;
    const e = entry & 0x7fff;
    if (e - s >= 4 && readU16(image, s) === 5) return parseSparseVector(image, s, e);
  }
  return null;
}

/** The start of {@link checkedSparseVector}'s warning: the scan's layout check counts it against the layout (layout-warnings.ts DRIFT_WARNINGS). */
export const SPARSE_UNKNOWN_ID_WARNING = /^the sparse vector holds a value for column id/;

/**
 * {@link findSparseVector}, its column ids checked against the layout. Sparse values are matched to
 * columns by sys.columns.column_id alone, so a layout whose ids are not the table's puts them in the
 * wrong columns with no other sign: a CREATE TABLE script numbers its columns 1, 2, … in its order,
 * while a table that had a column dropped before it was scripted keeps the gap (breaker: ID 1, X 2
 * dropped, A 3 and B 4 sparse, scripted as ID, A, B: A=7, B=1234 printed A NULL, B 7, no word).
 *  - an id of a non-sparse column of the layout: DECODE_SCHEMA_MISMATCH naming that column (SQL
 *    Server keeps only sparse columns in the vector);
 *  - an id no column of the layout has: a drift warning (the row is not printed by a scan whose
 *    layout check stops the table), unless the layout holds as many dropped sparse columns (exact
 *    metadata of a table that dropped one: SQL Server ignores that value, and so does the decoder).
 */
function checkedSparseVector(r: RowState): Map<number, [number, number]> | null {
  const vector = findSparseVector(r);
  if (vector === null) return null;
  const plan = r.plan;
  let unknown: number[] | undefined;
  for (const [id, range] of vector) {
    if (plan.sparseById.has(id)) continue;
    const other = plan.physical.find((cp) => cp.column.columnId === id && !cp.column.isDropped);
    if (other !== undefined) {
      throw new DecodeError('DECODE_SCHEMA_MISMATCH', `the sparse vector holds a value for column id ${id}, which is ${other.name}, not a sparse column in the layout: the layout's column ids or SPARSE flags are not the ones the row was written with (a CREATE TABLE script numbers its columns anew when one was dropped before it was scripted); read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql)`, { offset: range[0], column: other.name });
    }
    (unknown ??= []).push(id);
  }
  if (unknown !== undefined) {
    const droppedSparse = plan.physical.filter((cp) => cp.column.isDropped && cp.column.isSparse).length;
    if (unknown.length > droppedSparse) {
      const known = [...plan.sparseById.values()].map((cp) => `${cp.name} id ${cp.column.columnId}`).join(', ');
      r.warnings.push(`the sparse vector holds a value for column id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which no sparse column of the layout has (its sparse columns: ${known}): sparse values are matched by column id, so the layout's ids are not the ones the row was written with (a CREATE TABLE script numbers its columns 1, 2, … in its order, while a table that had a column dropped before it was scripted keeps the gap) or the column was dropped since; sparse values may be shown in the wrong columns and that value is not shown: read the layout from the database's own catalog (--mdf/--bak, or --schema from sql/table-metadata.sql) or give the ALTER TABLE … DROP COLUMN statements after the CREATE TABLE`);
    }
  }
  return vector;
}

/** A complex (0x8000) variable column in the generated reader: the off-row marker, or the generic path's error. */
function complexValue(image: Uint8Array, s: number, e: number, name: string, textPointer: boolean): SqlValue {
  const cv = parseComplexColumn(image, s, e, name, textPointer);
  if (cv.kind === 'off-row') return cv.marker;
  throw new DecodeError('DECODE_BAD_RECORD', `column ${identifierText(name)} holds a ${cv.kind}, not a value`, { offset: s, column: name });
}

/** Largest layout the generated reader is built for (beyond, the generic loop). */
const FAST_MAX_COLUMNS = 512;

/**
 * Generates (new Function) one column reader per layout: the generic `columnValue` loop unrolled
 * for this layout's columns, with every offset, null bit and length a constant, fixed-length
 * values read by the type's unchecked reader (the fixed part is known to hold them), and the
 * `values` object built as one object literal; decodeRow's checks of the values (declared sizes,
 * NOT NULL columns read NULL: plan.ts checkDecodedValues) run on its locals before the object is
 * built, with the same warnings in the same order. It runs only on records whose fixed part and
 * column count cover every column (checked once per row by decodeFixedVar); other records, and
 * layouts with sparse, computed, text-pointer, xml or sql_variant columns or unusual names, take
 * the generic loop. Output, warnings and errors are the generic loop's, value for value.
 */
export function fastReaderFor(plan: RowPlan): FixedVarFast | null {
  const out = plan.output;
  if (out.length > FAST_MAX_COLUMNS || new Set(out.map((cp) => cp.name)).size !== out.length) return null;
  const fns: Array<BoundDecoder | FixedReader['f'] | CodePageDecoder> = [];
  const cols: ColumnPlan[] = [];
  let minFixedEnd = 4;
  let minColumns = 0;
  const body: string[] = [];
  const keys: string[] = [];
  /** Output index → the local holding whether that varchar value holds U+0000 (its decoder's `nul`), 0 until read. */
  const nulFlag = new Map<number, string>();
  for (let i = 0; i < out.length; i++) {
    const cp = out[i];
    const t = cp.column.type;
    if (cp.kind !== 'fixed' && cp.kind !== 'bit' && cp.kind !== 'var') return null;
    if (cp.kind === 'var' && (cp.isTextPointer || cp.isXml || t === 'sql_variant')) return null;
    const nb = cp.nullBit;
    if (nb >= 0) minColumns = Math.max(minColumns, nb + 1);
    const f = fns.length;
    const notNull = nb >= 0 ? `!hasBitmap || (image[bitmapStart + ${nb >> 3}] & ${1 << (nb & 7)}) === 0` : 'true';
    let read: string;
    if (cp.kind === 'bit') {
      minFixedEnd = Math.max(minFixedEnd, cp.offset + 1);
      read = `c${i} = (image[${cp.offset}] & ${1 << cp.bit}) !== 0;`;
    } else if (cp.kind === 'fixed') {
      minFixedEnd = Math.max(minFixedEnd, cp.offset + cp.length);
      const fr = fixedReader(cp.column);
      if (fr !== null && fr.n === cp.length) {
        fns.push(fr.f);
        cols.push(cp);
        read = `c${i} = f${f}(image, ${cp.offset}); if (c${i} === null) throw oor(cols[${cols.length - 1}].column, ${cp.offset});`;
      } else {
        fns.push(cp.decode);
        read = `c${i} = f${f}(image, ${cp.offset}, ${cp.offset + cp.length});`;
      }
    } else {
      const k = cp.varIndex;
      fns.push(cp.decode);
      cols.push(cp);
      const col = `cols[${cols.length - 1}]`;
      const a = `varArray + ${2 * k}`;
      // The value: the column's bound decoder, or for (n)varchar what it does, called directly (one
      // call level less): the code page's decoder; the odd-length refusal, then the UTF-16 decoder.
      let value = `c${i} = f${f}(image, s, x & 0x7fff);`;
      if (t === 'char' || t === 'varchar') {
        // decodeNoting: whether the text holds U+0000 (z), for the NUL check below without a search of the string
        const cd = charDecoder(cp.column);
        fns.push(cd);
        // and bytes its code page does not define (z & NOTE_UNDEFINED): named on ROW_TEXT_NOTES, as the
        // generic loop's decodeCharsNoting does (no test for a code page that defines every byte)
        const note = cd.definesEveryByte ? '' : ` if ((z${i} & ${NOTE_UNDEFINED}) !== 0) notes.push(undef(${col}.name, f${f + 1}, image, s, x & 0x7fff));`;
        value = `c${i} = f${f + 1}.decodeNoting(image, s, x & 0x7fff); z${i} = f${f + 1}.nul;${note}`;
        nulFlag.set(i, `z${i}`);
      } else if (t === 'nchar' || t === 'nvarchar' || t === 'sysname') {
        value = `if (((x & 0x7fff) - s) % 2 !== 0) throw odd(${col}.column, s, (x & 0x7fff) - s); c${i} = utf16(image, s, x & 0x7fff);`;
      }
      read =
        `if (varCount > ${k}) {` +
        ` x = image[${a}] | (image[${a} + 1] << 8);` +
        ` s = ${k === 0 ? 'varDataStart' : `(image[${a} - 2] | (image[${a} - 1] << 8)) & 0x7fff`};` +
        ` if ((x & 0x8000) !== 0) c${i} = complexValue(image, s, x & 0x7fff, ${col}.name, ${holdsTextPointer(cp.column)}); else { ${value} }` +
        ` } else c${i} = f${f}(EMPTY, 0, 0);`;
    }
    body.push(`  let c${i} = null;${nulFlag.has(i) ? ` let z${i} = 0;` : ''}\n  if (${notNull}) { ${read} }`);
    keys.push(`${literalKey(cp.name)}: c${i}`);
  }
  // decodeRow's checks of the values (plan.ts checkDecodedValues), on the locals, in its order: the
  // declared sizes, then the NOT NULL columns (no sql_variant column reaches this reader). Every
  // column is in the record here (columnCount ≥ minColumns), so a NOT NULL column's test is its NULL.
  const at = new Map(out.map((cp, i) => [cp.name, i]));
  const checks: string[] = [];
  plan.limits.forEach((l, j) => {
    const i = at.get(l.name);
    if (i === undefined) throw new Error(`value limit of ${l.name}: not an output column`);
    checks.push(`  if (${limitTestSource(l, `c${i}`, 'y', nulFlag.get(i))}) judge(limits[${j}], c${i}, w);`);
  });
  const notNull = out.filter((cp) => !cp.column.nullable && cp.nullBit >= 0);
  notNull.forEach((cp, j) => checks.push(`  if (c${at.get(cp.name)} === null) w.push(nn[${j}]);`));
  if (plan.variants.length !== 0) return null;
  const src =
    fns.map((_, j) => `const f${j} = fns[${j}];`).join('\n') +
    '\nreturn function fixedVarColumns(image, columnCount, hasBitmap, bitmapStart, varCount, varArray, varDataStart, w) {\n' +
    '  let x = 0, s = 0, y = 0;\n' +
    body.join('\n') + '\n' +
    checks.join('\n') +
    '\n  return {' + keys.join(', ') + '};\n};';
  const make = new Function('fns', 'cols', 'oor', 'complexValue', 'EMPTY', 'limits', 'judge', 'nn', 'odd', 'utf16', 'notes', 'undef', src) as (
    fns: unknown[], cols: ColumnPlan[], oor: typeof outOfRange, complex: typeof complexValue, empty: Uint8Array,
    limits: RowPlan['limits'], judge: typeof judgeLimit, nn: string[], odd: typeof oddUtf16, utf16: typeof decodeNvarchar,
    notes: string[], undef: typeof undefinedBytesWarning,
  ) => FixedVarFast['read'];
  const read = make(fns, cols, outOfRange, complexValue, EMPTY, plan.limits, judgeLimit, notNull.map(notNullMessage), oddUtf16, decodeNvarchar, ROW_TEXT_NOTES, undefinedBytesWarning);
  return { minFixedEnd, minColumns, read, row: wholeRecordReader(plan, read, minFixedEnd, minColumns) };
}

/**
 * The whole-record half of the generated FixedVar reader (`FixedVarFast.row`): decodeFixedVar's record
 * parse for the common shape only — a primary or ghost data/version record (a forwarded one, whose back pointer is among its variable entries, takes the generic parse) with a null
 * bitmap (and a versioning tag or none), whose fixed part and column count cover every column of the layout
 * and no more (minFixedEnd ≤ fixed end ≤ the layout's fixed extent, minColumns ≤ column count ≤ its
 * stored columns), whose variable-column ends never go backwards nor past the image, that ends exactly
 * at the image's end (or is at most 9 bytes), with no NULL variable-length column holding bytes and a
 * uniquifier of 0 or 4 bytes. Every one of those is checked before any value is read; a record failing
 * any returns undefined and takes decodeFixedVar's own parse, which then raises the error or writes the
 * warning it always did. A record taken gives no header warning there, and its values are read by the
 * same column reader (`read`) with the same arguments: the result is decodeFixedVar's, value for value.
 */
function wholeRecordReader(plan: RowPlan, read: FixedVarFast['read'], minFixedEnd: number, minColumns: number): FixedVarFast['row'] {
  const src: string[] = [];
  src.push('const n = image.length;');
  src.push('if (n < 4) return undefined;');
  src.push('const statusA = image[0];');
  // CD bit clear, null bitmap set
  src.push(`if ((statusA & ${RECORD_VERSIONING_BIT | RECORD_NULL_BITMAP}) !== ${RECORD_NULL_BITMAP}) return undefined;`);
  src.push(`const t = (statusA & ${RECORD_TYPE_MASK}) >> 1;`);
  src.push('if (TYPE_OK[t] === 0) return undefined;');
  src.push('const fixedEnd = image[2] | (image[3] << 8);');
  src.push(`if (fixedEnd < ${minFixedEnd} || fixedEnd > ${plan.fixedExtent} || fixedEnd + 2 > n) return undefined;`);
  src.push('const cc = image[fixedEnd] | (image[fixedEnd + 1] << 8);');
  src.push(`if (cc < ${minColumns} || cc > ${plan.storedColumns}) return undefined;`);
  src.push('const bitmapStart = fixedEnd + 2;');
  src.push('let pos = bitmapStart + ((cc + 7) >> 3);');
  src.push('if (pos > n) return undefined;');
  src.push('let varCount = 0, varArray = pos;');
  src.push(`if ((statusA & ${RECORD_VARIABLE_COLUMNS}) !== 0) {`);
  src.push('  if (pos + 2 > n) return undefined;');
  src.push('  varCount = image[pos] | (image[pos + 1] << 8);');
  src.push('  varArray = pos + 2;');
  src.push('  pos = varArray + 2 * varCount;');
  src.push('  if (pos > n) return undefined;');
  src.push('}');
  // more variable entries than the layout has slots, or an entry in the slot of a column past the
  // record's column count: decodeFixedVar's warning (varEntriesBeyondLayout)
  src.push(`if (varCount > ${plan.varNullBits.length}) return undefined;`);
  for (let k = 0; k < plan.varNullBits.length; k++) {
    const nb = plan.varNullBits[k]!;
    if (nb >= minColumns) src.push(`if (varCount > ${k} && cc <= ${nb}) return undefined;`);
  }
  // a fixed slot inside the record's fixed part of a column past its column count: decodeFixedVar's warning (fixedSlotsOfLaterColumns)
  for (const cp of plan.physical) {
    if (cp.kind === 'fixed' && cp.length > 0 && cp.nullBit >= minColumns && !inDroppedSlot(plan, cp)) src.push(`if (cc <= ${cp.nullBit} && fixedEnd > ${cp.offset}) return undefined;`);
  }
  src.push('const varDataStart = pos;');
  src.push('let prev = pos;');
  src.push('for (let k = 0; k < varCount; k++) {');
  src.push('  const end = (image[varArray + 2 * k] | (image[varArray + 2 * k + 1] << 8)) & 0x7fff;');
  src.push('  if (end < prev || end > n) return undefined;');
  src.push('  prev = end;');
  src.push('}');
  // the 14-byte versioning tag (status A 0x40) after the variable data, as decodeFixedVar reads it
  src.push('let tag = undefined;');
  src.push(`if ((statusA & ${RECORD_VERSIONING_TAG}) !== 0) {`);
  src.push(`  if (prev + ${VERSIONING_TAG_SIZE} > n) return undefined;`);
  src.push(`  tag = toHex(image, prev, prev + ${VERSIONING_TAG_SIZE});`);
  src.push(`  prev += ${VERSIONING_TAG_SIZE};`);
  src.push('}');
  // bytes after the record's end: refused (exact) or named in a warning by decodeFixedVar
  src.push('if (prev < n && n > 9) return undefined;');
  // a NULL variable-length column holding bytes: decodeFixedVar's warning (nullWithBytes)
  const bits = plan.varNullBits;
  for (let k = 0; k < bits.length; k++) {
    const nb = bits[k]!;
    if (nb < 0) continue;
    const start = k === 0 ? 'varDataStart' : `((image[varArray + ${2 * k - 2}] | (image[varArray + ${2 * k - 1}] << 8)) & 0x7fff)`;
    src.push(`if (varCount > ${k} && cc > ${nb} && (image[bitmapStart + ${nb >> 3}] & ${1 << (nb & 7)}) !== 0 && ((image[varArray + ${2 * k}] | (image[varArray + ${2 * k + 1}] << 8)) & 0x7fff) > ${start}) return undefined;`);
  }
  let uniq = '';
  const u = plan.uniquifier;
  if (u !== null) {
    // decodeFixedVar's uniquifier: 0 unless its variable column is present, not NULL, and 4 bytes (other than 0 or 4: its error)
    src.push('let uq = 0;');
    if (u.kind === 'var') {
      const k = u.varIndex;
      const nb = u.nullBit;
      const isNull = nb >= 0 ? `cc > ${nb} && (image[bitmapStart + ${nb >> 3}] & ${1 << (nb & 7)}) !== 0` : 'false';
      const start = k === 0 ? 'varDataStart' : `((image[varArray + ${2 * k - 2}] | (image[varArray + ${2 * k - 1}] << 8)) & 0x7fff)`;
      src.push(`if (varCount > ${k} && !(${isNull})) {`);
      src.push(`  const s = ${start}, e = (image[varArray + ${2 * k}] | (image[varArray + ${2 * k + 1}] << 8)) & 0x7fff;`);
      src.push('  if (e - s === 4) uq = image[s] | (image[s + 1] << 8) | (image[s + 2] << 16) | (image[s + 3] << 24);');
      src.push('  else if (e !== s) return undefined;');
      src.push('}');
    }
    uniq = ', uniquifier: uq';
  }
  src.push('const w = [];');
  src.push('const values = read(image, cc, true, bitmapStart, varCount, varArray, varDataStart, w);');
  // decodeFixedVar's row object: the tag (only when there is one) after columnCount, then the uniquifier
  const head = `values, warnings: w, recordType: TYPES[t], ghost: GHOST[t] === 1 || (image[1] & ${STATUS_B_GHOST_FORWARDED}) !== 0, format: 'fixedvar', columnCount: cc`;
  src.push(`if (tag === undefined) return { ${head}${uniq} };`);
  src.push(`return { ${head}, versioningTag: tag${uniq} };`);
  const typeOk = new Uint8Array(8);
  const ghost = new Uint8Array(8);
  for (let t = 0; t < 8; t++) {
    const rt = RECORD_TYPES[t];
    // a forwarded record (its back pointer among the variable entries) takes decodeFixedVar's own parse
    typeOk[t] = rt === 'primary' || rt === 'ghost-data' || rt === 'ghost-version' ? 1 : 0;
    ghost[t] = isGhostType(rt) ? 1 : 0;
  }
  return new Function('read', 'TYPE_OK', 'TYPES', 'GHOST', 'toHex', `return function fixedVarRow(image) {\n${src.join('\n')}\n};`)(read, typeOk, RECORD_TYPES, ghost, toHex) as FixedVarFast['row'];
}
