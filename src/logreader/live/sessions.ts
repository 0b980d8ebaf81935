import type { SqlStatement } from './sql.js';

/**
 * Who was at the keyboard: the host and program of the session that ran a transaction, where
 * `sys.dm_exec_sessions` still holds that session. The log keeps only the SPID and the login SID
 * (LOP_BEGIN_XACT); a SPID is reused as soon as its session ends, so a session is taken as the
 * transaction's only when all three agree: same session_id as the SPID, same security_id as the
 * Transaction SID, and a login_time at or before the transaction's Begin Time (the session
 * existed when the transaction began). Anything else gives no host: a guess would name an
 * innocent user.
 *
 * Source: sys.dm_exec_sessions (Microsoft Learn: session_id, login_time, host_name, program_name,
 * security_id, is_user_process; VIEW SERVER STATE needed to see other sessions).
 */
export interface SessionFacts {
  sessionId: number;
  /** Server local wall clock, `YYYY-MM-DDTHH:MM:SS.fff` (CONVERT style 121, no zone). */
  loginTime: string;
  hostName: string | null;
  programName: string | null;
  /** security_id, upper-case hex without 0x. */
  securityId: string;
}

/**
 * The snapshot query; read-only, one row per user session. Times as text so no driver time-zone rule
 * applies. Every row also carries where the connection's database is written (sessionsNotWriters):
 * `replica_role`, this server's availability group role for it (sys.dm_hadr_availability_replica_states
 * role_desc PRIMARY / SECONDARY / RESOLVING of the local replica, through
 * sys.dm_hadr_database_replica_states is_local = 1; SQL Server 2012+; NULL when the database is in no
 * availability group), and `is_in_standby` (sys.databases: a log shipping secondary restored WITH
 * STANDBY). Both DMVs need VIEW SERVER STATE, as seeing other sessions does; without it the query
 * fails and the caller shows no host names (a note says so).
 *
 * `productVersion`: SERVERPROPERTY('ProductVersion') as the server facts read it (`10.50.6000.34`).
 * The sys.dm_hadr_* views exist from SQL Server 2012 (major version 11) on; before it the name does
 * not resolve and the whole query fails (Msg 208), which cost every host name on 2008 and 2008 R2,
 * where no availability group can exist: there the replica columns are NULL. Unknown or unreadable
 * versions read them (the views' absence then costs the host names, said in a note, as before).
 */
export function sessionsSql(productVersion?: string | null): SqlStatement {
  const major = productVersion ? Number.parseInt(productVersion, 10) : NaN;
  const replica = Number.isFinite(major) && major < 11
    ? ['    CAST(NULL AS nvarchar(60)) AS [replica_role], CAST(NULL AS nvarchar(60)) AS [sync_state], CAST(NULL AS varchar(23)) AS [last_commit_time],']
    : [
      '    (SELECT MAX(ars.[role_desc])',
      '     FROM sys.dm_hadr_database_replica_states AS drs',
      '     JOIN sys.dm_hadr_availability_replica_states AS ars ON ars.[replica_id] = drs.[replica_id]',
      '     WHERE drs.[database_id] = DB_ID() AND drs.[is_local] = 1) AS [replica_role],',
      '    (SELECT MAX(drs.[synchronization_state_desc]) FROM sys.dm_hadr_database_replica_states AS drs',
      '     WHERE drs.[database_id] = DB_ID() AND drs.[is_local] = 1) AS [sync_state],',
      '    (SELECT CONVERT(varchar(23), MAX(drs.[last_commit_time]), 121) FROM sys.dm_hadr_database_replica_states AS drs',
      '     WHERE drs.[database_id] = DB_ID() AND drs.[is_local] = 1) AS [last_commit_time],',
    ];
  return {
    text: [
      'SELECT s.[session_id], CONVERT(varchar(23), s.[login_time], 121) AS [login_time], s.[host_name], s.[program_name], s.[security_id],',
      '  w.[replica_role], w.[sync_state], w.[last_commit_time], w.[is_in_standby]',
      'FROM sys.dm_exec_sessions AS s',
      'CROSS JOIN (SELECT',
      ...replica,
      '    (SELECT d.[is_in_standby] FROM sys.databases AS d WHERE d.[database_id] = DB_ID()) AS [is_in_standby]) AS w',
      'WHERE s.[is_user_process] = 1;',
    ].join('\n'),
    params: [],
  };
}

/**
 * The local replica's state for the connection's database, from the rows of sessionsSql(), or null
 * outside an availability group (no role read). `syncState`: synchronization_state_desc
 * (SYNCHRONIZED, SYNCHRONIZING, NOT SYNCHRONIZING, REVERTING, INITIALIZING); `lastCommitTime`: its
 * last_commit_time as `YYYY-MM-DDTHH:MM:SS.fff` ("on the secondary database, this time is the same as
 * on the primary database": the primary's clock; Microsoft Learn, sys.dm_hadr_database_replica_states),
 * null when not given. Pure.
 */
export function replicaStateOf(rows: readonly Record<string, unknown>[]): { role: string; syncState: string | null; lastCommitTime: string | null } | null {
  const r = rows.find((x) => typeof x.replica_role === 'string' && x.replica_role.trim() !== '');
  if (!r) return null;
  const t = typeof r.last_commit_time === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/.test(r.last_commit_time) ? r.last_commit_time.replace(' ', 'T') : null;
  return { role: String(r.replica_role).trim().toUpperCase(), syncState: typeof r.sync_state === 'string' ? r.sync_state.trim().toUpperCase() : null, lastCommitTime: t };
}

/**
 * Why the sessions of this server cannot be those that ran the transactions its log holds, from the
 * rows of sessionsSql(), or null. The database's transactions run where it is written: on an
 * availability group's primary replica. A secondary replica's log is a copy of the primary's (redo),
 * and its sessions are its own readers': ApplicationIntent=ReadOnly, rowback's default, is routed to a
 * readable secondary behind the listener, where an application's pooled read session with the same
 * login and session_id as the writer's on the primary, logged in before the transaction began, was
 * named as the transaction's host and program. Likewise a log shipping secondary restored WITH STANDBY
 * (is_in_standby). Pure.
 */
export function sessionsNotWriters(rows: readonly Record<string, unknown>[], database: string): string | null {
  const role = rows.map((r) => (typeof r.replica_role === 'string' ? r.replica_role.trim().toUpperCase() : null)).find((x) => x !== null) ?? null;
  if (role !== null && role !== 'PRIMARY') {
    return `this server holds database ${database} as ${role === 'SECONDARY' ? 'a secondary replica' : `a replica in role ${role}`} of an availability group (sys.dm_hadr_availability_replica_states): its log is the primary's, whose sessions ran the transactions, and a session here with the same SPID and login is another one (ApplicationIntent=ReadOnly, the default, routes to a readable secondary; connect to the primary, ApplicationIntent=ReadWrite, to have them)`;
  }
  if (rows.some((r) => r.is_in_standby === true || r.is_in_standby === 1)) {
    return `database ${database} is a log shipping secondary in STANDBY (sys.databases is_in_standby): its log was restored from the primary's log backups, whose sessions ran the transactions, not this server's`;
  }
  return null;
}

function hex(v: unknown): string | null {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex').toUpperCase();
  if (typeof v === 'string' && /^(0x)?[0-9a-f]*$/i.test(v)) return v.replace(/^0x/i, '').toUpperCase();
  return null;
}

/** Rows of sessionsSql() → SessionFacts; rows without a usable id, time or SID are dropped. */
export function mapSessions(rows: Record<string, unknown>[]): SessionFacts[] {
  const out: SessionFacts[] = [];
  for (const r of rows) {
    const id = Number(r.session_id);
    const t = typeof r.login_time === 'string' ? r.login_time : null;
    const sid = hex(r.security_id);
    if (!Number.isInteger(id) || !t || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/.test(t) || !sid) continue;
    out.push({ sessionId: id, loginTime: t.replace(' ', 'T'), hostName: typeof r.host_name === 'string' ? r.host_name : null, programName: typeof r.program_name === 'string' ? r.program_name : null, securityId: sid });
  }
  return out;
}

/**
 * The session of a transaction, or null unless exactly one session matches SPID, SID and
 * "logged in at or before the Begin Time" (`beginIso`: `YYYY-MM-DDTHH:MM:SS.fff`, server local).
 */
export function sessionOf(sessions: readonly SessionFacts[], spid: number | null, sid: Uint8Array | null, beginIso: string | null): SessionFacts | null {
  if (spid === null || !sid || !beginIso) return null;
  const want = Buffer.from(sid).toString('hex').toUpperCase();
  const hits = sessions.filter((s) => s.sessionId === spid && s.securityId === want && s.loginTime <= beginIso);
  return hits.length === 1 ? hits[0]! : null;
}
