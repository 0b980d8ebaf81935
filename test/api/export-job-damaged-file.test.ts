import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CUSTOMERS_AU, customersCatalog, exportRecord, ROW_ADA } from '../support/export-fixture.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * The API's export job given an export a DBA's tools rewrote: refused at creation (400) when its
 * first bytes tell, else the job fails with the reader's one-line INPUT_BAD_EXPORT and stages
 * nothing. Before, an Excel-rounded AllocUnitId was staged and shown rounded, and a file with no
 * Begin Time column ran as if every Begin Time were NULL. SYNTHETIC export files.
 */
const CATALOG = customersCatalog();
const rec = exportRecord;
const records = (au: string) => [
  rec('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE' }),
  rec('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: au, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  rec('0000002a:000001f0:0003', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const exportJson = (recs: Record<string, unknown>[], catalog = CATALOG) => JSON.stringify({ format: 'rowback-export', version: 1, serverTimeZone: '+08:00', records: recs, catalog });

describe('an export job given a rewritten export (real worker)', () => {
  let t: TestApp | undefined;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-export-job-damaged-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });

  async function run(name: string, content: string | Buffer) {
    const file = join(dir, name);
    writeFileSync(file, content);
    t ??= await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [dir], maxAuthFailures: 1000 });
    return t.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t.tokens.operator), payload: { kind: 'export', file } });
  }

  it('the file as the script wrote it stages its row (the baseline the cases below change one thing of)', async () => {
    const r = await run('good.json', exportJson(records(CUSTOMERS_AU)));
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    const job = t!.store.requireJob(r.json().id);
    expect([job.state, job.rowsStaged]).toEqual(['succeeded', 1]);
  });

  it.each([
    ['AllocUnitId rounded to 15 digits', 'rounded.json', () => exportJson(records(CUSTOMERS_AU.slice(0, 15) + '00'), CATALOG.map((c) => ({ ...c, in_row_alloc_unit_id: CUSTOMERS_AU.slice(0, 15) + '00' }))), "cannot be an allocation unit id"],
    ['no Begin Time column', 'no-begin.json', () => exportJson(records(CUSTOMERS_AU).map((x) => Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'Begin Time')))), "record 1 has no field 'Begin Time'"],
    ['cut short', 'cut.json', () => exportJson(records(CUSTOMERS_AU)).slice(0, 300), 'the file is cut short'],
  ])('%s: the job fails with the one-line reason, nothing staged', async (_name, file, content, said) => {
    const r = await run(file, content());
    expect(r.statusCode, r.body).toBe(201);
    await t!.app.worker.idle();
    const job = t!.store.requireJob(r.json().id);
    expect(job.state).toBe('failed');
    expect(job.rowsStaged ?? 0).toBe(0);
    expect(job.error?.code).toBe('INPUT_BAD_EXPORT');
    expect(job.error?.message).toContain(said);
    expect(job.error?.message).not.toContain('\n');
    // the file it names, as the CLI's one line does (the job's error dropped it: "is cut short: …" of no file)
    expect(job.error?.message).toMatch(new RegExp(`\\(file [^)]*${file.replace('.', '\\.')}(, [^)]*)?\\)$`));
  });

  it('a result row wrapped around the JSON (Azure Data Studio) is 400 at creation, naming the field', async () => {
    const r = await run('ads.json', JSON.stringify([{ rowback_export: exportJson(records(CUSTOMERS_AU)) }], null, 4));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_BAD_EXPORT', field: 'file' });
    expect(r.json().message).toContain("holds the export as the text of a JSON string (field 'rowback_export')");
  });
});
