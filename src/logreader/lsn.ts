import { InputError } from '../errors.js';
import { echoInput } from '../util/echo.js';

/**
 * A log sequence number: VLF sequence number, log block offset (in 512-byte units from the
 * VLF start), slot number in the block. fn_dblog prints it as `0000002a:000001f0:0003`.
 */
export interface Lsn {
  vlf: number;
  block: number;
  slot: number;
}

const PRINTED = /^(?:0x)?([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,4})$/;

/** Parses the printed form `0000002a:000001f0:0003` (hex parts, as fn_dblog prints them). */
export function parseLsn(text: string): Lsn {
  const m = PRINTED.exec(text.trim());
  if (!m) throw new InputError('INPUT_BAD_LSN', `'${echoInput(text)}' is not an LSN of the form 0000002a:000001f0:0003`);
  return { vlf: parseInt(m[1], 16), block: parseInt(m[2], 16), slot: parseInt(m[3], 16) };
}

/** The printed form fn_dblog uses: 8:8:4 lower-case hex digits. */
export function formatLsn(l: Lsn): string {
  return `${l.vlf.toString(16).padStart(8, '0')}:${l.block.toString(16).padStart(8, '0')}:${l.slot.toString(16).padStart(4, '0')}`;
}

export function compareLsn(a: Lsn, b: Lsn): number {
  return a.vlf - b.vlf || a.block - b.block || a.slot - b.slot;
}

/*
 * The other spellings of the same LSN (facts: Microsoft "Recover to a Log Sequence Number":
 * LSNs are numeric(25,0) and RESTORE takes `STOPATMARK = 'lsn:15000000040000037'`; the
 * numeric form is the VLF sequence number in decimal, then the block offset as 10 decimal
 * digits, then the slot as 5 — i.e. vlf·10^15 + block·10^5 + slot. fn_dblog/fn_dump_dblog
 * take their bounds as nvarchar(25) and accept `'vlf:block:slot'` in decimal
 * (`'42:496:3'`) and the printed hex form prefixed with 0x (`'0x0000002a:000001f0:0003'`);
 * CDC and replication return the binary(10) form `0x0000002A000001F00003`.
 */

const MAX_VLF = 0xffffffff;
const MAX_BLOCK = 0xffffffff;
const MAX_SLOT = 0xffff;
const BLOCK_FACTOR = 100_000n; // 5 decimal digits for the slot
const VLF_FACTOR = 1_000_000_000_000_000n; // 10 digits block + 5 digits slot

function checkLsn(l: Lsn, text: string): Lsn {
  if (!(l.vlf >= 0 && l.vlf <= MAX_VLF && l.block >= 0 && l.block <= MAX_BLOCK && l.slot >= 0 && l.slot <= MAX_SLOT)) {
    throw new InputError('INPUT_BAD_LSN', `'${text}' is out of range for an LSN (vlf ≤ 4294967295, block ≤ 4294967295, slot ≤ 65535)`);
  }
  return l;
}

/** binary(10) as CDC / replication print it: `0x0000002A000001F00003` (4 + 4 + 2 bytes, big-endian). */
export function lsnToBinaryHex(l: Lsn): string {
  const digits = l.vlf.toString(16).padStart(8, '0') + l.block.toString(16).padStart(8, '0') + l.slot.toString(16).padStart(4, '0');
  return '0x' + digits.toUpperCase();
}

const BINARY10 = /^0x([0-9a-fA-F]{8})([0-9a-fA-F]{8})([0-9a-fA-F]{4})$/;

export function lsnFromBinaryHex(text: string): Lsn {
  const m = BINARY10.exec(text.trim());
  if (!m) throw new InputError('INPUT_BAD_LSN', `'${text}' is not a binary(10) LSN of the form 0x0000002A000001F00003`);
  return { vlf: parseInt(m[1], 16), block: parseInt(m[2], 16), slot: parseInt(m[3], 16) };
}

/** numeric(25,0) as backupset.first_lsn / RESTORE … 'lsn:…' use it, as a decimal string. */
export function lsnToDecimal(l: Lsn): string {
  return (BigInt(l.vlf) * VLF_FACTOR + BigInt(l.block) * BLOCK_FACTOR + BigInt(l.slot)).toString();
}

const DECIMAL = /^\d{1,25}$/;

export function lsnFromDecimal(text: string): Lsn {
  const t = text.trim().replace(/^lsn:/i, '');
  if (!DECIMAL.test(t)) throw new InputError('INPUT_BAD_LSN', `'${echoInput(text)}' is not a numeric(25,0) LSN such as 42000000049600003`);
  const n = BigInt(t);
  const slot = Number(n % BLOCK_FACTOR);
  const block = Number((n / BLOCK_FACTOR) % (VLF_FACTOR / BLOCK_FACTOR));
  const vlf = n / VLF_FACTOR;
  if (vlf > BigInt(MAX_VLF)) throw new InputError('INPUT_BAD_LSN', `'${text}' is out of range for an LSN (VLF part ${vlf})`);
  return checkLsn({ vlf: Number(vlf), block, slot }, text);
}

/** `lsn:42000000049600003`, the string RESTORE … STOPATMARK / STOPBEFOREMARK takes. */
export function lsnToRestoreMark(l: Lsn): string {
  return `lsn:${lsnToDecimal(l)}`;
}

/** `42:496:3`: the decimal colon form fn_dblog / fn_dump_dblog take as @start / @end. */
export function lsnToDblogParam(l: Lsn): string {
  return `${l.vlf}:${l.block}:${l.slot}`;
}

const DBLOG_DECIMAL = /^(\d{1,10}):(\d{1,10}):(\d{1,5})$/;

/**
 * Any LSN spelling a user may paste: printed (`0000002a:000001f0:0003`, optional 0x),
 * binary(10) (`0x0000002A000001F00003`), numeric (`42000000049600003`, optional `lsn:`),
 * fn_dblog's decimal colon form when marked with `dec:` (`dec:42:496:3`), or in parentheses as
 * DBCC PAGE prints m_lsn and the error log prints LSNs (`(42:496:3)`, always decimal).
 *
 * An unmarked colon form is read as hex only when it cannot be the decimal form: padded
 * 8:8:4 as fn_dblog prints it, prefixed `0x`, or holding a hex letter. A short all-digit one
 * such as `19:99:2` is both fn_dblog's printed form cut short and the decimal form
 * fn_dblog/fn_dump_dblog take as parameters (Paul Randal's and Microsoft's examples pass
 * `'42:496:3'`), and the two readings name different records: it is refused
 * (`INPUT_AMBIGUOUS_LSN`, naming both readings) unless they agree (every part below 10).
 *
 * @throws InputError INPUT_BAD_LSN (no form), INPUT_AMBIGUOUS_LSN (two readings); `flag`
 *   (e.g. `--from-lsn`) leads the message when given.
 */
export function parseAnyLsn(text: string, flag?: string): Lsn {
  try {
    return parseAnyLsnForm(text);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (e.code === 'INPUT_AMBIGUOUS_LSN') throw new InputError(e.code, flag ? `${flag} ${e.message}` : e.message, e.location);
    // a value of none of the forms is told every form this reads (the form tried last named only
    // numeric(25,0): `--from-lsn 2a-1f0` was "not a numeric(25,0) LSN"); out of range keeps its reason
    const said = / is out of range /.test(e.message) ? e.message : `'${echoInput(text)}' is not an LSN: give it ${ANY_LSN_FORMS}`;
    throw new InputError('INPUT_BAD_LSN', flag ? `${flag} ${said}` : said, e.location);
  }
}

/** The spellings parseAnyLsn reads, for messages. */
export const ANY_LSN_FORMS = 'as fn_dblog prints it (0000002a:000001f0:0003), 0x0000002A000001F00003, 42000000049600003 (lsn:…), dec:42:496:3 or (42:496:3)';

const PADDED = /^[0-9a-fA-F]{8}:[0-9a-fA-F]{8}:[0-9a-fA-F]{4}$/;

/** A colon form without `dec:`: hex when it can only be hex, refused when decimal would differ. */
function parseColonLsn(t: string): Lsn {
  const hex = parseLsn(t);
  if (/^0x/i.test(t) || PADDED.test(t) || /[a-f]/i.test(t)) return hex;
  const m = DBLOG_DECIMAL.exec(t);
  if (!m) return hex;
  const dec = { vlf: Number(m[1]), block: Number(m[2]), slot: Number(m[3]) };
  if (compareLsn(hex, dec) === 0) return hex;
  throw new InputError(
    'INPUT_AMBIGUOUS_LSN',
    `'${echoInput(t)}' reads two ways: as fn_dblog's printed hex it is ${formatLsn(hex)}, as the decimal form fn_dblog takes it is ${formatLsn(dec)}; give ${formatLsn(hex)} or dec:${t}`,
  );
}

function parseAnyLsnForm(text: string): Lsn {
  const t = text.trim();
  if (/^dec:/i.test(t)) {
    const m = DBLOG_DECIMAL.exec(t.slice(4));
    if (!m) throw new InputError('INPUT_BAD_LSN', `'${text}' is not a decimal LSN of the form dec:42:496:3`);
    return checkLsn({ vlf: Number(m[1]), block: Number(m[2]), slot: Number(m[3]) }, text);
  }
  // `(42:496:3)`: decimal as DBCC PAGE prints a page's m_lsn and the error log prints LSNs (never hex)
  const dbcc = /^\((\d{1,10}):(\d{1,10}):(\d{1,5})\)$/.exec(t);
  if (dbcc) return checkLsn({ vlf: Number(dbcc[1]), block: Number(dbcc[2]), slot: Number(dbcc[3]) }, text);
  if (t.includes(':') && !/^lsn:/i.test(t)) return parseColonLsn(t);
  if (/^0x[0-9a-f]{20}$/i.test(t)) return lsnFromBinaryHex(t);
  return lsnFromDecimal(t);
}
