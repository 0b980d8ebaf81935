import { TextDecoder } from 'node:util';

/**
 * The reference a test compares rowback's code-page decoding with: ICU's TextDecoder, except code
 * page 1252's bytes 0x80–0x9F, which Node 20.20's TextDecoder('windows-1252') reads as Latin-1 (C1
 * controls: nodejs/node#56542, #60888). Those come from Microsoft's table as published
 * (unicode.org MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT; its five undefined bytes 0x81 0x8D 0x8F
 * 0x90 0x9D as the C1 control of their value, as WHATWG's index-windows-1252 gives them), written
 * here on their own, not taken from src/.
 */
const CP1252_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x81: 0x0081, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8d: 0x008d, 0x8e: 0x017d, 0x8f: 0x008f,
  0x90: 0x0090, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014,
  0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9d: 0x009d, 0x9e: 0x017e, 0x9f: 0x0178,
};

/** Windows-1252 as Microsoft's table reads it: a byte at a time (every byte is one character). */
export function decodeCp1252(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(CP1252_HIGH[b] ?? b);
  return s;
}

/** Microsoft's character of a 1252 byte 0x80–0x9F (for encoders); undefined elsewhere. */
export function cp1252High(byte: number): number | undefined {
  return CP1252_HIGH[byte];
}

/** A decoder with TextDecoder's `decode(bytes)` for a WHATWG label; 'windows-1252' as Microsoft's table. */
export function referenceDecoder(label: string, o: { fatal?: boolean } = {}): { decode(bytes: Uint8Array): string } {
  if (label.toLowerCase() === 'windows-1252') return { decode: decodeCp1252 };
  // ignoreBOM: a UTF-8 value's leading EF BB BF is its own U+FEFF, as rowback reads it (collation.ts)
  return new TextDecoder(label, { ...o, ignoreBOM: true });
}
