/**
 * A restore job naming one backup set twice on a side (`"bak": [F, F, G], "position": [1, 2, 2]`, G a
 * byte copy of F; any two items of one HEADERONLY BackupSetGUID) was accepted (201) and staged the
 * right rows, the DBA who meant two backups not told. Refused at creation (400) naming the later
 * item's field (`bak.2`, `afterBak.2`) and both items, saying they are the same backup set (its
 * BackupSetGUID), with the arrays that work; as `rowback dump/diff` refuse it
 * (test/cli/same-backup-set-twice.test.ts).
 *
 * SYNTHETIC files made at test time from REAL corpus bytes (appendedBackupSet: RestoreTimeClean.bak
 * whole, then RestoreTimeClean2.bak from its SSET block on; a byte copy of it). Never in the repo.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('restore jobs: one backup set given twice through a copy is refused at creation naming both fields', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  let dir: string;
  let F: string;
  let G: string;
  let t: TestApp | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-same-set-'));
    F = join(dir, 'full-diff.bak');
    writeFileSync(F, appendedBackupSet(RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')));
    G = join(dir, 'copy.bak');
    copyFileSync(F, G);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const app = () => testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });

  it('bak and afterBak, read as they are or replayed', async () => {
    t = await app();
    const refused = async (payload: Record<string, unknown>, field: string) => {
      const r = await post(payload);
      expect(r.statusCode, r.body).toBe(400);
      const b = r.json() as { code: string; field: string; message: string };
      expect([b.code, b.field]).toEqual(['INPUT_BAD_OPTION', field]);
      return b.message;
    };
    const earlier = await refused({ kind: 'restore', bak: [F, F, G], position: [1, 2, 2], afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], table: 'dbo.steps' }, 'bak.2');
    expect(earlier).toContain(`bak.1 and bak.2, ${F} (backup set 2) and ${G} (backup set 2), are the same backup set (BackupSetGUID 0C0AD1C0-E5D9-4A8A-83EE-845BAEC10D94)`);
    expect(earlier).toContain(`give it once: "bak": ${JSON.stringify([F, F])}, "position": [1,2]`);
    const replayed = await refused({ kind: 'restore', bak: [F, F, G], position: [1, 2, 2], trn: [RTC('RestoreTimeClean2_1.trn')], stopAt: '2017-06-01 13:17', afterBak: [F, F], afterPosition: [1, 2], acceptOlderLater: true, table: 'dbo.steps' }, 'bak.2');
    expect(replayed).toContain('are the same backup set');
    const later = await refused({ kind: 'restore', bak: [RTC('RestoreTimeClean.bak')], afterBak: [F, F, G], afterPosition: [1, 2, 2], table: 'dbo.steps' }, 'afterBak.2');
    expect(later).toContain(`afterBak.1 and afterBak.2, ${F} (backup set 2) and ${G} (backup set 2), are the same backup set`);
    expect(later).toContain(`"afterBak": ${JSON.stringify([F, F])}, "afterPosition": [1,2]`);
    expect(t.store.listJobs({ limit: 10 })).toHaveLength(0);
  }, 60_000);
});
