import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `restore plan --backups DIR` refused (a stop time the backups do not reach, a broken chain) naming
 * the files it left out as damaged, empty or misnamed, but not the others: a compressed backup cut
 * short (FORMAT_COMPRESSED_BACKUP), one stripe of a striped backup (FORMAT_INCOMPLETE_MEDIA_SET) were
 * never named, though each may be the missing piece (a plan that succeeds lists them as skipped).
 * Now every file left out is named with its code (src/restore/chain.ts planChain).
 * The folder is made at test time from corpus files: the StopAt chain, TSQLV4.bak cut at 300,000
 * bytes (inside a compressed chunk), the Northwind stripe. Never written into the repository.
 */
const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-plan-left-out-'));
  const stopAt = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt');
  for (const f of readdirSync(stopAt)) copyFileSync(join(stopAt, f), join(dir, f));
  writeFileSync(join(dir, 'cut.bak'), readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')).subarray(0, 300_000));
  copyFileSync(corpusPath('Northwind-stripe', 'Northwind.bak'), join(dir, 'stripe.bak'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('restore plan: a refusal names every backup file it left out', () => {
  it('a cut compressed backup and one stripe of two, with their codes', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-01 13:01', '--database', 'StopAt', '--as', 'StopAt_side');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_RESTORE_TOO_EARLY: /);
    expect(r.stderr).toContain(`left out: ${join(dir, 'cut.bak')}: FORMAT_COMPRESSED_BACKUP: `);
    expect(r.stderr).toContain('runs past the end of the file (300000 bytes): a partial copy');
    expect(r.stderr).toContain(`left out: ${join(dir, 'stripe.bak')}: FORMAT_INCOMPLETE_MEDIA_SET: stripe 1 of 2 of media set`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a plan that succeeds lists them as skipped, as before', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, '--stop-at', '2020-05-12 13:30', '--database', 'StopAt', '--as', 'StopAt_side');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`-- skipped: ${join(dir, 'cut.bak')}: FORMAT_COMPRESSED_BACKUP: `);
    expect(r.stdout).toContain(`-- skipped: ${join(dir, 'stripe.bak')}: FORMAT_INCOMPLETE_MEDIA_SET: `);
  });
});
