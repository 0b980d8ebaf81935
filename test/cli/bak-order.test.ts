import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `--bak DIFF FULL` (the differential given before the full backup it is based on) was refused with
 * advice ("give the full backup first"), while `--trn` files given in any order are sorted. The
 * backups are read in the order of their headers now (backup/open.ts openBackupPages: full first,
 * then differentials oldest first, each differential's base still checked against the full's
 * BackupSetGUID). RestoreTimeClean2.bak is a differential of RestoreTimeClean.bak (corpus).
 */
const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const dir = mkdtempSync(join(tmpdir(), 'rowback-bak-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dump = async (...baks: string[]) => {
  const out = join(dir, `dump-${++n}.ndjson`);
  const r = await cli('dump', '--bak', ...baks, '--table', 'dbo.steps', '--out', out);
  return { ...r, rows: r.code === 0 ? readFileSync(out, 'utf8') : '' };
};

describeCorpus('--bak DIFF FULL: read in header order, not refused', () => {
  it('dump: the rows FULL DIFF gives (30, the differential\'s pages over the full backup\'s)', async () => {
    const ref = await dump(R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'));
    const r = await dump(R('RestoreTimeClean2.bak'), R('RestoreTimeClean.bak'));
    expect(r.code).toBe(0);
    expect(r.rows).toBe(ref.rows);
    expect(r.rows.trim().split('\n').length).toBe(30);
  });

  it('scan --bak DIFF FULL --trn: the rows of --bak FULL DIFF', async () => {
    const args = (baks: string[]) => ['scan', '--bak', ...baks, '--trn', R('RestoreTimeClean2_1.trn'), '--op', 'insert', '--out', join(dir, `scan-${++n}.ndjson`)];
    const a = args([R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak')]);
    const b = args([R('RestoreTimeClean2.bak'), R('RestoreTimeClean.bak')]);
    const ra = await cli(...a);
    const rb = await cli(...b);
    expect(rb.code).toBe(0);
    expect(rb.stderr).toBe(ra.stderr);
    const rows = (p: string) => readFileSync(p, 'utf8');
    expect(rows(b[b.length - 1])).toBe(rows(a[a.length - 1]));
    expect(rows(b[b.length - 1]).trim().split('\n').length).toBe(10);
  });

  it('a differential alone is still refused, naming the full backup it needs', async () => {
    const r = await dump(R('RestoreTimeClean2.bak'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_DIFFERENTIAL_WITHOUT_FULL: /);
  });
});
