import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * A later state replayed too late (`--after-stop-at` past the last log backup) was refused in the
 * earlier state's words: "--stop-at … or, by time, --stop-at …" (newcomer: a DBA changes the wrong
 * time). REAL: sql2008-backups/StopAt, whose last log backup here (_2) started 13:30:24.
 */
describeCorpus('diff: a refusal of the later state names the later state\'s options', () => {
  it('--after-stop-at too late: INPUT_RESTORE_TOO_LATE naming --after-stop-at and --after-stop-before-lsn, never --stop-at', async () => {
    const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
    const r = await cli('diff', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), '--stop-at', '2020-05-12 13:29', '--after-bak', S('StopAt.bak'), '--after-trn', S('StopAt_1.trn'), S('StopAt_2.trn'), '--after-stop-at', '2020-05-12 13:34', '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_RESTORE_TOO_LATE: the later state: --after-stop-at 2020-05-12T13:34:00\.000 is after the last point /);
    expect(r.stderr).toContain('--after-stop-before-lsn 19000000019300000 (every record it holds) or, by time, --after-stop-at 2020-05-12T13:30:24.000');
    expect(r.stderr).not.toMatch(/(?<![\w-])--stop-at/);
  });

  it('a backtick in a log backup\'s name is no quote: the flags after it are the later state\'s too (they stayed --stop-at, --stop-before-lsn)', async () => {
    const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-backtick-'));
    try {
      // a byte copy of the REAL StopAt_2.trn under a name holding one backtick
      const odd = join(dir, 'StopAt`2.trn');
      copyFileSync(S('StopAt_2.trn'), odd);
      const r = await cli('diff', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), '--stop-at', '2020-05-12 13:29', '--after-bak', S('StopAt.bak'), '--after-trn', S('StopAt_1.trn'), odd, '--after-stop-at', '2020-05-12 13:34', '--table', 'dbo.steps');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`the last log backup, ${odd}, started at`);
      expect(r.stderr).toContain('--after-stop-before-lsn 19000000019300000 (every record it holds) or, by time, --after-stop-at 2020-05-12T13:30:24.000');
      expect(r.stderr).not.toMatch(/(?<![\w-])--stop-(at|before-lsn)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A log backup given as the later state (`--after-bak X.trn`) was told "give it with --trn, and a full
 * backup with --bak": the earlier side's flags, so the DBA moved it to the earlier state's replay.
 * Each side's advice names its own flags now. REAL: RestoreTimeClean.bak and RestoreTimeClean_1.trn.
 */
describeCorpus('diff: a log backup given where a side\'s pages are read', () => {
  const d = () => corpusPath('appveyor-lab', 'RestoreTimeClean');
  it('as --after-bak: advice names --after-trn and --after-bak', async () => {
    const r = await cli('diff', '--bak', join(d(), 'RestoreTimeClean.bak'), '--after-bak', join(d(), 'RestoreTimeClean_1.trn'), '--table', 'steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rowback: INPUT_NOT_A_DATABASE_BACKUP: .*RestoreTimeClean_1\.trn is a log backup: it holds no data pages; give it with --after-trn \(replayed over --after-bak up to --after-stop-at\), and a full backup with --after-bak \(file /);
  });
  it('as --bak: advice names --trn and --bak', async () => {
    const r = await cli('diff', '--bak', join(d(), 'RestoreTimeClean_1.trn'), '--after-bak', join(d(), 'RestoreTimeClean.bak'), '--table', 'steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/; give it with --trn \(replayed over --bak up to --stop-at\), and a full backup with --bak \(file /);
  });
});
