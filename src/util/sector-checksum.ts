/**
 * SQL Server's sector checksum, used both for data pages (PAGE_VERIFY CHECKSUM: 16 sectors, the
 * checksum kept in m_tornBits @60) and for log blocks (1 to 120 sectors, the checksum @24): for each
 * 512-byte sector i of n, the XOR of its 128 little-endian u32 words (the word holding the checksum
 * left out), rotated left by n − 1 − i bits, all XORed together (unsigned 32-bit).
 * Sources: the page form is the one public write-ups describe and is verified on the corpus's 586
 * checksummed pages (datafile/page.ts); the log-block form was found by trying this algorithm on the
 * corpus's real log blocks (logreader/ldf/constants.ts BLOCK_STATUS_CHECKSUM).
 *
 * `size` is a multiple of 512 bytes; `skipOffset` is the checksum word's byte offset from `offset`
 * (a multiple of 4, inside the first sector). No allocation but a word view when the bytes are
 * 4-byte aligned on a little-endian machine; a DataView otherwise.
 */
const SECTOR = 512;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function sectorChecksum(b: Uint8Array, offset: number, size: number, skipOffset: number): number {
  const sectors = size / SECTOR;
  const base = b.byteOffset + offset;
  const words = LITTLE_ENDIAN && base % 4 === 0 ? new Uint32Array(b.buffer, base, size >>> 2) : null;
  const v = words === null ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
  let sum = 0;
  for (let s = 0; s < sectors; s++) {
    let x = 0;
    if (words !== null) {
      for (let w = s * (SECTOR >>> 2), end = w + (SECTOR >>> 2); w < end; w++) x ^= words[w];
    } else {
      for (let o = offset + s * SECTOR, end = o + SECTOR; o < end; o += 4) x ^= v!.getUint32(o, true);
    }
    if (s === 0) x ^= words !== null ? words[skipOffset >>> 2] : v!.getUint32(offset + skipOffset, true);
    const r = (sectors - 1 - s) & 31;
    sum ^= r === 0 ? x : (x << r) | (x >>> (32 - r));
  }
  return sum >>> 0;
}
