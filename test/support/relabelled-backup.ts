/**
 * SYNTHETIC, from REAL bytes: StopAt_1.trn (appveyor-lab sql2008-backups/StopAt, LSNs 13:51:be to
 * 13:b7:1) with the binding id of its two header copies (HEADERONLY BindingID, SCIN @124: the GUID's
 * first and last occurrences in the file; the two between are inside log records, left as they are)
 * made AngularJs_CRUD Database1.mdf's, so the pair passes the one-database check: a data file whose
 * checkpoint (25:36:2) is after every log backup given. Shared by the tests of a data file newer
 * than the log backups given with it (scan, files jobs, the log-not-given window rules).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { corpusPath } from './corpus.js';

/** A GUID's 16 bytes as SQL Server stores a uniqueidentifier (the first three groups little-endian). */
export function guidBytes(g: string): Buffer {
  const x = Buffer.from(g.replace(/-/g, ''), 'hex');
  return Buffer.concat([Buffer.from(x.subarray(0, 4)).reverse(), Buffer.from(x.subarray(4, 6)).reverse(), Buffer.from(x.subarray(6, 8)).reverse(), x.subarray(8)]);
}

/** Writes the relabelled StopAt_1.trn (see the module header) into `dir`; its path. */
export function writeStopAtAsDatabase1(dir: string): string {
  const b = Buffer.from(readFileSync(corpusPath('appveyor-lab/sql2008-backups/StopAt', 'StopAt_1.trn')));
  const from = guidBytes('02A2883C-5D8C-4B6A-AFBF-61072D49FDCA');
  const at: number[] = [];
  for (let i = b.indexOf(from); i >= 0; i = b.indexOf(from, i + 1)) at.push(i);
  expect(at).toHaveLength(4);
  for (const i of [at[0]!, at[3]!]) guidBytes('97C13D95-088B-43ED-85E5-F9F10FED2D16').copy(b, i);
  const trn = join(dir, 'StopAt_1-as-Database1.trn');
  writeFileSync(trn, b);
  return trn;
}
