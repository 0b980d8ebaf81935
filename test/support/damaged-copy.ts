/**
 * SYNTHETIC damage at test time: a copy of a real corpus file (read from the corpus, never written
 * to the repo) at `to`, with `edit` applied to its bytes. The shape two damage tests of log backups
 * wrote each (duplicates, session 21).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function damagedCopy(src: string, to: string, edit: (b: Buffer) => void): string {
  const b = Buffer.from(readFileSync(src));
  edit(b);
  writeFileSync(to, b);
  return to;
}
