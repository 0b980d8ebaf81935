/**
 * `rowback log`'s skipped lines on stderr read as `scan`'s and `dump`'s (skipped-lines.ts): one form
 * for one thing. `log` wrote its own, `(FILE offset N)`: no `file ` label and the LSN (and page) the
 * item names left out, so a script parsing `  CODE: reason (file F, LSN L)` lines of both commands
 * missed log's, and the LSN where the missing log backups' records resume was in the report only.
 * Real bytes: RestoreTimeClean_1.trn and _3.trn, the _2 between them left out.
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath(`appveyor-lab/RestoreTimeClean/${f}`);
const gapLine = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('  FORMAT_LOG_CHAIN_GAP: '));

describeCorpus('rowback log: skipped items said in the form scan and dump say them', () => {
  it("a chain gap's line names file and LSN, as scan's line for the same files", async () => {
    const log = await cli('log', rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_3.trn'), '--format', 'ndjson');
    const scan = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_3.trn'), '--op', 'insert');
    expect(log.code).toBe(0);
    expect(scan.code).toBe(0);
    const [l] = gapLine(log.stderr);
    expect(gapLine(log.stderr)).toHaveLength(1);
    expect(l).toMatch(/ \(file \S*RestoreTimeClean_3\.trn, LSN 00000019:000000a3:0001\)$/);
    expect(gapLine(scan.stderr)).toEqual([l]);
  });
});
