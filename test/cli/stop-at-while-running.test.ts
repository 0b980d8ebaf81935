import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A --stop-at while a log backup ran (after its start, up to its finish second, both known) was
 * refused INPUT_RESTORE_TARGET_AT_BOUNDARY even with the .trn at hand, yet answered on a copy whose
 * ESET was damaged (finish date unknown: placed by the log's own commit times). A breaker found it
 * on sql2008-backups/StopAt: StopAt_1.trn started and finished at 13:29:34; its last commit is
 * 13:29:29.473 and StopAt_2.trn's first is 13:29:34.530 (`rowback log … --operation
 * LOP_COMMIT_XACT`), so STOPAT 13:29:34.600 stops in StopAt_2 after 11 commits. Both copies now
 * answer alike, `restore plan` and the replay (dump, diff). The damaged copy is made at test time
 * (one bit of StopAt_1.trn's ESET block header flipped, offset 78848 + 20 as in RestoreTimeClean:
 * both files are 82,432 bytes with the ESET at 78848); never written to the repo.
 */
const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];
const T = '2020-05-12T13:29:34.600';
let dir: string;
let damaged: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-stopat-running-'));
  damaged = join(dir, 'damaged');
  mkdirSync(damaged);
  for (const f of FILES) copyFileSync(S(f), join(damaged, f));
  const b = Buffer.from(readFileSync(S('StopAt_1.trn')));
  expect(b.toString('latin1', 78848, 78852)).toBe('ESET');
  b[78848 + 20] ^= 0x01;
  writeFileSync(join(damaged, 'StopAt_1.trn'), b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const plan = async (folder: string, at: string) => {
  const r = await cli('restore', 'plan', '--backups', folder, '--stop-at', at, '--as', 'S', '--format', 'json');
  return { ...r, json: r.code === 0 ? JSON.parse(r.stdout) : null };
};
const dump = async (folder: string, at: string) => {
  const out = join(dir, `d-${++n}.ndjson`);
  const r = await cli('dump', '--bak', join(folder, 'StopAt.bak'), '--trn', ...['StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn'].map((f) => join(folder, f)), '--table', 'dbo.steps', '--stop-at', at, '--out', out);
  return { ...r, rows: r.code === 0 ? readFileSync(out, 'utf8') : '' };
};

describeCorpus('--stop-at while a log backup ran, its finish date known (sql2008-backups/StopAt)', () => {
  it('restore plan: placed by StopAt_1.trn\'s commit times, as on the copy whose ESET is damaged', async () => {
    const orig = await plan(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt'), T);
    const dmg = await plan(damaged, T);
    expect(orig.stderr).toBe('');
    expect(orig.code).toBe(0);
    expect(dmg.code).toBe(0);
    const steps = (j: { steps: Array<{ devices: string[] }> }) => j.steps.map((s) => basename(s.devices[0]));
    expect(steps(orig.json)).toEqual(['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn']);
    expect(steps(dmg.json)).toEqual(steps(orig.json));
    expect(orig.json.tsql.at(-2)).toMatch(/StopAt_2\.trn' WITH FILE = 1, NORECOVERY, STOPAT = N'2020-05-12T13:29:34\.600';$/);
  });

  it('dump: the rows of every commit at or before it (11, the last 13:29:34.530 in StopAt_2.trn), the same on both copies', async () => {
    const orig = await dump(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt'), T);
    const dmg = await dump(damaged, T);
    expect(orig.code).toBe(0);
    expect(dmg.code).toBe(0);
    expect(orig.rows.trim().split('\n')).toHaveLength(11);
    expect(orig.rows).toBe(dmg.rows);
    expect(orig.stderr).toContain('(last commit 2020-05-12T13:29:34.530)');
  });

  it('diff: answered with the earlier state at that time', async () => {
    const out = join(dir, 'diff.ndjson');
    const L = (f: string) => S(f);
    const r = await cli('diff', '--bak', L('StopAt.bak'), '--trn', L('StopAt_1.trn'), L('StopAt_2.trn'), '--stop-at', T, '--after-bak', L('StopAt.bak'), '--after-trn', L('StopAt_1.trn'), L('StopAt_2.trn'), L('StopAt_21.trn'), '--after-stop-at', '2020-05-12T13:31:00', '--table', 'dbo.steps', '--out', out);
    expect(r.stderr).not.toContain('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(r.code).toBe(0);
  });

  it('while the last log backup ran, past its every commit: TOO_LATE saying what its commits reach, not "choose a time outside that span"', async () => {
    const r = await plan(corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt'), '2020-05-12T13:34:44.500');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_RESTORE_TOO_LATE');
    expect(r.stderr).toContain('StopAt_23.trn, started at 2020-05-12T13:34:44 (finished at 2020-05-12T13:34:44) and its log, read whole, records its last commit at 2020-05-12T13:34:34.763: the records of 2020-05-12T13:34:44.500 are after it, in log that none of the files given holds (a later log backup, or log not backed up yet)');
  });
});
