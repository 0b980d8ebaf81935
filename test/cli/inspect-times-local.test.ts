/**
 * `rowback inspect`'s text names the zone of the dates it prints (newcomer DBA, 2026-12-07: `inspect
 * RestoreTimeClean.bak` printed `backup start 2017-06-01T12:59:12` bare, while `dump` and `restore
 * plan` print theirs with "(SQL Server local time)"; a bare ISO time reads as UTC). The header's and
 * boot page's dates are the SQL Server's local time, as RESTORE HEADERONLY shows them (README,
 * `inspect`). REAL files: appveyor-lab RestoreTimeClean.bak and _1.trn, StDb2Sql.bak (two sets),
 * AngularJs_CRUD Database1.mdf; the values themselves are unchanged (inspect.test.ts checks them).
 */
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { inspectFile, renderText } from '../../src/cli/commands/inspect.js';

describeCorpus('inspect: every date it prints says it is the SQL Server\'s local time', () => {
  it('a full and a log backup: database created, backup start and finish', async () => {
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']) {
      const text = renderText(await inspectFile(corpusPath('appveyor-lab/RestoreTimeClean', f)));
      expect(text, f).toMatch(/\ndatabase created +2017-06-01T12:59:12 \(SQL Server local time\)\n/);
      expect(text, f).toMatch(/\nbackup start +2017-06-01T1\d:\d\d:\d\d \(SQL Server local time, UTC\+02:00 by the backup header: 2017-06-01T1\d:\d\d:\d\dZ\)\n/);
      expect(text, f).toMatch(/\nbackup finish +2017-06-01T1\d:\d\d:\d\d \(SQL Server local time\)\n/);
    }
  });

  it('a file of several backup sets: its sets\' start and finish columns are said to be local time', async () => {
    const text = renderText(await inspectFile(corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak')));
    expect(text).toMatch(/backup sets\s+2 in this file; set 1 shown \(choose with --position N\); start and finish below in the SQL Server's local time, with its offset from UTC at the start as each set's header gives it\n/);
  });

  it('a data file: created (boot page)', async () => {
    const text = renderText(await inspectFile(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')));
    expect(text).toMatch(/\ncreated +2018-01-31T15:04:49\.670 \(SQL Server local time\)\n/);
  });
});
