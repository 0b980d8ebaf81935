/**
 * A restore job whose files are of two databases is refused at creation (INPUT_MIXED_DATABASES), and
 * the 400's `field` is the request field holding the file that differs: it was `afterMdf` for every
 * mix, also for a request with no afterMdf at all (a StopAt log backup in `trn`, a StopAt full backup
 * in `afterBak`), pointing a client at a field it never sent.
 *
 * Also refused at creation now: a backup given twice in a list read as it is (bak / afterBak without
 * a replay), and the same backup files in bak and afterBak (one state compared with itself), also
 * with position 1 on one side and none on the other (a one-set file's set 1 either way) or through a
 * symbolic link (made in a temp dir).
 *
 * REAL files: appveyor-lab RestoreTimeClean.bak / RestoreTimeClean2.bak (one database), StopAt.bak /
 * StopAt_1.trn (another), AngularJs_CRUD Database1.mdf (a third).
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import type { JobSpec } from '../../src/worker/job-spec.js';

describeCorpus('restore job: files of two databases name the field of the file that differs', () => {
  const STOPAT = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
  const refusal = async (spec: Record<string, unknown>) => {
    try {
      await validateJobSpec(spec as unknown as JobSpec);
    } catch (e) {
      return e as { code: string; location: { field?: string; file?: string }; message: string };
    }
    throw new Error('accepted');
  };

  it('another database\'s log backup in trn: field trn.1', async () => {
    const { FULL, DIFF, LOGS } = restoreTimeClean();
    const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL], trn: [LOGS[0], STOPAT('StopAt_1.trn')], stopAt: '2017-06-01T13:01', afterBak: [FULL, DIFF] });
    expect(e.code).toBe('INPUT_MIXED_DATABASES');
    expect(e.location).toMatchObject({ field: 'trn.1', file: STOPAT('StopAt_1.trn') });
    expect(e.message).toContain('(database StopAt)');
  });

  it('another database\'s full backup as the later state: field afterBak.0', async () => {
    const { FULL } = restoreTimeClean();
    const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL], afterBak: [STOPAT('StopAt.bak')] });
    expect(e.code).toBe('INPUT_MIXED_DATABASES');
    expect(e.location.field).toBe('afterBak.0');
  });

  it('another database\'s data file as the later state: field afterMdf.0', async () => {
    const { FULL } = restoreTimeClean();
    const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
    const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL], afterMdf: [mdf] });
    expect(e.code).toBe('INPUT_MIXED_DATABASES');
    expect(e.location).toMatchObject({ field: 'afterMdf.0', file: mdf });
  });
});

describeCorpus('restore job: a backup given twice, or the same backups on both sides, refused at creation', () => {
  const refusal = async (spec: Record<string, unknown>) => {
    try {
      await validateJobSpec(spec as unknown as JobSpec);
    } catch (e) {
      return e as { code: string; location: { field?: string }; message: string };
    }
    throw new Error('accepted');
  };

  it('bak holding one file twice: field bak.1 (it was accepted, and the job failed when it ran)', async () => {
    const { FULL, DIFF } = restoreTimeClean();
    const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL, FULL], afterBak: [FULL, DIFF] });
    expect([e.code, e.location.field]).toEqual(['INPUT_BAD_OPTION', 'bak.1']);
    expect(e.message).toContain(`bak.1 ${FULL} is given in bak.0 too`);
  });

  it('afterBak the same files as bak: field afterBak.0 (the comparison answered nothing missing)', async () => {
    const { FULL, DIFF } = restoreTimeClean();
    const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL, DIFF], afterBak: [DIFF, FULL] });
    expect([e.code, e.location.field]).toEqual(['INPUT_BAD_OPTION', 'afterBak.0']);
    expect(e.message).toContain('bak and afterBak are the same backup files');
  });

  it('the same backup with position 1 on one side and none on the other, or through a link: refused (it was accepted, and the job answered nothing missing)', async () => {
    const { FULL, DIFF } = restoreTimeClean();
    for (const extra of [{ afterPosition: 1 }, { position: 1 }]) {
      const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL, DIFF], afterBak: [FULL, DIFF], ...extra });
      expect([e.code, e.location.field], JSON.stringify(extra)).toEqual(['INPUT_BAD_OPTION', 'afterBak.0']);
    }
    const dir = mkdtempSync(join(tmpdir(), 'rowback-same-link-'));
    try {
      const link = join(dir, 'full-link.bak');
      symlinkSync(FULL, link);
      const e = await refusal({ kind: 'restore', table: 'dbo.steps', bak: [FULL, DIFF], afterBak: [link, DIFF] });
      expect([e.code, e.location.field]).toEqual(['INPUT_BAD_OPTION', 'afterBak.0']);
      expect(e.message).toContain('bak and afterBak are the same backup files');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a replayed side may name its full backup as the other side does (different states): accepted', async () => {
    const { FULL, DIFF, LOGS } = restoreTimeClean();
    await expect(validateJobSpec({ kind: 'restore', table: 'dbo.steps', bak: [FULL], trn: [LOGS[0]], stopAt: '2017-06-01T13:01', afterBak: [FULL, DIFF] } as unknown as JobSpec)).resolves.toBeUndefined();
  });
});
