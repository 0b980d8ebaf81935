import { decoderForCodePage, type CodePageDecoder } from '../collation.js';
import { toHex0x } from '../../util/hex.js';

/**
 * Character types. char/varchar/text hold bytes of the collation's code page (UTF-8 for
 * `_UTF8` collations); nchar/nvarchar/ntext hold UTF-16LE. Fixed char/nchar keep their padding.
 * binary/varbinary/image and the CLR/opaque types are printed as `0x…` upper-case hex.
 */

/** varchar bytes in code page `codePage` (1252 when the code page is unknown or unsupported). */
export function decodeVarchar(b: Uint8Array, start: number, end: number, codePage: number | null = 1252): string {
  const d: CodePageDecoder | null = decoderForCodePage(codePage ?? 1252) ?? decoderForCodePage(1252);
  return (d as CodePageDecoder).decode(b, start, end);
}

/** UTF-16LE; an odd trailing byte is not valid nvarchar data — callers check the length first. */
export function decodeNvarchar(b: Uint8Array, start: number, end: number): string {
  // Short values: a code-unit loop avoids allocating a Buffer view per value.
  // Measured on Node 20: a code-unit loop wins below ~8 characters; beyond, Buffer's native
  // UTF-16 slice (free when the bytes already are a Buffer).
  if (end - start > 16) {
    if (b instanceof Buffer) return b.toString('utf16le', start, end);
    return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf16le');
  }
  let s = '';
  for (let i = start; i + 1 < end; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8));
  return s;
}

export function decodeBinary(b: Uint8Array, start: number, end: number): string {
  return toHex0x(b, start, end);
}
