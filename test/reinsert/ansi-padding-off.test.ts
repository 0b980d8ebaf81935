import { describe, expect, it } from 'vitest';
import { tablesFromCatalog, targetColumnsSql } from '../../src/reinsert/mssql-target.js';
import { planParam } from '../../src/reinsert/sql-types.js';
import type { TargetColumn } from '../../src/reinsert/target-table.js';

/**
 * A target column created under SET ANSI_PADDING OFF keeps that behaviour whatever the session sets
 * (Microsoft Learn, SET ANSI_PADDING): its varchar/varbinary values, and a nullable char/binary
 * column's, lose trailing blanks / zero bytes on INSERT. The scripts' SET ANSI_PADDING ON (5d47f33)
 * and the driver's default do not change that, so a value from a column that kept them (a side
 * table or database of the other setting) went in shorter with no error. Values SYNTHETIC.
 */

const col = (type: TargetColumn['type'], o: Partial<TargetColumn> = {}): TargetColumn =>
  ({ name: 'H', type, maxLength: 16, precision: 0, scale: 0, nullable: true, identity: false, computed: false, ...o });

function refusal(f: () => unknown): Error & { code?: string; location?: { column?: string } } {
  try { f(); } catch (e) { return e as Error & { code?: string }; }
  throw new Error('not refused');
}

describe('a target column created under ANSI_PADDING OFF', () => {
  it('is read from the catalog (sys.columns.is_ansi_padded)', () => {
    expect(targetColumnsSql(1)).toContain('c.is_ansi_padded');
    const base = { schema: 'dbo', table: 'T', type_name: 'varbinary', max_length: 16, precision: 0, scale: 0, is_nullable: true, is_identity: false, is_computed: false, key_ordinal: 0 };
    const t = tablesFromCatalog([{ ...base, column: 'A', is_ansi_padded: false }, { ...base, column: 'B', is_ansi_padded: true }, { ...base, column: 'C' }]).get('dbo.T')!;
    expect(t.columns.map((c) => c.ansiPadded)).toEqual([false, true, undefined]);
  });

  it('refuses a varbinary/varchar value with trailing zero bytes / blanks, naming the column', () => {
    const off = { ansiPadded: false };
    const e = refusal(() => planParam(col('varbinary', off), '0x0102000000'));
    expect(e.code).toBe('REINSERT_BAD_VALUE');
    expect(e.location?.column).toBe('H');
    expect(e.message).toContain('column H (varbinary(16)) was created under SET ANSI_PADDING OFF');
    expect(e.message).toContain('ends in 3 zero byte(s)');
    expect(refusal(() => planParam(col('varchar', off), 'ab  ')).message).toContain('ends in 2 blank(s)');
    // a nullable char/binary column of that setting trims too
    expect(refusal(() => planParam(col('char', { ...off, maxLength: 5 }), 'ab   ')).code).toBe('REINSERT_BAD_VALUE');
    expect(refusal(() => planParam(col('binary', { ...off, maxLength: 2 }), '0x0100')).code).toBe('REINSERT_BAD_VALUE');
  });

  it('takes what it stores as it is: no trailing blank or zero, a NOT NULL char/binary (padded), (max), an ON column, one not read', () => {
    const off = { ansiPadded: false };
    expect(planParam(col('varbinary', off), '0x0001').literal).toBe('0x0001');
    expect(planParam(col('varchar', off), ' ab').value).toBe(' ab');
    expect(planParam(col('char', { ...off, maxLength: 5, nullable: false }), 'ab   ').value).toBe('ab   ');
    expect(planParam(col('binary', { ...off, maxLength: 2, nullable: false }), '0x0100').literal).toBe('0x0100');
    expect(planParam(col('varbinary', { ...off, maxLength: -1 }), '0x0100').literal).toBe('0x0100');
    expect(planParam(col('varbinary', { ansiPadded: true }), '0x0100').literal).toBe('0x0100');
    expect(planParam(col('varbinary'), '0x0100').literal).toBe('0x0100');
    expect(planParam(col('nvarchar', { ...off, maxLength: 10 }), 'ab ').value).toBe('ab ');
  });
});
