import { join } from 'node:path';
import { expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `diff` with its two points in time the wrong way round (--after-stop-at before --stop-at)
 * printed the rows inserted between them as "missing from the later state" (RestoreTimeClean
 * 13:03 vs 13:01: 4 rows, which exist today: re-inserting them duplicates them). Now refused.
 */
const cli = captureCli();
describeCorpus('diff with the later point before the earlier one', () => {
  const d = () => corpusPath('appveyor-lab', 'RestoreTimeClean');
  const args = (stop: string, after: string) => ['diff', '--bak', join(d(), 'RestoreTimeClean.bak'), '--trn', join(d(), 'RestoreTimeClean_1.trn'), '--stop-at', stop, '--after-bak', join(d(), 'RestoreTimeClean.bak'), '--after-trn', join(d(), 'RestoreTimeClean_1.trn'), '--after-stop-at', after, '--table', 'steps'];
  it('is refused in one line naming both points', async () => {
    const r = await cli(...args('2017-06-01T13:03', '2017-06-01T13:01'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('rowback: INPUT_BAD_WINDOW: --after-stop-at 2017-06-01T13:01 is before --stop-at 2017-06-01T13:03: a comparison lists what the later state lacks, so the later point must be the later one; swap them (to list the rows added between them on purpose, --accept-older-later) (option --after-stop-at)\n');
  });
  // newcomer: --accept-older-later, which compares a later backup older than the earlier state on
  // purpose, was refused here all the same, by the same message that never named it
  it('with --accept-older-later: compared on purpose, the rows inserted between the two listed as such and said on stderr', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-reversed-points-')), 'out.ndjson');
    const r = await cli(...args('2017-06-01T13:03', '2017-06-01T13:01'), '--accept-older-later', '--quiet', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { change: string; addedAfterLater?: boolean; values: { step: number } });
    expect(lines.map((l) => l.values.step)).toEqual([4, 5, 6, 7]);
    expect(lines.every((l) => l.change === 'missing' && l.addedAfterLater === true)).toBe(true);
    expect(r.stderr).toMatch(/^rowback diff: warning: the later state \(--after-bak\/--after-trn replayed: as of LSN [0-9a-f:]+\) is older than the earlier state .*never re-insert them\n$/);
  });
  it('the right way round: nothing is missing (rows were only inserted)', async () => {
    const r = await cli(...args('2017-06-01T13:01', '2017-06-01T13:03'), '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('a restore job (serve) likewise, naming the field', async () => {
    const spec = { kind: 'restore' as const, bak: [join(d(), 'RestoreTimeClean.bak')], trn: [join(d(), 'RestoreTimeClean_1.trn')], stopAt: '2017-06-01T13:03', afterBak: [join(d(), 'RestoreTimeClean.bak')], afterTrn: [join(d(), 'RestoreTimeClean_1.trn')], afterStopAt: '2017-06-01T13:01', table: 'dbo.steps' };
    await expect(validateJobSpec(spec)).rejects.toMatchObject({ code: 'INPUT_BAD_WINDOW', message: expect.stringMatching(/^afterStopAt 2017-06-01T13:01 is before stopAt 2017-06-01T13:03/), location: { field: 'afterStopAt' } });
    await expect(validateJobSpec(spec)).rejects.toMatchObject({ message: expect.stringMatching(/swap them \(to list the rows added between them on purpose, acceptOlderLater: true\)$/) });
    await expect(validateJobSpec({ ...spec, acceptOlderLater: true })).resolves.toBeUndefined();
    await expect(validateJobSpec({ ...spec, stopAt: '2017-06-01T13:01', afterStopAt: '2017-06-01T13:03' })).resolves.toBeUndefined();
  });
});

/**
 * The same mistake given by backups (newcomer): `--bak FULL DIFF --after-bak FULL` printed the 30
 * rows the differential holds as "missing from the later state" and staged them, exit 0; a replay to
 * 13:05 against the full backup of before it, likewise. Told by LSN (the backups' LastLSN, the
 * replay's stop): refused naming both. REAL files: RestoreTimeClean (full, differential, log backups).
 */
describeCorpus('diff with a later state (backup) older than the earlier one', () => {
  const f = (n: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), n);
  it('--bak FULL DIFF --after-bak FULL: refused, nothing printed or staged; the right way round runs', async () => {
    const r = await cli('diff', '--bak', f('RestoreTimeClean.bak'), f('RestoreTimeClean2.bak'), '--after-bak', f('RestoreTimeClean.bak'), '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rowback: INPUT_BAD_WINDOW: the later state \(--after-bak \S+RestoreTimeClean\.bak: as of LSN 00000019:00000084:0001\) is older than the earlier state \(--bak \S+RestoreTimeClean\.bak \S+RestoreTimeClean2\.bak: as of LSN 00000019:000000be:0001\): a comparison lists what the later state lacks, .*; swap them \(to list the rows added between them on purpose, --accept-older-later\) \(option --after-bak\)\n$/);
    const ok = await cli('diff', '--bak', f('RestoreTimeClean.bak'), '--after-bak', f('RestoreTimeClean.bak'), f('RestoreTimeClean2.bak'), '--table', 'dbo.steps');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('0 missing from the later state');
  });
  it('a replay to 13:05 against the full backup taken before it: refused; against the differential after it: runs', async () => {
    const replay = ['--bak', f('RestoreTimeClean.bak'), '--trn', f('RestoreTimeClean_1.trn'), f('RestoreTimeClean_2.trn'), '--stop-at', '2017-06-01 13:05'];
    const r = await cli('diff', ...replay, '--after-bak', f('RestoreTimeClean.bak'), '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_BAD_WINDOW: the later state \(--after-bak \S+: as of LSN 00000019:00000084:0001\) is older than the earlier state \(--bak\/--trn replayed: as of LSN 00000019:0000009b:0003\)/m);
    const ok = await cli('diff', ...replay, '--after-bak', f('RestoreTimeClean.bak'), f('RestoreTimeClean2.bak'), '--table', 'dbo.steps');
    expect(ok.code, ok.stderr).toBe(0);
  });
});

/**
 * `diff --accept-older-later --stage`: the rows "missing from the later state" (which is older)
 * were inserted between the two states, yet they were staged as deletes, and the re-insert
 * script and its dry run planned them as "rows recovered from deletes" (newcomer: 12 of 12
 * planned, "approve all" and the export re-inserted rows that still exist). Staged as inserts
 * now: the plan leaves them out (REINSERT_NOT_A_DELETE). REAL: RestoreTimeClean, 13:20 against
 * the full and differential backups.
 */
describeCorpus('diff --accept-older-later --stage: the missing rows are inserts, never planned for re-insert', () => {
  it('staged as operation insert with the reason; the re-insert plan inserts none of them', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { StagingStore } = await import('../../src/staging/store.js');
    const { planReinsert } = await import('../../src/reinsert/plan.js');
    const { fromLayout } = await import('../../src/reinsert/target-table.js');
    const d = (f: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), f);
    const stage = join(mkdtempSync(join(tmpdir(), 'rowback-reversed-')), 's.db');
    const logs = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(d);
    const r = await cli('diff', '--bak', d('RestoreTimeClean.bak'), '--trn', ...logs, '--stop-at', '2017-06-01 13:20',
      '--after-bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--accept-older-later', '--stage', stage, '--out', join(tmpdir(), `reversed-${process.pid}.ndjson`), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const store = new StagingStore(stage);
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      const rows = [...store.iterateRows(job.id, {})];
      expect(rows.length).toBeGreaterThan(0);
      // the job list's description: "12 missing, 0 changed" alone read as 12 deleted rows (newcomer)
      expect(job.description).toMatch(new RegExp(`: ${rows.length} missing, 0 changed \\(${rows.length} of them inserted after the later state, which is older: compared on purpose, --accept-older-later; never re-insert them\\)$`));
      expect(new Set(rows.map((x) => x.operation))).toEqual(new Set(['insert']));
      expect(rows[0]!.warnings[0]).toContain('inserted between the two states, not deleted');
      const layout = store.jobTables(job.id)[0]!;
      const plan = planReinsert(rows.map((x) => ({ ...x, id: x.id })), new Map([[`${layout.schema}.${layout.name}`, fromLayout(layout)]]), []);
      expect(plan.batches.flatMap((b) => b.rows)).toHaveLength(0);
      expect(plan.problems.map((p) => p.code)).toEqual(rows.map(() => 'REINSERT_NOT_A_DELETE'));
    } finally {
      store.close();
    }
  });
});

/**
 * Where staged comparison rows came from: a row the earlier state read from a backup's pages named
 * the first `--bak` (the full backup) even when its page came from the differential given after it
 * (breaker: 30 of 38 rows of a full + differential replay named RestoreTimeClean.bak, which holds
 * none of them: the table's rows at the differential's time live on pages it wrote). Each row now
 * names the file its page was read from, or the log backup holding the LSN of the record that wrote
 * it. REAL: RestoreTimeClean (full 12:59, differential 13:14, log backups after it).
 */
describeCorpus('diff --stage: each staged row names the backup its image came from', () => {
  const d = (f: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), f);
  const sourcesOf = async (...args: string[]) => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { StagingStore } = await import('../../src/staging/store.js');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-sources-'));
    const r = await cli('diff', ...args, '--table', 'dbo.steps', '--accept-older-later', '--stage', join(dir, 's.db'), '--out', join(dir, 'out.ndjson'), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const store = new StagingStore(join(dir, 's.db'));
    try {
      const job = store.listJobs({ limit: 1 })[0]!;
      const count = new Map<string, number>();
      for (const row of store.iterateRows(job.id, {})) {
        const source = row.meta.source as { kind: string; file: string };
        const k = `${source.kind} ${source.file.replace(/^.*[\\/]/, '')}`;
        count.set(k, (count.get(k) ?? 0) + 1);
      }
      return Object.fromEntries([...count].sort());
    } finally {
      store.close();
    }
  };

  it('full + differential read as they are: the rows on the differential\'s pages name the differential', async () => {
    expect(await sourcesOf('--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2.bak'), '--after-bak', d('RestoreTimeClean.bak'))).toEqual({ 'bak RestoreTimeClean2.bak': 30 });
  });

  it('full + differential + log backups replayed to 13:20: the differential for rows of its pages, each log backup for rows its records wrote', async () => {
    expect(await sourcesOf('--bak', d('RestoreTimeClean.bak'), d('RestoreTimeClean2.bak'), '--trn', d('RestoreTimeClean2_1.trn'), d('RestoreTimeClean2_2.trn'), '--stop-at', '2017-06-01 13:20', '--after-bak', d('RestoreTimeClean.bak')))
      .toEqual({ 'bak RestoreTimeClean2.bak': 30, 'trn RestoreTimeClean2_1.trn': 10, 'trn RestoreTimeClean2_2.trn': 2 });
  });
});

describeCorpus('diff --stage refused: no staging file left behind', () => {
  it('a refused comparison with --stage NEW.db leaves no file (it left an empty 147 KB staging store, no job in it); an existing staging file is kept', async () => {
    const { existsSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const f = (n: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), n);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-refused-stage-'));
    const stage = join(dir, 'new.db');
    const r = await cli('diff', '--bak', f('RestoreTimeClean.bak'), f('RestoreTimeClean2.bak'), '--after-bak', f('RestoreTimeClean.bak'), '--table', 'dbo.steps', '--stage', stage);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_BAD_WINDOW: /);
    expect(existsSync(stage)).toBe(false);
    // the right way round runs: the later state only adds rows, so nothing is missing or changed
    // and no job (nor file) is made (diff-stage-nothing.test.ts)
    const ok = await cli('diff', '--bak', f('RestoreTimeClean.bak'), '--after-bak', f('RestoreTimeClean.bak'), f('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--stage', stage, '--out', join(dir, 'out.ndjson'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`nothing staged in ${stage}`);
    expect(existsSync(stage)).toBe(false);
    // a staging file holding a job: refused again, the file and its job stay
    const { StagingStore } = await import('../../src/staging/store.js');
    const made = new StagingStore(stage);
    made.createJob({ kind: 'restore', spec: {}, description: 'kept', createdBy: 'op' });
    made.close();
    const again = await cli('diff', '--bak', f('RestoreTimeClean.bak'), f('RestoreTimeClean2.bak'), '--after-bak', f('RestoreTimeClean.bak'), '--table', 'dbo.steps', '--stage', stage);
    expect(again.code).toBe(2);
    const store = new StagingStore(stage);
    try {
      expect(store.listJobs({ limit: 10 }).map((j) => j.description)).toEqual(['kept']);
    } finally {
      store.close();
    }
  });
});
