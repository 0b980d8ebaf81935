import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeCorpus } from '../../support/corpus.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';
import { OFFLINE_WHO, offlineRows } from '../../staging/fixtures.js';

// Rows scanned from files have login null: who began the transaction is in their SID and database
// user, and the row filter had no field for either (a reviewer could not list, export or decide
// "what did this account delete" offline), and the blast radius put every offline row under one
// `login: null`.
describeCorpus('rows: filter by sid and dbUser (offline scans, login null)', () => {
  let t: TestApp;
  let jobId: number;
  const [win, sqlLogin, sa] = OFFLINE_WHO;
  beforeEach(async () => {
    t = await testApp({ maxAuthFailures: 1000 });
    jobId = await fakeFilesJob(t); // 120 rows with logins, sid null
    // 150 offline rows: 50 by sa (0x01, dbo), 50 by the Windows account, 50 by the SQL login
    t.store.stageBatch(jobId, offlineRows(150, 1000));
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string) => t.app.inject({ url, headers: bearer(t.tokens.viewer) });
  const rows = async (qs: string) => {
    const r = await get(`/api/jobs/${jobId}/rows?limit=1000&count=true&${qs}`);
    expect([qs, r.statusCode]).toEqual([qs, 200]);
    return r.json() as { items: { meta: { sid: string | null; sidText?: string; dbUser?: string } }[]; total: number };
  };

  it('sid matches either stored form, in hex of any case with or without 0x or as S-1-…; nothing else', async () => {
    for (const form of [win.sid, win.sid.toLowerCase(), win.sid.slice(2), win.sidText, win.sidText.toLowerCase()]) {
      const r = await rows(`sid=${encodeURIComponent(form)}`);
      expect([form, r.total, r.items.length]).toEqual([form, 50, 50]);
      expect(r.items.every((x) => x.meta.sid === win.sid && x.meta.sidText === win.sidText)).toBe(true);
    }
    // a row whose SID is kept in hex only (no sidText) is still found by its hex
    expect((await rows(`sid=${sqlLogin.sid.slice(2).toLowerCase()}`)).total).toBe(50);
    expect((await rows('sid=0x01')).items.every((x) => x.meta.sid === '0x01')).toBe(true);
    expect((await rows('sid=0x01')).total).toBe(50);
    // a SID of no row: none (not every row); an empty sid is refused, never read as no filter (rows-empty-filter.test.ts)
    expect((await rows('sid=0x02')).total).toBe(0);
    expect((await get(`/api/jobs/${jobId}/rows?sid=`)).json()).toMatchObject({ code: 'INPUT_VALIDATION', field: 'querystring.sid' });
  });

  it('a sid in no form rowback reads is one clear 400 naming the field', async () => {
    for (const bad of ['0x0', 'S-1-5-x', 'alice', '0xZZ']) {
      const r = await get(`/api/jobs/${jobId}/rows?sid=${encodeURIComponent(bad)}`);
      expect([bad, r.statusCode, r.json().code, r.json().field]).toEqual([bad, 400, 'INPUT_BAD_SID', 'querystring.sid']);
      expect(r.json().message).toMatch(/is not a SID: give hex .* or the Windows form S-1-5-21-/);
    }
  });

  it('dbUser is exact but case-insensitive, non-ASCII letters too', async () => {
    expect((await rows(`dbUser=${encodeURIComponent(win.dbUser)}`)).total).toBe(50);
    expect((await rows(`dbUser=${encodeURIComponent('crm\\äRGER')}`)).total).toBe(50);
    expect((await rows('dbUser=BATCHJOB')).items.every((x) => x.meta.dbUser === 'batchjob')).toBe(true);
    expect((await rows('dbUser=BATCHJOB')).total).toBe(50);
    expect((await rows('dbUser=batch')).total).toBe(0); // not a prefix or a part
    expect((await rows(`dbUser=dbo&sid=${encodeURIComponent(sa.sid)}`)).total).toBe(50);
    expect((await rows(`dbUser=dbo&sid=${encodeURIComponent(win.sidText)}`)).total).toBe(0);
  });

  it('a page cursor of one sid or dbUser is refused under another; the same SID in another form pages on', async () => {
    const first = (await get(`/api/jobs/${jobId}/rows?limit=20&sid=${win.sid}`)).json();
    expect(first.next).toBeTruthy();
    for (const q of [`sid=${sqlLogin.sid}`, 'dbUser=dbo', '']) {
      const x = await get(`/api/jobs/${jobId}/rows?limit=20&cursor=${first.next}&${q}`);
      expect([q, x.statusCode, x.json().code]).toEqual([q, 400, 'STAGING_BAD_CURSOR']);
    }
    const seen = first.items.map((r: { id: number }) => r.id);
    let cursor: string | null = first.next;
    for (const form of [win.sidText, win.sid.slice(2).toLowerCase()]) {
      const r = await get(`/api/jobs/${jobId}/rows?limit=20&cursor=${cursor}&sid=${encodeURIComponent(form)}`);
      expect(r.statusCode).toBe(200);
      seen.push(...r.json().items.map((x: { id: number }) => x.id));
      cursor = r.json().next;
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(50);
    const byUser = (await get(`/api/jobs/${jobId}/rows?limit=20&dbUser=BatchJob`)).json();
    expect((await get(`/api/jobs/${jobId}/rows?limit=20&dbUser=batchjob&cursor=${byUser.next}`)).statusCode).toBe(200);
    expect((await get(`/api/jobs/${jobId}/rows?limit=20&dbUser=dbo&cursor=${byUser.next}`)).json().code).toBe('STAGING_BAD_CURSOR');
  });

  it('the export (every format) and a bulk decision take sid and dbUser', async () => {
    const nd = await get(`/api/jobs/${jobId}/export?format=ndjson&sid=${encodeURIComponent(win.sidText)}`);
    const lines = nd.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(50);
    expect(lines.every((l) => l.sid === win.sid)).toBe(true);
    const csv = await get(`/api/jobs/${jobId}/export?format=csv&dbUser=DBO`);
    expect(csv.body.trim().split('\n')).toHaveLength(51); // header + 50
    for (const format of ['sql', 'undo-sql']) {
      const s = await get(`/api/jobs/${jobId}/export?format=${format}&sid=${sqlLogin.sid}`);
      expect([format, s.statusCode]).toEqual([format, 200]);
      expect(s.body).toContain(`job ${jobId} (50 rows)`);
    }
    expect((await get(`/api/jobs/${jobId}/export?format=csv&sid=nope`)).json().code).toBe('INPUT_BAD_SID');

    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'the batch job account', filter: { sid: sqlLogin.sid.toLowerCase() } } });
    expect([d.statusCode, d.json().rows]).toEqual([200, 50]);
    const u = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'reject', reason: 'dbo cleaned up on purpose', filter: { dbUser: 'DBO' } } });
    expect([u.statusCode, u.json().rows]).toEqual([200, 50]);
    expect((await rows('status=approved')).items.every((x) => x.meta.sid === sqlLogin.sid)).toBe(true);
    expect((await rows('status=rejected')).items.every((x) => x.meta.dbUser === 'dbo')).toBe(true);
    const bad = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'typo', filter: { sid: 'S-1-5-21-' } } });
    expect([bad.statusCode, bad.json().code, bad.json().field]).toEqual([400, 'INPUT_BAD_SID', 'body.filter.sid']);
  });

  it('the blast radius tells offline rows apart by SID and database user instead of one login: null', async () => {
    const b = (await get(`/api/jobs/${jobId}/blast-radius`)).json();
    expect(b.byLogin.filter((x: { login: string | null }) => x.login === null)).toEqual(expect.arrayContaining([
      { login: null, sid: win.sid, sidText: win.sidText, dbUser: win.dbUser, rows: 50 },
      { login: null, sid: sqlLogin.sid, sidText: null, dbUser: sqlLogin.dbUser, rows: 50 },
      { login: null, sid: sa.sid, sidText: null, dbUser: sa.dbUser, rows: 50 },
    ]));
    expect(b.byLogin).toHaveLength(6); // three logins, three offline accounts
    expect(b.byLogin).toEqual(expect.arrayContaining([{ login: 'sa', sid: null, sidText: null, dbUser: null, rows: 50 }]));
    expect(b.byTransaction.find((x: { sid: string | null }) => x.sid === win.sid)).toMatchObject({ login: null, dbUser: win.dbUser, rows: 50 });
  });
});
