import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets, setCommitEndTime } from '../support/damaged-copy.js';

/**
 * A report's `warnings` hold each WARNING without the `WARNING: ` stderr puts before it, in every
 * command's report (docs/scripting.md), as its `incomplete` holds each INCOMPLETE without its
 * prefix. scan's, dump's and log's did; diff's (new today) kept it, so a script looking for a
 * warning's text (`BACKUP_HEADER_WARNING`, a file's name) across reports, or stripping the prefix
 * as it does for the others, read diff's wrong. REAL StopAt backups with SYNTHETIC edits made at
 * test time: one byte of StopAt_2.trn's opening header copy's server name (as
 * test/cli/diff-stage-warnings.test.ts), and one commit's End Time set back 19.5 s (as
 * test/cli/strict-warnings.test.ts).
 */
const cli = captureCli();
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const ticks = (h: number, m: number, s: number, ms = 0) => (h * 3600 + m * 60 + s) * 300 + Math.round(ms * 0.3);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-report-warnings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('report warnings: no WARNING prefix, diff as dump', () => {
  it("a backup header's WARNING: diff --report and dump --report hold the same sentence, without `WARNING: `", async () => {
    const d = join(dir, 'header');
    mkdirSync(d);
    for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']) damagedCopy(stopAt(f), join(d, f), () => undefined);
    const trn = damagedCopy(stopAt('StopAt_2.trn'), join(d, 'StopAt_2.trn'), (b) => {
      const o = headerCopyOffsets(stopAt('StopAt_2.trn')).opening;
      b[o + b.readUInt16LE(o + 110)] ^= 0x01;
    });
    const chain = [join(d, 'StopAt_1.trn'), trn, join(d, 'StopAt_21.trn')];
    const diff = await cli('diff', '--bak', join(d, 'StopAt.bak'), '--trn', ...chain, '--stop-before-lsn', '00000013:000000d0:0001', '--table', 'dbo.steps',
      '--after-bak', join(d, 'StopAt.bak'), '--after-trn', ...chain, '--after-stop-before-lsn', '00000013:000000d5:0001', '--quiet', '--strict', '--out', join(d, 'diff.ndjson'), '--report', join(d, 'diff.json'));
    expect(diff.code, diff.stderr).toBe(3);
    const dump = await cli('dump', '--bak', join(d, 'StopAt.bak'), '--trn', ...chain, '--stop-before-lsn', '00000013:000000d0:0001', '--table', 'dbo.steps', '--quiet', '--strict', '--out', join(d, 'dump.ndjson'), '--report', join(d, 'dump.json'));
    expect(dump.code, dump.stderr).toBe(3);
    const diffWarnings: string[] = read(join(d, 'diff.json')).warnings;
    const dumpWarnings: string[] = read(join(d, 'dump.json')).warnings;
    expect(dumpWarnings.length).toBeGreaterThan(0);
    for (const w of [...diffWarnings, ...dumpWarnings]) expect(w).not.toMatch(/^WARNING/);
    expect(diffWarnings).toEqual(dumpWarnings);
    expect(diffWarnings[0]).toMatch(/StopAt_2\.trn: BACKUP_HEADER_WARNING: /);
    // each is the stderr line after `rowback diff: WARNING: `
    expect(diffWarnings).toEqual(diff.stderr.split('\n').filter((l) => l.startsWith('rowback diff: WARNING: ')).map((l) => l.slice('rowback diff: WARNING: '.length)));
  }, 180_000);

  it('a stop time the clock passed twice: diff --report holds it without `WARNING`, its side and option named', async () => {
    const d = join(dir, 'clock');
    mkdirSync(d);
    const FILES = ['StopAt.bak', 'StopAt_1.trn', 'StopAt_2.trn', 'StopAt_21.trn', 'StopAt_23.trn'];
    for (const f of FILES) copyFileSync(stopAt(f), join(d, f));
    setCommitEndTime(join(d, 'StopAt_2.trn'), ticks(13, 29, 44, 530), ticks(13, 29, 20));
    const files = FILES.map((f) => join(d, f));
    const diff = await cli('diff', '--bak', files[0]!, '--trn', ...files.slice(1), '--stop-at', '2020-05-12T13:29:36', '--after-bak', files[0]!, '--after-trn', ...files.slice(1), '--after-stop-at', '2020-05-12T13:31:00', '--table', 'dbo.steps',
      '--quiet', '--strict', '--out', join(d, 'diff.ndjson'), '--report', join(d, 'diff.json'));
    expect(diff.code, diff.stderr).toBe(3);
    const warnings: string[] = read(join(d, 'diff.json')).warnings;
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) expect(w).not.toMatch(/^WARNING/);
    expect(warnings[0]).toMatch(/^\(earlier state, --stop-at\): the log's commit times run backwards/);
    expect(diff.stderr).toContain(`rowback diff: WARNING ${warnings[0]}`);
  }, 180_000);
});
