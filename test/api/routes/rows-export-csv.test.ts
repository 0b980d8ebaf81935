import { afterEach, beforeEach, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { describeCorpus } from '../../support/corpus.js';
import { LAYOUTS, corpusRows } from '../../staging/fixtures.js';
import { bearer, testApp, type TestApp } from '../helpers.js';

// The API's CSV export lacked who deleted a row beyond the login (sid, sidText, dbUser), where it
// was (allocUnitId, pageId, slotId), the transaction's name, and an update's after image: a
// reviewer's spreadsheet could not tell two logins of one name apart, nor what an update changed,
// though `rowback scan --format csv` and the NDJSON export carry them. Now the row's own columns
// are the CLI's, between the staged row's id and its review status.
describeCorpus('API CSV export: the facts the CLI CSV carries', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });

  const stage = (operations: string[]) => {
    const job = t.store.createJob({ kind: 'files', spec: { kind: 'files' }, description: 'csv', operations, createdBy: 'test' });
    t.store.saveJobTables(job.id, Object.values(LAYOUTS));
    const all = corpusRows(100);
    const rows = all.filter((r) => r.table === all[0].table).slice(0, 2).map((r, i) => ({
      ...r,
      sid: '0105000000000005150000001C00D1BCD181F1492BDFC236F4010000',
      sidText: 'S-1-5-21-3167813660-1240564177-918740779-500',
      dbUser: 'dbo',
      allocUnitId: '72057594043367424',
      ...(i === 1 && operations.includes('update') ? { operation: 'update' as const, after: { ...r.values } } : {}),
    }));
    t.store.stageBatch(job.id, rows);
    return { jobId: job.id, table: rows[0].table };
  };

  it('a delete job: sid, sidText, dbUser, transactionName, allocUnitId, pageId, slotId', async () => {
    const { jobId } = stage(['delete']);
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode).toBe(200);
    const [header, first] = parse(csv.body, { relax_column_count: false }) as string[][];
    expect(header).toEqual(['id', 'table', 'lsn', 'operation', 'transactionId', 'beginTime', 'endTime', 'login', 'sid', 'sidText', 'dbUser', 'spid', 'transactionName', 'allocUnitId', 'pageId', 'slotId', 'status', 'values', 'warnings', 'raw']);
    const rec = Object.fromEntries(header.map((h, i) => [h, first[i]]));
    expect(rec).toMatchObject({
      sid: '0105000000000005150000001C00D1BCD181F1492BDFC236F4010000',
      sidText: 'S-1-5-21-3167813660-1240564177-918740779-500',
      dbUser: 'dbo',
      transactionName: 'DELETE',
      allocUnitId: '72057594043367424',
      pageId: '0001:00000123',
      slotId: '0',
      status: 'pending',
      operation: 'delete',
    });
  });

  it('a job recovering updates: the after image beside the before image', async () => {
    const { jobId, table } = stage(['delete', 'update']);
    const csv = await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=${encodeURIComponent(table)}`, headers: bearer(t.tokens.viewer) });
    const recs = parse(csv.body, { columns: true }) as Record<string, string>[];
    const cols = Object.keys(recs[0]).filter((c) => c.startsWith('after.'));
    expect(cols.length).toBeGreaterThan(0);
    expect(recs).toHaveLength(2);
    const upd = recs.find((r) => r.operation === 'update')!;
    for (const c of cols) expect(upd[c]).toBe(upd[c.slice('after.'.length)]);
    expect(cols.some((c) => upd[c] !== '')).toBe(true);
    const del = recs.find((r) => r.operation === 'delete')!;
    for (const c of cols) expect(del[c]).toBe('');
  });
});

// An nvarchar value holding an unpaired UTF-16 surrogate (SYNTHETIC value on a real corpus row):
// the UTF-8 CSV export's cell shows U+FFFD, the NDJSON export the unit itself; the CSV row now
// says so in its warnings cell, as `rowback scan --format csv` does.
describeCorpus('API CSV export: a value UTF-8 cannot carry is named in the warnings cell', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
  });
  afterEach(async () => {
    await t.close();
  });
  it('lone surrogate in a text column', async () => {
    const job = t.store.createJob({ kind: 'files', spec: { kind: 'files' }, description: 'csv', operations: ['delete'], createdBy: 'test' });
    t.store.saveJobTables(job.id, Object.values(LAYOUTS));
    const all = corpusRows(100);
    const r0 = all.find((r) => Object.values(r.values).some((v) => typeof v === 'string' && !/^[0-9.-]+$/.test(v)))!;
    const col = Object.keys(r0.values).find((k) => typeof r0.values[k] === 'string' && !/^[0-9.-]+$/.test(r0.values[k] as string))!;
    t.store.stageBatch(job.id, [{ ...r0, values: { ...r0.values, [col]: 'x\ud800y' } }]);
    const csv = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=csv&table=${encodeURIComponent(r0.table)}`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode).toBe(200);
    const recs = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(recs[0]![col]).toBe('x\ufffdy');
    expect(recs[0]!.warnings).toContain(`column ${col}: its value holds an unpaired UTF-16 surrogate (U+D800 at offset 1)`);
    const nd = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=ndjson`, headers: bearer(t.tokens.viewer) });
    expect((JSON.parse(nd.body.trim()) as { values: Record<string, string> }).values[col]).toBe('x\ud800y');
  });

  it("lone surrogate in rowback's own cells (a database user, kept in the row's meta JSON)", async () => {
    const job = t.store.createJob({ kind: 'files', spec: { kind: 'files' }, description: 'csv', operations: ['delete'], createdBy: 'test' });
    t.store.saveJobTables(job.id, Object.values(LAYOUTS));
    const r0 = corpusRows(1)[0]!;
    t.store.stageBatch(job.id, [{ ...r0, dbUser: '\ud83dbob' }]);
    const csv = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=csv`, headers: bearer(t.tokens.viewer) });
    expect(csv.statusCode).toBe(200);
    const recs = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(recs[0]!.dbUser).toBe('\ufffdbob');
    expect(recs[0]!.warnings).toContain("rowback's column dbUser: its text holds an unpaired UTF-16 surrogate (U+D83D at offset 0)");
  });
});
