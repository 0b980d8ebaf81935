/**
 * The INCOMPLETE sentence of rows left out after changes of their table's columns names every
 * change, not the first alone. Before: dbo.tblDept changed at two LSNs (SYNTHETIC skipped items, as
 * the files source makes them: SOURCE_SCHEMA_DRIFT with layoutChange) was said as 'dbo.tblDept's
 * columns were changed at LSN <first> …; a data file or full backup taken after the change … decodes
 * them', of rows logged after the second change too, which a data file taken between the two does
 * not decode (and one taken after the second does not decode the rows between).
 */
import { describe, expect, it } from 'vitest';
import { sourceRowsClause } from '../../src/recover/incomplete-verdict.js';
import type { SkippedItem } from '../../src/util/skipped-item.js';

const item = (lsn: string, change: string): SkippedItem => ({
  code: 'SOURCE_SCHEMA_DRIFT', reason: `SYNTHETIC: logged after the change at ${change}`,
  location: { lsn, table: 'dbo.tblDept' },
  layoutChange: { lsn: change, transactionId: change === '00000030:00000010:0001' ? '0000:00000401' : '0000:00000402', endTime: null },
});

describe('rows left out after changes of their table\'s columns', () => {
  it('two changes of one table: both named, and the layout each needs', () => {
    const said = sourceRowsClause([
      item('00000030:00000020:0001', '00000030:00000010:0001'),
      item('00000030:00000020:0002', '00000030:00000010:0001'),
      item('00000031:00000020:0001', '00000031:00000010:0001'),
    ], 'the skipped items');
    expect(said).toContain("dbo.tblDept's columns were changed at LSN 00000030:00000010:0001 (transaction 0000:00000401) and again at LSN 00000031:00000010:0001 (transaction 0000:00000402)");
    expect(said).toContain('the rows logged after each change and before the next only with the layout between the two');
  });

  it('one change: said as before', () => {
    const said = sourceRowsClause([item('00000030:00000020:0001', '00000030:00000010:0001'), item('00000030:00000020:0002', '00000030:00000010:0001')], 'the skipped items');
    expect(said).toContain("dbo.tblDept's columns were changed at LSN 00000030:00000010:0001 (transaction 0000:00000401), which the catalog read predates: rows logged after it are in a layout");
    expect(said).not.toContain('and again at');
    expect(said).not.toContain('before the next');
  });
});
