/**
 * One column value → its re-insert parameter (`planParam`): the dispatch by the target column's
 * type, and text, binary and sql_variant values here; numbers in numeric-params.ts, dates and
 * times in datetime-params.ts, the parameter types in param-type.ts, code-page facts in code-page-fit.ts.
 */
import { ReinsertError } from '../errors.js';
import { identifierText, scriptLiteral } from '../util/tsql.js';
import type { SqlTypeName } from '../reconstruct/metadata/table-layout.js';
import { isOffRow, type SqlValue } from '../reconstruct/values.js';
import type { TargetColumn } from './target-table.js';
import { codePageForCollation } from '../reconstruct/collation.js';
import { ASCII_ONLY, bytesInCodePage, firstCharNotHeld, iconvCodec } from './code-page-fit.js';
import { MAX, bad, declaration, elsewhere, paramTypeFor, type ParamPlan, type ParamType, type SourceText } from './param-type.js';
import { bigintParam, decimalParam, floatParam, integerParam } from './numeric-params.js';
import { dateParam, datetimeParam, datetimeoffsetParam, timeParam } from './datetime-params.js';

const GUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const HEX = /^0x([0-9A-Fa-f]*)$/;

function nlit(s: string): string {
  return scriptLiteral(s);
}

/**
 * Whether the type is char(n)/nchar(n), whose trailing blanks are padding and not the value: the
 * column pads a value to its own n or stores it cut to n where only blanks pass n, the same value
 * either way (a char(10) 'ab' + 8 blanks into char(5) is 'ab' + 3). The one rule the length checks
 * (assertLengthFits in characters, assertBytesFit in bytes) and the cut sent to the driver (padCut)
 * judge a char value's padding by; varchar, nvarchar and binary keep every trailing blank or byte.
 */
function blankPadded(type: ParamType): boolean {
  return type.name === 'Char' || type.name === 'NChar';
}

/**
 * A char/varchar/nchar/nvarchar/binary/varbinary value longer than the target column: `units` is its
 * length in the column's units (bytes for binary and varbinary, UTF-16 code units for the character
 * types, each at least one byte of a code page's text and one byte-pair of nchar's). The script's
 * `DECLARE @p nvarchar(5) = N'abcdefgh'` keeps 'abcde' and the INSERT then succeeds: T-SQL cuts a
 * string or binary value assigned to a shorter variable without an error (the truncation errors
 * 8152/2628 are raised for a column's INSERT/UPDATE, not for DECLARE/SET of a variable; JetBrains
 * DataGrip's "Implicit string truncation" inspection flags exactly `DECLARE @v VARCHAR(5) =
 * 'abcde12345'` for it). A target altered since, or a side table or another database's table of
 * narrower columns: refused, naming the column. (max) columns and text/ntext/image/xml hold any length.
 */
function assertLengthFits(c: TargetColumn, type: ParamType, units: number, unit: 'byte' | 'character', text?: string): void {
  const n = (type as { length?: number }).length;
  if (n === undefined || n === MAX || units <= n) return;
  if (blankPadded(type) && text !== undefined && /^ *$/.test(text.slice(n))) return;
  // char(n)/varchar(n) count bytes of the column's code page (Microsoft Learn, "char and varchar":
  // "n defines the string size in bytes"), not characters: the message said "at most 5
  // character(s)" of a varchar(5), which holds fewer than 5 characters of a multi-byte code page
  if (type.name === 'Char' || type.name === 'VarChar') {
    throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) holds at most ${n} byte(s): the value has ${units} character(s), each at least one byte, and would go in cut: ${elsewhere('wide enough')}`);
  }
  throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) holds at most ${n} ${unit}(s): the value has ${units}, and would go in cut to its first ${n}: ${elsewhere('wide enough')}`);
}

/**
 * A binary(n) value shorter than n: the server pads a binary value to its column's n with zero bytes
 * (Microsoft Learn, "binary and varbinary": "When … binary data is converted to a binary data type
 * of a longer length, the data is padded on the right with zeros"; a binary(n) column stores n
 * bytes), so 0x0102 of a varbinary source into a binary(4) side table went in as 0x01020000, other
 * bytes than the row's, with no error. Refused, naming the column. A binary(n) source column of the
 * same n always gives n bytes (its padding is in the value: decoded as stored), which pass.
 */
function assertNotPadded(c: TargetColumn, type: ParamType, bytes: number): void {
  if (type.name !== 'Binary' || bytes >= type.length) return;
  throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) stores exactly ${type.length} byte(s): the value has ${bytes}, and would go in padded with ${type.length - bytes} zero byte(s), other bytes than the row's: ${elsewhere(`of type varbinary(${Math.max(bytes, 1)}) or wider`)}`);
}

/**
 * A value that a target column created under SET ANSI_PADDING OFF (TargetColumn.ansiPadded false,
 * sys.columns.is_ansi_padded = 0) would store shorter: such a varchar(n)/varbinary(n) column, and a
 * nullable char(n)/binary(n) one, trims trailing blanks / trailing zero bytes on INSERT (Microsoft
 * Learn, SET ANSI_PADDING, its table of OFF: "Trailing blanks in character values inserted into a
 * varchar column are trimmed. Trailing zeros in binary values inserted into a varbinary column are
 * trimmed"; char/binary NULL "follows the same rules as for varchar or varbinary"), whatever the
 * session's SET ANSI_PADDING ON (the script's, and the driver's, tedious's default): the column keeps
 * the setting it was created with. (max) types, text/image and the n-types always behave as ON. A
 * value with no trailing blank / zero byte is stored as it is, as are all values decoded from such a
 * column itself (stored trimmed). Only a value from a column that kept them (a side table or
 * database of the other setting) changes: 0x0102000000 of a hash went in as 0x0102, with no error.
 * `value`: the value's bytes (binary) or text (char). @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
function assertNotTrimmed(c: TargetColumn, type: ParamType, value: Buffer | string): void {
  if (c.ansiPadded !== false) return;
  const n = (type as { length?: number }).length;
  if (n === undefined || n === MAX) return;
  if ((type.name === 'Char' || type.name === 'Binary') && !c.nullable) return;
  const binary = typeof value !== 'string';
  if (!(type.name === 'VarChar' || type.name === 'Char' || type.name === 'VarBinary' || type.name === 'Binary')) return;
  const trailing = binary ? value.length - (value.findLastIndex((b) => b !== 0) + 1) : value.length - value.replace(/ +$/, '').length;
  if (trailing === 0) return;
  throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}${type.name === 'Char' || type.name === 'Binary' ? ' NULL' : ''}) was created under SET ANSI_PADDING OFF (sys.columns.is_ansi_padded = 0), so the server trims trailing ${binary ? 'zero bytes' : 'blanks'} from its values on INSERT, whatever the session sets: the value ends in ${trailing} ${binary ? 'zero byte(s)' : 'blank(s)'}, which would be lost with no error: ${elsewhere('created under ANSI_PADDING ON')}`);
}

/**
 * A char(n)/nchar(n) value longer than n whose excess is trailing spaces (assertLengthFits lets it
 * through: the column stores the same value) cut to n: tedious refuses a Char/NChar parameter longer
 * than its declared length (tedious issue #32, "invalid data length"), so the driver's batch failed
 * where the script's DECLARE cut the spaces itself. Any other value as it is.
 */
function padCut(type: ParamType, v: string): string {
  const n = (type as { length?: number }).length;
  return blankPadded(type) && n !== undefined && n !== MAX && v.length > n ? v.slice(0, n) : v;
}

/**
 * One column value → its parameter: exact type, driver value and script literal. Values the
 * driver would change are sent as text and converted by the server with the exact type:
 * decimal/numeric whose value scaled to the column has more than 15 digits (tedious multiplies a
 * double), every money/smallmoney value (tedious truncates value * 10000) and datetimeoffset
 * (tedious keeps the instant but not the offset). A datetime source value (`source.type`) into a
 * datetime2/datetimeoffset column goes as a typed datetime the server converts in the statement
 * (datetimeAsServerConverts: its 1/300 s tick, as the server's own conversion gives it).
 *
 * `source`: the code page (and collation) the row's char/varchar/text value was decoded from (the
 * job's layout), when known. A char/varchar/text value whose target column has a known code page
 * (TargetColumn.codePage) other than `source`'s is refused when it holds a character that code page
 * cannot hold exactly (assertCodePageHolds: REINSERT_BAD_VALUE).
 */
export function planParam(c: TargetColumn, v: SqlValue, source?: SourceText): ParamPlan {
  if (v !== null && typeof v === 'object' && isOffRow(v)) {
    const o = v.offRow;
    // a FILESTREAM column's file: never recovered by rowback (values.ts FilestreamOffRow); NULL in its place would put the row back without its document
    if (o.kind === 'filestream') throw new ReinsertError('REINSERT_OFFROW_VALUE', `column ${identifierText(c.name)} is a FILESTREAM column whose value (a file in the database's FILESTREAM container) rowback did not recover, so the row cannot be re-inserted as it was: restore a backup taken before the delete as another database and copy the row from it (INSERT … SELECT), or put it back by hand`, { column: c.name });
    throw new ReinsertError('REINSERT_OFFROW_VALUE', `column ${identifierText(c.name)} holds an unresolved off-row value (${o.kind} at ${o.page}); it cannot be re-inserted until the value is recovered`, { column: c.name });
  }
  // a value rowback holds for a FILESTREAM column is never the document: the row's 48-byte pointer read
  // as varbinary(max) by a source catalog that did not know the column (an export or catalog JSON made
  // before is_filestream was read: the row carries a warning saying so), which the INSERT would store as it
  if (v !== null && c.filestream) throw new ReinsertError('REINSERT_OFFROW_VALUE', `column ${identifierText(c.name)} of the target is a FILESTREAM column, and rowback never recovers a FILESTREAM value: the value staged for it (${typeof v === 'string' ? `${Math.max(0, (v.length - 2) / 2)} bytes` : typeof v}) is the row's pointer to its file as a source catalog that did not know the column read it, which the INSERT would store as the document; restore a backup taken before the delete as another database and copy the row from it (INSERT … SELECT), or put it back by hand`, { column: c.name });
  if (v === null) assertNullable(c);
  if (c.type === 'sql_variant') {
    if (v === null) return { type: { name: 'NVarChar', length: 1 }, value: null, literal: 'NULL' };
    if (typeof v !== 'object' || !('baseType' in v)) throw bad(c.name, `sql_variant value of ${identifierText(c.name)} has no base type`);
    const base = parseBaseType(v.baseType);
    // The variant's own precision and scale (decodeSqlVariant): 'decimal' alone parses as
    // decimal(18,0), and a decimal(10,4) 123.4567 went in as 123.
    if (v.precision !== undefined) base.precision = v.precision;
    if (v.scale !== undefined) base.scale = v.scale;
    // A bare char/binary base type parses with length 8000: a binary(8000) or nchar(8000) parameter
    // pads the value (0x01020304 + 7,996 zero bytes went into the variant, 'ab' + spaces). The
    // variant's own MaxLength (bytes, decodeSqlVariant) gives its declared type back: varchar(50)
    // stays varchar(50). A value staged without it (before rowback read it) takes its own length:
    // exact for binary(n)/char(n), whose values are always n long.
    if (typeof v.value === 'string' && /^(binary|varbinary|char|varchar|nchar|nvarchar)$/.test(base.type) && base.maxLength !== -1 && !/\(/.test(v.baseType)) {
      const unicode = base.type.startsWith('n');
      const own = base.type.endsWith('binary') ? Math.max(1, (v.value.length - 2) / 2) : Math.max(1, v.value.length) * (unicode ? 2 : 1);
      base.maxLength = v.maxLength !== undefined && v.maxLength >= (unicode ? 2 : 1) ? v.maxLength : own;
    }
    // A char/varchar base type stays char/varchar: planParam sends plain char/varchar columns as
    // nchar/nvarchar (the server converts to the column's collation), which inside a sql_variant
    // changes its base type (SQL_VARIANT_PROPERTY BaseType nvarchar where it was varchar).
    if (base.type === 'char' || base.type === 'varchar') return variantTextParam(c.name, base, v.value, v.baseType, v.collation);
    // the variant's own base type is the value's source type (a datetime inside a sql_variant)
    const plan = planParam({ ...c, ...base }, v.value, { codePage: 0, collation: null, type: base.type });
    // nchar/nvarchar with its own collation: the variant keeps it (a parameter takes the database's)
    if ((base.type === 'nchar' || base.type === 'nvarchar') && v.value !== null && v.collation !== undefined && COLLATION_NAME.test(v.collation)) {
      return { ...plan, wrap: `CONVERT(${declaration(plan.type)}, @ COLLATE ${v.collation})` };
    }
    return plan;
  }
  const type = paramTypeFor(c);
  if (v === null) return { type, value: null, literal: 'NULL' };
  if (typeof v === 'object') throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got an object value`);
  switch (type.name) {
    case 'Bit': {
      const b = v === true || v === 1 || v === '1' ? true : v === false || v === 0 || v === '0' ? false : undefined;
      if (b === undefined) throw bad(c.name, `column ${identifierText(c.name)} (bit) got ${JSON.stringify(v)}`);
      return { type, value: b, literal: b ? '1' : '0' };
    }
    case 'TinyInt': case 'SmallInt': case 'Int': return integerParam(c, type, v);
    case 'BigInt': return bigintParam(c, type, v);
    case 'Real': case 'Float': return floatParam(c, type, v, source);
    case 'Decimal': case 'Numeric': case 'Money': case 'SmallMoney': return decimalParam(c, type, v, source);
    case 'Date': return dateParam(c, type, v);
    case 'DateTime': case 'SmallDateTime': case 'DateTime2': return datetimeParam(c, type, v, source);
    case 'Time': return timeParam(c, type, v);
    case 'DateTimeOffset': return datetimeoffsetParam(c, type, v, source);
    case 'UniqueIdentifier': {
      const s = String(v);
      if (!GUID.test(s)) throw bad(c.name, `column ${identifierText(c.name)} (uniqueidentifier) got ${JSON.stringify(v)}`);
      return { type, value: s.toUpperCase(), literal: `'${s.toUpperCase()}'` };
    }
    case 'Binary': case 'VarBinary': case 'Image': {
      const m = HEX.exec(String(v));
      if (!m || m[1].length % 2) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
      if (type.name !== 'Image') assertLengthFits(c, type, m[1].length / 2, 'byte');
      assertNotPadded(c, type, m[1].length / 2);
      const bytes = Buffer.from(m[1], 'hex');
      assertNotTrimmed(c, type, bytes);
      return { type, value: bytes, literal: m[1].length ? `0x${m[1].toUpperCase()}` : '0x' };
    }
    case 'Char': case 'VarChar': case 'Text': {
      // Sent as Unicode: tedious would encode a varchar parameter with the *database's* code page,
      // turning e.g. Chinese text for a Chinese_PRC column in a Latin1 database into '?'. The
      // server converts nvarchar to the *column's* collation on insert, which is what we want.
      if (typeof v !== 'string') throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
      // UTF-16 units: a character of a code page's text takes at least one byte, so more units than
      // the column's bytes never fit (and nvarchar(n) of the DECLARE would cut them)
      if (type.name !== 'Text') assertLengthFits(c, type, v.length, 'character', v);
      assertCodePageHolds(c, type, v, source);
      if (type.name !== 'Text') assertBytesFit(c, type, v);
      assertNotTrimmed(c, type, v);
      const t = padCut(type, v);
      return { type: unicodeFor(type), value: t, literal: nlit(t) };
    }
    case 'NChar': case 'NVarChar': case 'NText': case 'Xml': {
      if (typeof v !== 'string') throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
      // A recovered xml value is SQL Server's binary XML as 0x… hex (not decoded: types/index.ts).
      // Sent as an xml parameter that text is well-formed XML (a text node), so the row went in
      // with '0xDFFF01B004…' for its document: refused instead, naming the column.
      if (type.name === 'Xml' && /^0x(?:[0-9a-f]{2})*$/i.test(v)) {
        throw new ReinsertError('REINSERT_UNSUPPORTED_TYPE', `column ${identifierText(c.name)} (xml) holds SQL Server's binary XML form (${v.length > 18 ? `${v.slice(0, 18)}…` : v}, ${(v.length - 2) / 2} bytes), which rowback does not turn back into XML text; inserting it would store the hex digits as the document`, { column: c.name });
      }
      if (type.name === 'NChar' || type.name === 'NVarChar') assertLengthFits(c, type, v.length, 'character', v);
      const t = padCut(type, v);
      return { type, value: t, literal: nlit(t) };
    }
  }
}

/**
 * Refuses NULL for a column the target holds NOT NULL (TargetColumn.nullable false): SQL Server
 * refuses such an INSERT (Msg 515, "Cannot insert the value NULL into column …; column does not allow
 * nulls. INSERT fails."), a column DEFAULT notwithstanding (a default applies only to a column the
 * INSERT leaves out). Planned as any other value, the row failed the run's whole batch with it, every
 * row of the batch not put back, on every resume too, while the dry run named no problem (breaker;
 * test/reinsert/null-into-not-null.test.ts). A row holding NULL there (a column altered to NOT NULL
 * since the delete, a side table's NOT NULL column, a column added later whose older rows decode as
 * NULL) is a problem of its own, as a value that does not fit its column is.
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
function assertNullable(c: TargetColumn): void {
  if (c.nullable) return;
  throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) is NOT NULL in the target and the row holds NULL there: its INSERT would be refused (Msg 515, "Cannot insert the value NULL into column"; a column default applies only to a column left out) with its whole batch: ${elsewhere('that allows NULL')}, or put the row back by hand with the value meant`);
}

/** `U+0141`, `U+1F600`: a character's code point as Unicode writes it. */
function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A char/varchar/text value (`text`) whose target column `c` has a known code page
 * (TargetColumn.codePage, read from the target's catalog) that cannot hold one of its characters.
 * rowback sends such values as nvarchar (planParam), and the server converts them into the column's
 * code page on INSERT by Windows' WideCharToMultiByte "best fit" (Paul White, dba.stackexchange
 * "Automatic translation when converting Unicode to non-Unicode"; Microsoft's WindowsBestFit tables
 * at unicode.org): a character the code page lacks becomes '?' or a look-alike ('Ł' → 'L', '▓' →
 * '¦' in 1252) with no error, and the row goes back changed. That happens where the target column's
 * collation is not the source's: a side table (tableMap) in another database, a database of another
 * default collation, a column re-collated since. Not checked when the code page is not known
 * (absent or null) or is `source`'s, the one the value was decoded from: every character decoded
 * from a code page is one it holds (bytes it does not define, U+FFFD, are held back before
 * planning: service.ts undefinedBytesText).
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column, its type, collation and code page, the
 *   character (U+XXXX) and its position (1-based, in UTF-16 units as SQL Server's nvarchar counts them).
 */
function assertCodePageHolds(c: TargetColumn, type: ParamType, text: string, source?: SourceText): void {
  const cp = c.codePage;
  if (cp === undefined || cp === null) return;
  if (source !== undefined && source.codePage === cp) return;
  const miss = firstCharNotHeld(cp, text);
  if (!miss) return;
  const shown = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(miss.char) ? `'${miss.char}' ` : '';
  const from = source !== undefined && source.codePage > 0 ? `; the value was decoded from code page ${source.codePage}${source.collation ? ` (collation ${source.collation})` : ''}` : '';
  const known = iconvCodec(cp) !== null ? `code page ${cp} has no such character` : `rowback cannot check code page ${cp} for characters beyond ASCII`;
  throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}, collation ${c.collation ?? '(not named)'}, code page ${cp}) cannot hold ${shown}(${codePointName(miss.char)}) at character ${miss.at + 1} of the value: ${known}, and the server would write '?' or a look-alike character in its place on INSERT, with no error${from}: re-insert the row into a column that holds it (nvarchar, a _UTF8 collation, or the source's collation)`);
}

/**
 * A char(n)/varchar(n) value (`text`) whose bytes in the target column's code page (TargetColumn.codePage,
 * read from the target's catalog) pass the column's n bytes. assertLengthFits counts UTF-16 units,
 * which equal the bytes only in a single-byte code page: a character beyond ASCII takes 2–4 bytes in
 * UTF-8 and a DBCS character 2, so 'Łódź' of a Polish_CI_AS varchar(4) (4 bytes) is 7 in a _UTF8
 * varchar(4), and '東京都庁舎' of a Japanese varchar(10) is 10 bytes for a 932 varchar(6). The value
 * goes as nvarchar(n) and the server converts it on INSERT: beyond n it fails the statement ("String
 * or binary data would be truncated", and with it the run's batch) or, where only trailing spaces
 * pass n, cuts them with no error (a varchar value goes in shorter). Refused here, naming the row's
 * column; a char(n) value whose bytes past n are its trailing padding fits (the column pads it back).
 * Not judged when the code page is not known or is one rowback cannot encode (its characters beyond
 * ASCII are refused by assertCodePageHolds), nor for ASCII (one byte a character everywhere).
 */
function assertBytesFit(c: TargetColumn, type: ParamType, text: string): void {
  const n = (type as { length?: number }).length;
  const cp = c.codePage;
  if (n === undefined || n === MAX || cp === undefined || cp === null || ASCII_ONLY.test(text)) return;
  const all = bytesInCodePage(cp, text);
  if (all === null || all <= n) return;
  if (blankPadded(type) && bytesInCodePage(cp, text.replace(/ +$/, ''))! <= n) return;
  throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}, collation ${c.collation ?? '(not named)'}, code page ${cp}) holds at most ${n} byte(s): the value has ${text.length} character(s) but takes ${all} byte(s) in code page ${cp}, so the server would refuse its INSERT (Msg 2628, string or binary data would be truncated) and roll back its whole batch${type.name === 'VarChar' ? ', or cut the value with no error where only trailing spaces pass the length or ANSI_WARNINGS is OFF' : ''}: ${elsewhere('wide enough')}`);
}

/** Most characters an nchar(n) / nvarchar(n) declares (n > 4000 is only `max`). */
const NCHAR_MAX = 4000;

/**
 * The Unicode parameter type a char/varchar/text column's value is sent as (planParam): text →
 * ntext; char(n) → nchar(n), varchar(n) → nvarchar(n), where n is the column's length in bytes (a
 * character of its code page takes at least one), but nvarchar(max) once n passes 4000: nchar and
 * nvarchar declare at most 4000 characters (Microsoft Learn, "nchar and nvarchar (Transact-SQL)":
 * "n defines the string size in byte-pairs, and must be a value from 1 through 4,000"), so a
 * char(5000) or varchar(6000) column's `nchar(5000)` / `nvarchar(6000)` was refused by the server
 * (Msg 2717 / 131) in the script's DECLARE and, for char, in the driver's own declaration.
 * nvarchar(max) carries every character, and the server converts it to the column's type on INSERT
 * (a char value's padding is in the text already: decoded as stored).
 */
function unicodeFor(type: ParamType): ParamType {
  if (type.name === 'Text') return { name: 'NText' };
  const n = (type as { length: number }).length;
  if (n === MAX || n > NCHAR_MAX) return { name: 'NVarChar', length: MAX };
  return { name: type.name === 'Char' ? 'NChar' : 'NVarChar', length: n };
}

/** A collation name as collation-ids.ts names them: letters, digits and `_`, safe unquoted after COLLATE. */
const COLLATION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A char/varchar value inside a sql_variant, so the variant keeps its base type, length and, when
 * the decoder named it, its own collation (SQL_VARIANT_PROPERTY BaseType, MaxLength, Collation).
 *  - Its collation known (`collation`, with a code page rowback knows): an nvarchar parameter
 *    converted in the statement, `CONVERT(varchar(n), @p COLLATE <collation>)`: the server turns the
 *    text into that collation's code page, the code page it was decoded from (types/variant.ts), so
 *    the bytes are the original ones and the variant is labelled with its own collation. Text holding
 *    U+FFFD (bytes its code page does not define) or C1 controls U+0080–U+009F (bytes whose way back
 *    through SQL Server's conversion no source pins) is refused with REINSERT_VARIANT_TEXT.
 *  - Otherwise: a char/varchar parameter (`Char`/`VarChar` of `base.maxLength` characters). tedious
 *    encodes its text in the code page of the connection's database collation (iconv-lite; a
 *    character that code page lacks becomes '?') and labels it with that collation (tedious
 *    data-types/varchar.js `validate`, `generateTypeInfo`); the script's `'…'` literal takes the
 *    same database default. That is exact for ASCII text (U+0000–U+007F: the same bytes in every
 *    code page SQL Server uses for char/varchar, UTF-8 included). Text beyond ASCII is refused with
 *    REINSERT_VARIANT_TEXT naming the column: without its collation neither the bytes nor the code
 *    page to send them in are known; sending it as nvarchar would change its base type.
 */
function variantTextParam(column: string, base: Pick<TargetColumn, 'type' | 'maxLength'>, v: SqlValue, baseType: string, collation?: string): ParamPlan {
  if (typeof v !== 'string') throw bad(column, `sql_variant value of ${identifierText(column)} (${baseType}) got ${JSON.stringify(v)}`);
  const n = base.maxLength === -1 ? MAX : Math.max(1, base.maxLength);
  if (collation !== undefined && COLLATION_NAME.test(collation) && codePageForCollation(collation) !== null) {
    // UTF-8 (a _UTF8 collation, SQL Server 2019+) holds U+0080–U+009F as C2 80–C2 9F, the bytes they
    // were decoded from: only U+FFFD (bytes that were not UTF-8, or its own EF BF BD: not told apart) is refused
    const odd = (codePageForCollation(collation) === 65001 ? /\ufffd/ : /[\u0080-\u009f\ufffd]/).exec(v);
    if (odd) {
      throw new ReinsertError('REINSERT_VARIANT_TEXT', `column ${identifierText(column)}: a ${base.type} value inside a sql_variant (collation ${collation}) holds U+${odd[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${odd.index}, a byte its code page does not define or a control character whose conversion back is not certain: re-insert this row by hand`, { column });
    }
    const decl = declaration({ name: base.type === 'char' ? 'Char' : 'VarChar', length: n });
    return { type: { name: 'NVarChar', length: n === MAX || n > 4000 ? MAX : n }, wrap: `CONVERT(${decl}, @ COLLATE ${collation})`, value: v, literal: scriptLiteral(v, true) };
  }
  const beyond = /[^\u0000-\u007f]/.exec(v);
  if (beyond) {
    const at = beyond.index;
    const sample = v.length > 24 ? `${v.slice(Math.max(0, at - 8), at + 16)}` : v;
    throw new ReinsertError('REINSERT_VARIANT_TEXT', `column ${identifierText(column)}: a ${base.type} value inside a sql_variant holds characters beyond ASCII ('${sample}', U+${beyond[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${at}); its own collation ${collation === undefined ? 'is not known (not one rowback can name, or staged before rowback read it)' : `${collation} has no code page rowback knows`}, so it cannot be sent as ${base.type} exactly, and sending it as n${base.type} would change its base type: re-insert this row by hand`, { column });
  }
  const type: ParamType = { name: base.type === 'char' ? 'Char' : 'VarChar', length: n };
  return { type, value: v, literal: scriptLiteral(v, false) };
}

const BASE = /^\s*([a-z0-9_]+)\s*(?:\(\s*(\d+|max)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i;

/** `int`, `nvarchar(50)`, `decimal(10,2)` → the column facts planParam needs. */
export function parseBaseType(text: string): Pick<TargetColumn, 'type' | 'maxLength' | 'precision' | 'scale'> {
  const m = BASE.exec(text);
  if (!m) throw new ReinsertError('REINSERT_UNSUPPORTED_TYPE', `sql_variant base type '${text}' is not understood`);
  const type = m[1].toLowerCase() as SqlTypeName;
  const a = m[2] === undefined ? undefined : m[2].toLowerCase() === 'max' ? -1 : Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  switch (type) {
    case 'decimal': case 'numeric': return { type, maxLength: 17, precision: a ?? 18, scale: b ?? 0 };
    case 'time': case 'datetime2': case 'datetimeoffset': return { type, maxLength: 8, precision: 0, scale: a ?? 7 };
    case 'nchar': case 'nvarchar': return { type, maxLength: a === undefined ? 8000 : a === -1 ? -1 : a * 2, precision: 0, scale: 0 };
    case 'char': case 'varchar': case 'binary': case 'varbinary': return { type, maxLength: a ?? 8000, precision: 0, scale: 0 };
    default: return { type, maxLength: 8, precision: 0, scale: 0 };
  }
}
