/**
 * A stop time the server's clock passed twice. The replay stops, as RESTORE … WITH STOPAT does, at
 * the first commit in the log that ended after the stop time; when the clock was set back after
 * passing it (a daylight-saving change), the same local time comes again later in the log and the
 * DBA may have meant that moment: the table printed is then the one of the first, an hour earlier
 * on a real fold, with nothing said (scan's --from/--to said it since session 28; dump and diff
 * --stop-at did not). Now a WARNING names the two commits and the way to name the other moment.
 *
 * REAL: the StopAt chain (SQL Server 2008: a commit every 5 s, 13:28:44–13:32:xx on 2020-05-12),
 * with a SYNTHETIC edit in copies: one commit's End Time set back (the log block's checksum
 * recomputed, so the copy reads clean: checked below).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { setCommitEndTime } from '../support/damaged-copy.js';
import { diffCaptured } from '../support/run-diff.js';

const cli = captureCli();
const FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];

/** datetime ticks (1/300 s) of a time of 2020-05-12. */
const ticks = (h: number, m: number, s: number, ms = 0) => (h * 3600 + m * 60 + s) * 300 + Math.round(ms * 0.3);

describeCorpus('a stop time the clock passed twice: dump and diff --stop-at say so', () => {
  const real = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
  let dir: string;
  const inCopy = (folder: string) => FILES.map((f) => join(dir, folder, f));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-stop-clock-'));
    for (const folder of ['same-file', 'next-file']) {
      mkdirSync(join(dir, folder));
      for (const f of FILES) copyFileSync(real(f), join(dir, folder, f));
    }
    // the commit after 13:29:39.530 (it ended 13:29:44.530) ends 13:29:20: the clock went back 19.5 s
    setCommitEndTime(join(dir, 'same-file', 'StopAt_2.trn'), ticks(13, 29, 44, 530), ticks(13, 29, 20));
    // the first commit of the next log backup (13:30:24.583) ends 13:29:40, 39.5 s before StopAt_2.trn's last
    setCommitEndTime(join(dir, 'next-file', 'StopAt_21.trn'), ticks(13, 30, 24, 583), ticks(13, 29, 40));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // rows to a file (captureCli's stdout takes no write callbacks, which dump waits for); stdout: its text
  let outs = 0;
  const dump = async (files: string[], stopAt: string, ...more: string[]) => {
    const out = join(dir, `rows-${++outs}.ndjson`);
    const r = await cli('dump', '--bak', files[0]!, '--trn', ...files.slice(1), '--stop-at', stopAt, '--table', 'dbo.steps', '--out', out, ...more);
    return { ...r, stdout: readFileSync(out, 'utf8') };
  };

  it('the edited copies read clean: the edit is a clock set back, not damage', async () => {
    for (const [folder, f] of [['same-file', 'StopAt_2.trn'], ['next-file', 'StopAt_21.trn']] as const) {
      const r = await cli('log', join(dir, folder, f), '--operation', 'LOP_COMMIT_XACT', '--format', 'csv');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/skipped|INCOMPLETE/);
    }
  }, 60_000);

  it('the step after the stop, in the file the replay stopped in: WARNING with --quiet, the same rows as the real chain, exit 0', async () => {
    const edited = await dump(inCopy('same-file'), '2020-05-12T13:29:36', '--quiet');
    const original = await dump(FILES.map(real), '2020-05-12T13:29:36', '--quiet');
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toBe(original.stdout);
    expect(edited.stdout.trim().split('\n')).toHaveLength(11);
    expect(original.stderr).toBe('');
    const lines = edited.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      "rowback dump: WARNING: the log's commit times run backwards by 20 seconds: the transaction committed at LSN 00000013:000000b9:0003 ended 2020-05-12T13:29:20.000, " +
        'after (in the log) the one at LSN 00000013:000000b8:0003 that ended 2020-05-12T13:29:39.530: the SQL Server\'s clock was set back (a daylight-saving change repeats an hour of local time), ' +
        'so the stop time 2020-05-12T13:29:36.000 may name two moments; the replay stopped at LSN 00000013:000000b8:0003, at the first commit in the log that ended after it, as RESTORE … WITH STOPAT does: ' +
        'if the later moment was meant, name it by LSN (--stop-before-lsn, the first LSN not to apply)',
    );
  }, 60_000);

  it('the step before the stop (the stop time after the repeated stretch): said too, and in --report\'s warnings', async () => {
    const report = join(dir, 'report.json');
    const r = await dump(inCopy('same-file'), '2020-05-12T13:30:00', '--quiet', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^rowback dump: WARNING: the log's commit times run backwards by 20 seconds: .* so the stop time 2020-05-12T13:30:00\.000 may name two moments/);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[]; complete: boolean };
    expect(rep.warnings).toEqual([r.stderr.trim().replace(/^rowback dump: WARNING: /, '')]);
    expect(rep.complete).toBe(true);
  }, 60_000);

  it('the step in the next log backup given (the replay stopped in StopAt_2.trn): the look-ahead reads on into it', async () => {
    const r = await dump(inCopy('next-file'), '2020-05-12T13:30:15', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the transaction committed at LSN 00000013:000000c1:0003 ended 2020-05-12T13:29:40.000, after (in the log) the one at LSN 00000013:000000c0:0003 that ended 2020-05-12T13:30:19.543');
    expect(r.stderr).toContain('the replay stopped at LSN 00000013:000000c0:0003');
    // without the next file, the step is not in the log given: nothing to say
    const without = await dump(inCopy('next-file').slice(0, 3), '2020-05-12T13:30:15', '--quiet');
    expect(without.code, without.stderr).toBe(0);
    expect(without.stderr).toBe('');
  }, 60_000);

  // the stop time after StopAt_2.trn's last commit (13:30:19.543), before its end (13:30:24): the chain
  // ends there with no commit past the stop, and the look-ahead was never begun, so the clock set
  // back in the next log backup given (to 13:29:40: 13:30:22 comes again) went unsaid, by dump and
  // by restore plan
  it('the stop after the last commit of the last log backup of the chain: the look-ahead reads on into the next one given', async () => {
    const r = await dump(inCopy('next-file'), '2020-05-12T13:30:22', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the transaction committed at LSN 00000013:000000c1:0003 ended 2020-05-12T13:29:40.000, after (in the log) the one at LSN 00000013:000000c0:0003 that ended 2020-05-12T13:30:19.543');
    expect(r.stderr).toContain('so the stop time 2020-05-12T13:30:22.000 may name two moments; the replay applied the log of the chain to its end, before the first commit in the log that ended after it');
    const plan = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'next-file'), '--stop-at', '2020-05-12T13:30:22', '--format', 'sql', '--quiet');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toMatch(/^rowback restore plan: WARNING: the log's commit times run backwards by 40 seconds: .*so the stop time 2020-05-12T13:30:22\.000 may name two moments; RESTORE … WITH STOPAT stops at the first commit in the log that ended after it: /);
    // the real chain: silent
    const real = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:30:22', '--format', 'sql', '--quiet');
    expect(real.stderr).toBe('');
    const realDump = await dump(FILES.map((f) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f)), '2020-05-12T13:30:22', '--quiet');
    expect(realDump.stderr).toBe('');
  }, 120_000);

  it('--stop-before-lsn names one place: no warning', async () => {
    const byLsn = await cli('dump', '--bak', inCopy('same-file')[0]!, '--trn', ...inCopy('same-file').slice(1, 3), '--stop-before-lsn', '00000013:000000b8:0003', '--table', 'dbo.steps', '--quiet', '--out', join(dir, 'by-lsn.ndjson'));
    expect(byLsn.code, byLsn.stderr).toBe(0);
    expect(byLsn.stderr).toBe('');
  }, 60_000);

  it('diff --stop-at: the WARNING of the earlier state, also with --quiet', async () => {
    const files = inCopy('same-file');
    const { err } = await diffCaptured({ bak: [files[0]!], trn: files.slice(1), stopAt: '2020-05-12T13:29:36', afterBak: [files[0]!], afterTrn: files.slice(1), afterStopAt: '2020-05-12T13:31:00', table: 'dbo.steps', quiet: true, format: 'ndjson' });
    expect(err).toMatch(/^rowback diff: WARNING \(earlier state, --stop-at\): the log's commit times run backwards by 20 seconds: .*so the stop time 2020-05-12T13:29:36\.000 may name two moments/m);
    expect(err).toMatch(/^rowback diff: WARNING \(later state, --after-stop-at\): the log's commit times run backwards by 20 seconds: .*so the stop time 2020-05-12T13:31:00\.000 may name two moments/m);
  }, 120_000);

  // restore plan / restore run write T-SQL for the server's RESTORE … WITH STOPAT, which stops at the
  // first moment just the same: the plan said nothing (its --stop-at read no log record)
  it('restore plan --stop-at: the WARNING on stderr (also with --quiet), at the head of the script and in the json plan', async () => {
    const sql = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'same-file'), '--stop-at', '2020-05-12T13:29:36', '--format', 'sql', '--quiet');
    expect(sql.code, sql.stderr).toBe(0);
    const warning = "the log's commit times run backwards by 20 seconds: the transaction committed at LSN 00000013:000000b9:0003 ended 2020-05-12T13:29:20.000, " +
      'after (in the log) the one at LSN 00000013:000000b8:0003 that ended 2020-05-12T13:29:39.530: the SQL Server\'s clock was set back (a daylight-saving change repeats an hour of local time), ' +
      'so the stop time 2020-05-12T13:29:36.000 may name two moments; RESTORE … WITH STOPAT stops at the first commit in the log that ended after it (LSN 00000013:000000b8:0003): ' +
      'if the later moment was meant, name it by LSN (--stop-before-lsn, the first LSN not to apply)';
    expect(sql.stderr).toBe(`rowback restore plan: WARNING: ${warning}\n`);
    expect(sql.stdout).toContain(`-- WARNING: ${warning}`);
    expect(sql.stdout).toMatch(/STOPAT = N?'2020-05-12T13:29:36/);
    const json = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'same-file'), '--stop-at', '2020-05-12T13:29:36', '--format', 'json', '--quiet');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).warnings).toEqual([`WARNING: ${warning}`]);
    // the step before the stop, and the step in the next log backup (the stop in StopAt_2.trn): said too
    const before = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'same-file'), '--stop-at', '2020-05-12T13:30:00', '--format', 'sql', '--quiet');
    expect(before.stderr).toMatch(/^rowback restore plan: WARNING: the log's commit times run backwards by 20 seconds: .* so the stop time 2020-05-12T13:30:00\.000 may name two moments; RESTORE … WITH STOPAT stops/);
    const next = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'next-file'), '--stop-at', '2020-05-12T13:30:15', '--format', 'sql', '--quiet');
    expect(next.stderr).toContain('the transaction committed at LSN 00000013:000000c1:0003 ended 2020-05-12T13:29:40.000, after (in the log) the one at LSN 00000013:000000c0:0003 that ended 2020-05-12T13:30:19.543');
    expect(next.stderr).toContain('(LSN 00000013:000000c0:0003)');
  }, 120_000);

  it('restore plan: silent on the real chain, by LSN, and without the log backup holding the step', async () => {
    const real = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:29:36', '--format', 'sql', '--quiet');
    expect(real.code, real.stderr).toBe(0);
    expect(real.stderr).toBe('');
    expect(real.stdout).not.toContain('WARNING');
    const byLsn = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'same-file'), '--stop-before-lsn', '00000013:000000b8:0003', '--format', 'sql', '--quiet');
    expect(byLsn.code, byLsn.stderr).toBe(0);
    expect(byLsn.stderr).toBe('');
    const partial = join(dir, 'partial');
    mkdirSync(partial);
    for (const f of inCopy('next-file').slice(0, 3)) copyFileSync(f, join(partial, f.split('/').pop()!));
    const without = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', partial, '--stop-at', '2020-05-12T13:30:15', '--format', 'sql', '--quiet');
    expect(without.code, without.stderr).toBe(0);
    expect(without.stderr).toBe('');
  }, 120_000);
});
