/**
 * A file named as a backup that is not one (a data file renamed StopAt_2.trn among StopAt's backups)
 * was passed over unsaid: a refusal for want of that log backup ("after the last point the backups
 * reach: the last log backup, StopAt_1.trn") named only the others. Listed as skipped now and named
 * in the refusal, as an empty one is. Links to the corpus's StopAt backups and AngularJs_CRUD's
 * Database1.mdf in a temp dir.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { readFolderHistory } from '../../src/restore/history.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-misnamed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('restore plan over a folder holding a file named as a backup that is not one', () => {
  it('listed as skipped, and a refusal names it', () => {
    const d = join(dir, 'a');
    mkdirSync(d);
    for (const f of ['StopAt.bak', 'StopAt_1.trn']) symlinkSync(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f), join(d, f));
    symlinkSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), join(d, 'StopAt_2.trn'));
    const h = readFolderHistory([d]);
    expect(h.skipped).toEqual([{ file: join(d, 'StopAt_2.trn'), code: 'INPUT_UNKNOWN_FILE_KIND', reason: expect.stringContaining('named as a backup but not one: a SQL Server data or log file (its page 0 is a file header page') }]);
    expect(() => planChain(h.sets, { kind: 'time', time: '2020-05-12T13:30:00.000' }, h.skipped)).toThrow(/after the last point.*; left out: \S*StopAt_2\.trn: named as a backup but not one/);
  });

  it('a folder of nothing but such files: the refusal names them', () => {
    const d = join(dir, 'b');
    mkdirSync(d);
    writeFileSync(join(d, 'notes.bak'), 'SYNTHETIC: a text file named .bak\n');
    expect(() => readFolderHistory([d])).toThrow(/no backup files .* named as backups but not backups: \S*notes\.bak \(it starts with 0x53594e54, not TAPE/);
  });
});
