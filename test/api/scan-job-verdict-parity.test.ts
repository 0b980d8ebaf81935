import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { captureCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * `rowback scan --report` and a files job over the same REAL files and window give one verdict
 * (src/recover/incomplete-verdict.ts): the same `complete`, and the same INCOMPLETE sentences in
 * the same order, the words aside (scan names its flags, a job its fields; scan says the start-side
 * and the end-side sentences each as one line joined by '; ', a job one per line). The verdict is
 * one module since session 34, but each caller still gathers its input (the skipped items, the
 * source's facts, the counts): a fact one caller stops passing would make them disagree unseen by
 * the verdict's unit tests. A breaker's sweep compared 840 scan/job pairs of corpus files and
 * windows this way and found none; these are a few of each kind: a chain gap, log in no file given
 * after a differential, a window before the log read and past its end, an .ldf, a full backup alone.
 */
const run = captureCli();
const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const SA = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);

type Files = { mdf?: string; ldf?: string; bak?: string[]; trn?: string[] };
const cases: Array<{ name: string; files: Files; windows: Array<{ from?: string; to?: string }> }> = [
  { name: 'a chain gap (RestoreTimeClean _2.trn left out)', files: { bak: [RTC('RestoreTimeClean.bak')], trn: [RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_3.trn')] }, windows: [{}, { to: '2017-06-01T13:04:13' }, { from: '2017-06-01T13:09:13.080' }, { from: '2016-06-01', to: '2018-06-01' }, { from: '2017-06-01T13:05', to: '2017-06-01T13:06' }] },
  { name: 'log in no file given after a differential', files: { bak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], trn: [RTC('RestoreTimeClean2_1.trn')] }, windows: [{}, { from: '2017-06-01T13:14:13' }, { from: '2017-06-01T13:16', to: '2017-06-01T13:18' }, { from: '2017-06-01T12:59:12' }, { to: '2017-06-02' }] },
  { name: 'the first log backup left out (StopAt_1.trn)', files: { bak: [SA('StopAt.bak')], trn: [SA('StopAt_2.trn')] }, windows: [{}, { to: '2020-05-12T13:28:43' }, { from: '2020-05-12T13:29:57' }] },
  { name: 'an .ldf whose older VLFs were reused', files: { mdf: A('Database1.mdf'), ldf: A('Database1_log.ldf') }, windows: [{}, { to: '2018-08-26T21:19:06' }, { from: '2017-07-22', to: '2019-11-04' }, { from: '2018-09-13T04:43:32' }] },
];

/** A sentence's start in either caller's words: `(--to)`/`--to X` as a job's `(to)`/`to X`. */
const start = (s: string) => s.replace(/^INCOMPLETE: /, '').replace(/--(from|to)\b/g, '$1').slice(0, 40);

describeCorpus('scan --report and a files job over the same files and window: one verdict', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-verdict-parity-'));
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR], maxAuthFailures: 1000 });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, async () => {
      let incompleteSeen = 0;
      for (const w of c.windows) {
        for (const operations of [['delete'], ['insert', 'update', 'delete']]) {
          const report = join(dir, 'report.json');
          const argv = ['scan', '--quiet', '--out', join(dir, 'rows.ndjson'), '--report', report, '--op', operations.join(',')];
          if (c.files.mdf) argv.push('--mdf', c.files.mdf);
          if (c.files.bak) argv.push('--bak', ...c.files.bak);
          if (c.files.ldf) argv.push('--ldf', c.files.ldf);
          if (c.files.trn) argv.push('--trn', ...c.files.trn);
          if (w.from) argv.push('--from', w.from);
          if (w.to) argv.push('--to', w.to);
          await run(...argv);
          const scan = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; incomplete: string[]; rows: number };
          const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ...c.files, operations, ...w } });
          expect(r.statusCode, r.body).toBe(201);
          await t.app.worker.idle();
          const job = t.store.requireJob(r.json().id);
          const at = JSON.stringify({ window: w, operations });
          expect({ state: job.state, complete: job.complete, rows: job.rowsStaged }, at).toEqual({ state: 'succeeded', complete: scan.complete, rows: scan.rows });
          // each of scan's lines starts as one of the job's sentences, and each of the job's sentences is in scan's lines, in order
          const jobStarts = job.incomplete!.map(start);
          expect(scan.incomplete.map(start).every((s) => jobStarts.includes(s)), `${at}\n${scan.incomplete.join('\n')}\n--\n${job.incomplete!.join('\n')}`).toBe(true);
          const scanText = scan.incomplete.map((l) => l.replace(/--(from|to)\b/g, '$1')).join('\n');
          let from = 0;
          for (const s of jobStarts) {
            const i = scanText.indexOf(s, from);
            expect(i, `${at}: ${s}\n${scanText}`).toBeGreaterThanOrEqual(0);
            from = i + 1;
          }
          if (!scan.complete) incompleteSeen++;
        }
      }
      // the cases hold windows of both verdicts
      expect(incompleteSeen).toBeGreaterThan(0);
      expect(incompleteSeen).toBeLessThan(c.windows.length * 2);
    }, 120_000);
  }
});
