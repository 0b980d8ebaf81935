import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/logreader/log-record.js';
import { readLdfRecords, emptyLogScanStats } from '../../src/logreader/ldf/reader.js';
import { PageSlotModel } from '../../src/recover/page-model.js';
import {
  applyModifyColumns, applyModifyRow, lockDescriptorOf, modifyColumnsElements, parseModifyColumns,
  RECOVER_UPDATE_BASE_MISMATCH, RECOVER_UPDATE_NO_BASE, RECOVER_UPDATE_UNSUPPORTED, type UpdateRebuild,
} from '../../src/recover/update-rebuild.js';
import { corpusPath, describeCorpus, readCorpusJson } from '../support/corpus.js';

const hx = (s: string) => Uint8Array.from(Buffer.from(s.replace(/^0x/i, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('applyModifyRow (SYNTHETIC bytes)', () => {
  // SYNTHETIC: a 10-byte "row" made up for splice arithmetic; no SQL Server wrote it.
  const base = hx('30000800aabbccdd0000');
  const cases: Array<{ name: string; off: number; size: number; before: string; after: string; want: string | { code: string } }> = [
    { name: 'same size', off: 4, size: 2, before: 'aabb', after: '1122', want: '300008001122ccdd0000' },
    { name: 'grows', off: 4, size: 1, before: 'aa', after: '112233', want: '30000800112233bbccdd0000' },
    { name: 'shrinks', off: 4, size: 4, before: 'aabbccdd', after: '11', want: '30000800110000' },
    { name: 'at the end, nothing before', off: 10, size: 0, before: '', after: '99', want: '30000800aabbccdd000099' },
    { name: 'before bytes differ', off: 4, size: 2, before: 'aabc', after: '1122', want: { code: RECOVER_UPDATE_BASE_MISMATCH } },
    { name: 'runs past the row', off: 9, size: 2, before: '0000', after: '1122', want: { code: RECOVER_UPDATE_BASE_MISMATCH } },
    { name: 'Modify Size disagrees with the before bytes', off: 4, size: 3, before: 'aabb', after: '11', want: { code: RECOVER_UPDATE_UNSUPPORTED } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = applyModifyRow(base, c.off, c.size, hx(c.before), hx(c.after));
      if (typeof c.want === 'string') {
        expect(r.ok).toBe(true);
        if (r.ok) expect(toHex(r.image)).toBe(c.want);
      } else {
        expect(r).toMatchObject({ ok: false, code: c.want.code });
      }
    });
  }
  it('never changes the base it was given', () => {
    applyModifyRow(base, 4, 2, hx('aabb'), hx('1122'));
    expect(toHex(base)).toBe('30000800aabbccdd0000');
  });
});

describe('LOP_MODIFY_COLUMNS regions (SYNTHETIC bytes)', () => {
  // SYNTHETIC element arrays in the layout element 0 = (before, after) offset pairs, element 1 = before lengths.
  const u16s = (...n: number[]) => Uint8Array.from(n.flatMap((v) => [v & 0xff, v >> 8]));
  const base = hx('3000080001020304050607'); // SYNTHETIC, 11 bytes
  it('applies two regions, the second shifted by the first one growing', () => {
    const parsed = parseModifyColumns([u16s(4, 4, 8, 9), u16s(1, 2), hx(''), hx('01'), hx('01'), hx('aaaa'), hx('0506'), hx('bbbbbb')]);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.regions.map((r) => [r.beforeOffset, r.afterOffset, r.beforeLength])).toEqual([[4, 4, 1], [8, 9, 2]]);
    const r = applyModifyColumns(base, parsed.regions);
    expect(r.ok && toHex(r.image)).toBe('30000800aaaa020304bbbbbb07');
  });
  const bad: Array<{ name: string; els: Uint8Array[]; code: string | 'parse' }> = [
    { name: 'before bytes differ', els: [u16s(4, 4), u16s(1), hx(''), hx(''), hx('02'), hx('aa')], code: RECOVER_UPDATE_BASE_MISMATCH },
    { name: 'after offset does not follow', els: [u16s(4, 5), u16s(1), hx(''), hx(''), hx('01'), hx('aa')], code: RECOVER_UPDATE_BASE_MISMATCH },
    { name: 'overlapping regions', els: [u16s(4, 4, 4, 4), u16s(2, 1), hx(''), hx(''), hx('0102'), hx('aa'), hx('01'), hx('bb')], code: RECOVER_UPDATE_BASE_MISMATCH },
    { name: 'length disagrees with the before bytes', els: [u16s(4, 4), u16s(2), hx(''), hx(''), hx('01'), hx('aa')], code: RECOVER_UPDATE_UNSUPPORTED },
    { name: 'too few elements', els: [u16s(4, 4), u16s(1), hx(''), hx('')], code: 'parse' },
    { name: 'odd offset element', els: [hx('040004'), u16s(1), hx(''), hx(''), hx('01'), hx('aa')], code: 'parse' },
  ];
  for (const c of bad) {
    it(`refuses: ${c.name}`, () => {
      const parsed = parseModifyColumns(c.els);
      if (c.code === 'parse') {
        expect(typeof parsed).toBe('string');
        return;
      }
      if (typeof parsed === 'string') throw new Error(parsed);
      expect(applyModifyColumns(base, parsed.regions)).toMatchObject({ ok: false, code: c.code });
    });
  }
});

/** SYNTHETIC log records for the slot model: only the fields the model reads. */
let n = 0;
function rec(op: string, ctx: string, slot: number, page: PageChain, extra: Partial<LogRecord> = {}): LogRecord {
  const lsn = `00000001:00000001:${(++n).toString(16).padStart(4, '0')}`;
  const r: LogRecord = { 'Current LSN': lsn, Operation: op, Context: ctx, 'Transaction ID': '0000:00000001', 'Page ID': page.id, 'Slot ID': slot, 'Previous Page LSN': page.last, ...extra };
  page.last = lsn;
  return r;
}
interface PageChain { id: string; last: string }
const newPage = (id = '0001:00000100'): PageChain => ({ id, last: '00000000:00000000:0000' });
const ins = (p: PageChain, slot: number, img: string, ctx = 'LCX_CLUSTERED', lock?: string) =>
  rec('LOP_INSERT_ROWS', ctx, slot, p, { 'RowLog Contents 0': hx(img), ...(lock ? { 'RowLog Contents 2': hx(lock) } : {}) });
const ghost = (p: PageChain, slot: number, img: string) => rec('LOP_DELETE_ROWS', 'LCX_MARK_AS_GHOST', slot, p, { 'RowLog Contents 0': hx(img) });
const expunge = (p: PageChain, slot: number) => rec('LOP_EXPUNGE_ROWS', 'LCX_CLUSTERED', slot, p);
const mod = (p: PageChain, slot: number, off: number, before: string, after: string, ctx = 'LCX_CLUSTERED', lock?: string) =>
  rec('LOP_MODIFY_ROW', ctx, slot, p, { 'Offset in Row': off, 'Modify Size': before.length / 2, 'RowLog Contents 0': hx(before), 'RowLog Contents 1': hx(after), ...(lock ? { 'RowLog Contents 3': hx(lock) } : {}) });

function rebuilt(r: UpdateRebuild | undefined): [string, string] {
  if (!r || r.kind !== 'rebuilt') throw new Error(`not rebuilt: ${JSON.stringify(r)}`);
  return [toHex(r.before), toHex(r.after)];
}

describe('PageSlotModel (SYNTHETIC records and row bytes)', () => {
  it('clustered: an insert at slot s moves later slots up; ghost + expunge removes the slot', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa'));
    m.apply(ins(p, 1, '300001cc'));
    m.apply(ins(p, 1, '300001bb')); // bb now at 1, cc at 2
    expect(rebuilt(m.apply(mod(p, 2, 3, 'cc', 'c1')))).toEqual(['300001cc', '300001c1']);
    m.apply(ghost(p, 0, '300001aa'));
    m.apply(expunge(p, 0)); // bb at 0, c1 at 1
    expect(rebuilt(m.apply(mod(p, 1, 3, 'c1', 'c2')))).toEqual(['300001c1', '300001c2']);
    expect(rebuilt(m.apply(mod(p, 0, 3, 'bb', 'b1')))).toEqual(['300001bb', '300001b1']);
  });

  it('a row that predates the log has no base; rows inserted before it in key order still track', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 3, '300001dd')); // slots 0-2 unknown
    expect(m.apply(mod(p, 0, 3, 'aa', 'a1'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
    m.apply(ins(p, 1, '300001bb')); // dd moves to 4
    expect(m.apply(mod(p, 3, 3, 'dd', 'd1'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
    expect(rebuilt(m.apply(mod(p, 4, 3, 'dd', 'd1')))).toEqual(['300001dd', '300001d1']);
  });

  it('before bytes that do not match are refused and the page is forgotten', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa'));
    m.apply(ins(p, 1, '300001bb'));
    const r = m.apply(mod(p, 0, 3, 'ab', 'a1'));
    expect(r).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_BASE_MISMATCH });
    if (r?.kind === 'skipped') expect(r.reason).toMatch(/page 0001:00000100 slot 0 at LSN .*holds AA at offset 3, the log's before bytes are AB/);
    expect(m.apply(mod(p, 1, 3, 'bb', 'b1'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
  });

  it('a broken page-LSN chain (a change the model did not see) forgets the page', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa'));
    p.last = '00000009:00000009:0009'; // some record on this page was not read
    expect(m.apply(mod(p, 0, 3, 'aa', 'a1'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
  });

  it('a lock descriptor that differs from the base row’s means another row: refused', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa', 'LCX_CLUSTERED', '0101000c01'));
    expect(m.apply(mod(p, 0, 3, 'aa', 'a1', 'LCX_CLUSTERED', '0101000c02'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_BASE_MISMATCH });
    const q = newPage('0001:00000101');
    m.apply(ins(q, 0, '300001aa', 'LCX_CLUSTERED', '0101000c01'));
    expect(rebuilt(m.apply(mod(q, 0, 3, 'aa', 'a1', 'LCX_CLUSTERED', '0101000c01')))).toEqual(['300001aa', '300001a1']);
  });

  it('a modify of a ghosted row is refused', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa'));
    m.apply(ghost(p, 0, '300001aa'));
    expect(m.apply(mod(p, 0, 3, 'aa', 'a1'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_BASE_MISMATCH });
  });

  it('heap: slots never move; a delete empties one slot', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa', 'LCX_HEAP'));
    m.apply(ins(p, 1, '300001bb', 'LCX_HEAP'));
    m.apply(rec('LOP_DELETE_ROWS', 'LCX_HEAP', 0, p, { 'RowLog Contents 0': hx('300001aa') }));
    expect(m.apply(mod(p, 0, 3, 'aa', 'a1', 'LCX_HEAP'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
    expect(rebuilt(m.apply(mod(p, 1, 3, 'bb', 'b1', 'LCX_HEAP')))).toEqual(['300001bb', '300001b1']);
  });

  it('a page split (LOP_DELETE_SPLIT) forgets the page; LOP_MODIFY_HEADER keeps it', () => {
    const m = new PageSlotModel();
    const p = newPage();
    m.apply(ins(p, 0, '300001aa'));
    m.apply(rec('LOP_MODIFY_HEADER', 'LCX_CLUSTERED', 0, p));
    expect(rebuilt(m.apply(mod(p, 0, 3, 'aa', 'a1')))).toEqual(['300001aa', '300001a1']);
    m.apply(rec('LOP_DELETE_SPLIT', 'LCX_CLUSTERED', 0, p));
    expect(m.apply(mod(p, 0, 3, 'a1', 'a2'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
  });

  it('memory stays bounded: least recently touched pages are evicted (and so forgotten)', () => {
    const m = new PageSlotModel({ maxPages: 2 });
    const pages = [newPage('0001:00000001'), newPage('0001:00000002'), newPage('0001:00000003')];
    for (const p of pages) m.apply(ins(p, 0, '300001aa'));
    expect(m.size).toBe(2);
    expect(m.stats.evicted).toBe(1);
    expect(m.apply(mod(pages[0], 0, 3, 'aa', 'a1'))).toMatchObject({ kind: 'skipped', code: RECOVER_UPDATE_NO_BASE });
    expect(rebuilt(m.apply(mod(pages[2], 0, 3, 'aa', 'a1')))).toEqual(['300001aa', '300001a1']);
  });
});

describeCorpus('real row images', () => {
  it('sqlmaestros: a LOP_MODIFY_ROW applied to the real after-image row (change bytes SYNTHETIC)', () => {
    const ex = readCorpusJson<{ hex: string }>('text-examples/sqlmaestros-modify-row-contents1.json');
    const row = hx(ex.hex); // real: id 1, firstname 'amit  ', lastname 'bansal'
    // 'amit' sits at offset 8 (4-byte header + int id).
    const r = applyModifyRow(row, 8, 4, hx('616d6974'), hx('6a6f686e')); // SYNTHETIC change 'amit' → 'john'
    expect(r.ok && toHex(r.image)).toBe(toHex(row).replace('616d6974', '6a6f686e'));
    expect(applyModifyRow(row, 8, 4, hx('6a6f686e'), hx('616d6974'))).toMatchObject({ ok: false, code: RECOVER_UPDATE_BASE_MISMATCH });
  });

  it('Database1_log.ldf: every dbo.tblDept modify is rebuilt; each after image is the next full image of that row', async () => {
    const m = new PageSlotModel();
    const TBLDEPT = '72057594043629568';
    const results: Array<{ lsn: string; lock: string; r: UpdateRebuild }> = [];
    const fullImages: Array<{ lsn: string; lock: string; image: string }> = [];
    let columnsChecked = 0;
    for await (const r of readLdfRecords(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), {}, emptyLogScanStats())) {
      const out = m.apply(r);
      if (r.AllocUnitId !== TBLDEPT) continue;
      const lock = toHex(lockDescriptorOf(r) ?? new Uint8Array());
      if (out) results.push({ lsn: r['Current LSN'], lock, r: out });
      if ((r.Operation === 'LOP_INSERT_ROWS' || r.Operation === 'LOP_DELETE_ROWS') && r['RowLog Contents 0']) fullImages.push({ lsn: r['Current LSN'], lock, image: toHex(r['RowLog Contents 0']) });
      if (r.Operation === 'LOP_MODIFY_COLUMNS') {
        const parsed = parseModifyColumns(modifyColumnsElements(r)!);
        if (typeof parsed === 'string') throw new Error(parsed);
        expect(parsed.regions.length).toBe(2);
        columnsChecked++;
      }
    }
    expect(columnsChecked).toBe(5);
    expect(results).toHaveLength(10);
    for (const [i, x] of results.entries()) {
      const [before, after] = rebuilt(x.r);
      // The before image is the row's previous full image: its insert, or the previous modify's after.
      const prevModify = results.slice(0, i).reverse().find((y) => y.lock === x.lock);
      const prevFull = fullImages.filter((f) => f.lock === x.lock && f.lsn < x.lsn).at(-1);
      const expectedBefore = prevModify && (!prevFull || prevModify.lsn > prevFull.lsn) ? rebuilt(prevModify.r)[1] : prevFull!.image;
      expect(before, `before image of ${x.lsn}`).toBe(expectedBefore);
      // The after image is what the next modify starts from, or what the row's delete logs.
      const nextModify = results.slice(i + 1).find((y) => y.lock === x.lock);
      const nextFull = fullImages.find((f) => f.lock === x.lock && f.lsn > x.lsn)!;
      if (nextModify && nextModify.lsn < nextFull.lsn) expect(after).toBe(rebuilt(nextModify.r)[0]);
      else expect(after, `after image of ${x.lsn} vs delete ${nextFull.lsn}`).toBe(nextFull.image);
    }
  });
});

describe('committedCandidates onRecord hook (SYNTHETIC records)', () => {
  it('the page model sees every transaction (an aborted insert still shapes the page); the rebuild rides on the committed candidate', async () => {
    const { committedCandidates } = await import('../../src/recover/committed.js');
    const { catalogFromLayouts } = await import('../../src/recover/source.js');
    const AU = '72057594043367424';
    const catalog = catalogFromLayouts([{ schema: 'dbo', name: 'T', indexId: 1, compression: 'NONE', columns: [], allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' }] }]);
    const p = newPage();
    const withTxn = (r: LogRecord, xid: string): LogRecord => ({ ...r, 'Transaction ID': xid, AllocUnitId: AU });
    const log: LogRecord[] = [
      { 'Current LSN': '00000001:00000000:0001', Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:00000001' },
      withTxn(ins(p, 0, '300001aa'), '0000:00000001'),
      { 'Current LSN': '00000001:00000000:0002', Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:00000001' },
      withTxn(ins(p, 0, '300001bb'), '0000:00000002'), // never commits: aa moves to slot 1 all the same
      { 'Current LSN': '00000001:00000000:0003', Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:00000003' },
      withTxn(mod(p, 1, 3, 'aa', 'a1'), '0000:00000003'),
      { 'Current LSN': '00000001:00000000:0004', Operation: 'LOP_COMMIT_XACT', Context: 'LCX_NULL', 'Transaction ID': '0000:00000003' },
    ];
    const model = new PageSlotModel();
    const got = [];
    for await (const c of committedCandidates(async function* () { yield* log; }, { operations: ['update'] }, catalog, { onRecord: (r) => model.apply(r) })) got.push(c);
    expect(got).toHaveLength(1);
    expect(rebuilt((got[0] as { rebuild?: UpdateRebuild }).rebuild)).toEqual(['300001aa', '300001a1']);
  });
});
