/**
 * The delete of a heap row's forwarding stub (record type 2: 9 bytes, status then the RID the row
 * moved to; OrcaMDF / record/fixedvar.ts) holds no column data: a skipped item naming the stub's
 * target, never a row with empty values (a re-insert of that would add a row of NULLs and defaults).
 * SYNTHETIC record and image.
 */
import { describe, expect, it } from 'vitest';
import { candidateToEvent } from '../../src/recover/recover-rows.js';
import { catalogFromLayouts, type RowCandidate } from '../../src/recover/source.js';
import { buildLayout, encodeRow } from '../support/synthetic-encoder.js';

const AU = '72057594043367424';
const layout = { ...buildLayout('Heap', [{ name: 'Id', type: 'int' }, { name: 'Name', type: 'varchar', maxLength: 20 }]), allocUnits: [{ allocUnitId: AU, type: 'IN_ROW_DATA' as const }] };
const catalog = catalogFromLayouts([layout]);
const txn = { transactionId: '0000:00000001', beginTime: '2026/11/20 10:00:00:000', endTime: '2026/11/20 10:00:01:000', name: 'DELETE', sid: null, login: null, spid: 55 };
const candidate = (image: Uint8Array): RowCandidate => ({
  record: { 'Current LSN': '00000020:00000010:0002', Operation: 'LOP_DELETE_ROWS', Context: 'LCX_HEAP', 'Transaction ID': txn.transactionId, AllocUnitId: AU, 'Page ID': '0001:00000050', 'Slot ID': 3, 'RowLog Contents 0': image },
  txn,
});

describe('a forwarding stub\'s delete', () => {
  it('is RECOVER_FORWARDING_STUB with the stub\'s target and its bytes, not a row', () => {
    // status 0x04 (record type 2), then page 0x000000B8, file 1, slot 3
    const stub = new Uint8Array([0x04, 0xb8, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00]);
    const ev = candidateToEvent(candidate(stub), catalog);
    expect(ev.kind).toBe('skipped');
    if (ev.kind !== 'skipped') return;
    expect(ev.item.code).toBe('RECOVER_FORWARDING_STUB');
    expect(ev.item.reason).toContain('the row lives at 1:184:3');
    expect(ev.item.location).toMatchObject({ lsn: '00000020:00000010:0002', table: 'dbo.Heap' });
    expect(ev.item.raw).toBe('04B800000001000300');
  });

  it('the row\'s own record (a forwarded or primary record) is still a row', () => {
    const ev = candidateToEvent(candidate(encodeRow(layout, { Id: 7, Name: 'moved' })), catalog);
    expect(ev.kind).toBe('row');
    if (ev.kind === 'row') expect(ev.row.values).toEqual({ Id: 7, Name: 'moved' });
  });
});
