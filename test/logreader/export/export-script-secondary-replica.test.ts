import { describe, expect, it } from 'vitest';
import { readShippedSql } from '../../../src/logreader/live/shipped-sql.js';
import { assertReadOnly } from '../../../src/logreader/live/read-only.js';

/**
 * sql/export-log-records.sql run on an availability group secondary replica (a read-intent connection
 * through the listener is routed to one) reads that replica's log, the primary's only as far as it
 * has received it: one not SYNCHRONIZED (asynchronous commit, data movement suspended or disconnected)
 * lacks the primary's latest commits, and a window past its last commit was exported as whole, and
 * printed so by rowback (the export's exportedAt, the only end it is judged by, is the run's time). The
 * script now refuses that before reading the log. No SQL Server here: the script's text is checked
 * (read as T-SQL, not run).
 */
describe('sql/export-log-records.sql on a secondary replica that is not synchronized', () => {
  const text = readShippedSql('export-log-records.sql');
  const at = text.indexOf('FROM sys.dm_hadr_database_replica_states AS drs');

  it('reads the local replica\'s role, synchronization state and last commit (inside TRY: without VIEW SERVER STATE nothing is checked)', () => {
    expect(at).toBeGreaterThan(0);
    const block = text.slice(text.lastIndexOf('BEGIN TRY', at), text.indexOf('END CATCH;', at));
    expect(block).toContain('SELECT @Role = ars.[role_desc], @Sync = drs.[synchronization_state_desc], @LastCommit = drs.[last_commit_time]');
    expect(block).toContain('@Role = @ReplicaRole OUTPUT, @Sync = @ReplicaSync OUTPUT, @LastCommit = @ReplicaLastCommit OUTPUT;');
    expect(block).toContain('JOIN sys.dm_hadr_availability_replica_states AS ars ON ars.[replica_id] = drs.[replica_id]');
    expect(block).toContain('WHERE drs.[database_id] = DB_ID() AND drs.[is_local] = 1;');
  });

  it('refuses a window past that commit on a secondary that is not SYNCHRONIZED, before the log is read; not for a log backup', () => {
    const check = text.slice(at);
    expect(check).toMatch(/IF @ReplicaRole IS NOT NULL AND @ReplicaRole <> N'PRIMARY' AND ISNULL\(@ReplicaSync, N''\) <> N'SYNCHRONIZED'\s+AND \(@To IS NULL OR @ReplicaLastCommit IS NULL OR @To > @ReplicaLastCommit\)\s+BEGIN[\s\S]*?RAISERROR\(N'rowback export: this server holds the database as an availability group secondary replica that is not synchronized[\s\S]*?RETURN;/);
    // before the log is read, and only for the online log
    expect(at).toBeLessThan(text.indexOf('INTO #log FROM sys.fn_dblog'));
    expect(text.slice(text.lastIndexOf('IF @LogBackup IS NULL', at), at)).toContain('DECLARE @ReplicaRole');
  });

  it('reads the views only from SQL Server 2012 (major version 11) on, and as dynamic SQL: on 2008 and 2008 R2 the names do not resolve (Msg 208), an error TRY...CATCH does not take at its own level, and the whole script stopped there', () => {
    const head = text.slice(text.lastIndexOf('IF @LogBackup IS NULL', at), at);
    expect(head).toMatch(/IF CAST\(PARSENAME\(CONVERT\(nvarchar\(128\), SERVERPROPERTY\('ProductVersion'\)\), 4\) AS int\) >= 11\s+BEGIN\s+BEGIN TRY\s+EXEC sys\.sp_executesql\s+N'SELECT @Role/);
    // the views' names only inside the dynamic SQL's string (no quote in it), else in comment lines
    const from = text.lastIndexOf("N'SELECT @Role", at) + 2;
    const to = text.indexOf(";',", at) + 1;
    expect(text.slice(from, to)).not.toContain("'");
    const outside = [...text.matchAll(/sys\.dm_hadr_\w+/g)].filter((m) => (m.index < from || m.index > to) && !/^\s*--/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index)));
    expect(outside.map((m) => m[0])).toEqual([]);
  });

  it('its SELECT passes the read-only guard as a statement of its own', () => {
    const select = text.slice(text.lastIndexOf("N'SELECT @Role", at) + 2, text.indexOf(';', at) + 1);
    expect(() => assertReadOnly(select)).not.toThrow();
  });
});
