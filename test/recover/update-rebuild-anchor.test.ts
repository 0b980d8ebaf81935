import { describe, expect, it } from 'vitest';
import { MdfPageSource } from '../../src/datafile/mdf-source.js';
import { emptyLogScanStats, readLdfRecords } from '../../src/logreader/ldf/reader.js';
import { anchorOnDataFile, walkBack, type JournalEntry } from '../../src/recover/page-model-anchor.js';
import { PageSlotModel } from '../../src/recover/page-model.js';
import type { RebuildCandidate, UpdateRebuild } from '../../src/recover/update-rebuild.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/** The backward walk from a data-file page's current slots. Bytes in the first block are SYNTHETIC. */
const hx = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const L = (n: number) => `00000001:00000001:${n.toString(16).padStart(4, '0')}`;

function chain(entries: Array<Omit<JournalEntry, 'lsn' | 'prevPageLsn'>>): JournalEntry[] {
  return entries.map((e, i) => ({ ...e, lsn: L(i + 1), prevPageLsn: L(i) }));
}
const live = (h: string) => ({ image: hx(h), ghost: false });
const modify = (slot: number, offset: number, before: string, after: string): Omit<JournalEntry, 'lsn' | 'prevPageLsn'> =>
  ({ op: 'LOP_MODIFY_ROW', context: 'LCX_CLUSTERED', slot, offset, modifySize: before.length / 2, c0: hx(before), c1: hx(after) });
const insert = (slot: number, img: string): Omit<JournalEntry, 'lsn' | 'prevPageLsn'> => ({ op: 'LOP_INSERT_ROWS', context: 'LCX_CLUSTERED', slot, c0: hx(img) });

describe('walkBack (SYNTHETIC pages and records)', () => {
  it('undoes later inserts, then rebuilds the update from the current row', () => {
    const j = chain([modify(0, 3, 'aa', 'a1a1'), insert(1, '300001bb'), insert(0, '300001cc')]);
    const w = walkBack(j, { slots: [live('300001cc'), live('300001a1a1'), live('300001bb')], lsn: L(3) }, L(1));
    if (typeof w === 'string') throw new Error(w);
    const got = w.rebuilt.get(L(1))!;
    expect([toHex(got.before), toHex(got.after)]).toEqual(['300001aa', '300001a1a1']);
  });

  it('brings a ghosted-then-expunged row back through its delete image', () => {
    const j = chain([
      modify(1, 3, 'bb', 'b1'),
      { op: 'LOP_DELETE_ROWS', context: 'LCX_MARK_AS_GHOST', slot: 0, c0: hx('300001aa') },
      { op: 'LOP_EXPUNGE_ROWS', context: 'LCX_CLUSTERED', slot: 0 },
    ]);
    const w = walkBack(j, { slots: [live('300001b1')], lsn: L(3) }, L(1));
    if (typeof w === 'string') throw new Error(w);
    expect(toHex(w.rebuilt.get(L(1))!.before)).toBe('300001bb');
  });

  it('undoes LOP_MODIFY_COLUMNS regions', () => {
    const j = chain([{
      op: 'LOP_MODIFY_COLUMNS', context: 'LCX_CLUSTERED', slot: 0,
      regions: [{ beforeOffset: 3, afterOffset: 3, beforeLength: 1, before: hx('aa'), after: hx('a1a2') }, { beforeOffset: 5, afterOffset: 6, beforeLength: 0, before: hx(''), after: hx('ff') }],
    }]);
    const w = walkBack(j, { slots: [live('300001a1a2ccff')], lsn: L(1) }, L(1));
    if (typeof w === 'string') throw new Error(w);
    expect(toHex(w.rebuilt.get(L(1))!.before)).toBe('300001aacc');
  });

  const refusals: Array<{ name: string; j: JournalEntry[]; slots: Array<{ image: Uint8Array; ghost: boolean } | undefined>; lsn: string; why: RegExp }> = [
    { name: 'data file of another moment (m_lsn ≠ last change)', j: chain([modify(0, 3, 'aa', 'a1')]), slots: [live('300001a1')], lsn: L(9), why: /not of the same moment/ },
    {
      name: 'a page change missing from the log',
      j: [{ ...chain([modify(0, 3, 'aa', 'a1')])[0] }, { ...chain([insert(1, '300001bb')])[0], lsn: L(2), prevPageLsn: L(7) }],
      slots: [live('300001a1'), live('300001bb')], lsn: L(2), why: /chain broken/,
    },
    { name: 'the slot does not hold the inserted image', j: chain([modify(0, 3, 'aa', 'a1'), insert(1, '300001bb')]), slots: [live('300001a1'), live('300001bc')], lsn: L(2), why: /inserted image/ },
    { name: 'after bytes differ from the current row', j: chain([modify(0, 3, 'aa', 'a1')]), slots: [live('300001a2')], lsn: L(1), why: /before bytes/ },
    { name: 'a page split in the stretch', j: chain([modify(0, 3, 'aa', 'a1'), { op: 'LOP_DELETE_SPLIT', context: 'LCX_CLUSTERED', slot: 1 }]), slots: [live('300001a1')], lsn: L(2), why: /LOP_DELETE_SPLIT is not followed/ },
  ];
  for (const c of refusals) {
    it(`refuses: ${c.name}`, () => {
      const w = walkBack(c.j, { slots: c.slots, lsn: c.lsn }, L(1));
      expect(typeof w).toBe('string');
      expect(w).toMatch(c.why);
    });
  }
});

describeCorpus('walkBack on real bytes', () => {
  it('Database1: walking page 0001:00000121 back from the .mdf gives the same 10 tblDept updates as the forward model, byte for byte', async () => {
    const ldf = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const open = () => readLdfRecords(ldf, {}, emptyLogScanStats());
    const model = new PageSlotModel();
    const forward = new Map<string, UpdateRebuild>();
    const pending: RebuildCandidate[] = [];
    const txn = { transactionId: '', beginTime: null, endTime: null, name: null, sid: null, login: null, spid: null };
    for await (const r of open()) {
      const x = model.apply(r);
      if (x && r.AllocUnitId === '72057594043629568') {
        forward.set(r['Current LSN'], x);
        pending.push({ record: r, txn });
      }
    }
    expect(pending).toHaveLength(10);
    const pages = new MdfPageSource(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    try {
      // The walk passes back over later inserts, ghosting deletes and expunges of that page.
      const anchored = await anchorOnDataFile(pending, open, pages);
      for (const c of anchored) {
        const f = forward.get(c.record['Current LSN'])!;
        if (c.rebuild?.kind !== 'rebuilt' || f.kind !== 'rebuilt') throw new Error(`${c.record['Current LSN']}: ${JSON.stringify(c.rebuild)}`);
        expect(toHex(c.rebuild.before)).toBe(toHex(f.before));
        expect(toHex(c.rebuild.after)).toBe(toHex(f.after));
      }
      // A memory budget too small for the page's changes gives the updates up, with the reason.
      const starved = await anchorOnDataFile(pending, open, pages, { maxBytes: 200 });
      for (const c of starved) {
        expect(c.rebuild).toMatchObject({ kind: 'skipped', code: 'RECOVER_UPDATE_NO_BASE' });
        expect(c.rebuild?.kind === 'skipped' && c.rebuild.reason).toMatch(/exceed 200 bytes/);
      }
    } finally {
      pages.close();
    }
  });
});

describeCorpus('seeding the forward model from a stored page (real page, SYNTHETIC modify records)', () => {
  it('a log whose first change to a page names the stored m_lsn starts from the stored slots; any other start does not', async () => {
    const { pageSlots, readPageById } = await import('../../src/recover/page-model-anchor.js');
    const pages = new MdfPageSource(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    try {
      const id = '0001:00000121';
      const stored = pageSlots(readPageById(pages, id), id);
      if (typeof stored === 'string') throw new Error(stored);
      const row = stored.slots[3]!.image!; // a real dbo.tblDept row as the .mdf holds it
      const at = 13;
      const before = toHex(row.subarray(at, at + 2));
      // SYNTHETIC: a LOP_MODIFY_ROW that would follow the stored state (its Previous Page LSN = m_lsn).
      const modify = (prev: string) => ({
        'Current LSN': 'ffffffff:00000001:0001', 'Previous Page LSN': prev, Operation: 'LOP_MODIFY_ROW', Context: 'LCX_CLUSTERED', 'Transaction ID': '0000:00000001',
        'Page ID': id, 'Slot ID': 3, 'Offset in Row': at, 'Modify Size': 2, 'RowLog Contents 0': hx(before), 'RowLog Contents 1': hx('ffff'),
      });
      const seeded = new PageSlotModel({ seed: (p) => pageSlots(readPageById(pages, p), p) });
      const r = seeded.apply(modify(stored.lsn));
      if (r?.kind !== 'rebuilt') throw new Error(JSON.stringify(r));
      expect(r.fromDataFile).toBe('seeded');
      expect(toHex(r.before)).toBe(toHex(row));
      expect(toHex(r.after)).toBe(toHex(row).slice(0, 2 * at) + 'ffff' + toHex(row).slice(2 * (at + 2)));
      expect(seeded.stats.seeded).toBe(1);
      const unrelated = new PageSlotModel({ seed: (p) => pageSlots(readPageById(pages, p), p) });
      expect(unrelated.apply(modify('00000001:00000001:0001'))).toMatchObject({ kind: 'skipped', code: 'RECOVER_UPDATE_NO_BASE' });
    } finally {
      pages.close();
    }
  });
});
