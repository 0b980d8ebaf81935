import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets } from '../../src/util/redact.js';
import { createLogger } from '../../src/util/logger.js';
import { StagingStore } from '../../src/staging/store.js';

const SECRET = 'S3cr3t;P@ss';

describe('secrets: one redaction for every connection-string form', () => {
  it.each([
    ['ADO', 'Server=db1;Database=CRM;User Id=sa;Password=hunter22;Encrypt=true', 'Server=db1;Database=CRM;User Id=sa;Password=***;Encrypt=true'],
    ['ADO Pwd, spaces', 'Server=db1; pwd = hunter22 ;x=1', 'Server=db1; pwd = *** ;x=1'],
    ['ADO password with spaces', 'Server=db1;Password=my pass word;User=x', 'Server=db1;Password=***;User=x'],
    ['ADO double-quoted with ; inside', 'Server=db1;Password="a;b""c";User=x', 'Server=db1;Password=***;User=x'],
    ['ADO single-quoted', "Password='a;b''c';User=x", 'Password=***;User=x'],
    ['ODBC braced', 'Driver={ODBC Driver 18};PWD={p;w}}d};UID=sa', 'Driver={ODBC Driver 18};PWD=***;UID=sa'],
    ['URL user info', 'connect to mssql://sa:hunter22@db1:1433/CRM failed', 'connect to mssql://sa:***@db1:1433/CRM failed'],
    ['sqlserver URL', 'sqlserver://rowback:p%40ss@host', 'sqlserver://rowback:***@host'],
    ['JDBC properties', 'jdbc:sqlserver://db1:1433;databaseName=CRM;user=sa;password=hunter22;encrypt=true', 'jdbc:sqlserver://db1:1433;databaseName=CRM;user=sa;password=***;encrypt=true'],
    ['URL query', 'https://x/?user=sa&password=hunter22&db=1', 'https://x/?user=sa&password=***&db=1'],
    ['environment', 'MSSQL_SERVER=db1 MSSQL_PASSWORD=hunter22 MSSQL_USER=sa', 'MSSQL_SERVER=db1 MSSQL_PASSWORD=*** MSSQL_USER=sa'],
    // the Azure AD secrets mssql's connection string takes (mssql lib/base/connection-pool.js)
    ['Azure AD client secret', 'Server=db1;Authentication=azure-active-directory-service-principal-secret;Client Id=abc;Client Secret=Xy7~q.9;Tenant Id=t1', 'Server=db1;Authentication=azure-active-directory-service-principal-secret;Client Id=abc;Client Secret=***;Tenant Id=t1'],
    ['Azure AD access token', 'Server=db1;Token=eyJ0eXAiOiJKV1Qi.abc;Database=CRM', 'Server=db1;Token=***;Database=CRM'],
    ['Azure MSI secret', 'Server=db1;Client Id=abc;Msi Endpoint=http://169.254.169.254;Msi Secret=m5i', 'Server=db1;Client Id=abc;Msi Endpoint=http://169.254.169.254;Msi Secret=***'],
    ['nothing secret', 'table dbo.Password has 3 rows', 'table dbo.Password has 3 rows'],
  ])('%s', (_, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('a known secret value is removed wherever it appears', () => {
    expect(redactSecrets(`login failed; tried ${SECRET} twice`, [SECRET])).toBe('login failed; tried *** twice');
  });

  it('redactDeep reaches nested strings and leaves other values', () => {
    expect(redactDeep({ a: ['Password=x1y2'], b: { c: 3, d: 'mssql://u:pw12@h' } })).toEqual({ a: ['Password=***'], b: { c: 3, d: 'mssql://u:***@h' } });
  });

  it('server logs: message text and error messages/stacks are redacted', () => {
    let out = '';
    const sink = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
    const log = createLogger({ level: 'info' }, sink);
    log.info('connecting with Server=db;Password=hunter22');
    log.error({ err: new Error('cannot open mssql://sa:hunter22@db') }, 'failed');
    expect(out).toContain('Password=***');
    expect(out).toContain('mssql://sa:***@db');
    expect(out).not.toContain('hunter22');
  });

  it('job records and the audit log never store a password, whatever the form', () => {
    const store = new StagingStore(join(mkdtempSync(join(tmpdir(), 'rowback-redact-')), 's.db'));
    try {
      const job = store.createJob({ kind: 'live', spec: { server: 'x', description: 'from mssql://sa:hunter22@db' }, description: 'jdbc:sqlserver://db;password=hunter22', createdBy: 'op' });
      store.setJobState(job.id, 'failed', { error: { code: 'SOURCE_CONNECT', message: 'Server=db;Pwd=hunter22 refused' } });
      store.appendAudit('op', 'job.failed', job.id, { message: 'MSSQL_PASSWORD=hunter22' });
      const dump = JSON.stringify([store.db.prepare('SELECT * FROM jobs').all(), store.db.prepare('SELECT * FROM audit_log').all()]);
      expect(dump.match(/.{0,60}hunter22.{0,20}/g)).toBeNull();
    } finally {
      store.close();
    }
  });
});
