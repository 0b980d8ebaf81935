import { afterAll, beforeAll, expect, it } from 'vitest';
import { PAGE_MAX_CHARS } from '../../src/staging/store.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { corpusRows, LAYOUTS } from '../staging/fixtures.js';
import { describeCorpus } from '../support/corpus.js';

/**
 * Rows holding large values (a varchar(max) document of 12 M characters each, the size of a deleted
 * attachments table's rows) in the rows list and the exports. Before: a page read every row of
 * `limit` into memory and answered them as one JSON text, and the NDJSON, CSV and SQL exports joined
 * 500 lines (a whole batch, for SQL) into one string. 50 such rows passed V8's longest string
 * (~512 M characters): GET /api/jobs/1/rows?limit=50 answered 500 INTERNAL ("Invalid string length"
 * in the log), the NDJSON export 500, the SQL export stopped mid-answer (measured with 50 rows of
 * 12,000,000 characters: the review page could show none of them). Now a page holds at most
 * PAGE_MAX_CHARS characters of rows (at least one row) and `next` goes on; an export's pieces end
 * at 16 Mi characters (a row larger is a piece of its own). Measured here with 6 rows (72 M
 * characters, which the old code answered in one page and one piece): the bounds. Row layout:
 * the corpus example's dbo.T (test/staging/fixtures.ts) with Name as nvarchar(max); the values
 * are SYNTHETIC.
 */
const BIG = 12_000_000;
const ROWS = 6;
let t: TestApp;
let jobId = 0;

beforeAll(async () => {
  t = await testApp({ maxAuthFailures: 1000 });
  const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/docs.ldf' }, description: 'documents', createdBy: 'olga' });
  jobId = job.id;
  t.store.setJobState(jobId, 'running');
  const layout = LAYOUTS['dbo.T']!;
  t.store.saveJobTables(jobId, [{ ...layout, columns: layout.columns.map((c) => (c.name === 'Name' ? { ...c, maxLength: -1 } : c)) }]);
  const base = corpusRows(1)[0]!;
  for (let i = 1; i <= ROWS; i++) {
    t.store.stageBatch(jobId, [{ ...base, lsn: `0000002a:00000100:${String(i).padStart(4, '0')}`, values: { Id: i, Name: `${String(i).repeat(BIG - 2)}#${i}` } }]);
  }
  t.store.setJobState(jobId, 'succeeded');
  const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'documents of the incident', all: true } });
  expect(d.statusCode, d.body).toBe(200);
}, 120_000);
afterAll(async () => { await t.close(); });

/** The answer's body pieces as the server wrote them (payloadAsStream), and their text joined. */
async function pieces(url: string): Promise<{ status: number; sizes: number[]; text: string }> {
  const r = await t.app.inject({ url, headers: bearer(t.tokens.viewer), payloadAsStream: true });
  const parts: string[] = [];
  for await (const c of r.stream()) parts.push(Buffer.from(c as Buffer).toString('utf8'));
  return { status: r.statusCode, sizes: parts.map((p) => p.length), text: parts.join('') };
}

describeCorpus('rows holding 12 M-character values', () => {
  it('a page stops at PAGE_MAX_CHARS (at least one row) and next reaches every row once, values whole', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await t.app.inject({ url: `/api/jobs/${jobId}/rows?limit=50${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      const page = r.json() as { items: { id: number; values: { Id: number; Name: string } }[]; next: string | null };
      expect(page.items.length).toBeGreaterThan(0);
      // at most one row past the budget: the row that crossed it
      expect(r.body.length).toBeLessThan(PAGE_MAX_CHARS + BIG + 100_000);
      for (const x of page.items) {
        expect(x.values.Name.length).toBe(BIG);
        expect(x.values.Name.endsWith(`#${x.values.Id}`)).toBe(true);
        seen.push(x.id);
      }
      cursor = page.next;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(ROWS);
  }, 120_000);

  it.each(['ndjson', 'csv', 'sql'])('the %s export is written in pieces of at most 16 Mi characters (a row alone when larger), every row in it', async (format) => {
    const r = await pieces(`/api/jobs/${jobId}/export?format=${format}&table=dbo.T`);
    expect(r.status).toBe(200);
    // 500 lines of rows (a batch, for SQL) were one piece: 72 M characters here
    expect(r.sizes.reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(16 * 1024 * 1024 + BIG + 100_000);
    for (let i = 1; i <= ROWS; i++) expect(r.text).toContain(`#${i}`);
    if (format === 'ndjson') expect(r.text.trim().split('\n').map((l) => (JSON.parse(l) as { values: { Id: number } }).values.Id)).toEqual([1, 2, 3, 4, 5, 6]);
    if (format === 'sql') expect(r.text.match(/^\s*INSERT INTO \[dbo\]\.\[T\]/gm)).toHaveLength(ROWS);
  }, 120_000);
});
