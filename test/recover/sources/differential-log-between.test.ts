/**
 * `scan --bak FULL DIFF --trn …`: with log backups given, the backups' own log is not read, and the
 * chain may start within the differential's log (RESTORE's view: no gap). The log between the full
 * backup's end and the first log backup, and between the last log backup and a backup given that
 * ends after it, was then read from no file and not said: `--bak RestoreTimeClean.bak
 * RestoreTimeClean2.bak --trn RestoreTimeClean2_1.trn` printed 10 steps, nothing of the 30 of
 * _1-_3.trn, exit 0, not a word (while `log` of the same files said INCOMPLETE, and `scan --bak
 * FULL DIFF` alone said the stretch INCOMPLETE). It was then a note, said even with --quiet, exit 0
 * under --strict; now INCOMPLETE (rows asked for may be in that stretch), and the note alone only
 * for a window wholly outside it (recover/log-not-given.ts; test/cli/scan-log-not-given-window.test.ts).
 * Corpus: appveyor-lab/RestoreTimeClean (full to 19:84:1, _1-_3.trn 19:3e:aa-19:ad:1,
 * differential 19:ad:26-19:be:1, 2_1.trn from 19:ad:1).
 */
import { expect, it } from 'vitest';
import { captureCli } from '../../support/cli.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

const cli = captureCli();
const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
const scan = (trn: string[]) => cli('scan', '--bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'), '--trn', ...trn.map(RTC), '--op', 'insert', '--quiet');

describeCorpus('scan --bak FULL DIFF --trn: log between the backups that no file read holds', () => {
  it('a chain starting within the differential\'s log: the stretch from the full backup\'s end is said', async () => {
    const r = await scan(['RestoreTimeClean2_1.trn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(10);
    expect(r.stderr).toMatch(/INCOMPLETE: the log from the end of \S*RestoreTimeClean\.bak \(LSN 00000019:00000084:0001\) to the first log backup given, \S*RestoreTimeClean2_1\.trn \(starts at 00000019:000000ad:0001\), is in no file given: a differential backup holds the pages changed since the full backup, not the rows deleted or changed in that stretch/);
  });

  it('a chain ending before the differential ends: the stretch up to it is said', async () => {
    const r = await scan(['RestoreTimeClean_1.trn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/INCOMPLETE: \S*RestoreTimeClean2\.bak holds the database up to LSN 00000019:000000be:0001, and the log backups given end at 00000019:00000099:0001 \(\S*RestoreTimeClean_1\.trn\): the rows deleted or changed between are not in this result/);
  });

  it('a chain from the full backup past the differential: nothing to say', async () => {
    const r = await scan(['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(40);
    expect(r.stderr).not.toContain('note:');
  });
});
