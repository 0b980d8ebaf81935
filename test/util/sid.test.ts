import { describe, expect, it } from 'vitest';
import { sidToText } from '../../src/util/sid.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

// Byte layouts from [MS-DTYP] §2.4.2.2 (revision, count, 48-bit BE authority, LE sub-authorities);
// the expected text forms are the well-known SIDs of [MS-DTYP] §2.4.2.4.
describe('sidToText', () => {
  it.each([
    ['010100000000000512000000', 'S-1-5-18'], // LocalSystem
    ['01020000000000052000000020020000', 'S-1-5-32-544'], // BUILTIN\Administrators
    ['010100000000000100000000', 'S-1-1-0'], // Everyone
    // a domain account: S-1-5-21-<3 domain sub-authorities>-<RID 1105> (SYNTHETIC values)
    ['010500000000000515000000' + '01000000' + '02000000' + 'ffffffff' + '51040000', 'S-1-5-21-1-2-4294967295-1105'],
  ])('%s → %s', (h, text) => {
    expect(sidToText(hex(h))).toBe(text);
  });

  it.each([
    ['01', 'sa (0x01)'],
    ['8a1f4c2e9b3d4f1aa7c1e2d3f4b5a697', 'a SQL login GUID'],
    ['010200000000000520000000', 'length disagrees with the count'],
    ['020100000000000512000000', 'revision 2'],
    ['01020000000100052000000020020000', 'authority beyond one byte (random bytes)'],
  ])('%s (%s) has no text form', (h) => {
    expect(sidToText(hex(h))).toBeNull();
  });

  it('null and empty', () => {
    expect(sidToText(null)).toBeNull();
    expect(sidToText(new Uint8Array(0))).toBeNull();
  });
});
