import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `dump --stop-at --report`: the lower-case `warning:` advice of a stop time in a daylight-saving
 * fold or gap of this machine's zone is in the report's `notes`, as scan's (73c6dd04) and diff's
 * keep theirs; dump's was said on stderr only, so a `--quiet --report` script learned nothing of a
 * stop time that happened twice. No corpus chain's times fall in a fold of any zone, so the advice
 * is forced: warnLocalTimes (its only export) is wrapped to give one line for the REAL
 * appveyor-lab/RestoreTimeClean chain's stop time, as it gives them (test/cli/scan-window-dst.test.ts).
 */
const ADVICE = "rowback dump: warning: --stop-at '2017-06-01 13:02' is ambiguous in Test/Zone: the clocks went back that night (SYNTHETIC line)";
vi.mock('../../src/cli/local-time-warnings.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/cli/local-time-warnings.js')>();
  return {
    ...m,
    warnLocalTimes: (...a: Parameters<typeof m.warnLocalTimes>) => {
      const real = m.warnLocalTimes(...a);
      if (a[0] !== 'dump') return real;
      (a[2] ?? process.stderr).write(`${ADVICE}\n`);
      return [...real, ADVICE];
    },
  };
});

const cli = captureCli();
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-dump-time-advice-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('dump --stop-at --report: the daylight-saving advice in notes', () => {
  it('--quiet: said on stderr and kept in notes, starting warning:; exit 0 under --strict (advice, not doubt)', async () => {
    const d = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const report = join(dir, 'r.json');
    const r = await cli('dump', '--bak', d('RestoreTimeClean.bak'), '--trn', d('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01 13:02', '--table', 'steps', '--quiet', '--strict', '--out', join(dir, 'rows.ndjson'), '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(ADVICE);
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.notes).toContain(ADVICE.slice('rowback dump: '.length));
    expect(j.warnings).toBeUndefined();
    expect(j.complete).toBe(true);
  }, 60_000);
});
