/**
 * scan --trn … --ddl (log backups alone, and jobs so made) takes the database's default collation
 * from the log backups' headers. openSource's databaseDefaultCollation walked every --trn file's MTF
 * layout and read every set's header again (logBackupsDefaultCollation(o.trn)), though the file
 * source had read them all when it was opened. Now it judges the headers the source read
 * (FileRecoverySource.logBackupHeaders, logBackupHeadersCollation): nothing is read again. Shown by
 * removing the files between opening and asking: read again, they named nothing (null, so a
 * script's varchar columns took the assumed code page 1252 with a note); now the headers read give
 * the answer they gave. REAL: StopAt_1.trn and StopAt_2.trn (Latin1_General_CI_AS), copied to a
 * temp directory at test time.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logBackupHeadersCollation } from '../../src/recover/database-default-collation.js';
import { logBackupsDefaultCollation } from '../support/log-backup-headers.js';
import { openSource } from '../../src/recover/open-source.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-collation-read-once-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('the log backups\' default collation from the headers the scan read', () => {
  it('asked after the files are gone: the headers read when the source was opened answer, as the files did', async () => {
    const files = ['StopAt_1.trn', 'StopAt_2.trn'].map((f) => {
      const to = join(dir, f);
      copyFileSync(stopAt(f), to);
      return to;
    });
    const fromFiles = logBackupsDefaultCollation(files);
    expect(fromFiles).toMatchObject({ collation: 'Latin1_General_CI_AS' });
    const opened = await openSource({ trn: files });
    try {
      for (const f of files) rmSync(f);
      expect(await opened.databaseDefaultCollation!()).toEqual(fromFiles);
    } finally {
      await opened.source.close();
    }
  });

  it('a set given twice counts once (the same answer as the files read once each)', () => {
    const f = stopAt('StopAt_1.trn');
    const read = logBackupsDefaultCollation([f, f]);
    expect(read).toEqual(logBackupsDefaultCollation([f]));
  });

  it('logBackupHeadersCollation over no header names nothing', () => {
    expect(logBackupHeadersCollation([])).toBeNull();
  });
});
