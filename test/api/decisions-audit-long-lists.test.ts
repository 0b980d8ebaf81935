/**
 * GET /api/audit and GET /api/jobs/:id/decisions of a job whose decisions by ids each keep
 * 100,000 row ids (the most one decision takes: DecisionBody.ids), ~1.7 M characters apiece. The
 * audit answered up to 1,000 entries in one JSON text and the decision list every decision of the
 * job in one: a few hundred such decisions passed V8's longest string (2^29 - 24 characters), and
 * both routes answered 500 INTERNAL ('Invalid string length') — the trail of who decided what could
 * not be read through the API or the review page. Now an audit page and a decisions page end at
 * LIST_PAGE_MAX_CHARS of stored text (at least one entry) and `next` goes on; the decision list
 * without limit/after is every decision, streamed a page at a time, never one string.
 * SYNTHETIC: the decisions and their audit entries are written straight into the staging file
 * (SQL), their ids 16-digit numbers (no rows behind them: neither route reads rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_PAGE_MAX_CHARS } from '../../src/staging/store.js';
import { bearer, testApp, type TestApp } from './helpers.js';

const LIMIT = 2 ** 29 - 24;
const IDS = 100_000;
const FIRST_ID = Number.MAX_SAFE_INTEGER - IDS;

let t: TestApp;

/** Writes `n` decisions by IDS ids of job `jobId`, and each one's audit entry, straight into the staging file. */
function writeDecisions(jobId: number, n: number): void {
  const ids = Array.from({ length: IDS }, (_, i) => FIRST_ID + i);
  const selector = JSON.stringify({ ids });
  const dec = t.store.db.prepare("INSERT INTO decisions (job_id, actor, decided_at, decision, reason, selector, row_count) VALUES (?, 'rafael', '2026-01-01T00:00:00.000Z', 'approve', 'owner confirmed', ?, 100000)");
  const audit = t.store.db.prepare("INSERT INTO audit_log (at, actor, action, job_id, details) VALUES ('2026-01-01T00:00:00.000Z', 'rafael', 'rows.approve', ?, ?)");
  t.store.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = Number(dec.run(jobId, selector).lastInsertRowid);
      // the entry as decide() writes it (store.ts), its selector whole
      audit.run(jobId, `{"decisionId":${id},"reason":"owner confirmed","rows":100000,"matched":100000,"selector":${selector},"checked":null}`);
    }
  })();
}

/** The answer's body as the server wrote it, a piece at a time (never joined when `keep` is false). */
async function streamed(url: string, keep: boolean): Promise<{ status: number; pieces: number[]; chars: number; text: string; head: string; tail: string; count: (s: string) => number }> {
  const r = await t.app.inject({ url, headers: bearer(t.tokens.viewer), payloadAsStream: true });
  const pieces: number[] = [];
  const parts: string[] = [];
  let head = '';
  let tail = '';
  const counts = new Map<string, number>();
  const watch = ['"actor":"rafael"'];
  let carry = '';
  for await (const c of r.stream()) {
    const s = Buffer.from(c as Buffer).toString('utf8');
    pieces.push(s.length);
    if (keep) parts.push(s);
    if (head.length < 200) head += s.slice(0, 200 - head.length);
    tail = (tail + s.slice(-200)).slice(-200);
    // counted across pieces: a word split between two is found with the carry
    const text = carry + s;
    for (const w of watch) counts.set(w, (counts.get(w) ?? 0) + text.split(w).length - 1);
    carry = text.slice(-(Math.max(...watch.map((w) => w.length)) - 1));
  }
  const chars = pieces.reduce((a, b) => a + b, 0);
  return { status: r.statusCode, pieces, chars, text: parts.join(''), head, tail, count: (w) => counts.get(w) ?? 0 };
}

describe('decisions by 100,000 ids each: the audit and the decision list', () => {
  let jobId = 0;
  const N = 45;
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'crm', createdBy: 'olga' }).id;
    // 45 × 1.7 M characters: 76 M, which the old routes answered as one page each
    writeDecisions(jobId, N);
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('GET /api/audit?limit=1000: each page ends at LIST_PAGE_MAX_CHARS (at least one entry), next reaches every entry once, selectors whole', async () => {
    const seen: number[] = [];
    let after = 0;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(N + 2);
      const r = await streamed(`/api/audit?jobId=${jobId}&limit=1000&after=${after}`, true);
      expect(r.status, r.head).toBe(200);
      // the old route answered every entry in this first page (76 M characters), next null
      expect(r.chars).toBeLessThan(LIST_PAGE_MAX_CHARS + 2 * 1_800_000);
      const page = JSON.parse(r.text) as { items: { id: number; action: string; details: { decisionId?: number; selector?: { ids: number[] } } }[]; next: number | null };
      expect(page.items.length).toBeGreaterThan(0);
      for (const a of page.items) {
        seen.push(a.id);
        if (a.action === 'rows.approve') {
          expect(a.details.selector!.ids.length).toBe(IDS);
          expect(a.details.selector!.ids[IDS - 1]).toBe(FIRST_ID + IDS - 1);
        }
      }
      if (page.next === null) break;
      expect(page.next).toBe(page.items.at(-1)!.id);
      after = page.next;
    }
    const all = t.store.audit({ jobId, limit: 10_000 }).map((a) => a.id);
    expect(seen).toEqual(all);
    expect(all.length).toBe(N + 1); // job.create and the N decisions
  }, 120_000);

  it('GET /api/audit?action=job.create: only those actions', async () => {
    const r = await t.app.inject({ url: `/api/audit?jobId=${jobId}&action=job.create,job.notes`, headers: bearer(t.tokens.viewer) });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.json().items.map((a: { action: string }) => a.action)).toEqual(['job.create']);
    expect(r.json().next).toBeNull();
    const bad = await t.app.inject({ url: `/api/audit?jobId=${jobId}&action=JOB%20NOTES`, headers: bearer(t.tokens.viewer) });
    expect(bad.statusCode).toBe(400);
  });

  it('GET /api/jobs/:id/decisions?limit=1000: pages end at LIST_PAGE_MAX_CHARS and next reaches every decision once', async () => {
    const seen: number[] = [];
    let after = 0;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(N + 2);
      const r = await streamed(`/api/jobs/${jobId}/decisions?limit=1000&after=${after}`, true);
      expect(r.status, r.head).toBe(200);
      expect(r.chars).toBeLessThan(LIST_PAGE_MAX_CHARS + 2 * 1_800_000);
      const page = JSON.parse(r.text) as { items: { id: number; selector: { ids: number[] }; rowCount: number; heldBack: null }[]; next: number | null };
      expect(page.items.length).toBeGreaterThan(0);
      for (const d of page.items) {
        seen.push(d.id);
        expect(d.selector.ids.length).toBe(IDS);
        expect(d.rowCount).toBe(100000);
      }
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen.length).toBe(N);
    expect(new Set(seen).size).toBe(N);
  }, 120_000);

  it('GET /api/jobs/:id/decisions (no limit): every decision, streamed in pieces of one decision or less, never one string', async () => {
    const r = await streamed(`/api/jobs/${jobId}/decisions`, true);
    expect(r.status, r.head).toBe(200);
    // the old route answered it as one text of 76 M characters
    expect(Math.max(...r.pieces)).toBeLessThan(1_800_000);
    const whole = JSON.parse(r.text) as { items: { id: number; selector: { ids: number[] } }[]; next: number | null };
    expect(whole.items.length).toBe(N);
    expect(whole.next).toBeNull();
    expect(whole.items.every((d) => d.selector.ids.length === IDS)).toBe(true);
    expect(whole).toEqual({ items: t.store.decisions(jobId), next: null });
    // in decisionsPage's key order
    expect(Object.keys(whole.items[0]!)).toEqual(['id', 'actor', 'decidedAt', 'decision', 'reason', 'selector', 'rowCount', 'heldBack']);
    // limit/after out of range: 400 naming the field
    for (const q of ['limit=0', 'limit=1001', 'after=-1', 'after=1e3', 'page=2']) {
      const bad = await t.app.inject({ url: `/api/jobs/${jobId}/decisions?${q}`, headers: bearer(t.tokens.viewer) });
      expect(bad.statusCode, q).toBe(400);
    }
  }, 120_000);

  it('a job with no decisions: {items: [], next: null} either way', async () => {
    const other = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/hr.ldf' }, description: 'hr', createdBy: 'olga' }).id;
    for (const q of ['', '?limit=10']) {
      const r = await t.app.inject({ url: `/api/jobs/${other}/decisions${q}`, headers: bearer(t.tokens.viewer) });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ items: [], next: null });
    }
    const none = await t.app.inject({ url: '/api/jobs/999/decisions', headers: bearer(t.tokens.viewer) });
    expect(none.statusCode).toBe(404);
    const anon = await t.app.inject({ url: `/api/jobs/${other}/decisions` });
    expect(anon.statusCode).toBe(401);
  });
});

describe('past the longest JavaScript string', () => {
  let jobId = 0;
  // 330 × 1.7 M characters: 560 M, past V8's 2^29 - 24
  const N = 330;
  beforeAll(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'crm', createdBy: 'olga' }).id;
    writeDecisions(jobId, N);
  }, 300_000);
  afterAll(async () => { await t.close(); });

  it('GET /api/jobs/:id/decisions streams them all (it was 500 INTERNAL), and the audit pages on', async () => {
    const r = await streamed(`/api/jobs/${jobId}/decisions`, false);
    expect(r.status, r.head).toBe(200);
    expect(r.chars).toBeGreaterThan(LIMIT);
    expect(r.head.startsWith('{"items":[{"id":')).toBe(true);
    expect(r.tail.endsWith('"heldBack":null}],"next":null}'), r.tail).toBe(true);
    expect(r.count('"actor":"rafael"')).toBe(N);
    const a = await t.app.inject({ url: `/api/audit?jobId=${jobId}&limit=1000`, headers: bearer(t.tokens.viewer) });
    expect(a.statusCode, a.body.slice(0, 300)).toBe(200);
    expect(a.json().next).not.toBeNull();
  }, 300_000);
});
