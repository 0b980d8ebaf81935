/**
 * A data file older than every log backup given with it (`scan --mdf LAST-MONTH.mdf --trn` of this
 * week's log backups): its last checkpoint (boot page dbi_checkptLSN) is before the chain's first
 * FirstLSN, so its table layouts are of before what the log records. Beside an .ldf this was said
 * (source-identity.ts dataFileLogTime: "the data file is older than the log file"); beside log
 * backups nothing was said. Now a note naming both files and LSNs, even with --quiet, from the files
 * source that scan and files jobs share (recover/sources/files.ts).
 *
 * SYNTHETIC, from REAL bytes: appveyor-lab db1's SQL2008_db1_LOG_20170518_041831.trn (LSNs from
 * 00000142:00000066:0026) with the binding id of its two header copies (the GUID's first and last
 * occurrences; those between lie inside log records) made AngularJs_CRUD Database1.mdf's
 * (checkpoint 00000025:00000036:0002), so the pair passes the one-database check, as
 * test/support/relabelled-backup.ts relabels StopAt_1.trn for the opposite case (the data file newer).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { guidBytes, writeStopAtAsDatabase1 } from '../support/relabelled-backup.js';

const cli = captureCli();

describeCorpus('SYNTHETIC: a data file older than every log backup given with it', () => {
  let dir: string;
  let trn: string;
  const mdf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-mdf-older-trn-'));
    const b = Buffer.from(readFileSync(corpusPath('appveyor-lab', 'sql2008-backups', 'db1', 'LOG', 'SQL2008_db1_LOG_20170518_041831.trn')));
    const from = guidBytes('24F09694-40F2-4402-A439-B02F67674F07');
    const at: number[] = [];
    for (let i = b.indexOf(from); i >= 0; i = b.indexOf(from, i + 1)) at.push(i);
    expect(at.length).toBeGreaterThan(2);
    for (const i of [at[0]!, at[at.length - 1]!]) guidBytes('97C13D95-088B-43ED-85E5-F9F10FED2D16').copy(b, i);
    trn = join(dir, 'db1-as-Database1.trn');
    writeFileSync(trn, b);
    expect(readBackupHeader(trn).bindingId).toBe('97C13D95-088B-43ED-85E5-F9F10FED2D16');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan --quiet: the note naming both files, the checkpoint and the first log backup\'s first LSN', async () => {
    const r = await cli('scan', '--mdf', mdf(), '--trn', trn, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `rowback scan: note: data file ${mdf()} and the log backups given are of different times: the data file's last checkpoint at LSN 00000025:00000036:0002 (boot page dbi_checkptLSN) is before every record they hold (${trn} starts at 00000142:00000066:0026), so the data file is older than the log (a copy of another time)`,
    );
  });

  it('a data file newer than the log backups: not this note (the INCOMPLETE of log in no file given is said instead)', async () => {
    const newer = writeStopAtAsDatabase1(dir);
    const r = await cli('scan', '--mdf', mdf(), '--trn', newer, '--quiet');
    expect(r.stderr).not.toContain('so the data file is older than the log');
    expect(r.stderr).toContain('after the end of the log backups given');
  });
});
