/**
 * Stripes of one media set that hold two different backups: `BACKUP … TO DISK = 'a', DISK = 'b'
 * WITH INIT` run every night writes the same media set again (INIT keeps the media header: its
 * media set GUID and family numbers), so stripe 1 copied after Monday's backup and stripe 2 after
 * Tuesday's read as "family 1 and 2 of 2" of one media set. Before: `dump` joined them as one backup,
 * half its extents of each night, and printed the table with no word; `restore plan` planned
 * `FROM DISK = a, DISK = b` of them. Now: refused INPUT_MIXED_STRIPES naming both files and both
 * BackupSetGUIDs (backup/page-source.ts stripesOfTwoBackups); a plan leaves the pair out.
 *
 * SYNTHETIC bytes made from REAL ones: pubs-2012/pubs.bak split into two stripes (alternate extents
 * kept in each copy, the RAID stream's family count and sequence set), as test/backup/media.test.ts
 * does; the "other night" stripe 2 has one byte of its SSET's BackupSetGUID changed (the corpus
 * holds no striped backup with every stripe).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stripeOfBackup } from '../support/striped-backup.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('SYNTHETIC stripes of one media set holding two backups (written again WITH INIT between the copies)', () => {
  let dir: string;
  let s1: string;
  let s2: string;
  let s2other: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-stripes-two-'));
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const make = (seq: number, otherNight: boolean) => {
      const p = join(dir, `pubs-stripe${seq}${otherNight ? '-tuesday' : ''}.bak`);
      writeFileSync(p, stripeOfBackup(pubs, seq, { otherBackupSetGuid: otherNight }));
      return p;
    };
    s1 = make(1, false);
    s2 = make(2, false);
    s2other = make(2, true);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('dump: the stripes of one backup are read; stripes of two backups are refused in one line naming both files and both BackupSetGUIDs', async () => {
    const out = join(dir, 'titles.ndjson');
    const ok = await cli('dump', '--bak', s1, s2, '--table', 'dbo.titles', '--out', out, '--quiet');
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(19);
    const r = await cli('dump', '--bak', s1, s2other, '--table', 'dbo.titles', '--out', join(dir, 'mixed.ndjson'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rowback: INPUT_MIXED_STRIPES: /);
    expect(lines[0]).toContain(`${s1} (stripe 1) and ${s2other} (stripe 2) are stripes of one media set (DC935659-6EFB-4F7B-94E5-C518FB9D9AD1) but hold two different backups at backup set 1`);
    expect(lines[0]).toContain('BackupSetGUID CEF16B86-3121-4C04-9FC5-21F8B3B167A5');
    expect(lines[0]).toContain('BackupSetGUID CEF16B79-3121-4C04-9FC5-21F8B3B167A5');
    expect(lines[0]).toContain('give every stripe of one backup');
    // in whichever order they are given
    const rev = await cli('dump', '--bak', s2other, s1, '--table', 'dbo.titles', '--out', join(dir, 'mixed2.ndjson'));
    expect(rev.code).toBe(2);
    expect(rev.stderr).toContain('INPUT_MIXED_STRIPES');
  });

  it('restore plan: the pair is left out naming INPUT_MIXED_STRIPES, not planned as one backup', async () => {
    const folder = join(dir, 'plan');
    mkdirSync(folder);
    copyFileSync(s1, join(folder, 'a.bak'));
    copyFileSync(s2other, join(folder, 'b.bak'));
    const r = await cli('restore', 'plan', '--backups', folder, '--stop-before-lsn', '134000000048800001', '--as', 'Side');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('INPUT_MIXED_STRIPES');
    expect(r.stderr).not.toContain('the latest full backup before');
  });
});
