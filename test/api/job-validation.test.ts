import { mkdtempSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

describeCorpus('the API refuses at job creation what the CLI refuses (400 naming the field)', () => {
  let t: TestApp;
  const linkDir = mkdtempSync(join(tmpdir(), 'rowback-roots-'));
  beforeEach(async () => {
    t = await testApp({ validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, linkDir], allowedServers: ['db1.corp'] });
  });
  afterEach(async () => t.close());
  const mdf = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const post = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload });
  const jobsCount = () => (t.store.db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n;

  it.each([
    ['a reversed window', { kind: 'files', mdf, ldf, from: '2024-03-02', to: '2024-03-01' }, 'INPUT_BAD_WINDOW', 'to'],
    ['a time that is not one', { kind: 'files', mdf, ldf, from: '2024-02-30' }, 'INPUT_BAD_TIME', 'from'],
    ['a missing file', { kind: 'files', mdf, ldf: corpusPath('nope.ldf') }, 'INPUT_FILE_UNREADABLE', 'ldf'],
    ['a file of the wrong kind', { kind: 'files', mdf, ldf: mdf }, 'FORMAT_NOT_A_LOG_FILE', 'ldf'],
    ['an unknown table', { kind: 'files', mdf, ldf, tables: ['dbo.Nope'] }, 'INPUT_UNKNOWN_TABLE', 'tables'],
    // newcomer: accepted (201), then failed when it ran; `rowback scan --ldf` alone refuses it
    ['a log and no table metadata', { kind: 'files', ldf }, 'INPUT_NO_METADATA', 'mdf'],
    // the field of the file that differs from the first (it was always mdf)
    ['files of two databases', { kind: 'files', mdf, ldf: corpusPath('CRUD-.NET/App_Data/Database2_log.ldf') }, 'INPUT_MIXED_DATABASES', 'ldf'],
    ['a log backup of another database', { kind: 'files', mdf, trn: [corpusPath('appveyor-lab/sql2008-backups/StopAt/StopAt_1.trn')] }, 'INPUT_MIXED_DATABASES', 'trn.0'],
    ['a file outside the roots', { kind: 'export', file: '/etc/hostname' }, 'INPUT_PATH_NOT_ALLOWED', 'file'],
    ['a server not allowed', { kind: 'live', server: 'Server=evil.example;User Id=sa;Password=x', database: 'CRM' }, 'INPUT_SERVER_NOT_ALLOWED', 'server'],
  ])('%s', async (_, payload, code, field) => {
    const before = jobsCount();
    const r = await post(payload);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code, field });
    expect(r.body).not.toContain('Password=x');
    expect(jobsCount()).toBe(before);
  });

  it('a created job is answered as GET answers it, rowsByOperation too (newcomer: the 201 lacked it)', async () => {
    const r = await post({ kind: 'files', mdf, ldf });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'files', rowsByOperation: { delete: 0, insert: 0, update: 0 } });
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/api/jobs'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('rowsByOperation');
  });

  it('a file of the wrong kind: the advice names the request\'s fields, not the CLI\'s --mdf / --ldf (newcomer)', async () => {
    const asLog = await post({ kind: 'files', mdf, ldf: mdf });
    expect(asLog.json()).toMatchObject({ code: 'FORMAT_NOT_A_LOG_FILE', field: 'ldf' });
    expect(asLog.json().message).toMatch(/give it in "mdf"$/);
    const asData = await post({ kind: 'files', mdf: ldf, ldf });
    expect(asData.json()).toMatchObject({ code: 'INPUT_NOT_A_DATA_FILE', field: 'mdf' });
    expect(asData.json().message).toMatch(/give it in "ldf"$/);
    const asTrn = await post({ kind: 'files', mdf, trn: [mdf] });
    expect(asTrn.json()).toMatchObject({ code: 'FORMAT_NOT_A_BACKUP', field: 'trn' });
    expect(asTrn.json().message).toMatch(/give it in "mdf"$/);
    const none = await post({ kind: 'files', ldf });
    expect(none.json().message).toBe('no table metadata: give "mdf" or "bak" (or "metadata")');
    for (const r of [asLog, asData, asTrn, none]) expect(r.json().message).not.toMatch(/--/);
  });

  it('log records as text: a plain fn_dblog result as an export job is 400 (it was accepted, then failed), and in ldf it is named; the advice names the request\'s fields (SYNTHETIC grid)', async () => {
    const grid = join(linkDir, 'fn_dblog.csv');
    writeFileSync(grid, 'Current LSN,Operation,Context,Transaction ID,Description\r\n00000021:00000090:0002,LOP_DELETE_ROWS,LCX_MARK_AS_GHOST,0000:000002e9,a\r\n');
    const asExport = await post({ kind: 'export', file: grid });
    expect(asExport.statusCode).toBe(400);
    expect(asExport.json()).toMatchObject({ code: 'INPUT_BAD_EXPORT', field: 'file' });
    expect(asExport.json().message).toMatch(/^is a plain fn_dblog result .* give its output as the "file" of a job of kind "export", or give rowback the \.ldf\/\.trn files themselves$/);
    const asLog = await post({ kind: 'files', ldf: grid, metadata: { ddl: 'CREATE TABLE dbo.T (id int NOT NULL)', allocUnit: '72057594043629568' } });
    expect(asLog.json()).toMatchObject({ code: 'FORMAT_NOT_A_LOG_FILE', field: 'ldf' });
    expect(asLog.json().message).toMatch(/: it is a plain fn_dblog result /);
    const exp = join(linkDir, 'crm-export.csv');
    writeFileSync(exp, '#rowback-export,1,csv\n');
    const exportAsLog = await post({ kind: 'files', ldf: exp, metadata: { ddl: 'CREATE TABLE dbo.T (id int NOT NULL)', allocUnit: '72057594043629568' } });
    expect(exportAsLog.json()).toMatchObject({ code: 'FORMAT_NOT_A_LOG_FILE', field: 'ldf' });
    expect(exportAsLog.json().message).toMatch(/: it is a rowback export of log records \(sql\/export-log-records\.sql\), not a SQL Server file; give it as the "file" of a job of kind "export"$/);
    for (const r of [asExport, asLog, exportAsLog]) expect(r.json().message).not.toMatch(/--|`rowback/);
    expect(jobsCount()).toBe(0);
  });

  it('a full backup given in trn: the advice names the request\'s fields, not the CLI\'s --bak', async () => {
    const d = corpusPath('appveyor-lab/RestoreTimeClean');
    const r = await post({ kind: 'files', bak: join(d, 'RestoreTimeClean.bak'), trn: [join(d, 'RestoreTimeClean.bak')] });
    expect(r.json()).toMatchObject({ code: 'INPUT_NOT_A_LOG_BACKUP', field: 'trn' });
    expect(r.json().message).toMatch(/RestoreTimeClean\.bak is a full backup, not a log backup; give it in "bak", not "trn"$/);
  });

  // A job had no field to choose a backup set: a .bak holding two (BACKUP … WITH NOINIT) was refused
  // "choose one with --position N", which no request could give; the other refusals named the CLI's
  // flags too (a log backup in bak: "give it with --trn"; no log: "give --ldf FILE, …").
  it('a backup file holding two sets: refused naming the field position; position 2 is accepted; a position it lacks is refused', async () => {
    const bak = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
    const none = await post({ kind: 'files', bak });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'INPUT_SEVERAL_BACKUP_SETS', field: 'position' });
    expect(none.json().message).toContain('choose one with "position": N (RESTORE … WITH FILE = N): 1: full backup of StDb2SQL');
    expect(none.json().message).not.toContain('--');
    const past = await post({ kind: 'files', bak, position: 3 });
    expect(past.json()).toMatchObject({ code: 'INPUT_BAD_OPTION', field: 'position' });
    expect(past.json().message).toContain('"position": 3: ');
    expect((await post({ kind: 'files', bak, position: 2 })).statusCode).toBe(201);
    const noBak = await post({ kind: 'files', ldf, mdf, position: 2 });
    expect(noBak.json()).toMatchObject({ code: 'INPUT_BAD_OPTION', field: 'position' });
  });

  it('a log backup given in bak: the advice names the request\'s fields', async () => {
    const d = corpusPath('appveyor-lab/RestoreTimeClean');
    const r = await post({ kind: 'files', bak: join(d, 'RestoreTimeClean_1.trn') });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('INPUT_NOT_A_DATABASE_BACKUP');
    expect(r.json().message).toMatch(/give it in "trn", and a full backup in "bak"$/);
  });

  it.each([
    ['a file outside the roots', { kind: 'export', file: '/etc/hostname' }, `file /etc/hostname is outside the folders this service may read (now ${CORPUS_DIR}, ${linkDir}; start \`rowback serve --file-root DIR\`, repeatable, or set fileRoots in its config file (\`rowback serve --config FILE\`) to allow others)`],
    ['a server not allowed', { kind: 'live', server: 'Server=evil.example;User Id=sa;Password=x', database: 'CRM' }, 'server evil.example is not one this service may connect to (now db1.corp; start `rowback serve --allow-server HOST`, repeatable, or set allowedServers in its config file (`rowback serve --config FILE`) to allow others)'],
  ])('%s: the refusal says what is allowed now and names both the serve option and the config key that change it', async (_, payload, message) => {
    expect((await post(payload)).json().message).toBe(message);
  });

  // A relative path was judged against the service's working folder and refused as "outside the
  // folders this service may read", which sent the caller looking at the roots, not at the path.
  it('a relative path is refused as one, naming the field: the service needs absolute paths', async () => {
    for (const [payload, field] of [
      [{ kind: 'files', mdf, ldf: 'cut.ldf' }, 'ldf'],
      [{ kind: 'files', mdf: ['./Database1.mdf'], ldf }, 'mdf.0'],
      [{ kind: 'export', file: 'evidence/crm.json' }, 'file'],
      [{ kind: 'restore', bak: ['full.bak'], trn: [], afterMdf: [mdf], table: 'dbo.Employee' }, 'bak.0'],
    ] as const) {
      const r = await post(payload);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED', field });
      expect(r.json().message).toMatch(new RegExp(`^${field.replace('.', '\\.')} '[^']+' is a relative path: this service needs absolute paths`));
      expect(r.json().message).not.toContain('outside');
    }
  });

  it('a link inside a root that points outside it is refused (links are resolved)', async () => {
    const link = join(linkDir, 'passwd.ldf');
    symlinkSync('/etc/passwd', link);
    const r = await post({ kind: 'export', file: link });
    expect(r.json()).toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED', field: 'file' });
  });

  // A link inside a root was refused as "outside the folders this service may read" though its path
  // is inside them; and a dangling link to a missing file outside was placed where the link is,
  // inside, and answered INPUT_FILE_UNREADABLE ("no such file"), where a link to an existing file
  // outside was refused: which files exist outside the roots could be told apart.
  it('a link inside a root leading outside: said to be a link, never where to; the same answer whether its target exists or not', async () => {
    const answers: string[] = [];
    for (const [name, target] of [['to-existing.ldf', '/etc/passwd'], ['to-missing.ldf', '/etc/no-such-file-rowback'], ['to-missing-dir.ldf', '/no-such-dir-rowback/x.ldf']] as const) {
      const link = join(linkDir, name);
      symlinkSync(target, link);
      const r = await post({ kind: 'export', file: link });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED', field: 'file' });
      expect(r.json().message).not.toContain(target);
      answers.push(r.json().message.replace(link, 'LINK'));
    }
    expect(answers[0]).toBe(`file LINK is outside the folders this service may read (it is a link to a place outside them) (now ${CORPUS_DIR}, ${linkDir}; start \`rowback serve --file-root DIR\`, repeatable, or set fileRoots in its config file (\`rowback serve --config FILE\`) to allow others)`);
    expect(new Set(answers).size).toBe(1);
    // a path outside the roots as written: no word of links
    expect((await post({ kind: 'export', file: '/etc/hostname' })).json().message).not.toContain('link');
  });

  it('outside the roots every path gets the same answer, whether it exists, is missing, a directory or a device (no probing which files exist)', async () => {
    for (const path of ['/etc/hostname', '/etc/no-such-file-rowback', '/etc', '/dev/null', join(linkDir, '..', 'no-such-rowback.bak')]) {
      for (const payload of [{ kind: 'export', file: path }, { kind: 'restore', bak: [path], trn: [], afterMdf: [mdf], table: 'dbo.Employee' }]) {
        const r = await post(payload);
        expect(r.statusCode, `${payload.kind} ${path}: ${r.body}`).toBe(400);
        expect(r.json().code, `${payload.kind} ${path}`).toBe('INPUT_PATH_NOT_ALLOWED');
      }
    }
    // inside a root, a missing file is still named as missing
    expect((await post({ kind: 'export', file: join(linkDir, 'sub', 'missing.bak') })).json()).toMatchObject({ code: 'INPUT_FILE_UNREADABLE' });
  });

  it('a resume checks the stored spec again: a link repointed outside the roots since creation is refused, the job left as it was', async () => {
    const link = join(linkDir, 'evidence.ldf');
    symlinkSync(ldf, link);
    const created = await post({ kind: 'files', mdf, ldf: link });
    expect(created.statusCode, created.body).toBe(201);
    await t.app.worker.idle();
    const id = created.json().id;
    t.store.setJobState(id, 'failed', { error: { code: 'X', message: 'pretend' } });
    unlinkSync(link);
    symlinkSync('/etc/passwd', link);
    const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/resume`, headers: bearer(t.tokens.operator), payload: {} });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED', field: 'ldf' });
    expect(t.store.requireJob(id).state).toBe('failed');
  });

  it('a good spec is accepted', async () => {
    const r = await post({ kind: 'files', mdf, ldf, tables: ['dbo.Employee'] });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
  });
});

it('approving or rejecting row ids that do not exist is a 404 and is not audited as a decision', async () => {
  const t = await testApp();
  try {
    const job = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/x.ldf' } });
    await t.app.worker.idle();
    const id = job.json().id;
    const audits = () => t.store.audit({ jobId: id }).filter((a) => a.action.startsWith('rows.')).length;
    const r = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore them', ids: [1, 999999] } });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('STAGING_ROW_NOT_FOUND');
    expect(r.json().message).toContain('999999');
    expect(audits()).toBe(0);
    expect((t.store.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n).toBe(0);
  } finally {
    await t.close();
  }
});

it('headers: nosniff everywhere, no-store and a closed CSP on API answers, a CSP on /docs; per-token rate limit', async () => {
  const t = await testApp({ maxRequestsPerToken: 5 });
  try {
    const api = await t.app.inject({ url: '/api/me', headers: bearer(t.tokens.viewer) });
    expect(api.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" });
    const unauth = await t.app.inject({ url: '/api/me' });
    expect(unauth.headers['cache-control']).toBe('no-store');
    const docs = await t.app.inject({ url: '/docs/static/index.html' });
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    expect(String(docs.headers['content-security-policy'])).toMatch(/script-src/);
    const page = await t.app.inject({ url: '/' });
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.app.inject({ url: '/api/me', headers: bearer(t.tokens.reviewer) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // another token is not affected
    expect((await t.app.inject({ url: '/api/me', headers: bearer(t.tokens.operator) })).statusCode).toBe(200);
  } finally {
    await t.close();
  }
});

it('re-insert: a malformed tableMap is a 400 naming the entry; a column name over 128 characters is a planned problem naming it, never a 500', async () => {
  const t = await testApp();
  try {
    const job = await t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'files', ldf: '/evidence/x.ldf' } });
    await t.app.worker.idle();
    const id = job.json().id;
    const bad = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableMap: { 'dbo.T': `dbo.${'x'.repeat(129)}` } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toContain('tableMap');
    const unterminated = await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/reinsert`, headers: bearer(t.tokens.operator), payload: { dryRun: true, tableMap: { 'dbo.T': '[dbo.T' } } });
    expect(unterminated.statusCode).toBe(400);
  } finally {
    await t.close();
  }
});
