import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { readDataFileMetadata } from '../../src/datafile/metadata.js';
import { readTableRows } from '../../src/datafile/table-rows.js';

/** `rowback scan --op update` end to end through main(), on the corpus's AngularJs_CRUD files. */
const MDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
const LDF = () => corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');

const cli = captureCli();

async function scan(...args: string[]): Promise<{ code: number; rows: RecoveredRow[]; stderr: string }> {
  const r = await cli('scan', ...args);
  return { code: r.code, rows: r.stdout.trim() ? r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as RecoveredRow) : [], stderr: r.stderr };
}

describeCorpus('rowback scan --op update', () => {
  it('rebuilds all 10 committed dbo.tblDept updates with before and after images, value for value', async () => {
    const r = await scan('--mdf', MDF(), '--ldf', LDF(), '--op', 'update');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/RECOVER_UPDATE_/);
    expect(r.rows).toHaveLength(10);
    for (const row of r.rows) {
      expect(row.operation).toBe('update');
      expect(row.table).toBe('dbo.tblDept');
      expect(row.raw).toMatch(/^[0-9A-F]+$/);
      expect(row.rawAfter).toMatch(/^[0-9A-F]+$/);
      expect(row.beginTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(row.warnings).toEqual([]);
    }
    const chain = r.rows.map((x) => [x.lsn, x.values, x.after]);
    expect(chain).toEqual([
      ['00000023:00000100:0002', { Id: 4, DeptName: 'CS', DeptDesc: 'Computer Science' }, { Id: 4, DeptName: 'CS1', DeptDesc: 'Computer Science' }],
      ['00000023:00000146:0002', { Id: 9, DeptName: 'CS', DeptDesc: 'Computer Science' }, { Id: 9, DeptName: 'CS1', DeptDesc: 'Computer Science' }],
      ['00000023:00000147:0002', { Id: 9, DeptName: 'CS1', DeptDesc: 'Computer Science' }, { Id: 9, DeptName: 'CS1', DeptDesc: 'Computer Science123' }],
      ['00000023:00000163:0002', { Id: 9, DeptName: 'CS1', DeptDesc: 'Computer Science123' }, { Id: 9, DeptName: 'CS1', DeptDesc: 'Computer Science124' }],
      ['00000023:00000189:0002', { Id: 10, DeptName: 'CS', DeptDesc: 'Computer Science124' }, { Id: 10, DeptName: 'CS', DeptDesc: 'Computer Science' }],
      ['00000024:00000129:0002', { Id: 11, DeptName: 'CS1', DeptDesc: 'Computer Science124' }, { Id: 11, DeptName: 'CS1', DeptDesc: 'Computer Science1245' }],
      ['00000024:0000012a:0002', { Id: 11, DeptName: 'CS1', DeptDesc: 'Computer Science1245' }, { Id: 11, DeptName: 'CS3', DeptDesc: 'Computer Science1245' }],
      ['00000024:0000013c:0002', { Id: 12, DeptName: 'CS1', DeptDesc: 'Computer Science' }, { Id: 12, DeptName: 'CS11', DeptDesc: 'Computer Science1' }],
      ['00000024:0000013d:0002', { Id: 12, DeptName: 'CS11', DeptDesc: 'Computer Science1' }, { Id: 12, DeptName: 'CS11', DeptDesc: 'Computer Science11' }],
      ['00000024:00000184:0002', { Id: 15, DeptName: 'CS1', DeptDesc: 'Computer Science124' }, { Id: 15, DeptName: 'CS1', DeptDesc: 'Computer Science12466' }],
    ]);
  });

  it('chains: each row’s first before image is its insert, its last after image is its delete', async () => {
    const updates = (await scan('--mdf', MDF(), '--ldf', LDF(), '--op', 'update')).rows;
    const inserts = (await scan('--mdf', MDF(), '--ldf', LDF(), '--op', 'insert')).rows;
    const deletes = (await scan('--mdf', MDF(), '--ldf', LDF(), '--op', 'delete')).rows;
    const ids = [...new Set(updates.map((u) => u.values.Id))];
    expect(ids).toEqual([4, 9, 10, 11, 12, 15]);
    for (const id of ids) {
      const mine = updates.filter((u) => u.values.Id === id);
      const insert = inserts.filter((x) => x.table === 'dbo.tblDept' && x.values.Id === id && x.lsn < mine[0].lsn).at(-1)!;
      const del = deletes.find((x) => x.table === 'dbo.tblDept' && x.values.Id === id && x.lsn > mine.at(-1)!.lsn)!;
      expect(mine[0].raw, `id ${id}: first before image = inserted image`).toBe(insert.raw);
      for (let i = 1; i < mine.length; i++) expect(mine[i].raw, `id ${id}: before = previous after`).toBe(mine[i - 1].rawAfter);
      expect(mine.at(-1)!.rawAfter, `id ${id}: last after image = deleted image`).toBe(del.raw);
      expect(mine.at(-1)!.after).toEqual(del.values);
    }
  });

  it('CRUD-.NET Database: an update of a row inserted before the log is anchored on the data file; its after image is the row on the page', async () => {
    const mdf = corpusPath('CRUD-.NET/App_Data/Database.mdf');
    const r = await scan('--mdf', mdf, '--ldf', corpusPath('CRUD-.NET/App_Data/Database_log.ldf'), '--op', 'update');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/RECOVER_UPDATE_/);
    expect(r.rows).toHaveLength(1);
    const [u] = r.rows;
    expect([u.lsn, u.table, u.pageId, u.slotId]).toEqual(['00000024:00000188:0002', 'dbo.user_mstr', '0001:00000117', 2]);
    expect(u.values).toEqual({ Uid: 7, Uname: 'jay', Pass: 'jay', MobNo: '23456789', emailid: 'jay@gmail.com', Status: 0 });
    expect(u.after).toEqual({ Uid: 7, Uname: 'admin', Pass: 'admin', MobNo: '1234567', emailid: 'admin@gmail.com', Status: 1 });
    expect(u.warnings).toEqual(['row is older than the scanned log: before/after images rebuilt by walking data file page 0001:00000117 back from its current state']);
    const pages = new MdfPageSource(mdf);
    try {
      const onPage = [...readTableRows(pages, readDataFileMetadata(pages), 'dbo.user_mstr')].filter((x) => x.values.Uid === 7);
      expect(onPage).toHaveLength(1);
      expect(onPage[0].values).toEqual(u.after);
    } finally {
      pages.close();
    }
  });

  it('without the data file (log + DDL only) the same update has no base: a skipped item naming LSN, page and slot', async () => {
    const ddl = join(mkdtempSync(join(tmpdir(), 'rowback-upd-')), 'user_mstr.sql');
    // Only the table name and allocation unit matter here: the update is skipped before any decoding.
    writeFileSync(ddl, 'CREATE TABLE dbo.user_mstr (Uid int NOT NULL PRIMARY KEY, Uname varchar(50), Pass varchar(50), MobNo varchar(50), emailid varchar(50), Status int)');
    const r = await scan('--ldf', corpusPath('CRUD-.NET/App_Data/Database_log.ldf'), '--ddl', ddl, '--alloc-unit', '72057594043432960', '--op', 'update');
    expect(r.rows).toHaveLength(0);
    expect(r.stderr).toContain('RECOVER_UPDATE_NO_BASE');
    expect(r.stderr).toMatch(/page 0001:00000117 slot 2 at LSN 00000024:00000188:0002/);
  });
});
