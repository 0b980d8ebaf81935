/**
 * A stop point (--stop-at) given with a full backup and no log backup (TSQLV4.bak: the only backup
 * there is, the usual case after a mass delete noticed late) is refused; the refusal must say what
 * to do next. `dump --stop-at` said "--stop-before-lsn with the last backup's last LSN" and named
 * no LSN (the refusal of `--stop-before-lsn` of another LSN named it); `diff --stop-at` and a restore
 * job's `stopAt` named only the log backups (`--trn`, `trn`), which the DBA has not. Now dump names the
 * LSN (read from the backup's header) and diff and the job say to leave the stop out (the backup as
 * it holds the table), naming each side's own flag or field. Real bytes: TSQLV4.bak.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { captureCli } from '../support/cli.js';
import { bearer, testApp, type TestApp } from '../api/helpers.js';

const run = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-stop-no-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('a stop point with no log backup: the refusal says what to do', () => {
  const T = corpusPath('TSQLV4-compressed/TSQLV4.bak');
  let t: TestApp | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('dump --stop-at without --trn names the backup\'s last LSN, and that LSN dumps both tables', async () => {
    const r = await run('dump', '--bak', T, '--stop-at', '2030-01-01 00:00', '--table', 'Sales.Customers', '--table', 'Sales.Orders', '--out', join(dir, 'a.ndjson'));
    expect(r.code).toBe(2);
    const m = /--stop-before-lsn ([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}), its last LSN/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const ok = await run('dump', '--bak', T, '--stop-before-lsn', m![1], '--table', 'Sales.Customers', '--table', 'Sales.Orders', '--quiet', '--out', join(dir, 'b.ndjson'));
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);

  it('a differential alone (its full backup not given): the refusal names the full backup missing first, not a --stop-before-lsn that is refused next for it', async () => {
    const DIFF = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean2.bak');
    for (const stop of [['--stop-at', '2017-06-01 13:15'], ['--stop-before-lsn', '00000019:00000084:0001']]) {
      const r = await run('dump', '--bak', DIFF, ...stop, '--table', 'dbo.steps', '--out', join(dir, 'd.ndjson'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^rowback: INPUT_RESTORE_NO_FULL: .*the full backup with BackupSetGUID 5AF3E50D-A4E0-4E9B-8AEF-FE52898C6359 .* is missing/);
      expect(r.stderr).not.toContain('without --trn');
    }
  });

  it('diff --stop-at / --after-stop-at without log backups say to leave the stop out', async () => {
    const early = await run('diff', '--bak', T, '--stop-at', '2030-01-01', '--after-bak', T, '--table', 'Sales.Customers', '--out', join(dir, 'c.ndjson'));
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('with no log backup, leave the stop out: --bak FULL [DIFF] alone');
    const late = await run('diff', '--bak', T, '--after-bak', T, '--after-stop-at', '2030-01-01', '--table', 'Sales.Customers', '--out', join(dir, 'd.ndjson'));
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('with no log backup, leave the stop out: --after-bak FULL [DIFF] alone');
  }, 60_000);

  it('a restore job\'s stopAt without trn: 400 naming trn, and saying to leave stopAt out', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'restore', bak: [T], stopAt: '2030-01-01', afterBak: [T], tables: ['Sales.Customers', 'Sales.Orders'] } });
    expect([r.statusCode, r.json().code, r.json().field]).toEqual([400, 'INPUT_BAD_OPTION', 'trn']);
    expect(r.json().message).toContain('with no log backup, leave stopAt/stopBeforeLsn out: bak alone');
  });
});
