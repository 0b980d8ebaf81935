/**
 * An LSN range starting before the log the backups listed hold (no .ldf): `log _2.trn --from-lsn L`
 * with L in _1.trn printed _2's records as the whole range, exit 0 under --strict, silent (f986dabd
 * said only a range past the end). So did `scan --trn … --from-lsn` below the first log backup given.
 * Now INCOMPLETE naming the set the log read begins with and its FirstLSN, also with --quiet; exit 3
 * with --strict; `complete: false` and beforeLogRead in scan's --report. A backup holds the whole log
 * block its FirstLSN is in: RestoreTimeClean.bak's log starts at 00000019:0000003e:0001, its FirstLSN
 * 00000019:0000003e:00aa; a bound in that block says nothing.
 *
 * REAL: appveyor-lab RestoreTimeClean (_1.trn FirstLSN 00000019:0000003e:00aa, _2.trn 00000019:00000099:0001).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const incomplete = (stderr: string, cmd: string) => stderr.split('\n').filter((l) => l.startsWith(`rowback ${cmd}: INCOMPLETE:`));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-lsn-before-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('an LSN range starting before the log backups listed', () => {
  it('log _2.trn --from-lsn in _1.trn: INCOMPLETE naming _2.trn and its FirstLSN, exit 3 with --strict; the records printed unchanged', async () => {
    const r = await cli('log', R('RestoreTimeClean_2.trn'), '--from-lsn', '00000019:00000050:0001', '--to-lsn', '00000019:000000a0:0001', '--quiet', '--strict', '--format', 'ndjson');
    expect(r.code).toBe(3);
    expect(incomplete(r.stderr, 'log')).toEqual([
      `rowback log: INCOMPLETE: the LSN range starts at 00000019:00000050:0001 (--from-lsn), before the log given: the first log backup given, ${R('RestoreTimeClean_2.trn')}, holds the log from LSN 00000019:00000099:0001 (its FirstLSN; from the start of that log block) on, and the log before it is in earlier log backups (or the .ldf), in no file given: rows of that stretch are not in this result; list the log backups taken before it (or the .ldf) as well`,
    ]);
    const plain = await cli('log', R('RestoreTimeClean_2.trn'), '--from-lsn', '00000019:00000050:0001', '--to-lsn', '00000019:000000a0:0001', '--quiet', '--format', 'ndjson');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(r.stdout);
    // a lone --to-lsn before it: the whole range
    const to = await cli('log', R('RestoreTimeClean_2.trn'), '--to-lsn', '25000000015200001', '--quiet', '--format', 'ndjson');
    expect(incomplete(to.stderr, 'log')[0]).toMatch(/^rowback log: INCOMPLETE: the whole LSN range \(to 00000019:00000098:0001\) is before the log given: /);
  }, 60_000);

  it('no INCOMPLETE: from the FirstLSN\'s block on, or with the log backup before it listed', async () => {
    for (const args of [[R('RestoreTimeClean_2.trn'), '--from-lsn', '00000019:00000099:0001'], [R('RestoreTimeClean_1.trn'), '--from-lsn', '00000019:0000003e:0001'], [R('RestoreTimeClean.bak'), '--from-lsn', 'dec:25:62:1'], [R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--from-lsn', '00000019:00000050:0001', '--to-lsn', '00000019:000000a0:0001']]) {
      const r = await cli('log', ...args, '--quiet', '--strict', '--format', 'ndjson');
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(incomplete(r.stderr, 'log')).toEqual([]);
    }
  }, 60_000);

  it('scan --trn … --from-lsn before the first log backup given: INCOMPLETE, complete false and beforeLogRead in --report', async () => {
    const chain = ['--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_3.trn'), '--op', 'insert'];
    const report = join(dir, 'r.json');
    const r = await cli('scan', ...chain, '--from-lsn', '00000019:0000003d:0001', '--quiet', '--strict', '--report', report);
    expect(r.code).toBe(3);
    const lines = incomplete(r.stderr, 'scan');
    expect(lines).toEqual([
      `rowback scan: INCOMPLETE: the LSN range starts at 00000019:0000003d:0001 (--from-lsn), before the log given: the first log backup given, ${R('RestoreTimeClean_1.trn')}, holds the log from LSN 00000019:0000003e:00aa (its FirstLSN; from the start of that log block) on, and the log before it is in earlier log backups (or the .ldf), in no file given: rows of that stretch are not in this result; add the log backups taken before it with --trn (or the .ldf with --ldf)`,
    ]);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; beforeLogRead?: string };
    expect(rep.complete).toBe(false);
    expect(rep.beforeLogRead).toBe(lines[0]!.replace('rowback scan: INCOMPLETE: ', ''));
    const ok = await cli('scan', ...chain, '--from-lsn', '00000019:0000003e:0001', '--quiet', '--strict');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(30);
  }, 60_000);
});
