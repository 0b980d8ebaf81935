import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * `rowback diff --stage S.db … | head`: the job is staged only after the changes are all written, so a
 * reader that closes stdout first leaves nothing staged. The EPIPE line said only "the result was not
 * written whole"; with --stage it now says nothing was staged. REAL files: the corpus's
 * RestoreTimeClean, the table at 13:20 against the later backups (12 changes, as interrupt-commands
 * finds). stdout is a pipe whose reader has gone: every write fails with EPIPE, as Node reports it.
 */
const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const LOGS = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);
const diff = ['diff', '--bak', RTC('RestoreTimeClean.bak'), '--trn', ...LOGS, '--stop-at', '2017-06-01 13:20', '--after-bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--quiet', '--accept-older-later'];

type WriteCallback = (e?: Error | null) => void;
/** stdout's writes all fail as a closed pipe's do (`closed`), or all succeed; `lines` counts those that did. */
function stdoutAs(closed: boolean): { lines: number } {
  const seen = { lines: 0 };
  vi.mocked(process.stdout.write).mockImplementation(((_c: unknown, enc?: unknown, cb?: unknown) => {
    const done = (typeof enc === 'function' ? enc : cb) as WriteCallback | undefined;
    const e = closed ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write', errno: -32 }) : null;
    if (!closed) seen.lines++;
    if (done) queueMicrotask(() => done(e));
    return !closed;
  }) as typeof process.stdout.write);
  return seen;
}

function jobsIn(stage: string): number {
  const store = new StagingStore(stage);
  try {
    return store.listJobs().length;
  } finally {
    store.close();
  }
}

describeCorpus('diff --stage with a reader that closes the pipe early', () => {
  it.each([
    ['with --stage: nothing was staged, and the line says so', true, /^rowback diff: output closed by its reader \(EPIPE\): the result was not written whole; nothing was staged in \S+staging\.db \(the changes are staged only once they are all written: read them to the end, or write them with --out FILE\)\n$/],
    ['without --stage: the line as before', false, /^rowback diff: output closed by its reader \(EPIPE\): the result was not written whole\n$/],
  ])('%s', async (_name, staged, line) => {
    const stage = join(mkdtempSync(join(tmpdir(), 'rowback-diff-pipe-')), 'staging.db');
    stdoutAs(true);
    const r = await cli(...diff, ...(staged ? ['--stage', stage] : []));
    expect(r.code).toBe(141);
    expect(r.stderr).toMatch(line);
    if (staged) expect(jobsIn(stage)).toBe(0);
  });

  it('read to the end: the 12 changes written, then staged as one job (no EPIPE line)', async () => {
    const stage = join(mkdtempSync(join(tmpdir(), 'rowback-diff-pipe-')), 'staging.db');
    const seen = stdoutAs(false);
    const r = await cli(...diff, '--stage', stage);
    expect(r.code, r.stderr).toBe(0);
    // with --quiet: the job staged (its number: a script needs it), and the later state (the
    // differential, 13:14:13) older than 13:20, compared as asked
    expect(r.stderr).toMatch(/^rowback diff: staged as restore job 1 in \S+staging\.db\nrowback diff: warning: the later state \(--after-bak [^\n]*never re-insert them\n$/);
    expect(seen.lines).toBe(12);
    expect(jobsIn(stage)).toBe(1);
  });
});
