import { describe, expect, it } from 'vitest';
import { logLossClause, lossPlace, type SkippedItem } from '../../src/recover/source.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * Log that is in no file given (FORMAT_LOG_CHAIN_GAP) is INCOMPLETE, but no damage: the line said
 * "parts of the log could not be read", as for a cut file. REAL files: the corpus's RestoreTimeClean
 * full backup (log to 19:84:1) and its differential RestoreTimeClean2.bak (log from 19:ad:26); the
 * corpus's sql2008-backups/db1 has a differential and log backups but not its full backup, so it
 * cannot be scanned with --bak FULL DIFF.
 */
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const item = (code: string): SkippedItem => ({ code, reason: '', location: {} });

describe('logLossClause', () => {
  it.each([
    [['FORMAT_LOG_FILE_CUT'], 'parts of the log could not be read (FORMAT_LOG_FILE_CUT)'],
    [['FORMAT_LOG_CHAIN_GAP', 'FORMAT_LOG_CHAIN_GAP'], 'parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP)'],
    [['FORMAT_BAD_LOG_BLOCK', 'FORMAT_LOG_CHAIN_GAP', 'FORMAT_LOG_GAP'], 'parts of the log could not be read (FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_GAP), and parts are in no file given (FORMAT_LOG_CHAIN_GAP)'],
  ])('%j', (codes, clause) => {
    expect(logLossClause(codes.map(item))).toBe(clause);
  });

  // SYNTHETIC items as backup/log-chain.ts makes them: a gap's lsnRange runs forwards, an overlap's
  // backwards (the earlier backup's last LSN, then the later one's first). The line said "in no file
  // given" of two log backups that overlap (two branches after a restore): nothing is missing there
  const gap: SkippedItem = { code: 'FORMAT_LOG_CHAIN_GAP', reason: '', location: { file: 'b.trn' }, lsnRange: { first: '00000019:00000099:0001', last: '00000019:000000a3:0001' } };
  const overlap: SkippedItem = { code: 'FORMAT_LOG_CHAIN_GAP', reason: '', location: { file: 'c.trn' }, lsnRange: { first: '00000019:000000c8:0001', last: '00000019:000000ad:0001' } };
  it('log backups that overlap are said as overlapping, not as log in no file given', () => {
    expect(logLossClause([overlap])).toBe('parts of the log are in log backups that overlap instead of chaining (FORMAT_LOG_CHAIN_GAP)');
    expect(logLossClause([gap, overlap])).toBe('parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP), and parts are in log backups that overlap instead of chaining (FORMAT_LOG_CHAIN_GAP)');
    expect(lossPlace(overlap)).toBe('LSNs 00000019:000000ad:0001 up to 00000019:000000c8:0001, held by two log backups that overlap (the later: c.trn)');
    expect(lossPlace(gap)).toBe('LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given');
  });
});

describeCorpus('scan --bak FULL DIFF with no log files: the log between them is in no file given', () => {
  // the LSN range of the gap is named (from the item's lsnRange), also under --quiet: the line named only the code;
  // it ends where the differential's log starts (19:ad:1, its stream's first block), not at its
  // header's FirstLSN (19:ad:26): the records between were read, and said lost
  it('INCOMPLETE says where the log is missing and what to add (--trn), keeping the code', async () => {
    const r = await cli('scan', '--bak', R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'), '--op', 'insert', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'rowback scan: INCOMPLETE: parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP); rows in those LSN ranges are missing from this result (LSNs 00000019:00000084:0001 up to 00000019:000000ad:0001, in no file given): the log between the backups given with --bak is in none of them (a full or differential backup holds only the log written while it ran); add the log backups taken between them with --trn, or the .ldf with --ldf\n',
    );
  });
  it('log backups that do not chain to the full backup: add the missing ones with --trn', async () => {
    const r = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean2_1.trn'), '--op', 'insert', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback scan: INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\); rows in those LSN ranges are missing from this result \(LSNs 00000019:00000084:0001 up to 00000019:000000ad:0001, in no file given\): add the missing log backups with --trn \(the FORMAT_LOG_CHAIN_GAP item names the files and LSNs on each side\)\n$/m);
  });
  // The chain whole as RESTORE takes it: no FORMAT_LOG_CHAIN_GAP. The log between the full backup's
  // end and the first log backup (_1-_3.trn) is still in no file given: INCOMPLETE (it was a note,
  // exit 0 under --strict) unless the window starts after it (recover/log-not-given.ts)
  it('the whole chain given: no chain gap; only the log before the chain, which a window after it leaves out', async () => {
    const args = ['scan', '--bak', R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'), '--trn', R('RestoreTimeClean2_1.trn'), R('RestoreTimeClean2_2.trn'), R('RestoreTimeClean2_3.trn'), '--op', 'insert', '--quiet'];
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('FORMAT_LOG_CHAIN_GAP');
    expect(r.stderr.split('\n').filter((l) => l.includes('INCOMPLETE'))).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: the log from the end of \S*RestoreTimeClean\.bak \(LSN 00000019:00000084:0001\) to the first log backup given/)]);
    const later = await cli(...args, '--from', '2017-06-01T13:16:00', '--strict');
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).not.toContain('INCOMPLETE');
  });
});
