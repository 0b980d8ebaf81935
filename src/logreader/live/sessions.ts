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

/** The snapshot query; read-only, one row per user session. Times as text so no driver time-zone rule applies. */
export function sessionsSql(): SqlStatement {
  return {
    text: [
      'SELECT s.[session_id], CONVERT(varchar(23), s.[login_time], 121) AS [login_time], s.[host_name], s.[program_name], s.[security_id]',
      'FROM sys.dm_exec_sessions AS s',
      'WHERE s.[is_user_process] = 1;',
    ].join('\n'),
    params: [],
  };
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
