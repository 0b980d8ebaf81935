/**
 * `rowback log` listing a full or differential backup (its log portion) with log backups or another
 * backup: only the log backups were checked as a chain, so `log FULL.bak _2.trn` (the full backup's
 * log ends at 19:84:1, _2.trn starts at 19:99:1: _1.trn not listed) and `log FULL.bak DIFF.bak`
 * printed their records as one log, exit 0, where `log _1.trn _3.trn` says INCOMPLETE. Now the
 * stretch no file listed holds is FORMAT_LOG_CHAIN_GAP, INCOMPLETE. A full or differential backup's
 * log starts where its stream's first block starts, which may be before its header's FirstLSN (the
 * differential RestoreTimeClean2.bak: FirstLSN 19:ad:26, log from 19:ad:1). Corpus: appveyor-lab/RestoreTimeClean.
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const D = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('log: the log between a backup listed and the files after it', () => {
  it('full backup then _2.trn: the stretch between them is a gap, INCOMPLETE (it printed them as one log)', async () => {
    const r = await cli('log', D('RestoreTimeClean.bak'), D('RestoreTimeClean_2.trn'), '--quiet', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('INCOMPLETE: parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP); records in those LSN ranges are missing (LSNs 00000019:00000084:0001 up to 00000019:00000099:0001');
    const v = await cli('log', D('RestoreTimeClean.bak'), D('RestoreTimeClean_2.trn'), '--format', 'csv');
    expect(v.stderr).toContain(`log does not continue: full backup ${D('RestoreTimeClean.bak')} holds log up to LSN 25000000013200001 (00000019:00000084:0001), ${D('RestoreTimeClean_2.trn')} starts at 25000000015300001 (00000019:00000099:0001)`);
  });

  it('full then differential backup: the log of the time between them is in no file listed, up to where the differential\'s log starts (19:ad:1, before its FirstLSN 19:ad:26)', async () => {
    const r = await cli('log', D('RestoreTimeClean.bak'), D('RestoreTimeClean2.bak'), '--quiet', '--format', 'csv');
    expect(r.stderr).toContain('(LSNs 00000019:00000084:0001 up to 00000019:000000ad:0001, in no file given)');
    // the records it printed: the differential's from 19:ad:1
    expect(r.stdout).toMatch(/^00000019:000000ad:0001,/m);
  });

  // The differential's header FirstLSN (19:ad:26) is not where its log portion starts (19:ad:1):
  // `log _3.trn DIFF.bak`, whose _3.trn ends at 19:ad:1, printed every record of both and said
  // INCOMPLETE, "LSNs 19:ad:1 up to 19:ad:26 in no file given": records it had printed.
  it('log backup then the differential its log reaches (_3.trn ends at 19:ad:1, where the differential\'s log starts): no gap, in either order', async () => {
    for (const files of [[D('RestoreTimeClean_3.trn'), D('RestoreTimeClean2.bak')], [D('RestoreTimeClean2.bak'), D('RestoreTimeClean_3.trn')]]) {
      const r = await cli('log', ...files, '--format', 'csv', '--strict');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('FORMAT_LOG_CHAIN_GAP');
      expect(r.stderr).not.toContain('INCOMPLETE');
      expect(r.stdout.trim().split('\n')).toHaveLength(1 + 30 + 39);
    }
    // _2.trn (ends at 19:a3:1) then the differential: the gap is said, up to 19:ad:1
    const g = await cli('log', D('RestoreTimeClean_2.trn'), D('RestoreTimeClean2.bak'), '--quiet', '--format', 'csv');
    expect(g.stderr).toContain('(LSNs 00000019:000000a3:0001 up to 00000019:000000ad:0001, in no file given)');
  });

  it('full backup and the log backups that continue it (overlapping its log): no gap', async () => {
    const r = await cli('log', D('RestoreTimeClean.bak'), D('RestoreTimeClean_1.trn'), D('RestoreTimeClean_2.trn'), D('RestoreTimeClean_3.trn'), D('RestoreTimeClean2.bak'), D('RestoreTimeClean2_1.trn'), '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('FORMAT_LOG_CHAIN_GAP');
    expect(r.stderr).not.toContain('INCOMPLETE');
  });

  it('a break between log backups is said once, as before', async () => {
    const r = await cli('log', D('RestoreTimeClean.bak'), D('RestoreTimeClean_1.trn'), D('RestoreTimeClean_3.trn'), '--format', 'csv');
    expect(r.stderr.match(/FORMAT_LOG_CHAIN_GAP: /g)).toHaveLength(1);
    expect(r.stderr).toContain('log backups do not chain');
  });

  // Printed as given, a backup's records before an earlier log backup's: the log backups alone were
  // compared for the order note, so `log DIFF.bak _3.trn` printed 19:ad:1 first and then 19:a3:1,
  // nothing said.
  it('a backup listed before an earlier log backup (or backup): printed as given, and said to be out of LSN order', async () => {
    const r = await cli('log', D('RestoreTimeClean2.bak'), D('RestoreTimeClean_3.trn'), '--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^00000019:000000ad:0001,/);
    expect(r.stderr).toContain(`rowback log: note: the backups are not listed in LSN order, so their records are printed out of LSN order as given; list them oldest first: ${D('RestoreTimeClean_3.trn')} ${D('RestoreTimeClean2.bak')}`);
    const f = await cli('log', D('RestoreTimeClean2.bak'), D('RestoreTimeClean.bak'), '--format', 'csv');
    expect(f.stderr).toContain(`list them oldest first: ${D('RestoreTimeClean.bak')} ${D('RestoreTimeClean2.bak')}`);
    // in LSN order: nothing said
    // (the differential then the log backup taken after it: the differential's FirstLSN 19:ad:26 is a
    // record inside the block its log and RestoreTimeClean2_1.trn's both start with, 19:ad:1; printed
    // in LSN order, it was said not to be)
    for (const files of [[D('RestoreTimeClean_3.trn'), D('RestoreTimeClean2.bak')], [D('RestoreTimeClean.bak'), D('RestoreTimeClean_1.trn')], [D('RestoreTimeClean_1.trn'), D('RestoreTimeClean.bak')], [D('RestoreTimeClean2.bak'), D('RestoreTimeClean2_1.trn')]]) {
      expect((await cli('log', ...files, '--format', 'csv')).stderr).not.toContain('not listed in LSN order');
    }
  });
});
