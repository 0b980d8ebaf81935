/**
 * `restore plan` over the backups of a database renamed between them (ALTER DATABASE … MODIFY NAME
 * keeps the binding id) — or of two databases, one attached from copies of the other's files, which
 * keeps it too: offline nothing tells the two apart. Before: a folder holding its backups under both
 * names was refused INPUT_RESTORE_SEVERAL_DATABASES ("name one with --database"), and naming either
 * planned with that name's sets alone: `--database StopAt --stop-at 13:30:20` answered
 * INPUT_RESTORE_TOO_LATE, "in log that none of the files given holds", while StopAx_2.trn in the
 * folder held it, and no way to plan across the rename existed. Now `--database` takes each name,
 * and one name alone plans from its own backups (never from a possible copy's) saying the other's.
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
  const hint = () => `backups of StopAx (${renamed}) carry the binding id of StopAt (binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA) and were left out: if the database was renamed between its backups (ALTER DATABASE … MODIFY NAME), plan across the rename with --database StopAt --database StopAx; if it is a database attached from copies of its files, leave it out`;

  it('both names given: planned through the log backup of the new name, said even with --quiet', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, '--database', 'StopAt', '--database', 'stopax', ...stopAt, '--format', 'json');
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
    const sql = await cli('restore', 'plan', '--backups', dir, '--database', 'StopAx', '--database', 'StopAt', ...stopAt, '--format', 'sql');
    expect(sql.stdout).toContain(`RESTORE LOG [Side] FROM DISK = N'${renamed}' WITH FILE = 1, NORECOVERY, STOPAT = N'2020-05-12T13:30:20.000';`);
  });

  it('one name given: its backups alone (the other name may be a copy attached from its files), the refusal says how to plan across a rename', async () => {
    // before: "in log that none of the files given holds", the log after the rename in the folder unsaid
    const r = await cli('restore', 'plan', '--backups', dir, '--database', 'StopAt', ...stopAt);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_RESTORE_TOO_LATE');
    expect(r.stderr).toContain(hint());
    // a target its own backups reach: planned from them, never from the other name's, and the hint said (even with --quiet)
    const own = await cli('restore', 'plan', '--backups', dir, '--database', 'StopAt', '--stop-at', '2020-05-12T13:29:10', '--as', 'Side', '--quiet', '--format', 'json');
    expect(own.code, own.stderr).toBe(0);
    expect((JSON.parse(own.stdout) as { steps: Array<{ devices: string[] }> }).steps.flatMap((s) => s.devices)).toEqual([join(dir, 'StopAt.bak'), join(dir, 'StopAt_1.trn')]);
    expect(own.stderr).toContain(`rowback restore plan: note: ${hint()}`);
    // the new name alone: its log backup has no full backup of its name
    const x = await cli('restore', 'plan', '--backups', dir, '--database', 'StopAx', ...stopAt);
    expect(x.code).toBe(2);
    expect(x.stderr).toContain('INPUT_RESTORE_NO_FULL');
    expect(x.stderr).toContain('plan across the rename with --database StopAx --database StopAt');
  });

  it('no --database: several databases, the two names of one binding id shown together with how to give both', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, ...stopAt);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("backups of several databases are in " + dir + " (StopAt = StopAx (one binding id: one database renamed, or attached from copies of the other's files)); name one with --database; backups of one binding id under several names are one database renamed between them (give each name: --database StopAt --database StopAx) or a database attached from copies of another's files (give the one name)");
  });

  it("another database beside it: its plan takes none of the renamed one's sets and says nothing of them", async () => {
    const r = await cli('restore', 'plan', '--backups', both, ...stopAt);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/several databases are in \S+ \((RestoreTimeClean, )?StopAt = StopAx \(one binding id: one database renamed, or attached from copies of the other's files\)(, RestoreTimeClean)?\); name one with --database/);
    const other = await cli('restore', 'plan', '--backups', both, '--database', 'RestoreTimeClean', '--stop-at', '2017-06-01T13:00:00', '--as', 'Side', '--format', 'json');
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).not.toContain('binding id');
    expect((JSON.parse(other.stdout) as { steps: Array<{ devices: string[] }> }).steps.flatMap((s) => s.devices)).toEqual([join(both, 'RestoreTimeClean.bak'), join(both, 'RestoreTimeClean_1.trn')]);
  });
});
