/**
 * Property: the pairing of row operations a committed transaction took back itself
 * (recover/committed.ts) returns exactly the net effect of each transaction, whatever the
 * interleaving, the spill budget or the number of held candidates.
 *
 * Reference model, written independently of the pairing's algorithm (which matches each opposite
 * operation to the earliest held candidate): per committed transaction and per row (allocation
 * unit + image), with D deletes and I inserts, a delete scan returns the last max(0, D - I) of the
 * deletes, an insert scan the last max(0, I - D) of the inserts. Rolled-back and unfinished
 * transactions return nothing. SYNTHETIC records: 1-byte-valued FixedVar images.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedCandidates, emptyStats } from '../../src/recover/committed.js';
import { catalogFromLayouts } from '../../src/recover/source.js';
import type { LogRecord } from '../../src/logreader/log-record.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';

const AUS = ['72057594043367424', '72057594043432960'];
const layouts: TableLayout[] = AUS.map((au, i) => ({
  schema: 'dbo', name: `T${i}`, indexId: 1, compression: 'NONE', columns: [], allocUnits: [{ allocUnitId: au, type: 'IN_ROW_DATA' }],
}));
const catalog = catalogFromLayouts(layouts);

type Op = { txn: number; kind: 'del' | 'ins'; au: number; value: number; ghost: boolean };
type End = { txn: number; kind: 'commit' | 'abort' };
const image = (value: number, ghost: boolean) => new Uint8Array([ghost ? 0x1c : 0x10, 0, 8, 0, value, 0, 0, 0, 1, 0, 0]);

function toRecords(steps: Array<Op | End>, txns: number): LogRecord[] {
  const out: LogRecord[] = [];
  let n = 0;
  const lsn = () => `00000001:00000001:${(++n).toString(16).padStart(4, '0')}`;
  for (let t = 0; t < txns; t++) {
    out.push({ 'Current LSN': lsn(), Operation: 'LOP_BEGIN_XACT', Context: 'LCX_NULL', 'Transaction ID': `0000:${t}`, 'Begin Time': '2026/11/20 10:00:00:000' });
  }
  for (const s of steps) {
    const id = `0000:${s.txn}`;
    if (s.kind === 'commit' || s.kind === 'abort') {
      out.push({ 'Current LSN': lsn(), Operation: s.kind === 'commit' ? 'LOP_COMMIT_XACT' : 'LOP_ABORT_XACT', Context: 'LCX_NULL', 'Transaction ID': id });
    } else {
      const o = s as Op;
      out.push({
        'Current LSN': lsn(), Operation: s.kind === 'del' ? 'LOP_DELETE_ROWS' : 'LOP_INSERT_ROWS', Context: s.kind === 'del' ? 'LCX_MARK_AS_GHOST' : 'LCX_CLUSTERED',
        'Transaction ID': id, AllocUnitId: AUS[o.au], 'RowLog Contents 0': image(o.value, o.ghost),
      });
    }
  }
  return out;
}

/** The net-effect reference (see the file comment): the LSNs a scan for `want` returns, sorted. */
function expected(records: LogRecord[], want: 'LOP_DELETE_ROWS' | 'LOP_INSERT_ROWS'): string[] {
  const ended = new Map<string, string>();
  for (const r of records) if (r.Operation === 'LOP_COMMIT_XACT' || r.Operation === 'LOP_ABORT_XACT') ended.set(r['Transaction ID'], r.Operation);
  const groups = new Map<string, { wanted: string[]; other: number }>();
  for (const r of records) {
    if (r.Operation !== 'LOP_DELETE_ROWS' && r.Operation !== 'LOP_INSERT_ROWS') continue;
    if (ended.get(r['Transaction ID']) !== 'LOP_COMMIT_XACT') continue;
    const img = r['RowLog Contents 0']!;
    const key = `${r['Transaction ID']}|${r.AllocUnitId}|${img[4]}`;
    const g = groups.get(key) ?? { wanted: [], other: 0 };
    if (r.Operation === want) g.wanted.push(r['Current LSN']);
    else g.other++;
    groups.set(key, g);
  }
  const out: string[] = [];
  for (const g of groups.values()) out.push(...g.wanted.slice(Math.min(g.other, g.wanted.length)));
  return out.sort();
}

const stepsArb = (txns: number) =>
  fc.array(fc.record({ txn: fc.integer({ min: 0, max: txns - 1 }), kind: fc.constantFrom('del' as const, 'ins' as const), au: fc.integer({ min: 0, max: 1 }), value: fc.integer({ min: 0, max: 4 }), ghost: fc.boolean() }), { maxLength: 60 })
    .chain((ops) => fc.tuple(fc.constant(ops), fc.array(fc.constantFrom('commit' as const, 'abort' as const, 'open' as const), { minLength: txns, maxLength: txns })));

describe('pairing gives each committed transaction\'s net effect (property, SYNTHETIC records)', () => {
  const spillDir = mkdtempSync(join(tmpdir(), 'rowback-pair-prop-'));

  for (const want of ['LOP_DELETE_ROWS', 'LOP_INSERT_ROWS'] as const) {
    it(`${want === 'LOP_DELETE_ROWS' ? 'delete' : 'insert'} scans, in memory and spilled to a temporary file`, async () => {
      const TXNS = 3;
      await fc.assert(
        fc.asyncProperty(stepsArb(TXNS), fc.boolean(), async ([ops, ends], spill) => {
          const steps: Array<Op | End> = [...ops];
          ends.forEach((e, t) => { if (e !== 'open') steps.push({ txn: t, kind: e }); });
          const records = toRecords(steps, TXNS);
          const stats = emptyStats();
          const got: string[] = [];
          const options = spill ? { stats, holdBudgetBytes: 1, spillDir } : { stats };
          for await (const c of committedCandidates(async function* () { yield* records; }, { operations: [want === 'LOP_DELETE_ROWS' ? 'delete' : 'insert'] }, catalog, options)) got.push(c.record['Current LSN']);
          expect(got.slice().sort()).toEqual(expected(records, want));
          expect(stats.candidates).toBe(got.length);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('leaves no temporary file behind', () => {
    expect(readdirSync(spillDir)).toEqual([]);
    rmSync(spillDir, { recursive: true, force: true });
  });
});
