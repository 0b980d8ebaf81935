import { describe, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { committedCandidates, emptyStats, explainNoRows, unknownTablesClause } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import type { LogRecord } from '../../src/logreader/log-record.js';

/**
 * Operations on allocation units the data file's catalog does not map to a table became INCOMPLETE
 * ("rows of a table created, rebuilt or dropped after that file was written") — also on units the
 * catalog does name, for something other than a table's data: an internal table's rows are data
 * records (change tracking's sys.change_tracking_<id>, a Service Broker queue's, an XML index's
 * node table), so a change-tracked or queue-using database was INCOMPLETE on every scan, exit 3
 * with --strict, "complete": false. Such units are read from sysallocunits/sysrowsets/sysschobjs
 * (index id above 1, or an owner of type 'IT') and counted apart.
 */
describeCorpus('the catalog\'s units of no table\'s data (REAL data files)', () => {
  it('aspnetdb: its nonclustered index units are named, no user table\'s unit is', () => {
    const md = readDataFileMetadata(new MdfPageSource(corpusPath('Tractis_aspnet_demo', 'App_Data', 'aspnetdb.mdf')));
    const other = md.otherAllocUnits!;
    expect(other).toBeDefined();
    // the unit whose 2 deletes in aspnetdb_log.ldf are index records (scan-unknown-units-note.test.ts)
    expect(other.has('72057594042908672')).toBe(true);
    for (const t of md.partitionLayouts) for (const au of t.allocUnits ?? []) expect([t.name, other.has(au.allocUnitId)]).toEqual([t.name, false]);
  });
  it('AngularJs_CRUD: neither table\'s unit is', () => {
    const md = readDataFileMetadata(new MdfPageSource(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')));
    expect(md.otherAllocUnits!.has('72057594043432960')).toBe(false);
    expect(md.otherAllocUnits!.has('72057594043629568')).toBe(false);
  });
});

describe('a data record on a unit the catalog names for no table (SYNTHETIC records)', () => {
  it('is counted apart: no INCOMPLETE; "why no rows" names it', async () => {
    const IT = '72057594045136896';
    const base = catalogFromLayouts([]);
    const catalog = { ...base, namesOtherUnit: (id: string) => id === IT };
    const records: LogRecord[] = [
      { 'Current LSN': '1:1:1', Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:1', 'Begin Time': '2026/11/20 10:00:00:000' },
      { 'Current LSN': '1:1:2', Operation: 'LOP_DELETE_ROWS', Context: 'LCX_CLUSTERED', 'Transaction ID': '0000:1', AllocUnitId: IT, 'RowLog Contents 0': new Uint8Array([0x10, 0, 8, 0, 1, 0, 0, 0, 1, 0]) },
      { 'Current LSN': '1:1:3', Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:1', 'End Time': '2026/11/20 10:00:01:000' },
    ];
    const stats = emptyStats();
    for await (const _ of committedCandidates(async function* () { yield* records; }, { operations: ['delete'] }, catalog, { stats })) void _;
    expect(stats.unknownAllocUnitRowOps).toBe(0);
    expect(stats.otherUnitRowOps).toBe(1);
    expect(unknownTablesClause(stats, ['delete'], 'printed')).toBe('');
    expect(explainNoRows(stats, ['delete'])).toContain('1 more on allocation units the catalog names for no table\'s data');
  });
});
