/**
 * Which backup the log backups must start from when a differential is given after the full backup.
 * Only the newest backup (the differential) was asked: a first log backup starting before its end
 * passed, even one that starts after the full backup's log ends and stops before the differential:
 * `--bak RestoreTimeClean.bak RestoreTimeClean2.bak --trn RestoreTimeClean_2.trn` (full to 19:84:1,
 * _2.trn 19:99:1-19:a3:1, differential 19:ad:26-19:be:1) printed _2.trn's 10 steps as a complete
 * result, without _1.trn's. The log backups start from the full backup when the first starts within
 * its log, else from a differential whose log the first starts within and the chain runs past.
 * Corpus: appveyor-lab/RestoreTimeClean.
 */
import { expect, it } from 'vitest';
import { openFileSource } from '../../../src/recover/sources/files.js';
import { corpusPath, describeCorpus } from '../../support/corpus.js';

const RTC = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
const FULL_DIFF = () => [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')];
const gaps = (trn: string[]) => openFileSource({ bak: FULL_DIFF(), trn: trn.map(RTC) }).skipped().filter((s) => s.code === 'FORMAT_LOG_CHAIN_GAP');

describeCorpus('log backups given with a full and a differential backup', () => {
  it('a log backup between the full backup\'s end and the differential, the one before it missing: FORMAT_LOG_CHAIN_GAP from the full backup (it was a complete result)', () => {
    const g = gaps(['RestoreTimeClean_2.trn']);
    expect(g).toHaveLength(1);
    expect(g[0]!.reason).toMatch(/do not chain to the full backup: .*RestoreTimeClean\.bak holds log up to LSN \d+ \(00000019:00000084:0001\).*RestoreTimeClean_2\.trn, starts at \d+ \(00000019:00000099:0001\)/);
    expect(g[0]!.lsnRange).toEqual({ first: '00000019:00000084:0001', last: '00000019:00000099:0001' });
  });

  it('starting within the full backup\'s log: no gap, whether or not the chain reaches the differential', () => {
    expect(gaps(['RestoreTimeClean_1.trn'])).toEqual([]);
    expect(gaps(['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn'])).toEqual([]);
  });

  it('starting within the differential\'s log and running past it: no gap (RESTORE LOG after the differential)', () => {
    expect(gaps(['RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn'])).toEqual([]);
  });

  it('starting after the differential\'s end: the gap from the differential, as before', () => {
    const g = gaps(['RestoreTimeClean2_2.trn']);
    expect(g).toHaveLength(1);
    expect(g[0]!.reason).toContain('do not chain to the differential backup');
  });
});
