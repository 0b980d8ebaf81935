import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Offset of the first SSET block in every corpus backup of appveyor-lab (after TAPE and SFMB). */
export const SSET_AT = 1536;

/**
 * A backup file holding several backup sets, made at test time from REAL corpus backups as BACKUP …
 * WITH NOINIT appends them: the whole of `first`, then each of `more` from its SSET block on, those
 * SSETs numbered 2, 3, … (MTF 1.00a SSET "Data Set Number", u16 at offset 62: outside the 50 bytes
 * the block header checksum covers; RESTORE HEADERONLY's Position). Never written to the repo.
 */
export function appendedBackupSet(first: string, ...more: string[]): Buffer {
  const sets = more.map((f, i) => {
    const b = Buffer.from(readFileSync(f).subarray(SSET_AT));
    expect(b.subarray(0, 4).toString('latin1')).toBe('SSET');
    b.writeUInt16LE(i + 2, 62);
    return b;
  });
  return Buffer.concat([readFileSync(first), ...sets]);
}
