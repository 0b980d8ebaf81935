/**
 * A backup file holding several backup sets (BACKUP … WITH NOINIT appends them) given to a command
 * that takes no --position: the refusal advised "choose one with --position N", which `diff` does not
 * have and `dump --trn … --stop-at` refuses ("--position does not apply to a point-in-time dump"). A
 * dead end whose advice was untrue; each now says what the command reads and what does the job.
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

describeCorpus('several backup sets in one file, for a command without --position', () => {
  // diff now takes --position / --after-position (test/cli/diff-position.test.ts): its refusal advises
  // them; only a replayed side (--trn), which takes none, points to dump
  it('diff --bak of a two-set file replayed with --trn: refused without advising an option the replay does not take', async () => {
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const r = await cli('diff', '--bak', bak, '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:08', '--after-bak', bak, '--after-position', '2', '--table', 'dbo.Students');
    const line = expectOneLineError(r, 'INPUT_SEVERAL_BACKUP_SETS');
    expect(line).not.toContain('choose one with --position');
    expect(line).toContain('the point-in-time replay (--trn) reads files of one backup set each');
    expect(line).toContain(`rowback dump --bak ${bak} --position N --table dbo.Students`);
  });

  it('dump --bak FILE --position N --trn …: refused with the replay\'s own reason, not "the replayed table has no pages"', async () => {
    // the DBA whose nightly fulls are appended to one file tries the set number RESTORE takes: the
    // refusal gave the reason of --include-ghosts/--include-remnants (no pages, ghosts or remnants),
    // which says nothing of backup sets and names no way on
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const r = await cli('dump', '--bak', bak, '--position', '2', '--trn', rtc('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01T13:08', '--table', 'dbo.Students');
    const line = expectOneLineError(r, 'INPUT_BAD_OPTION');
    expect(line).not.toContain('no pages, ghosts or remnants');
    expect(line).toContain('the replay reads files of one backup set each');
    expect(line).toContain('rowback restore plan --backups');
    expect(line).toContain('rowback dump --bak FILE --position N');
  });

  it('dump --trn of a three-set log backup file: refused naming what reads every set', async () => {
    const r = await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', logs, '--stop-at', '2017-06-01T13:08', '--table', 'dbo.steps');
    const line = expectOneLineError(r, 'INPUT_SEVERAL_BACKUP_SETS');
    expect(line).not.toContain('choose one with --position');
    expect(line).toContain(`${logs} holds 3 backup sets`);
    expect(line).toContain('rowback restore plan --backups');
    // what the refusal points to does read it: scan takes every set (the 30 steps of _1 to _3)
    const s = await cli('scan', '--bak', rtc('RestoreTimeClean.bak'), '--trn', logs, '--op', 'insert', '--quiet');
    expect(s.code).toBe(0);
    expect(s.stdout.trim().split('\n')).toHaveLength(30);
  });
});
