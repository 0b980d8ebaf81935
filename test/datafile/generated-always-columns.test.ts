/**
 * A temporal table's period columns read from a data file or backup are GENERATED ALWAYS
 * (syscolpars.status bits 28–31: datafile/metadata.ts COLPAR_GENERATED_ALWAYS), so an INSERT written
 * from those metadata leaves them out, as from --ddl, catalog JSON or a target's catalog. They were
 * plain datetime2 columns: a re-insert script made offline (an export without a target) gave
 * `sysstart`/`sysend` values SQL Server refuses (Msg 13536). REAL bytes: the corpus's TSQLV4.bak
 * (SQL Server 2016), whose dbo.Employees is system-versioned with history table dbo.EmployeesHistory.
 */
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { openBackupPages } from '../../src/backup/open.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { fromLayout, insertableColumns } from '../../src/reinsert/target-table.js';

describeCorpus('GENERATED ALWAYS columns from the system base tables (REAL TSQLV4.bak)', () => {
  it("dbo.Employees' sysstart and sysend are GENERATED ALWAYS, its history table's are not, and an INSERT leaves them out", () => {
    const md = readDataFileMetadata(openBackupPages([corpusPath('TSQLV4-compressed', 'TSQLV4.bak')]));
    const layout = (name: string) => md.tables.find((t) => t.schema === 'dbo' && t.name === name)!;
    const generated = (name: string) => layout(name).columns.filter((c) => c.generatedAlways).map((c) => c.name);
    expect(generated('Employees')).toEqual(['sysstart', 'sysend']);
    expect(generated('EmployeesHistory')).toEqual([]);
    // every other table of the database: none
    expect(md.tables.filter((t) => t.columns.some((c) => c.generatedAlways)).map((t) => `${t.schema}.${t.name}`)).toEqual(['dbo.Employees']);
    expect(insertableColumns(fromLayout(layout('Employees'))).map((c) => c.name)).toEqual(['empid', 'empname', 'department', 'salary']);
    // the history table takes its period values as given (it is where they are kept)
    expect(insertableColumns(fromLayout(layout('EmployeesHistory'))).map((c) => c.name)).toEqual(['empid', 'empname', 'department', 'salary', 'sysstart', 'sysend']);
  });
});
