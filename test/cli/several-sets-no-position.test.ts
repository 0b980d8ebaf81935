/**
 * A backup file holding several backup sets (BACKUP … WITH NOINIT appends them) given to the
 * point-in-time replay: it once refused them all; now --position picks the --bak set and a --trn
 * file's log backup sets are each read.
 * StDb2Sql.bak (corpus) holds two full backups of StDb2SQL (2009 and 2010). The three-set log backup
 * file is a MODIFIED copy written at test time: RestoreTimeClean_1.trn whole, then the sets of _2 and
 * _3 (from their SSET block on, its data set number @62 set to 2 and 3), as WITH NOINIT writes them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let logs: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-several-sets-'));
  logs = join(dir, 'logs.trn');
  writeFileSync(logs, appendedBackupSet(rtc('RestoreTimeClean_1.trn'), rtc('RestoreTimeClean_2.trn'), rtc('RestoreTimeClean_3.trn')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('several backup sets in one file, for the point-in-time replay', () => {
  // The replay took no --position and refused files of several sets ("reads files of one backup set
  // each"); it now reads them (test/replay/point-in-time-several-sets.test.ts): --position picks the
  // set of --bak, every log backup set of a --trn file is a member of the chain. Without a position, a
  // --bak file of several sets is refused with the advice the replay now takes.
  it('diff --bak of a two-set file replayed with --trn, no --position: refused advising the option the replay takes', async () => {
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const r = await cli('diff', '--bak', bak, '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:08', '--after-bak', bak, '--after-position', '2', '--table', 'dbo.Students');
    const line = expectOneLineError(r, 'INPUT_SEVERAL_BACKUP_SETS');
    expect(line).toContain('choose one with --position N (RESTORE … WITH FILE = N), the full backup set the replay (--trn) starts from');
    expect(line).not.toContain('reads files of one backup set each');
  });

  it('dump --bak FILE --position N --trn …: the position is taken, and a log backup of another database is refused as such', async () => {
    // it was refused with "--position does not apply to a point-in-time dump"; StDb2Sql.bak's set 2
    // is StDb2SQL, the log backup RestoreTimeClean's: the identity check refuses the pair, naming both
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const r = await cli('dump', '--bak', bak, '--position', '2', '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:08', '--table', 'dbo.Students');
    const line = expectOneLineError(r, 'INPUT_MIXED_DATABASES');
    expect(line).not.toContain('does not apply to a point-in-time dump');
    expect(line).toContain(`backup ${bak} (backup set 2) (database StDb2SQL)`);
  });

  it('dump --trn of a three-set log backup file: every set is a member of the chain, as scan reads them', async () => {
    const out = join(dir, 'dump.ndjson');
    const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', logs, '--stop-at', '2017-06-01T13:08', '--table', 'dbo.steps', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`log ${logs} (FILE = 1) → log ${logs} (FILE = 2)`);
    // scan takes every set too (the 30 steps of _1 to _3)
    const s = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', logs, '--op', 'insert', '--quiet');
    expect(s.code).toBe(0);
    expect(s.stdout.trim().split('\n')).toHaveLength(30);
  });
});
