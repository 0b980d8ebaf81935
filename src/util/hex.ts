import { InputError } from '../errors.js';

const HEX = '0123456789ABCDEF';

/**
 * Parses hex as users paste it: optional `0x`, any white space, upper or lower case.
 * DBCC PAGE dump lines (`Slot 0: 0000…:   10000800 …`) are handled by the decode command's
 * `hexFromDump`, which strips the address columns first.
 */
export function parseHex(text: string, what = 'hex'): Uint8Array {
  let s = text.trim();
  if (s.startsWith('0x') || s.startsWith('0X')) s = s.slice(2);
  s = s.replace(/\s+/g, '');
  // a stray character is named as such, not counted as a digit ('0x…6900,' said "odd number of hex digits (39)")
  const stray = /[^0-9a-fA-F]/.exec(s);
  if (stray) throw new InputError('INPUT_BAD_HEX', `${what} has a non-hex character '${stray[0]}' at digit ${stray.index}`, { offset: Math.floor(stray.index / 2) });
  if (s.length % 2 !== 0) {
    throw new InputError('INPUT_BAD_HEX', `${what} has an odd number of hex digits (${s.length})`, { offset: s.length });
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(s.charCodeAt(2 * i));
    const lo = hexDigit(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const bad = hi < 0 ? 2 * i : 2 * i + 1;
      throw new InputError('INPUT_BAD_HEX', `${what} has a non-hex character '${s[bad]}' at digit ${bad}`, { offset: i });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** `0x`-prefixed upper-case hex, as SQL Server prints binary values. */
export function toHex0x(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return '0x' + toHex(bytes, start, end);
}

/** Upper-case hex without prefix. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Buffer's native encoder is far faster than a per-byte loop; upper-case for SQL Server's style.
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex').toUpperCase();
}

export { HEX };
