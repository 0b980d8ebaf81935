import { describe, expect, it } from 'vitest';
import {
  describeConnection, hideArgvSecrets, parseConnectionString, redactConnectionString, resolveConnection,
} from '../../../src/util/connection.js';

const bad = (f: () => unknown, text: RegExp) => expect(f).toThrow(expect.objectContaining({ code: 'INPUT_BAD_CONNECTION', message: expect.stringMatching(text) }));

describe('parseConnectionString', () => {
  it('splits keys and values, honouring quotes and braces', () => {
    expect(parseConnectionString(`Server=tcp:db1,1433; Initial Catalog = CRM ;User ID=ro;Password="a;b""c";Domain={CORP;X}`)).toEqual({
      server: 'tcp:db1,1433', 'initial catalog': 'CRM', 'user id': 'ro', password: 'a;b"c', domain: 'CORP;X',
    });
    expect(parseConnectionString("pwd='it''s'")).toEqual({ pwd: "it's" });
  });
  it('rejects a part without = and an unclosed quote, without echoing the secret', () => {
    bad(() => parseConnectionString('Server=x;justtext'), /part 2 \(after character 9\) has no '='/);
    try {
      parseConnectionString('Server=x;Password:Hunter2');
    } catch (e) {
      expect((e as Error).message).not.toMatch(/Hunter|Pass/);
    }
    try {
      parseConnectionString('Password="s3cret-long-password');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret');
    }
    bad(() => parseConnectionString('Password="s3cret'), /no closing/);
  });
});

describe('resolveConnection', () => {
  it('reads a full ADO-style string with SQL authentication', () => {
    expect(resolveConnection('Server=tcp:db1.corp,14330;Database=CRM;User Id=rowback;Password=p@ss;TrustServerCertificate=yes', {})).toEqual({
      server: 'db1.corp', port: 14330, database: 'CRM', user: 'rowback', password: 'p@ss', encrypt: true, trustServerCertificate: true,
      appName: 'rowback', readOnlyIntent: true, connectTimeoutMs: 15_000,
    });
  });
  it('takes NTLM with a domain, a named instance and timeouts', () => {
    const c = resolveConnection('Data Source=SQL01\\PROD;Initial Catalog=CRM;UID=jdoe;PWD=x;Domain=CORP;Encrypt=false;Connect Timeout=5;ApplicationIntent=ReadWrite', {});
    expect(c).toMatchObject({ server: 'SQL01', instanceName: 'PROD', domain: 'CORP', user: 'jdoe', encrypt: false, connectTimeoutMs: 5000, readOnlyIntent: false });
    expect(c.port).toBeUndefined();
  });
  it('fills everything from MSSQL_* variables when --server is a host name or absent', () => {
    const env = { MSSQL_SERVER: 'localhost', MSSQL_PORT: '1533', MSSQL_USER: 'sa', MSSQL_PASSWORD: 'Secret!1', MSSQL_DATABASE: 'CRM', MSSQL_TRUST_SERVER_CERTIFICATE: 'true' };
    expect(resolveConnection(undefined, env)).toMatchObject({ server: 'localhost', port: 1533, user: 'sa', password: 'Secret!1', database: 'CRM', trustServerCertificate: true });
    expect(resolveConnection('db9', env)).toMatchObject({ server: 'db9', port: 1533, password: 'Secret!1' });
    expect(resolveConnection('db9', env, { database: 'Other' }).database).toBe('Other');
  });
  it('lets the connection string win over the environment', () => {
    const c = resolveConnection('Server=a;Password=fromArg', { MSSQL_PASSWORD: 'fromEnv', MSSQL_CONNECTION_STRING: 'Server=b;User Id=u' });
    expect(c).toMatchObject({ server: 'a', user: 'u', password: 'fromArg' });
  });
  it.each([
    [undefined, /no server/],
    ['Server=x;Colour=blue', /unknown connection string key 'colour'/],
    ['Server=x,99999', /not a TCP port/],
    ['Server=x\\I,1433', /port or an instance/],
    ['Server=x;Encrypt=maybe', /Encrypt must be true or false/],
    ['Server=x;Connect Timeout=-1', /Connect Timeout/],
    ['Server=x;Domain=CORP', /needs a User Id/],
    ['Server=x;Integrated Security=SSPI', /Integrated Security without a Domain/],
    ['Server=x;Integrated Security=perhaps', /Integrated Security must be true or false/],
    ['Server=x;ApplicationIntent=Sometimes', /ApplicationIntent/],
  ])('rejects %s', (s, re) => bad(() => resolveConnection(s, {}), re));
});

describe('secrets', () => {
  const c = resolveConnection('Server=db1;Database=CRM;User Id=ro;Password=Hunter2!;Domain=CORP', {});
  it('describeConnection never shows the password', () => {
    expect(describeConnection(c)).toBe('db1:1433/CRM as CORP\\ro (NTLM) over TLS');
    expect(describeConnection(c)).not.toContain('Hunter2');
  });
  it('redactConnectionString hides every spelling of a password', () => {
    expect(redactConnectionString('Server=a;Password=Hunter2!;User Id=u')).toBe('Server=a;Password=***;User Id=u');
    expect(redactConnectionString('pwd="x;y""z";Server=a')).toBe('pwd=***;Server=a');
    expect(redactConnectionString('Server=a; PASSWORD = {p}}w}')).toBe('Server=a; PASSWORD = ***');
  });
  it('hideArgvSecrets renames the process when argv carries a password', () => {
    const p = { title: 'node', argv: ['node', 'rowback', 'scan', '--server', 'Server=a;Password=x'] };
    hideArgvSecrets(p);
    expect(p.title).toBe('rowback');
    const q = { title: 'node', argv: ['node', 'rowback', 'scan', '--server', 'db1'] };
    hideArgvSecrets(q);
    expect(q.title).toBe('node');
  });
});
