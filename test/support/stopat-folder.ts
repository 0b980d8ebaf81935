import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPath } from './corpus.js';

/** The corpus's REAL StopAt chain (appveyor-lab/sql2008-backups/StopAt): its full backup and four log backups, by file name. */
export const STOP_AT_FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];

/** The path of one file of the StopAt chain in the corpus. */
export const stopAtFile = (f: string): string => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

/**
 * Temp folders of the StopAt chain for `restore plan --backups DIR` tests: `make(extra)` copies the
 * chain's files into a new folder, the files named in `extra` written from its buffers instead
 * (SYNTHETIC damaged copies made at test time: never written to the repo); `removeAll()` deletes
 * every folder made (call it in afterAll).
 */
export class StopAtFolders {
  private readonly made: string[] = [];
  constructor(private readonly prefix: string) {}

  make(extra: Record<string, Buffer>): string {
    const d = mkdtempSync(join(tmpdir(), this.prefix));
    this.made.push(d);
    for (const f of STOP_AT_FILES) if (!(f in extra)) copyFileSync(stopAtFile(f), join(d, f));
    for (const [f, b] of Object.entries(extra)) writeFileSync(join(d, f), b);
    return d;
  }

  removeAll(): void {
    for (const d of this.made.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
