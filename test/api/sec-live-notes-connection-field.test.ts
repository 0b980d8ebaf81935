import { expect, it, vi } from 'vitest';
import { serverTimeNote } from '../../src/recover/sources/live.js';
import { describeConnection, resolveConnection } from '../../src/util/connection.js';
import { bearer, jobAnswersHiding, liveJobWithNotes } from './helpers.js';

/**
 * docs/security.md: a live job's server and login are operators' to see. They were hidden from the
 * other roles by a regex over the notes' wording (describeConnection's "on HOST:1433/db as LOGIN
 * (SQL login) over TLS"): a note worded otherwise named them to every viewer. The job now keeps the
 * connection (server, login) as a field when it runs, and the answer hides those values wherever
 * they appear, whatever the wording; operators' answers are as before.
 */
const NEW_WORDING = [
  'the log was read through a connection to Prod-SQL-07 by rowback_reader',
  'rowback_reader may not run DBCC on prod-sql-07; some rows may be missing',
];

async function notesFor(cs: string, notes: string[]) {
  const { t, jobId } = await liveJobWithNotes(cs, notes);
  const read = async (who: 'viewer' | 'reviewer' | 'operator') => {
    const a = await t.app.inject({ url: `/api/audit?jobId=${jobId}`, headers: bearer(t.tokens[who]) });
    expect(a.statusCode).toBe(200);
    return { body: a.body, notes: a.json().items.find((x: { action: string }) => x.action === 'job.notes').details.notes as string[] };
  };
  return { t, read, jobId };
}

it("a note of new wording naming the job's server and login does not show them to viewers or reviewers", async () => {
  const cs = 'Server=tcp:Prod-SQL-07,1433;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const timeNote = serverTimeNote('+01:00', describeConnection(resolveConnection(cs, {})));
  const { t, read, jobId } = await notesFor(cs, [timeNote, ...NEW_WORDING, 'table dbo.prod-sql-07_archive read']);
  try {
    for (const who of ['viewer', 'reviewer'] as const) {
      const { body, notes } = await read(who);
      expect(body.toLowerCase()).not.toContain('prod-sql-07 ');
      expect(body.toLowerCase()).not.toContain('prod-sql-07;');
      expect(body).not.toContain('rowback_reader');
      expect(body).not.toContain('p4ss');
      expect(notes).toEqual([
        "times are the server's local time, UTC+01:00 now (SYSDATETIMEOFFSET() on [server]:1433/crm as [login] (SQL login) over TLS): the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one",
        'the log was read through a connection to [server] by [login]',
        '[login] may not run DBCC on [server]; some rows may be missing',
        'table dbo.prod-sql-07_archive read',
      ]);
    }
    // operators: the notes as they were written
    expect((await read('operator')).notes).toEqual([timeNote, ...NEW_WORDING, 'table dbo.prod-sql-07_archive read']);
    // kept as a field of the job, not in its record (GET /api/jobs answers as before)
    expect(t.store.jobConnections(jobId)).toEqual([{ server: 'Prod-SQL-07', login: 'rowback_reader' }]);
    expect(Object.keys(t.store.requireJob(jobId))).not.toContain('connection');
  } finally {
    await t.close();
  }
});

it('a job whose server comes from MSSQL_SERVER and whose login is a Windows account: hidden in any wording too', async () => {
  vi.stubEnv('MSSQL_SERVER', 'prod-sql-07');
  const cs = 'Database=crm;User Id=John Smith;Domain=CORP;Password=p4ss;Encrypt=true';
  const notes = ['connected to prod-sql-07 as CORP\\John Smith', 'John Smith is not sysadmin on PROD-SQL-07'];
  const { t, read } = await notesFor(cs, notes);
  try {
    for (const who of ['viewer', 'reviewer'] as const) {
      const r = await read(who);
      expect(r.body.toLowerCase()).not.toContain('prod-sql-07');
      expect(r.body).not.toContain('John');
      expect(r.notes).toEqual(['connected to [server] as [login]', '[login] is not sysadmin on [server]']);
    }
    expect((await read('operator')).notes).toEqual(notes);
  } finally {
    await t.close();
    vi.unstubAllEnvs();
  }
});

it("a live job's INCOMPLETE sentences (GET /api/jobs, /api/jobs/:id) hide its server and login from viewers and reviewers too", async () => {
  const cs = 'Server=prod-sql-07;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = 'INCOMPLETE: rowback_reader could not read the log of crm on prod-sql-07 past 0000002a:00000100:0001';
  const { t, jobId } = await notesFor(cs, [sentence]);
  try {
    for (const one of Object.values(await jobAnswersHiding(t, jobId, ['rowback_reader', 'prod-sql-07']))) {
      expect(one.incomplete).toEqual(['INCOMPLETE: [login] could not read the log of crm on [server] past 0000002a:00000100:0001']);
      expect(one.complete).toBe(false);
    }
    const op = await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.operator) });
    expect(op.json().incomplete).toEqual([sentence]);
  } finally {
    await t.close();
  }
});

it("a live job's WARNING sentences (GET /api/jobs' `warnings`) hide its server and login from viewers and reviewers too", async () => {
  const cs = 'Server=prod-sql-07;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const sentence = 'WARNING: rowback_reader read 2 log record(s) of operation code 250 on prod-sql-07 (LOP_UNKNOWN_250)';
  const { t, jobId } = await notesFor(cs, [sentence]);
  try {
    for (const one of Object.values(await jobAnswersHiding(t, jobId, ['rowback_reader', 'prod-sql-07']))) {
      expect(one.warnings).toEqual(['WARNING: [login] read 2 log record(s) of operation code 250 on [server] (LOP_UNKNOWN_250)']);
      expect(one.complete).toBe(true);
    }
    const op = await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(t.tokens.operator) });
    expect(op.json().warnings).toEqual([sentence]);
  } finally {
    await t.close();
  }
});
