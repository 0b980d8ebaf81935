import { describe, expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { renderRestore } from '../../src/restore/tsql.js';
import type { BackupSetRecord, HistoryFile } from '../../src/restore/history.js';
import { rec } from './synthetic-history.js';

/**
 * SYNTHETIC history (nothing here is real): database Shop gets a file after its full backup
 * (ALTER DATABASE … ADD FILE). Every later backup's file list (RESTORE FILELISTONLY; msdb
 * backupfile) names it, and restoring the log or differential that holds its creation creates it
 * at the physical path it had on the original database unless that RESTORE moves it (Microsoft
 * Learn, "RESTORE Statements - Arguments": MOVE is an option of RESTORE DATABASE and RESTORE LOG,
 * for the files of that backup set). The plan moved only the full backup's files: a side restore
 * (--as) put the new file on the original database's own path, where RESTORE fails as the original
 * holds it (or, the original gone, writes there).
 */
const base: HistoryFile[] = [
  { logicalName: 'Shop', physicalName: 'E:\\Data\\Shop.mdf', type: 'D', fileId: 1 },
  { logicalName: 'Shop_log', physicalName: 'E:\\Logs\\Shop_log.ldf', type: 'L', fileId: 2 },
];
const added: HistoryFile = { logicalName: 'Shop_2024', physicalName: 'F:\\Data\\Shop_2024.ndf', type: 'D', fileId: 3 };
const added2: HistoryFile = { logicalName: 'Archive', physicalName: 'F:\\Data\\Archive.ndf', type: 'D', fileId: 4 };

function history(): BackupSetRecord[] {
  const f = rec({ name: 'F.bak', backupType: 'full', firstLsn: '1000000000010000001', lastLsn: '1000000000020000001', at: '2024-03-01T10:00:00', files: base });
  return [
    f,
    // the file is added while L1 is the log being written: L1's list names it
    rec({ name: 'L1.trn', backupType: 'log', firstLsn: '1000000000005000001', lastLsn: '1000000000030000001', at: '2024-03-01T11:00:00', files: [...base, added] }),
    // the differential holds it too, and a second file added since L1
    rec({ name: 'D.bak', backupType: 'differential', firstLsn: '1000000000035000001', lastLsn: '1000000000036000001', at: '2024-03-01T11:30:00', differentialBaseGuid: f.backupSetGuid, differentialBaseLsn: f.firstLsn, files: [...base, added, added2] }),
    // a logical file renamed (ALTER DATABASE … MODIFY FILE NAME): the same file id, already moved
    rec({ name: 'L2.trn', backupType: 'log', firstLsn: '1000000000030000001', lastLsn: '1000000000040000001', at: '2024-03-01T12:00:00', files: [{ ...base[0]!, logicalName: 'ShopData' }, base[1]!, added, added2] }),
  ];
}

describe('restore plan: MOVE for files added after the full backup', () => {
  it('a log backup naming a file the full backup lacks gets MOVE for it on its own RESTORE LOG', () => {
    const sets = history().filter((s) => s.backupType !== 'differential');
    const c = planChain(sets, { kind: 'time', time: '2024-03-01T11:30:00.000' });
    const r = renderRestore(c, { as: 'Shop_side' });
    expect(r.statements[0]).toContain("MOVE N'Shop' TO N'E:\\Data\\Shop_side.mdf'");
    expect(r.statements[0]).not.toContain('Shop_2024');
    const log1 = r.statements.find((s) => s.includes('L1.trn'))!;
    expect(log1).toContain("MOVE N'Shop_2024' TO N'F:\\Data\\Shop_side_2024.ndf'");
    // only the new file: the full's files are in place already
    expect(log1.match(/MOVE/g)).toHaveLength(1);
    const log2 = r.statements.find((s) => s.includes('L2.trn'))!;
    // L2 names the renamed file (same file id: no MOVE for it) and Archive, added while L2 was written
    expect(log2).not.toContain('ShopData');
    expect(log2.match(/MOVE/g)).toHaveLength(1);
    expect(log2).toContain("MOVE N'Archive' TO N'F:\\Data\\Shop_side_Archive.ndf'");
    // every file the plan restores is moved once
    expect(r.moves.map((m) => m.logicalName)).toEqual(['Shop', 'Shop_log', 'Shop_2024', 'Archive']);
  });

  it('a differential naming files the full backup lacks moves them on RESTORE DATABASE … FROM the differential', () => {
    const c = planChain(history(), { kind: 'time', time: '2024-03-01T11:45:00.000' });
    expect(c.steps.map((s) => s.role)).toEqual(['full', 'differential', 'log']);
    const r = renderRestore(c, { as: 'Shop_side' });
    const diff = r.statements[1]!;
    expect(diff).toContain("MOVE N'Shop_2024' TO N'F:\\Data\\Shop_side_2024.ndf'");
    expect(diff).toContain("MOVE N'Archive' TO N'F:\\Data\\Shop_side_Archive.ndf'");
    expect(diff.indexOf('MOVE')).toBeLessThan(diff.indexOf('NORECOVERY'));
    expect(r.statements[2]).not.toContain('MOVE');
  });

  it('two new names that coincide across steps are refused as a clash, as in the full backup', () => {
    const sets = history().filter((s) => s.backupType !== 'differential');
    // the added file's new name equals an original file's path
    sets[1] = { ...sets[1]!, files: [...base, { ...added, logicalName: 'x', physicalName: 'E:\\Data\\Shop_side.mdf' }] };
    const c = planChain(sets, { kind: 'time', time: '2024-03-01T11:30:00.000' });
    expect(() => renderRestore(c, { as: 'Shop_side' })).toThrow(expect.objectContaining({ code: 'INPUT_RESTORE_FILE_CLASH' }));
  });

  it('--replace-original moves nothing: every file goes back where it was', () => {
    const c = planChain(history(), { kind: 'time', time: '2024-03-01T11:45:00.000' });
    const r = renderRestore(c, { as: 'Shop', replaceOriginal: true });
    expect(r.statements.join('\n')).not.toContain('MOVE');
  });
});
