/**
 * `diff --bak X.bak --after-bak X.bak`: both states read from one backup (the same file, a copy of
 * it, or the same full and differential on both sides) are one state, so the comparison answered
 * "0 missing from the later state", exit 0, whatever had been deleted since: a slip of the shell's
 * completion read as "nothing was deleted". Refused now (INPUT_BAD_OPTION), naming both sides and the
 * BackupSetGUID, so a copy under another name is the same backup too. The same file is the same file
 * through a symbolic link (made in the temp dir) and with a position given on one side only.
 *
 * REAL files: pubs-2012/pubs.bak (26 dbo.authors rows), appveyor-lab RestoreTimeClean.bak and its
 * differential RestoreTimeClean2.bak (and a byte copy of the full under another name, in a temp dir).
 */
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-diff-same-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('diff: the earlier and the later state from the same backup', () => {
  it('the same file on both sides: refused in one line naming both and the BackupSetGUID', async () => {
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const r = await cli('diff', '--bak', pubs, '--after-bak', pubs, '--table', 'dbo.authors', '--out', join(dir, 'a.ndjson'));
    const line = expectOneLineError(r, 'INPUT_BAD_OPTION');
    expect(r.code).toBe(2);
    expect(line).toContain(`the earlier state (--bak ${pubs}) and the later state (--after-bak ${pubs}) are the same backup (BackupSetGUID CEF16B86-3121-4C04-9FC5-21F8B3B167A5)`);
    expect(line).toContain('give as the later state a newer backup (--after-bak) or the data file (--after-mdf)');
  });

  it('the same full and differential on both sides, in another order or through another path: refused', async () => {
    const { FULL, DIFF } = restoreTimeClean();
    const again = FULL.replace('/RestoreTimeClean/', '/RestoreTimeClean/../RestoreTimeClean/');
    const r = await cli('diff', '--bak', FULL, DIFF, '--after-bak', DIFF, again, '--table', 'dbo.steps', '--out', join(dir, 'b.ndjson'));
    expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toContain('are the same backups (BackupSetGUID 0C0AD1C0-E5D9-4A8A-83EE-845BAEC10D94, 5AF3E50D-A4E0-4E9B-8AEF-FE52898C6359)');
  });

  it('the same file with --after-position 1 (or --position 1) on one side only, or through a symbolic link: refused (it was compared as copies, "0 missing")', async () => {
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const link = join(dir, 'pubs-link.bak');
    symlinkSync(pubs, link);
    for (const args of [['--bak', pubs, '--after-bak', pubs, '--after-position', '1'], ['--bak', pubs, '--position', '1', '--after-bak', pubs], ['--bak', pubs, '--after-bak', link]]) {
      const r = await cli('diff', ...args, '--table', 'dbo.authors', '--out', join(dir, 'e.ndjson'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(expectOneLineError(r, 'INPUT_BAD_OPTION')).toContain('one state compared with itself has nothing missing');
    }
  });

  it('a copy of the backup under another name: compared (what one copy lost), said even with --quiet', async () => {
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const copy = join(dir, 'pubs-copy.bak');
    copyFileSync(pubs, copy);
    const r = await cli('diff', '--bak', pubs, '--after-bak', copy, '--table', 'dbo.authors', '--quiet', '--out', join(dir, 'c.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`the earlier state (--bak ${pubs}) and the later state (--after-bak ${copy}) are the same backup (BackupSetGUID CEF16B86-3121-4C04-9FC5-21F8B3B167A5), read from other files (copies)`);
    expect(r.stderr).toContain('not rows deleted from the database');
  });

  it('a later state that is another backup (the full and its differential after the full alone) is compared', async () => {
    const { FULL, DIFF } = restoreTimeClean();
    const r = await cli('diff', '--bak', FULL, '--after-bak', FULL, DIFF, '--table', 'dbo.steps', '--out', join(dir, 'd.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('earlier 0 row(s), later 30 row(s)');
  });
});
