import { expect, it } from 'vitest';
import type { StagingStore } from '../../src/staging/store.js';
import { describeCorpus } from '../support/corpus.js';
import { tempStore } from '../support/temp-store.js';
import { corpusRows } from './fixtures.js';

// A table name, login, transaction name or transaction id holding an unpaired UTF-16 surrogate
// (SYNTHETIC names on real corpus rows; nvarchar holds a name cut between the two halves of a
// pair): stored as SQLite TEXT through better-sqlite3's UTF-8 they came back as U+FFFD, and a
// filter by the name as the API had shown it matched nothing. Now they round-trip exactly.
describeCorpus('StagingStore: text columns holding an unpaired surrogate', () => {
  const env = tempStore('rowback-staging-');

  const TABLE = 'dbo.Pay\ud83d';
  const LOGIN = 'CRM\\Al\udc00ice';
  const NAME = 'DELETE \ud83d';
  const TXN = '0000:\ud800';

  const stage = () => {
    const { store } = env;
    const job = store.createJob({ kind: 'files', spec: {}, description: 'surrogates', createdBy: 'op' });
    const [a, b, c] = corpusRows(3);
    store.stageBatch(job.id, [
      { ...a!, table: TABLE, login: LOGIN, transactionName: NAME, transactionId: TXN },
      { ...b!, login: 'CRM\\Al\ufffdice' }, // the U+FFFD spelling itself: a different login
      c!,
    ]);
    return job.id;
  };

  it('table, login, transaction name and id read back exactly (listRows, getRow, iterateRows)', () => {
    const { store } = env;
    const jobId = stage();
    const [first] = store.listRows(jobId, {}).items;
    expect(first).toMatchObject({ table: TABLE, login: LOGIN, transactionName: NAME, transactionId: TXN });
    expect(store.getRow(jobId, first!.id)).toMatchObject({ table: TABLE, login: LOGIN, transactionName: NAME, transactionId: TXN });
    expect([...store.iterateRows(jobId, {})][0]).toMatchObject({ table: TABLE, login: LOGIN, transactionName: NAME, transactionId: TXN });
    // the other rows' plain text is stored as before (TEXT)
    expect(store.listRows(jobId, {}).items[1]!.login).toBe('CRM\\Al\ufffdice');
  });

  it('filters: exact, then case-insensitive, then the U+FFFD form a query string makes of it', () => {
    const { store } = env;
    const jobId = stage();
    const ids = (f: Parameters<StagingStore['listRows']>[1]) => store.listRows(jobId, f).items.map((r) => r.lsn);
    const [a, b] = corpusRows(2);
    expect(ids({ table: TABLE })).toEqual([a!.lsn]);
    expect(ids({ login: LOGIN })).toEqual([a!.lsn]);
    expect(ids({ login: LOGIN.toUpperCase() })).toEqual([a!.lsn]);
    expect(ids({ transactionId: TXN })).toEqual([a!.lsn]);
    // the U+FFFD spelling is a login of its own row: exact first, so the two stay apart
    expect(ids({ login: 'CRM\\Al\ufffdice' })).toEqual([b!.lsn]);
    // letter case aside, the U+FFFD login comes first; the U+FFFD form stands for a surrogate only when no spelling matches
    expect(ids({ login: 'crm\\al\ufffdice' })).toEqual([b!.lsn]);
    expect(ids({ transactionId: '0000:\ufffd' })).toEqual([a!.lsn]);
    expect(store.countRows(jobId, { login: LOGIN })).toBe(1);
  });

  it('a value holding a surrogate of its own is matched exactly: its U+FFFD form takes no other login', () => {
    const { store } = env;
    const jobId = stage();
    // CRM\Al\udc01ice is no login of the job (a JSON body carries it exactly): it matched both
    // CRM\Al\udc00ice and CRM\Al\ufffdice by their U+FFFD form
    const other = 'CRM\\Al\udc01ice';
    expect(store.listRows(jobId, { login: other }).items).toEqual([]);
    expect(store.countRows(jobId, { login: other })).toBe(0);
    expect(store.listRows(jobId, { transactionId: '0000:\ud801' }).items).toEqual([]);
    const decided = store.decide(jobId, { actor: 'rev', decision: 'reject', reason: 'wrong login', filter: { login: other } });
    expect(decided).toMatchObject({ rows: 0 });
    expect(store.listRows(jobId, { status: 'rejected' }).items).toEqual([]);
  });

  it('U+FFFD standing for two different surrogates (two logins) is refused as ambiguous: list, count and decision', () => {
    const { store } = env;
    const job = store.createJob({ kind: 'files', spec: {}, description: 'two surrogate logins', createdBy: 'op' });
    const [a, b] = corpusRows(2);
    store.stageBatch(job.id, [{ ...a!, login: 'CRM\\Bo\ud800b' }, { ...b!, login: 'CRM\\Bo\udc00b' }]);
    const asked = { login: 'CRM\\Bo\ufffdb' };
    expect(() => store.listRows(job.id, asked)).toThrow(/U\+FFFD stands for an unpaired surrogate in 2 different values/);
    expect(() => store.countRows(job.id, asked)).toThrow(/U\+D800 at offset 6.*U\+DC00 at offset 6/);
    expect(() => store.decide(job.id, { actor: 'rev', decision: 'reject', reason: 'which one?', filter: asked })).toThrow(/give the value exactly/);
    expect(store.listRows(job.id, { status: 'rejected' }).items).toEqual([]);
    // each exactly, and one alone by its U+FFFD form, still match
    expect(store.listRows(job.id, { login: 'CRM\\Bo\ud800b' }).items.map((r) => r.lsn)).toEqual([a!.lsn]);
    const one = store.createJob({ kind: 'files', spec: {}, description: 'one surrogate login', createdBy: 'op' });
    store.stageBatch(one.id, [{ ...a!, login: 'CRM\\Bo\ud800b' }, { ...b!, login: 'CRM\\Bo\ud800B' }]);
    expect(store.countRows(one.id, asked)).toBe(2); // letter case aside, one login
  });

  it('the blast radius names them exactly', () => {
    const { store } = env;
    const jobId = stage();
    const b = store.blastRadius(jobId);
    expect(b.byTable.map((t) => t.table)).toContain(TABLE);
    expect(b.byLogin.map((t) => t.login)).toContain(LOGIN);
    expect(b.byTransaction.find((t) => t.transactionId === TXN)).toMatchObject({ login: LOGIN, rows: 1 });
  });
});
