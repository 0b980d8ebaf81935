/**
 * `restore plan --backups DIR` over a file of several backup sets (as BACKUP … WITH NOINIT writes
 * them) where one set's two header copies disagree (FORMAT_BAD_BACKUP_HEADER, de3c9fc): that set is
 * left out, not the file's other sets, which read whole. The whole file was left out: "no usable
 * backup set", its full backup among them, each skipped set labelled FORMAT_BAD_MTF with set 3's
 * reason.
 *
 * The file is a MODIFIED copy written to a temp dir at test time from REAL corpus bytes:
 * StopAt.bak whole, then StopAt_1.trn's and StopAt_2.trn's sets from their SSET blocks on (numbered
 * 2, 3), and SYNTHETIC damage: one byte of the binding id in set 3's opening header copy (a field
 * a restore reads; the server name, which none reads, no longer keeps a set out: a WARNING, below).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

/** A temp dir holding all.bak: StopAt.bak's set, then StopAt_1.trn's and StopAt_2.trn's appended (sets 2, 3), `edit` applied to set 3's opening header copy (its stream data at `opening`). */
function setThreeDamaged(prefix: string, edit: (b: Buffer, opening: number) => void): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'all.bak');
  const b = appendedBackupSet(stopAt('StopAt.bak'), stopAt('StopAt_1.trn'), stopAt('StopAt_2.trn'));
  writeFileSync(file, b);
  edit(b, headerCopyOffsets(file, 3).opening);
  writeFileSync(file, b);
  return { dir, file };
}

describeCorpus('restore plan: one set of a file whose header copies disagree', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    ({ dir, file } = setThreeDamaged('rowback-set-header-', (b, opening) => {
      b[opening + 124] ^= 0x01; // SCIN @124: the binding id (16 bytes)
    }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans from sets 1 and 2 and names set 3 left out for its header', async () => {
    expect(readMtfLayout(file).problems.map((p) => p.code)).toEqual(['FORMAT_BAD_BACKUP_HEADER']);
    const r = await cli('restore', 'plan', '--backups', dir, '--stop-at', '2020-05-12T13:29:00', '--as', 'X');
    expect(r.stderr).not.toMatch(/INPUT_NO_BACKUPS/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`RESTORE DATABASE [X] FROM DISK = N'${file}' WITH FILE = 1,`);
    expect(r.stdout).toContain(`RESTORE LOG [X] FROM DISK = N'${file}' WITH FILE = 2, NORECOVERY, STOPAT = N'2020-05-12T13:29:00.000';`);
    expect(r.stdout).not.toContain('FILE = 3');
    expect(r.stdout).toMatch(/-- skipped: .*all\.bak: FORMAT_BAD_BACKUP_HEADER: backup set 3's header is held twice .* disagree on the binding id/);
  });
});

/**
 * The same file with the SYNTHETIC damage in set 3's server name instead (a field no restore reads):
 * set 3 is planned, with a WARNING naming the field, both values and offsets. It was left out of the
 * plan as damaged, though its log and header fields a restore reads are whole.
 */
describeCorpus('restore plan: a set whose header copies disagree only on the server name', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    ({ dir, file } = setThreeDamaged('rowback-set-server-', (b, opening) => {
      b[opening + b.readUInt16LE(opening + 110)] ^= 0x01; // SCIN @108/@110: the server name's length / offset
    }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans set 3 and says the WARNING', async () => {
    expect(readMtfLayout(file).problems.map((p) => p.code)).toEqual(['BACKUP_HEADER_WARNING']);
    const r = await cli('restore', 'plan', '--backups', dir, '--stop-at', '2020-05-12T13:30:24', '--as', 'X');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`RESTORE LOG [X] FROM DISK = N'${file}' WITH FILE = 3,`);
    expect(r.stdout).not.toMatch(/-- skipped: .*FILE|-- skipped: .*all\.bak/);
    expect(r.stderr).toMatch(/^rowback restore plan: WARNING: .*all\.bak: BACKUP_HEADER_WARNING: backup set 3's header is held twice .* disagree on the server name \(the field at offset \d+ in the opening copy, \d+ in the closing copy\): "KUMPBOX\\SQL2008R2" in the opening copy, "JUMPBOX\\SQL2008R2" in the closing copy\. .*the server name shown \(the closing copy's\) is uncertain/);
  });
});
