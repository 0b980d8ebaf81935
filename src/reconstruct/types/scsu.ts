/**
 * SCSU — the Standard Compression Scheme for Unicode (Unicode Technical Standard #6), decoder only.
 * MS Learn "Unicode Compression Implementation": SQL Server (2008 R2+) compresses nchar(n)/nvarchar(n)
 * values of ROW/PAGE-compressed objects with an implementation of SCSU, and stores a value compressed
 * only when that is smaller than its UTF-16 form.
 *
 * Everything below is from UTS #6 ("A Standard Compression Scheme for Unicode", sections 5–9):
 *  - the decoder starts in single-byte mode, dynamic window 0 active, windows at their defaults;
 *  - single-byte mode: 0x00, 0x09, 0x0A, 0x0D and 0x20–0x7F are the characters themselves;
 *    0x80–0xFF are offsets into the active dynamic window; tags:
 *    SQ0–SQ7 (0x01–0x08) quote one byte from window n (static window n below 0x80, dynamic window n
 *    from 0x80), SDX (0x0B) defines an extended window, 0x0C reserved, SQU (0x0E) quotes one UTF-16
 *    unit (2 bytes, big-endian), SCU (0x0F) switches to Unicode mode, SC0–SC7 (0x10–0x17) select dynamic
 *    window n, SD0–SD7 (0x18–0x1F) define dynamic window n from the next byte and select it;
 *  - Unicode mode: pairs of bytes are big-endian UTF-16 units unless the first byte is a tag:
 *    UC0–UC7 (0xE0–0xE7) select window n and return to single-byte mode, UD0–UD7 (0xE8–0xEF) define
 *    window n from the next byte, select it and return, UQU (0xF0) quotes the next 2 bytes, UDX (0xF1)
 *    defines an extended window and returns, 0xF2 reserved;
 *  - static windows: 0000, 0080, 0100, 0300, 2000, 2080, 2100, 3000;
 *    default dynamic windows: 0080, 00C0, 0400, 0600, 0900, 3040, 30A0, FF00;
 *  - window offset byte x: 0x00 reserved, 0x01–0x67 → x × 0x80, 0x68–0xA7 → x × 0x80 + 0xAC00,
 *    0xA8–0xF8 reserved, 0xF9–0xFF → 00C0, 0250, 0370, 0530, 3040, 30A0, FF60;
 *  - extended window (SDX/UDX + 2 bytes hi, lo): window = hi >> 5,
 *    offset = 0x10000 + (((hi & 0x1F) << 8) | lo) × 0x80; characters ≥ 0x10000 come out as surrogate pairs.
 * Byte vectors of SQL Server-shaped output: OrcaMDF `OrcaMDF.Framework.Tests/SCSU/ScsuExpanderTests.cs`
 * (test/reconstruct/types/cd-types.test.ts).
 */

const STATIC_WINDOWS = [0x0000, 0x0080, 0x0100, 0x0300, 0x2000, 0x2080, 0x2100, 0x3000];
const DEFAULT_DYNAMIC = [0x0080, 0x00c0, 0x0400, 0x0600, 0x0900, 0x3040, 0x30a0, 0xff00];
const FIXED_OFFSETS = [0x00c0, 0x0250, 0x0370, 0x0530, 0x3040, 0x30a0, 0xff60];

/** Window start of an SDn/UDn offset byte; -1 when reserved. */
export function scsuWindowOffset(x: number): number {
  if (x === 0) return -1;
  if (x < 0x68) return x * 0x80;
  if (x < 0xa8) return x * 0x80 + 0xac00;
  if (x < 0xf9) return -1;
  return FIXED_OFFSETS[x - 0xf9];
}

const dynamic = new Array<number>(8);

function pushCodePoint(out: number[], cp: number): void {
  if (cp < 0x10000) out.push(cp);
  else {
    cp -= 0x10000;
    out.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
  }
}

/** SCSU bytes [start, end) → string; null when the bytes are not valid SCSU (reserved tag, truncated tag or unit). */
export function decodeScsu(b: Uint8Array, start: number, end: number): string | null {
  for (let i = 0; i < 8; i++) dynamic[i] = DEFAULT_DYNAMIC[i];
  let active = 0;
  let unicode = false;
  const out: number[] = [];
  let i = start;
  while (i < end) {
    const x = b[i++];
    if (!unicode) {
      if (x >= 0x20 && x < 0x80) out.push(x);
      else if (x >= 0x80) pushCodePoint(out, dynamic[active] + (x - 0x80));
      else if (x === 0x00 || x === 0x09 || x === 0x0a || x === 0x0d) out.push(x);
      else if (x >= 0x01 && x <= 0x08) {
        if (i >= end) return null;
        const y = b[i++];
        const w = x - 0x01;
        if (y < 0x80) out.push(STATIC_WINDOWS[w] + y);
        else pushCodePoint(out, dynamic[w] + (y - 0x80));
      } else if (x === 0x0b) {
        if (i + 2 > end) return null;
        active = defineExtended(dynamic, b[i], b[i + 1]);
        i += 2;
      } else if (x === 0x0e) {
        if (i + 2 > end) return null;
        out.push((b[i] << 8) | b[i + 1]);
        i += 2;
      } else if (x === 0x0f) unicode = true;
      else if (x >= 0x10 && x <= 0x17) active = x - 0x10;
      else if (x >= 0x18 && x <= 0x1f) {
        if (i >= end) return null;
        const off = scsuWindowOffset(b[i++]);
        if (off < 0) return null;
        active = x - 0x18;
        dynamic[active] = off;
      } else return null; // 0x0C reserved
    } else {
      if (x >= 0xe0 && x <= 0xe7) {
        active = x - 0xe0;
        unicode = false;
      } else if (x >= 0xe8 && x <= 0xef) {
        if (i >= end) return null;
        const off = scsuWindowOffset(b[i++]);
        if (off < 0) return null;
        active = x - 0xe8;
        dynamic[active] = off;
        unicode = false;
      } else if (x === 0xf0) {
        if (i + 2 > end) return null;
        out.push((b[i] << 8) | b[i + 1]);
        i += 2;
      } else if (x === 0xf1) {
        if (i + 2 > end) return null;
        active = defineExtended(dynamic, b[i], b[i + 1]);
        i += 2;
        unicode = false;
      } else if (x === 0xf2) return null; // reserved
      else {
        if (i >= end) return null;
        out.push((x << 8) | b[i++]);
      }
    }
  }
  let s = '';
  for (let k = 0; k < out.length; k += 4096) s += String.fromCharCode(...out.slice(k, k + 4096));
  return s;
}

/**
 * SDX (0x0B, single-byte mode) and UDX (0xF1, Unicode mode), UTS #6: the high 3 bits pick the
 * window, the other 13 bits its offset in 0x80 steps above U+10000. Returns the window made active.
 */
function defineExtended(dynamic: number[], hi: number, lo: number): number {
  const w = hi >> 5;
  dynamic[w] = 0x10000 + (((hi & 0x1f) << 8) | lo) * 0x80;
  return w;
}
