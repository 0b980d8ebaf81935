/**
 * A table whose clustered index is a columnstore index (layout compression COLUMNSTORE) is refused by
 * decodeRow (DECODE_UNSUPPORTED naming the table), as docs/metadata.md says it is not decodable from
 * the log and the data-file reader refuses its partitions (FORMAT_UNSUPPORTED): its rows are in
 * column segments and delta rowgroups, not in records of the table's layout. Before, a --ddl with
 * `INDEX cci CLUSTERED COLUMNSTORE` decoded any bytes as a FixedVar record of the offsets the script
 * gave: `rowback decode` printed {"a":1,"b":2}, exit 0, no warning.
 * Record SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { decodeErrorOf } from '../support/decode-error.js';

describe('clustered columnstore layouts (SYNTHETIC record)', () => {
  const image = Buffer.from('10000c00' + '01000000' + '02000000' + '0200' + '00', 'hex');
  it.each([
    ['inline INDEX … CLUSTERED COLUMNSTORE', 'CREATE TABLE dbo.t (a int, b int, INDEX cci CLUSTERED COLUMNSTORE)'],
    ['CREATE CLUSTERED COLUMNSTORE INDEX', 'CREATE TABLE dbo.t (a int, b int);\nCREATE CLUSTERED COLUMNSTORE INDEX cci ON dbo.t;'],
  ])('%s: refused, naming the table', (_what, ddl) => {
    const [t] = layoutsFromDdl(ddl);
    expect(t.compression).toBe('COLUMNSTORE');
    const e = decodeErrorOf(() => decodeRow(image, t, { lsn: '00000021:00000100:0002' }));
    expect(e.code).toBe('DECODE_UNSUPPORTED');
    expect(e.location.table).toBe('dbo.t');
    expect(e.location.lsn).toBe('00000021:00000100:0002');
    expect(e.message).toMatch(/clustered columnstore table/);
  });

  it('the same table as a heap still decodes', () => {
    const [t] = layoutsFromDdl('CREATE TABLE dbo.t (a int, b int)');
    expect(decodeRow(image, t).values).toEqual({ a: 1, b: 2 });
  });
});
