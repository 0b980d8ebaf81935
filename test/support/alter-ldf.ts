/**
 * SYNTHETIC: an .ldf whose transactions delete rows of AngularJs_CRUD's dbo.tblDept, one of them
 * (`ALTER_TXN`, named `user_transaction` as an application's migration is) re-keying dbo.tblDept's
 * rows of sys.sysrscols as an ALTER COLUMN does: its column 2 row deleted, a dropped column's row
 * (0x04000001) and a new column 2 row inserted (rowset id at record offset 4, column id at 12, as
 * NORTHWND_log.ldf's real sysrscols inserts hold them). The table's layout and partition id are the
 * real Database1.mdf's; no byte of the log comes from a SQL Server. The VLFs run from sequence 0x28
 * on, after Database1.mdf's last checkpoint (00000025:00000036:0002). Test support.
 */
import { corpusPath } from './corpus.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import { SYSRSCOLS_ALLOC_UNIT } from '../../src/recover/layout-changes.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { encodeRow } from './synthetic-encoder.js';
import { writeSyntheticLdf } from './synthetic-log.js';

/** The transaction (1-based, as writeSyntheticLdf counts them) that re-keys the sysrscols rows. */
export const ALTER_TXN = 12;

/**
 * Writes the log to `ldf` (`targetBytes` of log, VLFs of `vlfSize` bytes) and answers the real
 * dbo.tblDept layout read from Database1.mdf, whose rows it deletes (an int column holds
 * `txn * 100 + row`, a text one `d{txn}.{row}`). Needs the corpus.
 */
export function writeTblDeptAlterLdf(ldf: string, o: { targetBytes: number; vlfSize: number }): TableLayout {
  const meta = readDataFileMetadata(openDataFiles([corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')]));
  const tblDept = meta.partitionLayouts.find((t) => t.name === 'tblDept')!;
  const rscols = (colid: number, tail: number) => {
    const b = Buffer.alloc(24);
    b.writeUInt16LE(0x0010, 0);
    b.writeUInt16LE(0x3a, 2);
    b.writeBigUInt64LE(BigInt(tblDept.partitionId!), 4);
    b.writeUInt32LE(colid, 12);
    b[20] = tail;
    return new Uint8Array(b);
  };
  const au = tblDept.allocUnits!.find((a) => a.type === 'IN_ROW_DATA')!.allocUnitId;
  const values = (t: number, r: number) => Object.fromEntries(tblDept.columns.filter((c) => !c.isDropped).map((c) => [c.name, c.type === 'int' ? t * 100 + r : `d${t}.${r}`]));
  writeSyntheticLdf(ldf, {
    targetBytes: o.targetBytes,
    row: (t, r) => encodeRow(tblDept, values(t, r)),
    rowsPerTxn: () => 1,
    rollbackShare: 0,
    concurrency: 1,
    finishAtEnd: true,
    transactionName: (t) => (t === ALTER_TXN ? 'user_transaction' : 'DELETE'),
    catalogRecords: (t) => (t === ALTER_TXN ? [{ insert: false, allocUnitId: SYSRSCOLS_ALLOC_UNIT, image: rscols(2, 0) }, { insert: true, allocUnitId: SYSRSCOLS_ALLOC_UNIT, image: rscols(0x04000001, 0) }, { insert: true, allocUnitId: SYSRSCOLS_ALLOC_UNIT, image: rscols(2, 4) }] : undefined),
  }, { allocUnitId: au, vlfSize: o.vlfSize });
  return tblDept;
}
