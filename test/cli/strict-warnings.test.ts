/**
 * `--strict` and the WARNING lines other than a backup header's. README: "`--strict` … so a script
 * tells it from a whole one"; `restore plan --strict` "exits 3 instead of 0 when the plan carries a
 * WARNING … so `rowback restore plan … --format sql --strict > plan.sql && sqlcmd -i plan.sql` does
 * not run it unread". Only a backup header's WARNING (and INCOMPLETE, warned rows) exited 3: these,
 * said on stderr even with --quiet, exited 0 under --strict, so a script took the result for a whole one:
 *  - a stop time the SQL Server's clock passed twice (`restore plan`, whose script carries the
 *    WARNING at its head and ran unread; `dump --trn --stop-at`; `diff --stop-at`);
 *  - `scan --from/--to` over a log whose clock was set back (the window may name two stretches);
 *  - log records of an operation code rowback does not know (`scan`: rows may be missing; `log`:
 *    records printed from their header alone).
 * Each now exits 3 with --strict, 0 without, with the same stdout and stderr.
 *
 * REAL files with SYNTHETIC edits made at test time (never written to the repo): the StopAt chain
 * with one commit's End Time set back (as test/replay/stop-time-clock.test.ts), StopAt_2.trn with an
 * unknown operation code (test/support/damaged-copy.ts unknownOperationCopy); and a SYNTHETIC .ldf
 * whose clock goes back an hour (test/support/synthetic-log.ts, as test/cli/scan-clock-backwards.test.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { setCommitEndTime, unknownOperationCopy } from '../support/damaged-copy.js';
import { CONTACT_AU, NARROW_CONTACT_DDL, narrowContactImages } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

const cli = captureCli();
const FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];
const ticks = (h: number, m: number, s: number, ms = 0) => (h * 3600 + m * 60 + s) * 300 + Math.round(ms * 0.3);
const real = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-strict-warnings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `argv` without and with --strict (an `--out` file each when `out` names its extension):
 * 0 then 3, the same stdout (or file) and stderr, and a WARNING line matching `warning` said.
 */
async function strictIsThree(argv: string[], warning: RegExp, out?: string): Promise<void> {
  const run = async (extra: string[]) => {
    const file = out ? join(dir, `out-${++n}.${out}`) : undefined;
    const r = await cli(...argv, ...(file ? ['--out', file] : []), ...extra);
    return { ...r, stdout: file ? readFileSync(file, 'utf8') : r.stdout };
  };
  const plain = await run(['--quiet']);
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stderr).toMatch(warning);
  const strict = await run(['--quiet', '--strict']);
  expect(strict.code, strict.stderr).toBe(3);
  expect(strict.stdout).toBe(plain.stdout);
  expect(strict.stderr).toBe(plain.stderr);
}

describeCorpus('--strict: a stop time the clock passed twice exits 3 (SYNTHETIC edit of the real StopAt chain)', () => {
  let files: string[];
  beforeAll(() => {
    mkdirSync(join(dir, 'stopat'));
    for (const f of FILES) copyFileSync(real(f), join(dir, 'stopat', f));
    // the commit after 13:29:39.530 (it ended 13:29:44.530) ends 13:29:20: the clock went back 19.5 s
    setCommitEndTime(join(dir, 'stopat', 'StopAt_2.trn'), ticks(13, 29, 44, 530), ticks(13, 29, 20));
    files = FILES.map((f) => join(dir, 'stopat', f));
  });

  it('restore plan --format sql --strict: 3 (the script carries the WARNING; it exited 0 and `&& sqlcmd` ran it)', async () => {
    await strictIsThree(['restore', 'plan', '--as', 'StopAt_side', '--backups', join(dir, 'stopat'), '--stop-at', '2020-05-12T13:29:36', '--format', 'sql'], /^rowback restore plan: WARNING: the log's commit times run backwards/m);
    // the real chain: 0 with --strict
    const whole = await cli('restore', 'plan', '--as', 'StopAt_side', '--backups', corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt'), '--stop-at', '2020-05-12T13:29:36', '--format', 'sql', '--quiet', '--strict');
    expect(whole.code, whole.stderr).toBe(0);
  }, 120_000);

  it('dump --trn --stop-at --strict: 3', async () => {
    await strictIsThree(['dump', '--bak', files[0]!, '--trn', ...files.slice(1), '--stop-at', '2020-05-12T13:29:36', '--table', 'dbo.steps'], /^rowback dump: WARNING: the log's commit times run backwards/m, 'ndjson');
    const whole = await cli('dump', '--bak', real(FILES[0]!), '--trn', ...FILES.slice(1).map(real), '--stop-at', '2020-05-12T13:29:36', '--table', 'dbo.steps', '--quiet', '--strict', '--out', join(dir, 'whole.ndjson'));
    expect(whole.code, whole.stderr).toBe(0);
  }, 120_000);

  it('diff --stop-at --strict: 3', async () => {
    await strictIsThree(['diff', '--bak', files[0]!, '--trn', ...files.slice(1), '--stop-at', '2020-05-12T13:29:36', '--after-bak', files[0]!, '--after-trn', ...files.slice(1), '--after-stop-at', '2020-05-12T13:31:00', '--table', 'dbo.steps'], /^rowback diff: WARNING \(earlier state, --stop-at\): the log's commit times run backwards/m, 'ndjson');
  }, 180_000);
});

describeCorpus('--strict: log records of an operation code rowback does not know exit 3 (SYNTHETIC op byte in the real StopAt_2.trn)', () => {
  let U: string;
  beforeAll(() => {
    U = unknownOperationCopy(real('StopAt_2.trn'), join(dir, 'U.trn'));
  });

  it('log --strict: 3', async () => {
    await strictIsThree(['log', U, '--format', 'ndjson'], /^rowback log: WARNING: 2 log record\(s\) of operation code/m);
    const whole = await cli('log', real('StopAt_2.trn'), '--format', 'ndjson', '--quiet', '--strict');
    expect(whole.code, whole.stderr).toBe(0);
  }, 60_000);

  it('scan --strict: 3', async () => {
    await strictIsThree(['scan', '--bak', real('StopAt.bak'), '--trn', real('StopAt_1.trn'), U, '--op', 'insert'], /^rowback scan: WARNING: 2 log record\(s\) of operation code/m);
    const whole = await cli('scan', '--bak', real('StopAt.bak'), '--trn', real('StopAt_1.trn'), real('StopAt_2.trn'), '--op', 'insert', '--quiet', '--strict');
    expect(whole.code, whole.stderr).toBe(0);
  }, 60_000);
});

describe('--strict: scan --from/--to over a log whose clock was set back exits 3 (SYNTHETIC .ldf)', () => {
  const AU = CONTACT_AU;
  let folded: string;
  let ddl: string;
  beforeAll(() => {
    folded = join(dir, 'folded_log.ldf');
    ddl = join(dir, 'contact.sql');
    writeFileSync(ddl, NARROW_CONTACT_DDL);
    const images = narrowContactImages();
    // transaction n begins and commits at 02:00 + n minutes, until n = 40, from which the clock reads an hour less
    writeSyntheticLdf(folded, { targetBytes: 512 * 1024, row: (_t: number, r: number) => images[r % 10]!, rollbackShare: 0, finishAtEnd: true, second: (k) => 7200 + k * 60 - (k >= 40 ? 3600 : 0) }, { allocUnitId: AU, vlfSize: 256 * 1024 });
  });

  it('scan --strict: 3 with the window, 0 without one (no WARNING then)', async () => {
    const base = ['scan', '--ldf', folded, '--ddl', ddl, '--alloc-unit', AU];
    await strictIsThree([...base, '--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10'], /^rowback scan: WARNING: the log's commit times run backwards/m);
    const all = await cli(...base, '--quiet', '--strict');
    expect(all.code, all.stderr).toBe(0);
  }, 60_000);
});
