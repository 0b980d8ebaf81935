/**
 * SYNTHETIC damage at test time: a copy of a real corpus file (read from the corpus, never written
 * to the repo) at `to`, with `edit` applied to its bytes. The shape two damage tests of log backups
 * wrote each (duplicates, session 21).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readMtfLayout } from '../../src/backup/mtf.js';

export function damagedCopy(src: string, to: string, edit: (b: Buffer) => void): string {
  const b = Buffer.from(readFileSync(src));
  edit(b);
  writeFileSync(to, b);
  return to;
}

/**
 * File offsets of the stream data of backup set `set`'s two header copies (SQL Server's configuration
 * stream after the MSCI block that opens the set and after the MSLS block that closes it:
 * src/backup/config-stream.ts), where the header-damage tests edit a copy. The shape four tests of
 * session 22 wrote each (duplicates D1, D5, D6).
 */
export function headerCopyOffsets(file: string, set = 1): { opening: number; closing: number } {
  const copies = readMtfLayout(file).streams.filter((s) => s.id === 'MQCI' && s.set === set);
  const opening = copies.find((s) => s.dblk === 'MSCI');
  const closing = copies.find((s) => s.dblk === 'MSLS');
  if (!opening || !closing) throw new Error(`${file}: backup set ${set} lacks one of its two header copies`);
  return { opening: opening.dataOffset, closing: closing.dataOffset };
}
