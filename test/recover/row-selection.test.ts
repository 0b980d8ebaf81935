import { describe, expect, it } from 'vitest';
import { compileRowSelection, normaliseTransactionId, rowSelected, rowSelection } from '../../src/recover/row-selection.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';

/** SYNTHETIC rows (field values only; no row image is read): what each selection flag takes and leaves. */
const row = (o: Partial<RecoveredRow>): RecoveredRow => ({
  table: 'dbo.T', lsn: '0000002a:000001f0:0003', operation: 'delete', transactionId: '0000:000003e8', beginTime: null, endTime: null,
  login: null, spid: null, transactionName: null, allocUnitId: null, pageId: null, slotId: null, values: {}, raw: '', warnings: [],
  source: { kind: 'ldf', file: 'x.ldf', offset: 0 }, ...o,
} as RecoveredRow);
const none = { transaction: [], sid: [], login: [], dbUser: [] };

describe('row selection', () => {
  it('no flag selects every row (null)', () => {
    expect(compileRowSelection(none)).toBeNull();
  });

  it.each([
    ['0000:000003e8', '0000:000003e8'],
    ['0:3E8', '0000:000003e8'],
    ['0x0000:000003E8', '0000:000003e8'],
    // README: `0x` taken. The six bytes as one hex number (binary(6)) were refused
    ['0x0000000003E8', '0000:000003e8'],
    ['0x3e8', '0000:000003e8'],
    ['0x0001000003e8', '0001:000003e8'],
  ])('Transaction ID %s is %s', (typed, printed) => {
    expect(normaliseTransactionId(typed, '--transaction')).toBe(printed);
  });

  it.each(['437', '3e8', '0x', '0x0000000003e8f', '0000:000003e8:0001', '0x:3e8'])('Transaction ID %s is refused (decimal and hex both readings, or no form)', (typed) => {
    expect(() => normaliseTransactionId(typed, '--transaction')).toThrow(/is not a Transaction ID as fn_dblog prints it/);
  });

  it.each([
    // [flag values, row fields, selected]
    [{ login: ['CORP\\olga'] }, { login: 'CORP\\olga' }, true],
    [{ login: ['corp\\olga'] }, { login: 'CORP\\olga' }, true], // any letter case, as SQL Server compares logins
    [{ login: ['corp\\olgb'] }, { login: 'CORP\\olga' }, false],
    [{ login: ['sa'] }, { login: null }, false], // offline rows have no login
    [{ dbUser: ['DBO'] }, { dbUser: 'dbo' }, true],
    [{ dbUser: ['dbo'] }, {}, false],
    [{ sid: ['0x01'] }, { sid: '0x01' }, true],
    [{ sid: ['01'] }, { sid: null }, false],
    // a SID that is no Windows SID (a SQL login's 16 bytes) is matched by its hex alone, any case
    [{ sid: ['a1b2c3d4e5f60718293a4b5c6d7e8f90'] }, { sid: '0xA1B2C3D4E5F60718293A4B5C6D7E8F90' }, true],
    [{ sid: ['S-1-5-18'] }, { sid: '0x010100000000000512000000', sidText: 'S-1-5-18' }, true],
    [{ transaction: ['0:3e8'], login: ['sa'] }, { login: 'sa' }, true],
    [{ transaction: ['0:3e9'], login: ['sa'] }, { login: 'sa' }, false], // every flag must hold
    [{ fromLsn: '0000002a:000001f0:0003', toLsn: '(42:496:3)' }, {}, true], // inclusive, any form
    [{ fromLsn: '0000002a:000001f0:0004' }, {}, false],
    [{ toLsn: '0000002a:000001f0:0002' }, {}, false],
  ])('%j on %j: %s', (flags, fields, selected) => {
    const sel = compileRowSelection({ ...none, ...flags });
    expect(sel).not.toBeNull();
    expect(rowSelected(sel!, row(fields))).toBe(selected);
  });

  it.each([
    // a row that lacks the field compared is not "another person's": what it lacks is said
    [{ login: ['sa'] }, { login: null }, ['login']],
    [{ sid: ['0x01'] }, { sid: null }, ['SID']], // a transaction whose begin is unread
    [{ dbUser: ['dbo'] }, { sid: '0x01' }, ['database user']],
    [{ sid: ['0x01'], login: ['sa'] }, { sid: null, login: null }, ['SID', 'login']],
    [{ sid: ['0x02'], login: ['sa'] }, { sid: '0x01', login: null }, 'other'], // a known field rules it out
    [{ transaction: ['0:3e9'], login: ['sa'] }, { login: null }, 'other'],
    [{ login: ['sa'] }, { login: 'SA' }, 'selected'],
  ])('rowSelection %j on %j: %j', (flags, fields, verdict) => {
    expect(rowSelection(compileRowSelection({ ...none, ...flags })!, row(fields))).toEqual(verdict);
  });
});
