/**
 * `restore plan` over the backups of a database renamed between them (ALTER DATABASE … MODIFY NAME
 * keeps the binding id). Before: a folder holding its backups under both names was refused
 * INPUT_RESTORE_SEVERAL_DATABASES ("name one with --database"), and naming either planned with that
 * name's sets alone: `--database StopAt --stop-at 13:30:20` answered INPUT_RESTORE_TOO_LATE, "in log
 * that none of the files given holds", while StopAx_2.trn in the folder held it.
 * StopAx_2.trn is SYNTHETIC: a copy of the REAL StopAt_2.trn (corpus appveyor-lab/sql2008-backups/
 * StopAt) with the database name in both copies of its header changed from StopAt to StopAx, written
 * to a temp dir at test time (as test/recover/same-binding-id-other-name.test.ts makes it).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { renamedDatabaseCopy } from '../support/damaged-copy.js';

const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let renamed: string;
let both: string;
const NOTE = 'is of database StopAx, with the same binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA: one database renamed between these backups';

describeCorpus('restore plan: one database renamed between its backups', () => {
  beforeAll(() => {
    const top = mkdtempSync(join(tmpdir(), 'rowback-renamed-'));
    dir = join(top, 'one');
    mkdirSync(dir);
    const src = S('StopAt_2.trn');
    copyFileSync(S('StopAt.bak'), join(dir, 'StopAt.bak'));
    copyFileSync(S('StopAt_1.trn'), join(dir, 'StopAt_1.trn'));
    renamed = renamedDatabaseCopy(src, join(dir, 'StopAx_2.trn'), 'StopAt', 'StopAx');
    expect(readBackupHeader(renamed).databaseName).toBe('StopAx');
    expect(readBackupHeader(renamed).bindingId).toBe(readBackupHeader(src).bindingId);
    // a folder with another database (another binding id) beside the renamed one
    both = join(top, 'both');
    mkdirSync(both);
    for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAx_2.trn']) copyFileSync(join(dir, f), join(both, f));
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']) copyFileSync(R(f), join(both, f));
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const stopAt = ['--stop-at', '2020-05-12T13:30:20', '--as', 'Side', '--quiet'];

  it('no --database: planned through the log backup of the new name, said even with --quiet', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, ...stopAt, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { database: string; steps: Array<{ role: string; devices: string[] }>; notes: string[] };
    expect(plan.steps.map((s) => [s.role, s.devices[0]])).toEqual([
      ['full', join(dir, 'StopAt.bak')],
      ['log', join(dir, 'StopAt_1.trn')],
      ['log', renamed],
    ]);
    // the name the database has now: that of its newest backup
    expect(plan.database).toBe('StopAx');
    expect(plan.notes.some((n) => n.includes(NOTE))).toBe(true);
    expect(r.stderr).toContain(`rowback restore plan: note: backup ${join(dir, 'StopAt.bak')} is of database StopAt and log backup ${renamed} ${NOTE}`);
  });

  it('--database of either name: the same plan (it was TOO_LATE with the old name)', async () => {
    for (const name of ['StopAt', 'stopax']) {
      const r = await cli('restore', 'plan', '--backups', dir, '--database', name, ...stopAt, '--format', 'sql');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`RESTORE LOG [Side] FROM DISK = N'${renamed}' WITH FILE = 1, NORECOVERY, STOPAT = N'2020-05-12T13:30:20.000';`);
      expect(r.stderr).toContain(NOTE);
    }
  });

  it('another database beside it: still several, the two names of one binding id shown together', async () => {
    const r = await cli('restore', 'plan', '--backups', both, ...stopAt);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_RESTORE_SEVERAL_DATABASES');
    expect(r.stderr).toMatch(/several databases \((RestoreTimeClean, )?StopAt = StopAx \(one binding id: one database renamed, or attached from copies of the other's files\)(, RestoreTimeClean)?\); name one with --database/);
    expect(r.stderr).toContain('RestoreTimeClean');
    // naming the other database takes none of the renamed one's sets
    const other = await cli('restore', 'plan', '--backups', both, '--database', 'RestoreTimeClean', '--stop-at', '2017-06-01T13:00:00', '--as', 'Side', '--format', 'json');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).not.toContain('binding id');
    expect((JSON.parse(other.stdout) as { steps: Array<{ devices: string[] }> }).steps.flatMap((s) => s.devices)).toEqual([join(both, 'RestoreTimeClean.bak'), join(both, 'RestoreTimeClean_1.trn')]);
  });
});
