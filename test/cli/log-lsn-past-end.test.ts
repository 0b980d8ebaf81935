/**
 * `rowback log` with `--to-lsn` (or a lone `--from-lsn`) at or past the end of the log the backups
 * listed hold (no .ldf): `log X_1.trn --to-lsn L` with L in X_2.trn printed X_1's records, exit 0
 * also under --strict, silent: a reader took them for every record up to L. Now INCOMPLETE, as
 * `scan` says it (test/cli/scan-window-past-log-end.test.ts), even with --quiet; exit 3 with --strict.
 *
 * REAL: RestoreTimeClean_1.trn (HEADERONLY LastLSN 00000019:00000099:0001, the first LSN it does not
 * hold) and _2.trn, which goes on from there.
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const incomplete = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback log: INCOMPLETE:'));

describeCorpus('log --to-lsn past the end of the log backups listed', () => {
  it('--to-lsn past _1.trn\'s LastLSN: INCOMPLETE naming the file and its LastLSN, exit 3 with --strict; the records it holds still printed', async () => {
    const r = await cli('log', R('RestoreTimeClean_1.trn'), '--to-lsn', '00000019:000000a0:0001', '--quiet', '--strict', '--format', 'ndjson');
    expect(r.code).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      `rowback log: INCOMPLETE: the LSN range runs to 00000019:000000a0:0001 (--to-lsn), past the end of the log given: the last log backup given, ${R('RestoreTimeClean_1.trn')}, holds the log up to LSN 00000019:00000099:0001 (its LastLSN, the first LSN it does not hold), and the log from there is in later log backups or the .ldf, in no file given: rows of that stretch are not in this result; list the log backups taken after it (or the .ldf) as well`,
    ]);
    const printed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(printed.length).toBeGreaterThan(0);
    // the same records as without --to-lsn: all of _1.trn is before the bound
    const all = await cli('log', R('RestoreTimeClean_1.trn'), '--quiet', '--format', 'ndjson');
    expect(r.stdout).toBe(all.stdout);
  }, 60_000);

  it('a lone --from-lsn past the end: INCOMPLETE (the whole range is past it)', async () => {
    const r = await cli('log', R('RestoreTimeClean_1.trn'), '--from-lsn', '00000019:000000a0:0001', '--quiet', '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(incomplete(r.stderr)).toHaveLength(1);
    expect(incomplete(r.stderr)[0]).toMatch(/the whole LSN range \(from 00000019:000000a0:0001\) is past the end of the log given/);
  }, 60_000);

  it('no INCOMPLETE: the range inside the log listed, or the next log backup listed too', async () => {
    const inside = await cli('log', R('RestoreTimeClean_1.trn'), '--to-lsn', '00000019:00000090:0001', '--quiet', '--strict', '--format', 'ndjson');
    expect(inside.code, inside.stderr).toBe(0);
    expect(incomplete(inside.stderr)).toEqual([]);
    const both = await cli('log', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--to-lsn', '00000019:000000a0:0001', '--quiet', '--strict', '--format', 'ndjson');
    expect(both.code, both.stderr).toBe(0);
    expect(incomplete(both.stderr)).toEqual([]);
  }, 60_000);
});
