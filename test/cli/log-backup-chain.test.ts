import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const trn = (n: number) => corpusPath(`appveyor-lab/RestoreTimeClean/RestoreTimeClean_${n}.trn`);

// `rowback log` lists log backups in the order given. A missing one (`log _1.trn _3.trn`) and a list
// out of LSN order (`log *.trn` puts _10 before _2) printed as a whole log with no word: scan --trn
// says FORMAT_LOG_CHAIN_GAP for the same files.
describeCorpus('rowback log: log backups checked as a chain', () => {
  it('a missing log backup: FORMAT_LOG_CHAIN_GAP naming both files and LSNs, INCOMPLETE', async () => {
    const r = await cli('log', trn(1), trn(3), '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/FORMAT_LOG_CHAIN_GAP: log backups do not chain: \S*RestoreTimeClean_1\.trn ends at LSN 25000000015300001 \(00000019:00000099:0001\), \S*RestoreTimeClean_3\.trn starts at 25000000016300001 \(00000019:000000a3:0001\): the log backup\(s\) in between are missing/);
    expect(r.stderr).toMatch(/^rowback log: INCOMPLETE: .*FORMAT_LOG_CHAIN_GAP/m);
  });
  it('out of LSN order: printed as given, with a note naming the order to give', async () => {
    const r = await cli('log', trn(2), trn(1), '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback log: note: the log backups are not given in LSN order, .*list them oldest first: \S*RestoreTimeClean_1\.trn \S*RestoreTimeClean_2\.trn$/m);
    expect(r.stderr).not.toMatch(/INCOMPLETE|FORMAT_LOG_CHAIN_GAP/);
  });
  it('a whole chain in order: no note', async () => {
    const r = await cli('log', trn(1), trn(2), trn(3), '--format', 'ndjson');
    expect(r.stderr).toBe('rowback log: 287 of 287 record(s) printed\n');
  });
  it('the same log backup twice: said', async () => {
    const r = await cli('log', trn(1), trn(1), '--format', 'ndjson');
    expect(r.stderr).toMatch(/note: \S*RestoreTimeClean_1\.trn holds the same log as \S*RestoreTimeClean_1\.trn/);
  });
});
