import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab/RestoreTimeClean', f);
// to a file: captureCli's stdout takes no write callback, which dump's stdout writes wait on
const out = join(mkdtempSync(join(tmpdir(), 'rowback-begun-')), 'steps.ndjson');

// The replay of a stop time stops at the first commit after it: the transactions read up to there
// that began after the stop time were counted "still open at the stop", which they never were
// (dbo.steps gets one row every 30 s: at 13:00:00 the 13:00:12 insert had not begun).
describeCorpus('dump --stop-at: a transaction begun after the stop time is not said open at the stop', () => {
  it('--stop-at 2017-06-01T13:00:00', async () => {
    const r = await cli('dump', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:00:00', '--table', 'dbo.steps', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr).toContain('0 transaction(s) on the table still open at the stop, not applied; 1 begun after the stop time (committed after it), not applied\n');
  });
  it('--stop-before-lsn: the stop is an LSN, the open transaction is open at it', async () => {
    const r = await cli('dump', '--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), '--stop-before-lsn', '00000019:00000091:0003', '--table', 'dbo.steps', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 transaction\(s\) on the table still open at the stop, not applied\n/);
  });
});
