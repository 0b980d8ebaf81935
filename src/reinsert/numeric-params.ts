/**
 * Numeric values into re-insert parameters (planParam's integer, float/real and
 * decimal/numeric/money columns): range checks, and exactness judged in integer arithmetic (BigInt)
 * between a decimal text and a binary floating-point value, so no value goes in changed unsaid.
 */
import type { SqlValue } from '../reconstruct/values.js';
import { shortestFloat32 } from '../reconstruct/types/float.js';
import type { TargetColumn } from './target-table.js';
import { bad, declaration, elsewhere, type ParamPlan, type ParamType, type SourceText } from './param-type.js';
import { identifierText } from '../util/identifier-text.js';

export const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * An integer value as a bigint: a JavaScript integer (exact, whatever its size: BigInt of a double
 * beyond 2^53 is that double's value; -0 is 0), a decimal string of an integer, with a fraction
 * of zeros only ('5', '-0', '5.00': a bigint or decimal source column's text), or a bit's boolean
 * (1 or 0: a bit column's value into an int target was refused 'got true'). null for anything
 * else (a fraction, a non-finite number, other text): refused by the caller.
 */
function integerOf(v: SqlValue): bigint | null {
  // a bit value (true/false, decodeBit) is 1 or 0, as SQL Server converts bit to an integer type
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : null;
  if (typeof v !== 'string') return null;
  const m = /^(-?\d+)(?:\.0*)?$/.exec(v);
  return m ? BigInt(m[1]) : null;
}

/**
 * A double's parts: `Math.abs(d) = m * 2^e` exactly (m an integer below 2^53). `d` finite.
 */
function doubleParts(d: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return exp === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: exp - 1075 };
}

/** Whether the decimal text `s` (DECIMAL) is exactly the double `d`: both as integers over powers of ten and two, in BigInt. */
function decimalIsDouble(s: string, d: number): boolean {
  const neg = s.startsWith('-');
  const [ip, fp = ''] = s.replace(/^-/, '').split('.');
  const n = BigInt(ip + fp); // |s| = n / 10^k
  const k = BigInt(fp.length);
  if (n === 0n) return d === 0;
  if (!Number.isFinite(d) || d === 0 || (d < 0) !== neg) return false;
  const { m, e } = doubleParts(d);
  return e >= 0 ? n === m * 2n ** BigInt(e) * 10n ** k : n * 2n ** BigInt(-e) === m * 10n ** k;
}

/**
 * A float or real source value `d` (for real, its float32) going into a decimal/numeric/money
 * column of `scale` decimal places as `s`, its shortest decimal (String(d): the digits SQL Server
 * and rowback show): refused where `d`'s exact value rounded to `scale` places is not `s`. There
 * `s` is not the value, and what the server stores from a float is not settled here (no server):
 * 2^60 as a float is 1152921504606846976, whose String is 1152921504606847000 (the wrong value
 * c7fb920 kept out of bigint columns, here into a decimal(19,0)); 0.1 as a double is
 * 0.1000000000000000055511…, which a decimal(38,20) shows as 0.10000000000000000555, not 0.1. Where
 * they agree (0.1 into decimal(10,2), 2^53, 2.5) `s` is the float's value at that scale, as
 * written and as any exact conversion gives it. Integer arithmetic (BigInt).
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
function assertFloatTextExact(c: TargetColumn, type: ParamType, d: number, s: string, scale: number): void {
  if (!Number.isFinite(d)) return;
  const [ip, fp = ''] = s.replace(/^-/, '').split('.');
  const written = BigInt(ip + fp.padEnd(scale, '0'));
  let exact: bigint;
  if (d === 0) exact = 0n;
  else {
    const { m, e } = doubleParts(d);
    const scaled = m * 10n ** BigInt(scale);
    if (e >= 0) exact = scaled * 2n ** BigInt(e);
    else {
      const den = 2n ** BigInt(-e);
      exact = scaled / den;
      if ((scaled % den) * 2n >= den) exact += 1n;
    }
  }
  if (exact === written) return;
  const digits = exact.toString().padStart(scale + 1, '0');
  const shown = `${d < 0 ? '-' : ''}${scale ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits}`;
  throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) got ${s}, a floating-point value whose exact value (${exactDecimalOfDouble(d)}) at ${scale} decimal place(s) is ${shown}, not ${s}: which of the two the column would get is not certain: ${elsewhere('of type float')}`);
}

/**
 * The exact decimal value of the double `d` (every double has a finite one), at most 40 significant
 * digits and `…` when it has more: 0.1 → 0.1000000000000000055511151231257827021181…
 */
export function exactDecimalOfDouble(d: number): string {
  if (d === 0) return '0';
  const { m, e } = doubleParts(d);
  let digits: string;
  let point: number; // digits after the decimal point
  if (e >= 0) { digits = (m * 2n ** BigInt(e)).toString(); point = 0; } else { digits = (m * 5n ** BigInt(-e)).toString(); point = -e; }
  if (digits.length <= point) digits = '0'.repeat(point - digits.length + 1) + digits;
  let text = point ? `${digits.slice(0, digits.length - point)}.${digits.slice(digits.length - point)}`.replace(/0+$/, '').replace(/\.$/, '') : digits;
  const lead = /^[0.]*/.exec(text)![0].length;
  const significant = text.slice(lead).replace('.', '').length;
  if (significant > 40) {
    let kept = 0;
    let i = lead;
    for (; i < text.length && kept < 40; i++) if (text[i] !== '.') kept++;
    text = `${text.slice(0, i)}…`;
  }
  return `${d < 0 ? '-' : ''}${text}`;
}

/**
 * Decimal text (a decimal, numeric, money or bigint source value) into a float or real column: the
 * double (for real, the float32) it is, exactly, sent as that number and written as its float
 * constant; SQL Server stores it without change. A value no double (float32) holds exactly
 * (0.1, 9007199254740993: the server would store the nearest one, which reads back as another
 * decimal) is refused naming the column and what it would become. -0.00 is 0 (a decimal has no
 * negative zero). @throws ReinsertError REINSERT_BAD_VALUE.
 */
function decimalTextAsFloat(c: TargetColumn, type: ParamType, s: string): ParamPlan {
  const near = Number(s);
  const d = near === 0 ? 0 : near;
  if (!decimalIsDouble(s, d)) {
    throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) holds binary floating-point values: ${s} is not one exactly, and would go in as the nearest ${type.name === 'Real' ? '4-byte float' : 'double'}, ${exactDecimalOfDouble(type.name === 'Real' ? Math.fround(d) : d)}: ${elsewhere('of type decimal or numeric')}`);
  }
  if (type.name === 'Real' && Math.fround(d) !== d) {
    throw bad(c.name, `column ${identifierText(c.name)} (real) holds a 4-byte float: ${s} is not one exactly, and would go in rounded to ${exactDecimalOfDouble(Math.fround(d))}: ${elsewhere('of type float, decimal or numeric')}`);
  }
  return { type, value: d, literal: floatConstant(d) };
}

/**
 * A float/real value as a T-SQL float constant: the shortest decimal that reads back as the same
 * double (JavaScript's String(v): at most 17 significant digits) in scientific notation, `E0`
 * appended when String gives none (`0.1` → `0.1E0`, `1e+21` stays), `-0E0` for negative zero.
 * Without an exponent a constant with a decimal point is a decimal constant (Microsoft Learn,
 * "Constants (Transact-SQL)": float and real constants "are represented by using scientific
 * notation"; `0.30000000000000004` is numeric(17,17)), which the DECLARE then converts to float, a
 * conversion the same documentation says "can cause some loss of precision" (Microsoft Learn,
 * "decimal and numeric (Transact-SQL)", Converting decimal and numeric data), so the script's value
 * and its undo's match rested on that conversion being exact. A float constant is read as a double
 * directly; a real column's value (the shortest decimal of its float32, types/float.ts) read as a
 * double rounds to that same float32.
 */
export function floatConstant(v: number): string {
  if (Object.is(v, -0)) return '-0E0';
  const s = String(v);
  return /e/i.test(s) ? s.toUpperCase() : `${s}E0`;
}

/**
 * A tinyint/smallint/int column's value (planParam): an integer (integerOf: a JavaScript integer, the
 * text of an integer, a bit) within the type's range, sent as a number.
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column (not an integer, out of range).
 */
export function integerParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>): ParamPlan {
  // a bigint source value is decoded as a decimal string (types/integer.ts), as is a decimal's:
  // a bigint or decimal(p,0) column's 5 into an int target (altered since, a side table) is 5
  const n = integerOf(v);
  if (n === null) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
  // an int value into a smallint/tinyint target (altered since, a narrower side table): the
  // script's DECLARE stopped with Msg 220 (arithmetic overflow) and the driver refused the
  // parameter, failing the whole batch on every resume; a row problem instead
  const [lo, hi] = type.name === 'TinyInt' ? [0, 255] : type.name === 'SmallInt' ? [-32768, 32767] : [-2147483648, 2147483647];
  if (n < BigInt(lo) || n > BigInt(hi)) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) holds ${lo} to ${hi}: ${n} does not fit, and its INSERT would fail (arithmetic overflow, Msg 220 or 8115) with its whole batch: ${elsewhere('of a wider integer type')}`);
  return { type, value: Number(n), literal: String(n) };
}

/**
 * A bigint column's value (planParam): an integer (integerOf) within bigint's range, sent as its
 * decimal text (exact beyond 2^53). @throws ReinsertError REINSERT_BAD_VALUE naming the column.
 */
export function bigintParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>): ParamPlan {
  // a number beyond 2^53 (a float source value) written by String() is not its value
  // (String(2 ** 60) is '1152921504606847000', 2^60 is 1152921504606846976): BigInt(v) is exact
  const i = integerOf(v);
  if (i === null) throw bad(c.name, `column ${identifierText(c.name)} (bigint) got ${JSON.stringify(v)}`);
  const s = i.toString();
  if (BigInt(s) < -(2n ** 63n) || BigInt(s) > 2n ** 63n - 1n) throw bad(c.name, `column ${identifierText(c.name)} (bigint) holds -9223372036854775808 to 9223372036854775807: ${s} does not fit: ${elsewhere('of type decimal(38,0)')}`);
  return { type, value: s, literal: s };
}

/**
 * A float/real column's value (planParam): a double, a bit, or decimal text a double (a float32 for
 * real) holds exactly (decimalTextAsFloat); a real source value into a float column as its float32
 * widened. @throws ReinsertError REINSERT_BAD_VALUE naming the column where the value would change.
 */
export function floatParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>, source?: SourceText): ParamPlan {
  // a decimal, numeric, money or bigint source value is decimal text (types/integer.ts, decimal.ts):
  // into a float/real target (altered since, a side table) it goes in when a double (a float32
  // for real) holds it exactly, else it would change: refused (it was refused 'got "2.5"' before)
  if (typeof v === 'string' && DECIMAL.test(v)) return decimalTextAsFloat(c, type, v);
  // a bit (true/false) is 1 or 0, as SQL Server converts bit to float/real
  if (typeof v === 'boolean') return { type, value: v ? 1 : 0, literal: floatConstant(v ? 1 : 0) };
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
  // A real column holds a float32: rowback prints one as the shortest decimal that reads back as
  // it (types/float.ts), and such a value goes back exactly. A value with more precision (a float
  // column's, into a real target altered since or another table's) was rounded to float32 by the
  // driver and by the script's DECLARE, unsaid (3.141592653589793 went in as 3.1415927): refused.
  // (a double that is itself a float32, 0.10000000149011612, goes in exactly too)
  if (type.name === 'Real' && !Object.is(shortestFloat32(Math.fround(v)), v) && !Object.is(Math.fround(v), v)) {
    const f = Math.fround(v);
    throw bad(c.name, `column ${identifierText(c.name)} (real) holds a 4-byte float: ${floatConstant(v)} ${Number.isFinite(f) ? `would go in rounded to ${floatConstant(shortestFloat32(f))}` : 'is beyond its range (±3.4028235E+38)'}: re-insert the row into a float column (a side table, tableMap)`);
  }
  // a real source value into a float column: the float32 it stands for, widened exactly
  if (type.name === 'Float' && source?.real === true) {
    const widened = Math.fround(v);
    if (Object.is(shortestFloat32(widened), v)) return { type, value: widened, literal: floatConstant(widened) };
  }
  return { type, value: v, literal: floatConstant(v) };
}

/**
 * A decimal/numeric/money/smallmoney column's value (planParam): decimal text (or a bit, or a float
 * whose exact value at the column's scale is its text, assertFloatTextExact) that fits the column's
 * scale and precision (or money's range); sent as a number where tedious carries it exactly, else
 * as text the server converts (`CONVERT(decimal(p,s), @p)`).
 * @throws ReinsertError REINSERT_BAD_VALUE naming the column where the value would change or not fit.
 */
export function decimalParam(c: TargetColumn, type: ParamType, v: Exclude<SqlValue, null | object>, source?: SourceText): ParamPlan {
  // a bit (true/false) is 1 or 0, as SQL Server converts bit to decimal or money ('true' was refused)
  const s = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  if (!DECIMAL.test(s)) throw bad(c.name, `column ${identifierText(c.name)} (${c.type}) got ${JSON.stringify(v)}`);
  // tedious sends a decimal as Math.round(value * 10^scale) of a double, the *target's* scale:
  // exact while that integer has at most 15 digits (a decimal(19,6) target given 1234567890123.45,
  // text of a decimal(18,2), got 1234567890123.449856). It sends money and smallmoney as
  // value * 10000 truncated, not rounded (19.99 → 199899.99999999997 → 19.9899; 0.57 → 0.5699):
  // never exact, so money always goes as text converted by the server.
  const [intPart, frac = ''] = s.replace(/^-/, '').split('.');
  // The server rounds a value to the target's scale and refuses none: CONVERT(decimal(10,2),
  // '1.005') is 1.01, CONVERT(money, '1.23456') 1.2346 (a target altered since, another
  // database's table, a numeric sql_variant without its own scale: (18,0)). Not as it was: refused.
  const isMoney = type.name === 'Money' || type.name === 'SmallMoney';
  const scale = isMoney ? 4 : c.scale;
  const kept = frac.replace(/0+$/, '');
  if (kept.length > scale) throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) keeps ${scale} decimal place(s): ${s} would go in rounded: ${elsewhere(`of ${kept.length} decimal place(s) or more`)}`);
  // money / smallmoney are 8- / 4-byte integers of ten-thousandths: a value beyond them (a money
  // column's 1000000.00 into a smallmoney one, a decimal's into money) made the script's
  // CONVERT and the driver's INSERT fail (arithmetic overflow, Msg 8115) with the whole batch
  if (isMoney) {
    const ten4 = BigInt((s.startsWith('-') ? '-' : '') + intPart + frac.padEnd(4, '0').slice(0, 4));
    const small = type.name === 'SmallMoney';
    const [lo, hi] = small ? [-(2n ** 31n), 2n ** 31n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
    if (ten4 < lo || ten4 > hi) throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) holds ${small ? '-214748.3648 to 214748.3647' : '-922337203685477.5808 to 922337203685477.5807'}: ${s} does not fit, and its INSERT would fail (arithmetic overflow, Msg 8115) with its whole batch: ${elsewhere(small ? 'of type money or decimal' : 'of type decimal')}`);
  }
  if (!isMoney && intPart.replace(/^0+/, '').length > c.precision - c.scale) throw bad(c.name, `column ${identifierText(c.name)} (${declaration(type)}) holds at most ${c.precision - c.scale} digit(s) before the decimal point: ${s} does not fit: ${elsewhere('of greater precision')}`);
  // a float (or real) source value is a binary fraction, s its shortest decimal (String): where
  // the target's scale shows more of it than s does, the two differ (assertFloatTextExact)
  if (typeof v === 'number') assertFloatTextExact(c, type, source?.real === true ? Math.fround(v) : v, s, scale);
  const scaledDigits = (intPart.replace(/^0+/, '') + frac.padEnd(c.scale, '0').slice(0, c.scale)).replace(/^0+/, '').length;
  const exactAsNumber = (type.name === 'Decimal' || type.name === 'Numeric') && frac.length <= c.scale && scaledDigits <= 15;
  if (exactAsNumber) return { type, value: Number(s), literal: s };
  const decl = declaration(type);
  return { type: { name: 'VarChar', length: 50 }, wrap: `CONVERT(${decl}, @)`, value: s, literal: `'${s}'` };
}
