import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A differential given alone as diff's later state is refused with advice naming --after-bak (it
 * said "give it first (--bak FULL.bak DIFF) … Without it only the differential's own log portion
 * can be scanned", advice for scan's --bak that diff's user cannot follow).
 */
const cli = captureCli();
describeCorpus('diff: a differential without its full backup', () => {
  const d = () => corpusPath('appveyor-lab', 'RestoreTimeClean');
  it('as --after-bak: advice names --after-bak', async () => {
    const r = await cli('diff', '--bak', join(d(), 'RestoreTimeClean.bak'), '--after-bak', join(d(), 'RestoreTimeClean2.bak'), '--table', 'steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_DIFFERENTIAL_WITHOUT_FULL: .*RestoreTimeClean2\.bak is a differential backup of RestoreTimeClean: .*; give it first \(--after-bak FULL\.bak [^)]*RestoreTimeClean2\.bak\) \(file /);
    expect(r.stderr).not.toContain('log portion');
  });
  it('as --bak: advice names --bak', async () => {
    const r = await cli('diff', '--bak', join(d(), 'RestoreTimeClean2.bak'), '--after-bak', join(d(), 'RestoreTimeClean.bak'), '--table', 'steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/; give it first \(--bak FULL\.bak [^)]*RestoreTimeClean2\.bak\) \(file /);
  });
});
