import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { REPORT_TIMES } from '../../src/cli/failed-report.js';
import { Writable } from 'node:stream';
import { runDiff } from '../../src/cli/commands/diff.js';
import { captureCli } from '../support/cli.js';
import { SigintAtText } from '../support/text-sink.js';
import { interruptedCli } from '../support/interrupted-cli.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { pubsWithUnknownCollation } from '../support/damaged-copy.js';

/**
 * `diff --report FILE`, as scan, dump and log write one (docs/scripting.md): a script comparing a
 * table's earlier state with its later one learned whether the comparison was whole or doubtful,
 * its counts and the job staged only by parsing stderr. REAL files: appveyor-lab/RestoreTimeClean
 * (full + log backups, dbo.steps) and pubs-2012/pubs.bak (a copy patched here so that every row of
 * dbo.authors decodes with a warning, as test/cli/strict-diff-decode.test.ts does). An INTERNAL
 * failure is forced by wrapping compareTableStates (the comparison) once `fake.fail` is set.
 */
const fake = vi.hoisted(() => ({ fail: false }));
vi.mock('../../src/replay/compare.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/replay/compare.js')>();
  return {
    ...m,
    compareTableStates: async (...a: Parameters<typeof m.compareTableStates>) => {
      if (fake.fail) throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      return m.compareTableStates(...a);
    },
  };
});

const cli = captureCli();
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

describeCorpus('diff --report', () => {
  const d = (n: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), n);
  const points = (stop: string, after: string) => ['diff', '--bak', d('RestoreTimeClean.bak'), '--trn', d('RestoreTimeClean_1.trn'), '--stop-at', stop, '--after-bak', d('RestoreTimeClean.bak'), '--after-trn', d('RestoreTimeClean_1.trn'), '--after-stop-at', after, '--table', 'steps'];
  let dir = '';
  let k = 0;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-diff-report-')); });
  afterAll(() => { fake.fail = false; rmSync(dir, { recursive: true, force: true }); });
  const files = () => ({ out: join(dir, `out${k}.ndjson`), report: join(dir, `report${k++}.json`) });

  it('a whole comparison: table, key, counts, each side\'s point in time, complete', async () => {
    const { out, report } = files();
    const r = await cli(...points('2017-06-01T13:01', '2017-06-01T13:03'), '--out', out, '--report', report, '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    const j = read(report);
    expect(j).toMatchObject({
      times: REPORT_TIMES, table: 'dbo.steps', tableAsTyped: 'steps',
      missing: 0, changed: 0, notComparable: 0, changesWritten: 0,
      complete: true, incomplete: [],
      pointInTime: { earlier: { stopAt: '2017-06-01T13:01', stoppedAtLsn: expect.any(String) }, later: { stopAt: '2017-06-01T13:03' } },
    });
    expect(j.earlierRows + j.added).toBe(j.laterRows);
    expect(j.added).toBe(4);
    expect(j.unchanged).toBe(j.earlierRows);
    expect(j.keySource === null ? j.keyNote : j.key).toBeTruthy();
    expect(j.warnings).toBeUndefined();
    expect(j.reversed).toBeUndefined();
    expect(j.jobId).toBeUndefined();
    // the summary stderr says without --quiet is a note, here with --quiet
    expect(j.notes).toContainEqual(expect.stringMatching(/^dbo\.steps: earlier \d+ row\(s\), later \d+ row\(s\); 0 missing from the later state/));
    expect(j.notes).toContainEqual(expect.stringMatching(/^earlier state: chain: /));
  }, 120_000);

  it('files named with a line break: each replay note keeps its side and the names as they are (JSON carries them raw)', async () => {
    if (process.platform === 'win32') return;
    // REAL files linked under such names: the note was ` state: rowback diff (earlier state): chain: …`
    // (read back from the stderr line by a `(.*)$`, which stopped at the name's line break)
    const full = join(dir, 'fu\nll.bak');
    const log = join(dir, 'lo\ng1.trn');
    symlinkSync(d('RestoreTimeClean.bak'), full);
    symlinkSync(d('RestoreTimeClean_1.trn'), log);
    const { out, report } = files();
    const r = await cli('diff', '--bak', full, '--trn', log, '--stop-at', '2017-06-01T13:01', '--after-bak', full, '--after-trn', log, '--after-stop-at', '2017-06-01T13:03', '--table', 'steps', '--out', out, '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const notes = read(report).notes as string[];
    expect(notes).toContain(`earlier state: chain: full ${full} → log ${log}`);
    expect(notes).toContain(`later state: chain: full ${full} → log ${log}`);
    for (const n of notes) expect(n).not.toMatch(/^ state:|rowback diff/);
    // stderr says the same lines, each one line
    expect(r.stderr).toContain(`rowback diff (earlier state): chain: full ${dir}/fu\\u{a}ll.bak → log ${dir}/lo\\u{a}g1.trn\n`);
  }, 120_000);

  it('--accept-older-later: reversed, the rows inserted between the two counted missing, its warning: advice in notes; --stage: the job id', async () => {
    const { out, report } = files();
    const stage = join(dir, 'stage.db');
    const r = await cli(...points('2017-06-01T13:03', '2017-06-01T13:01'), '--accept-older-later', '--stage', stage, '--out', out, '--report', report, '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(0);
    const job = /staged as restore job (\d+) in /.exec(r.stderr);
    expect(job).not.toBeNull();
    const j = read(report);
    expect(j).toMatchObject({ missing: 4, changed: 0, changesWritten: 4, complete: true, stagedIn: stage, jobId: Number(job![1]), reversed: expect.stringMatching(/^the later state .* is older than the earlier state/) });
    expect(j.notes).toContain(`warning: ${j.reversed}`);
    expect(r.stderr).toContain(`rowback diff: warning: ${j.reversed}\n`);
    expect(j.warnings).toBeUndefined();
  }, 120_000);

  it('refused (an unknown table): the previous report replaced by complete false, failed with the code', async () => {
    const { out, report } = files();
    writeFileSync(report, JSON.stringify({ times: REPORT_TIMES, complete: true, missing: 3 }, null, 2));
    const r = await cli(...points('2017-06-01T13:01', '2017-06-01T13:03').slice(0, -1), 'dbo.nosuchtable', '--out', out, '--report', report);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_UNKNOWN_TABLE: /);
    const j = read(report);
    expect(j).toMatchObject({ times: REPORT_TIMES, complete: false, incomplete: [], failed: { code: 'INPUT_UNKNOWN_TABLE', message: expect.stringContaining('nosuchtable') } });
    expect(j.missing).toBeUndefined();
  }, 120_000);

  it('refused while its options are read (an unknown option): the report says so too', async () => {
    const { report } = files();
    writeFileSync(report, JSON.stringify({ times: REPORT_TIMES, complete: true }, null, 2));
    const r = await cli(...points('2017-06-01T13:01', '2017-06-01T13:03'), '--no-such-option', '--report', report);
    expect(r.code).toBe(2);
    expect(read(report)).toMatchObject({ complete: false, failed: { code: 'INPUT_BAD_OPTION' } });
  });

  it('an INTERNAL failure: complete false, failed INTERNAL; never over a file that is not a report', async () => {
    const { out, report } = files();
    const args = [...points('2017-06-01T13:01', '2017-06-01T13:03'), '--out', out, '--report', report, '--quiet', '--strict'];
    fake.fail = false;
    expect((await cli(...args)).code).toBe(0);
    expect(read(report)).toMatchObject({ complete: true });
    fake.fail = true;
    try {
      const r = await cli(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('rowback: INTERNAL: ');
      const j = read(report);
      expect(j).toMatchObject({ times: REPORT_TIMES, complete: false, incomplete: [], failed: { code: 'INTERNAL', message: expect.stringContaining("reading 'rows'") } });
      expect(j.missing).toBeUndefined();
      const mine = join(dir, 'mine.json');
      writeFileSync(mine, '{"rows": 5, "mine": true}');
      expect((await cli(...args.slice(0, -3), mine, '--quiet', '--strict')).code).toBe(1);
      expect(readFileSync(mine, 'utf8')).toBe('{"rows": 5, "mine": true}');
    } finally {
      fake.fail = false;
    }
  }, 120_000);

  it('a --report that is an input, or the --out file: refused (INPUT_OUTPUT_IS_INPUT), the file left as it was', async () => {
    const { out } = files();
    const before = readFileSync(d('RestoreTimeClean_1.trn'));
    const r = await cli(...points('2017-06-01T13:01', '2017-06-01T13:03'), '--out', out, '--report', d('RestoreTimeClean_1.trn'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --report \S+RestoreTimeClean_1\.trn is the file given as --trn/);
    expect(readFileSync(d('RestoreTimeClean_1.trn')).equals(before)).toBe(true);
    writeFileSync(out, '{"change": "mine"}\n');
    const same = await cli(...points('2017-06-01T13:01', '2017-06-01T13:03'), '--out', out, '--report', out);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --(report|out) \S+ is also given as --(out|report)/);
    expect(readFileSync(out, 'utf8')).toBe('{"change": "mine"}\n');
    // the --stage file, new or not: staged first, then written over by the report
    const stage = join(dir, 'new-stage.db');
    const st = await cli(...points('2017-06-01T13:03', '2017-06-01T13:01'), '--accept-older-later', '--out', out, '--stage', stage, '--report', stage);
    expect(st.code).toBe(2);
    expect(st.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --report \S+new-stage\.db is also given as --stage/);
    expect(existsSync(stage)).toBe(false);
  }, 120_000);
});

describeCorpus('diff --report of an interrupted comparison', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  const LOGS = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-diff-report-int-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('during the comparison: complete false, interrupted, no counts (as in interrupt-commands.test.ts)', async () => {
    const report = join(dir, 'during.json');
    writeFileSync(report, JSON.stringify({ times: REPORT_TIMES, complete: true }, null, 2));
    const r = await interruptedCli(cli, ['diff', '--bak', RTC('RestoreTimeClean.bak'), '--trn', ...LOGS, '--stop-at', '2017-06-01 13:20', '--after-bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--accept-older-later', '--out', join(dir, 'o.json'), '--report', report, '--quiet'], 'SIGINT');
    expect(r.given).toBe(true);
    expect(r.code).toBe(130);
    const j = read(report);
    expect(j).toMatchObject({ times: REPORT_TIMES, complete: false, incomplete: [], interrupted: 'SIGINT', missing: null, changesWritten: 0 });
  }, 120_000);

  it('while it writes its changes: complete false, interrupted, the changes written and found, nothing staged', async () => {
    const report = join(dir, 'writing.json');
    const stage = join(dir, 'staging.db');
    const out = new SigintAtText('"change"');
    const errs = new Writable({ write: (_c: Buffer, _e, cb) => cb() });
    try {
      const r = await runDiff({ bak: [RTC('RestoreTimeClean.bak')], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], table: 'dbo.steps', acceptOlderLater: true, format: 'json', stage, quiet: true, report }, out, errs);
      expect(r.interrupted).toBe('SIGINT');
    } finally {
      process.exitCode = undefined;
    }
    expect(read(report)).toMatchObject({ complete: false, interrupted: 'SIGINT', missing: 12, changesWritten: 1, stagedIn: stage, jobId: null, reversed: expect.any(String) });
  }, 120_000);
});

describeCorpus('diff --strict --report: exit 3 is complete false in the report', () => {
  // as test/cli/strict-diff-decode.test.ts: pubs.bak against a copy whose dbo.authors.au_lname has a
  // collation id rowback does not know (every row of the later state decoded with a warning)
  const pubs = corpusPath('pubs-2012', 'pubs.bak');
  let dir = '';
  let patched = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-diff-report-strict-'));
    patched = pubsWithUnknownCollation(pubs, join(dir, 'pubs.bak'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the INCOMPLETE line stderr says is the report\'s incomplete, without its prefix', async () => {
    const report = join(dir, 'r.json');
    const r = await cli('diff', '--bak', pubs, '--after-bak', patched, '--table', 'dbo.authors', '--out', join(dir, 'o.ndjson'), '--report', report, '--strict', '--quiet');
    expect(r.code).toBe(3);
    const said = r.stderr.split('\n').filter((l) => l.startsWith('rowback diff: INCOMPLETE: ')).map((l) => l.slice('rowback diff: INCOMPLETE: '.length));
    expect(said).toHaveLength(1);
    const j = read(report);
    expect(j).toMatchObject({ complete: false, incomplete: said, table: 'dbo.authors' });
    expect(existsSync(report)).toBe(true);
  }, 120_000);
});

describeCorpus('diff --strict --report: exit 3 of a WARNING is in the report\'s warnings', () => {
  // REAL StopAt backups; SYNTHETIC damage: one byte of the server name in StopAt_2.trn's opening header
  // copy (as test/cli/diff-stage-warnings.test.ts): the replay uses it, saying WARNING: BACKUP_HEADER_WARNING
  const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
  let dir = '';
  let trn = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-diff-report-warn-'));
    for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']) damagedCopy(stopAt(f), join(dir, f), () => undefined);
    trn = damagedCopy(stopAt('StopAt_2.trn'), join(dir, 'StopAt_2.trn'), (b) => {
      const o = headerCopyOffsets(stopAt('StopAt_2.trn')).opening;
      b[o + b.readUInt16LE(o + 110)] ^= 0x01;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('complete (nothing INCOMPLETE), the WARNING line stderr says in warnings, exit 3', async () => {
    const chain = [join(dir, 'StopAt_1.trn'), trn, join(dir, 'StopAt_21.trn')];
    const report = join(dir, 'r.json');
    const r = await cli('diff', '--bak', join(dir, 'StopAt.bak'), '--trn', ...chain, '--stop-before-lsn', '00000013:000000d0:0001', '--table', 'dbo.steps',
      '--after-bak', join(dir, 'StopAt.bak'), '--after-trn', ...chain, '--after-stop-before-lsn', '00000013:000000d5:0001', '--quiet', '--strict', '--out', join(dir, 'o.ndjson'), '--report', report);
    expect(r.code, r.stderr).toBe(3);
    // each without the `WARNING: ` stderr puts before it, as scan's, dump's and log's reports (test/cli/report-warnings-prefix.test.ts)
    const said = r.stderr.split('\n').filter((l) => l.startsWith('rowback diff: WARNING: ')).map((l) => l.slice('rowback diff: WARNING: '.length));
    expect(said.length).toBeGreaterThan(0);
    const j = read(report);
    expect(j).toMatchObject({ complete: true, incomplete: [], warnings: said, pointInTime: { earlier: { stopBeforeLsn: '00000013:000000d0:0001' }, later: { stopBeforeLsn: '00000013:000000d5:0001' } } });
    expect(said[0]).toMatch(/^[^ ]*StopAt_2\.trn: BACKUP_HEADER_WARNING: /);
  }, 120_000);
});
