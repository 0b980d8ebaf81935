import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `diff --stage S` writes S (the staging store, created when new): an output, as --out and
 * --report are. `--out F --stage F` with F new wrote the rows to F and then failed to open F as the
 * store (STAGING_OPEN_FAILED, exit 1): the rows left in a file named as a store, nothing staged. A
 * --stage naming an input (`--trn x.trn --stage x.trn`) ran the whole comparison and then failed the
 * same way. Both are now refused first (INPUT_OUTPUT_IS_INPUT, exit 2), nothing written. REAL files:
 * appveyor-lab/RestoreTimeClean (the input copied to a temp dir for the second case).
 */
const cli = captureCli();

describeCorpus('diff --stage is an output', () => {
  const d = (n: string) => join(corpusPath('appveyor-lab', 'RestoreTimeClean'), n);
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-diff-stage-out-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const points = (trn: string) => ['diff', '--bak', d('RestoreTimeClean.bak'), '--trn', trn, '--stop-at', '2017-06-01T13:03', '--after-bak', d('RestoreTimeClean.bak'), '--after-trn', d('RestoreTimeClean_1.trn'), '--after-stop-at', '2017-06-01T13:01', '--accept-older-later', '--table', 'steps', '--quiet'];

  it('--out naming the --stage file, not yet made: refused, nothing written', async () => {
    const f = join(dir, 'new.db');
    const r = await cli(...points(d('RestoreTimeClean_1.trn')), '--stage', f, '--out', f);
    expect(r.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --(out|stage) \S+new\.db is also given as --(stage|out)/);
    expect(r.code).toBe(2);
    expect(existsSync(f)).toBe(false);
  }, 120_000);

  it('--stage naming an input: refused before the comparison, naming the input, the file unchanged', async () => {
    const trn = join(dir, 'copy.trn');
    copyFileSync(d('RestoreTimeClean_1.trn'), trn);
    const before = readFileSync(trn);
    const r = await cli(...points(trn), '--stage', trn, '--out', join(dir, 'o.ndjson'));
    expect(r.stderr).toMatch(/^rowback: INPUT_OUTPUT_IS_INPUT: --stage \S+copy\.trn is the file given as --trn/);
    expect(r.code).toBe(2);
    expect(readFileSync(trn).equals(before)).toBe(true);
    expect(existsSync(join(dir, 'o.ndjson'))).toBe(false);
  }, 120_000);

  it('a --stage of its own, beside --out: staged as before', async () => {
    const s = join(dir, 'stage.db');
    const r = await cli(...points(d('RestoreTimeClean_1.trn')), '--stage', s, '--out', join(dir, 'o2.ndjson'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/staged as restore job 1 in \S+stage\.db/);
    expect(readFileSync(join(dir, 'o2.ndjson'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
  }, 120_000);
});
