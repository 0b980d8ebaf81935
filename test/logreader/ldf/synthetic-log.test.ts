import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { emptyLogScanStats, readLdfLayout, readLdfRecords } from '../../../src/logreader/ldf/reader.js';
import { withMetadata } from '../../../src/recover/metadata-override.js';
import { recoverRows } from '../../../src/recover/recover-rows.js';
import { openFileSource } from '../../../src/recover/sources/files.js';
import type { SkippedItem } from '../../../src/recover/source.js';
import { writeSyntheticLdf, type SyntheticTxn } from '../../support/synthetic-log.js';
import { CONTACT_AU, contactLayout, contactRow } from '../../support/synthetic-contact.js';

// SYNTHETIC throughout: a log written by test/support/synthetic-log.ts, rows by the test encoder.
const dir = mkdtempSync(join(tmpdir(), 'rowback-synth-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AU = CONTACT_AU;
const layout = contactLayout;
const row = contactRow;

it('the generator writes what the reader reads: every transaction committed → exactly its deleted rows, values intact; rolled back and open ones never', async () => {
  const file = join(dir, 'crm_log.ldf');
  const txns: SyntheticTxn[] = [];
  const w = writeSyntheticLdf(file, { targetBytes: 3 * 1024 * 1024, row, rollbackShare: 0.2, concurrency: 5 }, { allocUnitId: AU, vlfSize: 1024 * 1024, onTxn: (t) => txns.push(t) });
  expect(w.transactions).toBeGreaterThan(500);
  const layoutRead = await readLdfLayout(file);
  expect(layoutRead.vlfs.length).toBe(3);
  expect(layoutRead.problems).toEqual([]);
  const skipped: SkippedItem[] = [];
  const st = emptyLogScanStats();
  let n = 0;
  for await (const _ of readLdfRecords(file, { onSkipped: (s) => skipped.push(s) }, st)) n++;
  expect(skipped).toEqual([]);
  expect(st.gaps).toBe(0);
  const expectedRecords = txns.reduce((s, t) => s + 1 + t.deletes.length + t.inserts.length + (t.outcome === 'open' ? 0 : 1), 0);
  expect(n).toBeLessThanOrEqual(expectedRecords); // open transactions may not have written all their rows
  expect(n).toBeGreaterThan(expectedRecords - 5 * 20);

  const source = withMetadata(openFileSource({ ldf: file }), [layout]);
  const got: string[] = [];
  const bad: SkippedItem[] = [];
  // the Begin Time the writer put (days since 1900-01-01, 1/300 s ticks; whole seconds here) is the one read
  const beganAt = new Map(txns.map((t) => [t.transactionId, new Date(Date.UTC(1900, 0, 1) + t.begin.days * 86_400_000 + (t.begin.ticks / 300) * 1000).toISOString().slice(0, 23)]));
  const times = new Set<string>();
  for await (const ev of recoverRows(source, { operations: ['delete'] })) {
    if (ev.kind === 'row') {
      got.push(ev.row.raw);
      expect(ev.row.values.ContactId).toBeTypeOf('number');
      expect(ev.row.beginTime, ev.row.transactionId).toBe(beganAt.get(ev.row.transactionId));
      times.add(ev.row.beginTime!);
    } else bad.push(ev.item);
  }
  expect(times.size).toBeGreaterThan(100);
  expect([...times].every((t) => t.startsWith('2025-12-1'))).toBe(true);
  await source.close();
  expect(bad).toEqual([]);
  const want = txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex')));
  expect(txns.some((t) => t.outcome === 'abort')).toBe(true);
  expect(got.map((h) => h.replace(/^0x/i, '').toLowerCase()).sort()).toEqual(want.sort());
});

it('recoverRowBatches gives the events of recoverRows, in order, in non-empty arrays of whole log blocks\' commits (also when transactions spill to disk, and from a source without candidateBatches)', async () => {
  const { recoverRowBatches } = await import('../../../src/recover/recover-rows.js');
  const { CANDIDATE_BATCH } = await import('../../../src/recover/committed.js');
  const file = join(dir, 'crm_batches.ldf');
  writeSyntheticLdf(file, { targetBytes: 3 * 1024 * 1024, row, rollbackShare: 0.2, concurrency: 5, rowsPerTxn: (t) => (t % 50 === 0 ? 1500 : 1 + (t % 7)) }, { allocUnitId: AU, vlfSize: 1024 * 1024 });
  const flat = async (holdBudgetBytes?: number) => {
    const s = withMetadata(openFileSource({ ldf: file, holdBudgetBytes }), [layout]);
    const out: string[] = [];
    for await (const ev of recoverRows(s, { operations: ['delete'] })) out.push(ev.kind === 'row' ? `${ev.row.lsn} ${ev.row.raw}` : `skip ${ev.item.code}`);
    await s.close();
    return out;
  };
  const batched = async (holdBudgetBytes?: number, hideBatches = false) => {
    const inner = openFileSource({ ldf: file, holdBudgetBytes });
    // a source that only has candidates(): each candidate its own array
    const s = withMetadata(hideBatches ? { ...inner, description: inner.description, metadata: () => inner.metadata(), candidates: inner.candidates.bind(inner), candidateBatches: undefined, skipped: () => inner.skipped(), close: () => inner.close() } : inner, [layout]);
    const sizes: number[] = [];
    const out: string[] = [];
    for await (const evs of recoverRowBatches(s, { operations: ['delete'] })) {
      sizes.push(evs.length);
      for (const ev of evs) out.push(ev.kind === 'row' ? `${ev.row.lsn} ${ev.row.raw}` : `skip ${ev.item.code}`);
    }
    await s.close();
    return { out, sizes };
  };
  const want = await flat();
  expect(want.length).toBeGreaterThan(5000);
  const b = await batched();
  expect(b.out).toEqual(want);
  expect(Math.min(...b.sizes)).toBeGreaterThan(0);
  // arrays: fewer than rows (a block's commits together), none larger than a candidate batch
  expect(b.sizes.length).toBeLessThan(want.length / 2);
  expect(Math.max(...b.sizes)).toBeLessThanOrEqual(CANDIDATE_BATCH);
  // spilled to disk: the same events
  const spilledFlat = await flat(64 * 1024);
  expect(spilledFlat).toEqual(want);
  expect((await batched(64 * 1024)).out).toEqual(want);
  const one = await batched(undefined, true);
  expect(one.out).toEqual(want);
  // one candidate per array, but the layout check's first rows of the table, released together
  expect(one.sizes.length).toBeGreaterThanOrEqual(want.length - 20);
});

it('updateShare: the generator mixes in update work (LOP_MODIFY_ROW, nonclustered index inserts) and a delete scan still gives exactly the committed deletes', async () => {
  const file = join(dir, 'crm_mixed_log.ldf');
  const txns: SyntheticTxn[] = [];
  const names = new Map<string, string | null>();
  writeSyntheticLdf(file, { targetBytes: 2 * 1024 * 1024, row, updateShare: 0.9 }, { allocUnitId: AU, vlfSize: 1024 * 1024, onTxn: (t) => txns.push(t) });
  const ops = new Map<string, number>();
  for await (const r of readLdfRecords(file)) {
    const k = `${r.Operation} ${r.Context}`;
    ops.set(k, (ops.get(k) ?? 0) + 1);
    if (r.Operation === 'LOP_BEGIN_XACT') names.set(r['Transaction ID'], r['Transaction Name'] ?? null);
  }
  const deleting = txns.filter((t) => t.deletes.length > 0);
  // about one transaction in ten deletes; the rest update rows in place and insert an index entry each
  expect(deleting.length).toBeGreaterThan(txns.length * 0.08);
  expect(deleting.length).toBeLessThan(txns.length * 0.12);
  expect(ops.get('LOP_MODIFY_ROW LCX_CLUSTERED')).toBeGreaterThan(5 * deleting.length);
  expect(ops.get('LOP_INSERT_ROWS LCX_INDEX_LEAF')).toBeGreaterThan(0.85 * txns.length);
  expect(names.get(deleting[0].transactionId)).toBe('DELETE');
  expect(names.get(txns.find((t) => t.deletes.length === 0 && t.inserts.length === 0)!.transactionId)).toBe('UPDATE');

  const source = withMetadata(openFileSource({ ldf: file }), [layout]);
  const got: string[] = [];
  for await (const ev of recoverRows(source, { operations: ['delete'] })) if (ev.kind === 'row') got.push(ev.row.raw.replace(/^0x/i, '').toLowerCase());
  await source.close();
  const want = txns.filter((t) => t.outcome === 'commit').flatMap((t) => t.deletes.map((d) => Buffer.from(d).toString('hex')));
  expect(want.length).toBeGreaterThan(50);
  expect(got.sort()).toEqual(want.sort());
});
