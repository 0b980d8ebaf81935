import { expect, it, vi } from 'vitest';
import { serverTimeNote } from '../../src/recover/sources/live.js';
import { describeConnection, resolveConnection } from '../../src/util/connection.js';
import { fakeSource } from '../worker/fake-source.js';
import { bearer, testApp } from './helpers.js';
import { hideServer } from '../../src/api/routes/jobs.js';

/**
 * docs/security.md: the server a live job connects to (its host, kept with the job for resumes) is
 * operators' to see; viewers and reviewers get `[redacted]` in its spec and its error's code only.
 * But a live job's notes (the audit log's `job.notes`, which the page shows every role) said the
 * connection whole: "times are the server's local time, UTC+01:00 (SYSDATETIMEOFFSET() on
 * prod-sql-07:1433/crm as rowback_reader (SQL login) over TLS)". The host and login are now hidden
 * from all but operators there too; the notes are otherwise the same.
 */
it("a live job's notes name its server and login to operators only", async () => {
  const cs = 'Server=tcp:Prod-SQL-07,1433;Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const note = serverTimeNote('+01:00', describeConnection(resolveConnection(cs, {})));
  expect(note).toContain('Prod-SQL-07:1433/crm as rowback_reader (SQL login)');
  const t = await testApp({ openSource: async () => ({ source: fakeSource(), notes: () => [note, 'table dbo.prod-sql-07_archive read'] }) as never });
  try {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'live', server: cs, database: 'crm' } });
    expect(r.statusCode).toBe(201);
    await t.app.worker.idle();
    const notesFor = async (who: 'viewer' | 'reviewer' | 'operator') => {
      const a = await t.app.inject({ url: `/api/audit?jobId=${r.json().id}`, headers: bearer(t.tokens[who]) });
      expect(a.statusCode).toBe(200);
      return { body: a.body, notes: a.json().items.find((x: { action: string }) => x.action === 'job.notes').details.notes as string[] };
    };
    for (const who of ['viewer', 'reviewer'] as const) {
      const { body, notes } = await notesFor(who);
      expect(body.toLowerCase()).not.toContain('prod-sql-07:');
      expect(body).not.toContain('rowback_reader');
      expect(notes[0]).toBe("times are the server's local time, UTC+01:00 now (SYSDATETIMEOFFSET() on [server]:1433/crm as [login] (SQL login) over TLS): the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one");
      // a name that merely holds the host's text is left as it is
      expect(notes[1]).toBe('table dbo.prod-sql-07_archive read');
    }
    expect((await notesFor('operator')).notes[0]).toBe(note);
  } finally {
    await t.close();
  }
});

it('a login holding a space or brackets is hidden whole', async () => {
  // SQL logins and Windows accounts may hold spaces and brackets: 'report user', CORP\John Smith
  for (const [cs, login] of [
    ['Server=prod-sql-07;Database=crm;User Id=report user;Password=p4ss;Encrypt=true', 'report user'],
    ['Server=prod-sql-07;Database=crm;User Id=svc (ro);Password=p4ss;Encrypt=false', 'svc (ro)'],
    ['Server=prod-sql-07;Database=crm;User Id=CORP\\John Smith;Password=p4ss;Encrypt=true;TrustServerCertificate=true', 'John Smith'],
  ] as const) {
    const description = describeConnection(resolveConnection(cs, {}));
    expect(description).toContain(login);
    const note = serverTimeNote('+01:00', description);
    const hidden = hideServer({ notes: [note] }, 'prod-sql-07', 'viewer').notes[0]!;
    expect(hidden).not.toContain(login.split(' ')[0]);
    expect(hidden).not.toContain(login.split(' ').at(-1));
    expect(hidden).toMatch(/^times are the server's local time, UTC\+01:00 now \(SYSDATETIMEOFFSET\(\) on \[server\]:1433\/crm as \[login\] \((SQL login|NTLM)\) (over|without) TLS/);
    expect(hideServer({ notes: [note] }, 'prod-sql-07', 'operator').notes[0]).toBe(note);
  }
});

it("a job whose connection string names no server (MSSQL_SERVER gives it) has its server hidden in its notes too", async () => {
  // the spec keeps no host then ('[redacted]'), so the host-by-name rule had nothing to hide
  vi.stubEnv('MSSQL_SERVER', 'prod-sql-07');
  const cs = 'Database=crm;User Id=rowback_reader;Password=p4ss;Encrypt=true';
  const note = serverTimeNote('+01:00', describeConnection(resolveConnection(cs)));
  expect(note).toContain('prod-sql-07:1433/crm');
  const t = await testApp({ openSource: async () => ({ source: fakeSource(), notes: () => [note] }) as never });
  try {
    const r = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'live', server: cs, database: 'crm' } });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    for (const who of ['viewer', 'reviewer'] as const) {
      const a = await t.app.inject({ url: `/api/audit?jobId=${r.json().id}`, headers: bearer(t.tokens[who]) });
      expect(a.body.toLowerCase()).not.toContain('prod-sql-07');
      expect(a.json().items.find((x: { action: string }) => x.action === 'job.notes').details.notes[0]).toBe("times are the server's local time, UTC+01:00 now (SYSDATETIMEOFFSET() on [server]:1433/crm as [login] (SQL login) over TLS): the log records no zone, so a time from the other side of a daylight-saving change was at that season's offset, not this one");
    }
    const op = await t.app.inject({ url: `/api/audit?jobId=${r.json().id}`, headers: bearer(t.tokens.operator) });
    expect(op.body).toContain('prod-sql-07:1433/crm');
  } finally {
    await t.close();
    vi.unstubAllEnvs();
  }
});
