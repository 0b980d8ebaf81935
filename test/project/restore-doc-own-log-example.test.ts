/**
 * docs/restore.md shows the base backup's own-log WARNING with the real file names
 * (`RestoreTimeClean2.bak's own log … holds 2 row operation(s) of dbo.steps …`) as if
 * `dump --bak RestoreTimeClean.bak RestoreTimeClean2.bak --table dbo.steps` printed it. It does not:
 * that differential's own log holds no row change of dbo.steps (no corpus backup's does), the line is
 * the SYNTHETIC test's (test/cli/dump-base-own-log.test.ts). A newcomer running the command saw 30
 * rows and no WARNING and could not tell which was wrong. The doc now says whose line it is; this
 * test runs the real command (REAL corpus backups) and checks both.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const bin = new URL('../../bin/rowback.js', import.meta.url).pathname;
const doc = readFileSync(new URL('../../docs/restore.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describeCorpus("docs/restore.md's own-log WARNING example", () => {
  it('the real backups print no such WARNING, and the doc says the line is the SYNTHETIC test\'s', () => {
    const rtc = (f: string) => corpusPath(`appveyor-lab/RestoreTimeClean/${f}`);
    const r = spawnSync(process.execPath, [bin, 'dump', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--format', 'csv', '--strict'], { encoding: 'utf8', timeout: 50_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(31);
    expect(r.stderr).not.toContain('WARNING');
    expect(doc).toContain("rowback dump: WARNING: dbo.steps: RestoreTimeClean2.bak's own log");
    expect(doc).toContain('The line, as the SYNTHETIC test `test/cli/dump-base-own-log.test.ts` makes it say');
    expect(doc).toContain('prints its 30 rows with no WARNING');
  });
});
