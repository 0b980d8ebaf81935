import type sql from 'mssql';
import type { StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MssqlRunner } from '../../src/logreader/live/runner.js';
import { planChain } from '../../src/restore/chain.js';
import { readMsdbHistory } from '../../src/restore/msdb.js';
import { MssqlRestoreExecutor, runRestore } from '../../src/restore/run.js';
import { renderRestore } from '../../src/restore/tsql.js';
import { compareRestored } from '../../src/cli/commands/restore.js';
import { StagingStore } from '../../src/staging/store.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { adminPool, serverNow, settingsFor, sleep, startSqlServer } from './support/mssql.js';
import { announceSkip, detectContainerRuntime } from './support/runtime.js';

/**
 * Restore planning and running end to end against SQL Server 2022 in a container: full, log
 * backups around a mass delete; the plan from msdb to just before the delete, run through
 * `restore run`'s executor, must give back every row the delete took.
 */
const runtime = await detectContainerRuntime();
if (!runtime.available) announceSkip('restore plan/run integration tests (msdb history, RESTORE against SQL Server 2022)', runtime);

const DIR = '/var/opt/mssql/data';

describe.skipIf(!runtime.available)('restore plan and run against SQL Server 2022', () => {
  let container: StartedTestContainer;
  let admin: sql.ConnectionPool;
  let beforeDelete: string;
  let rowsBefore: number;

  beforeAll(async () => {
    container = await startSqlServer();
    admin = await adminPool(settingsFor(container));
    await admin.request().batch(`CREATE DATABASE [Rb'Shop]; ALTER DATABASE [Rb'Shop] SET RECOVERY FULL;`);
    await admin.request().batch(`USE [Rb'Shop]; CREATE TABLE dbo.Items (Id int PRIMARY KEY, Name nvarchar(50));
      INSERT dbo.Items SELECT TOP (200) ROW_NUMBER() OVER (ORDER BY (SELECT 1)), N'item' FROM sys.all_objects;`);
    await admin.request().batch(`BACKUP DATABASE [Rb'Shop] TO DISK = N'${DIR}/rb_full.bak' WITH INIT;`);
    await sleep(1500);
    await admin.request().batch(`USE [Rb'Shop]; INSERT dbo.Items VALUES (1000, N'after full');`);
    await admin.request().batch(`BACKUP LOG [Rb'Shop] TO DISK = N'${DIR}/rb_log1.trn' WITH INIT;`);
    await sleep(1500);
    await admin.request().batch(`USE [Rb'Shop]; INSERT dbo.Items VALUES (1001, N'before delete');`);
    rowsBefore = (await admin.request().query(`SELECT COUNT(*) AS n FROM [Rb'Shop].dbo.Items`)).recordset[0].n;
    await sleep(1500);
    beforeDelete = await serverNow(admin);
    await sleep(1500);
    await admin.request().batch(`USE [Rb'Shop]; DELETE dbo.Items WHERE Id < 150;`);
    await sleep(1500);
    await admin.request().batch(`BACKUP LOG [Rb'Shop] TO DISK = N'${DIR}/rb_log2.trn' WITH INIT;`);
  });

  afterAll(async () => {
    await admin?.close();
    await container?.stop();
  });

  it('plans from msdb to just before the delete and the restored side database holds every deleted row', async () => {
    const runner = new MssqlRunner(settingsFor(container));
    const history = await readMsdbHistory(runner, "Rb'Shop");
    await runner.close();
    const chain = planChain(history.sets, { kind: 'time', time: beforeDelete }, history.skipped);
    expect(chain.steps.map((s) => s.role)).toEqual(['full', 'log', 'log']);
    // msdb's backupset.time_zone as each set's offset from UTC, and its start as UTC: the server's
    // own clock, read in the same query (SYSDATETIMEOFFSET's offset, in minutes)
    const zone = (await admin.request().query('SELECT DATEPART(TZOFFSET, SYSDATETIMEOFFSET()) AS m')).recordset[0].m as number;
    const sign = zone < 0 ? '-' : '+';
    const offset = `${sign}${String(Math.floor(Math.abs(zone) / 60)).padStart(2, '0')}:${String(Math.abs(zone) % 60).padStart(2, '0')}`;
    for (const s of chain.steps) {
      expect(s.set.utcOffset).toBe(offset);
      expect(s.set.backupStartDateUtc).toBe(`${new Date(Date.parse(`${s.set.backupStartDate}Z`) - zone * 60_000).toISOString().slice(0, 19)}Z`);
    }
    const exec = new MssqlRestoreExecutor(settingsFor(container));
    try {
      const r = await runRestore(exec, (replaceExisting) => renderRestore(chain, { as: "Rb'Shop_side", stats: 25, replaceExisting }).statements, { as: "Rb'Shop_side" });
      expect(r.executed).toBe(4);
      await expect(runRestore(exec, () => [], { as: "Rb'Shop_side" })).rejects.toMatchObject({ code: 'INPUT_RESTORE_TARGET_EXISTS' });
    } finally {
      await exec.close();
    }
    const side = (await admin.request().query(`SELECT COUNT(*) AS n FROM [Rb'Shop_side].dbo.Items`)).recordset[0].n;
    expect(side).toBe(rowsBefore);
    const files = (await admin.request().query(`SELECT physical_name FROM sys.master_files WHERE database_id = DB_ID(N'Rb''Shop_side')`)).recordset.map((x: { physical_name: string }) => x.physical_name);
    expect(files.every((f: string) => f.includes("Rb'Shop_side"))).toBe(true);
  });

  it('compares the restored side database with the live one and stages exactly the deleted rows (restore run --table)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-restore-cmp-'));
    const runner = new MssqlRunner(settingsFor(container));
    try {
      const out = new PassThrough();
      const r = await compareRestored(runner, { side: "Rb'Shop_side", live: "Rb'Shop", tables: ['dbo.Items'], stage: join(dir, 's.db'), description: "Rb'Shop restored as Rb'Shop_side", backup: `${DIR}/rb_full.bak`, sourceDatabase: null }, out);
      expect(r).toEqual([{ table: 'dbo.Items', missing: 149, changed: 0, jobId: 1 }]);
      const store = new StagingStore(join(dir, 's.db'));
      try {
        const rows = store.listRows(1, {}, { limit: 1000 }).items;
        expect(rows.map((x) => x.values.Id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 149 }, (_, i) => i + 1));
        expect(rows.every((x) => x.operation === 'delete' && x.values.Name === 'item')).toBe(true);
      } finally {
        store.close();
      }
    } finally {
      await runner.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a file dropped before the full backup (backupfile is_present = 0) gets no MOVE: the side restore runs; a failing RESTORE names its cause, not only Msg 3013', async () => {
    await admin.request().batch(`CREATE DATABASE RbDropped; ALTER DATABASE RbDropped SET RECOVERY FULL;
      ALTER DATABASE RbDropped ADD FILE (NAME = N'RbDropped_extra', FILENAME = N'${DIR}/RbDropped_extra.ndf');`);
    await admin.request().batch(`BACKUP DATABASE RbDropped TO DISK = N'${DIR}/rbd_full0.bak' WITH INIT;`);
    await admin.request().batch('ALTER DATABASE RbDropped REMOVE FILE RbDropped_extra;');
    await admin.request().batch(`BACKUP DATABASE RbDropped TO DISK = N'${DIR}/rbd_full.bak' WITH INIT;`);
    await sleep(1500);
    const stop = await serverNow(admin);
    await sleep(1500);
    await admin.request().batch(`BACKUP LOG RbDropped TO DISK = N'${DIR}/rbd_log.trn' WITH INIT;`);
    const runner = new MssqlRunner(settingsFor(container));
    const history = await readMsdbHistory(runner, 'RbDropped');
    await runner.close();
    const chain = planChain(history.sets, { kind: 'time', time: stop }, history.skipped);
    const rendered = renderRestore(chain, { as: 'RbDropped_side' }).statements;
    expect(rendered[0]).not.toContain('RbDropped_extra');
    const exec = new MssqlRestoreExecutor(settingsFor(container));
    try {
      await runRestore(exec, () => rendered, { as: 'RbDropped_side' });
      await expect(runRestore(exec, () => [`RESTORE LOG [RbDropped_gone] FROM DISK = N'${DIR}/no_such.trn' WITH FILE = 1, NORECOVERY;`], { as: 'RbDropped_gone' }))
        .rejects.toThrow(/\(SQL error 3201\): Cannot open backup device .*; then RESTORE LOG is terminating abnormally\. \(SQL error 3013\)/);
    } finally {
      await exec.close();
    }
  });
  it('a log file name reused WITH INIT: msdb lists the overwritten set, which is skipped (SOURCE_OVERWRITTEN_BACKUP); the rows a RESTORE adds to backupset for the set it read (same backup_set_uuid) are not taken for an overwrite', async () => {
    await admin.request().batch(`CREATE DATABASE RbInit; ALTER DATABASE RbInit SET RECOVERY FULL;`);
    await admin.request().batch(`BACKUP DATABASE RbInit TO DISK = N'${DIR}/rbi_full.bak' WITH INIT;`);
    await admin.request().batch(`BACKUP LOG RbInit TO DISK = N'${DIR}/rbi_log.trn' WITH INIT;`);
    await admin.request().batch(`BACKUP LOG RbInit TO DISK = N'${DIR}/rbi_log.trn' WITH INIT;`);
    const read = async () => {
      const runner = new MssqlRunner(settingsFor(container));
      try {
        return await readMsdbHistory(runner, 'RbInit');
      } finally {
        await runner.close();
      }
    };
    const h = await read();
    expect(h.skipped.map((x) => x.code)).toEqual(['SOURCE_OVERWRITTEN_BACKUP']);
    expect(h.sets.map((x) => x.backupType)).toEqual(['full', 'log']);
    await admin.request().batch(`RESTORE DATABASE RbInit_copy FROM DISK = N'${DIR}/rbi_full.bak' WITH MOVE N'RbInit' TO N'${DIR}/RbInit_copy.mdf', MOVE N'RbInit_log' TO N'${DIR}/RbInit_copy_log.ldf', NORECOVERY;
      RESTORE LOG RbInit_copy FROM DISK = N'${DIR}/rbi_log.trn' WITH RECOVERY;`);
    const again = await read();
    expect(again.skipped.map((x) => x.code)).toEqual(['SOURCE_OVERWRITTEN_BACKUP']);
  });
});
