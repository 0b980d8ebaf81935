/**
 * Backups of one binding id whose headers name two databases. A database attached from copies of
 * another's files keeps their binding id and family GUID under its own name, and its log continues
 * the original's LSNs, so its log backups chain with the original's by LSN alone: `scan --bak
 * StopAt.bak --trn StopAt_1.trn StopAx_2.trn` printed StopAx's 20 inserts as StopAt's, exit 0, no
 * word (likewise log, dump --stop-at, diff). A rename keeps the binding id too, so it is said (even
 * with --quiet), not refused.
 * StopAx_2.trn is SYNTHETIC: a copy of the REAL StopAt_2.trn (corpus appveyor-lab/sql2008-backups/
 * StopAt) with the database name in both copies of its header (HEADERONLY DatabaseName, UTF-16)
 * changed from StopAt to StopAx, written to a temp dir at test time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { sameIdOtherNames } from '../../src/recover/source-identity.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { renamedDatabaseCopy } from '../support/damaged-copy.js';

const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let dir: string;
let renamed: string;
const NOTE = 'is of database StopAx, with the same binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA: one database renamed between these backups (ALTER DATABASE … MODIFY NAME), or two databases, one attached from copies of the other\'s files';

describeCorpus('backups of one binding id under two database names', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-same-id-'));
    const src = S('StopAt_2.trn');
    renamed = renamedDatabaseCopy(src, join(dir, 'StopAx_2.trn'), 'StopAt', 'StopAx');
    // the edit is what it says: another name, the same binding id
    expect(readBackupHeader(renamed).databaseName).toBe('StopAx');
    expect(readBackupHeader(renamed).bindingId).toBe(readBackupHeader(src).bindingId);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan --quiet: the rows, and the note naming both files and names', async () => {
    const r = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), renamed, '--op', 'insert', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`rowback scan: note: backup ${S('StopAt.bak')} is of database StopAt and log backup ${renamed} ${NOTE}`);
  });

  it('log: the note, with --quiet', async () => {
    const r = await cli('log', S('StopAt_1.trn'), renamed, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`rowback log: note: log backup ${S('StopAt_1.trn')} is of database StopAt and log backup ${renamed} ${NOTE}`);
  });

  it('dump --stop-at and diff: the note, with --quiet, once', async () => {
    const d = await cli('dump', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), renamed, '--stop-at', '2020-05-12T13:30:20', '--table', 'dbo.steps', '--out', join(dir, 'steps.csv'), '--quiet');
    expect(d.code).toBe(0);
    expect(d.stderr).toContain(NOTE);
    const f = await cli('diff', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), renamed, '--stop-at', '2020-05-12T13:30:20', '--after-bak', S('StopAt.bak'), '--table', 'dbo.steps', '--accept-older-later', '--quiet', '--out', join(dir, 'diff.ndjson'));
    expect(f.stderr.split(NOTE)).toHaveLength(2);
  });

  it('one name among the files: no note', async () => {
    const r = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), S('StopAt_2.trn'), '--op', 'insert', '--quiet');
    expect(r.stderr).not.toContain('with the same binding id');
  });
});

describe('sameIdOtherNames', () => {
  const id = (file: string, databaseName: string | null, bindingId: string | null = 'B') => ({ file, role: 'trn' as const, bindingId, databaseName });
  it('names compared case-insensitively; data files (no name) and files of no binding id left out; one note per other name', () => {
    expect(sameIdOtherNames([id('a.trn', 'Sales'), id('b.trn', 'SALES'), id('c.mdf', null)])).toEqual([]);
    expect(sameIdOtherNames([id('a.trn', 'Sales'), id('b.trn', 'Other', null)])).toEqual([]);
    const notes = sameIdOtherNames([id('a.trn', 'Sales'), id('b.trn', 'Sales_Test'), id('c.trn', 'Sales_Dev'), id('d.trn', 'sales_test')]);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('log backup a.trn is of database Sales and log backup b.trn is of database Sales_Test');
    expect(notes[1]).toContain('log backup c.trn is of database Sales_Dev');
  });
});
