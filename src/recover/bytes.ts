import { parseHex } from '../util/hex.js';

/** Bytes from a value that may already be bytes or may be `0x…` text (export files); null when empty. */
export function hexToBytesLoose(v: string): Uint8Array | null {
  const t = v.trim();
  if (t === '' || t.toUpperCase() === 'NULL') return null;
  return parseHex(t);
}
