import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/reconstruct/decode-row.js';
import type { TableLayout } from '../../src/reconstruct/metadata/table-layout.js';
import { layoutsFromDdl } from '../../src/reconstruct/metadata/ddl.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describe('rows without values: a table whose columns are unknown is never decoded', () => {
  const [contact] = layoutsFromDdl('CREATE TABLE dbo.Contact (Id int NOT NULL, Name nvarchar(50) NULL)');
  const image = Buffer.from('30000800010000000200000100130068006900', 'hex');
  it('the layout decodes the row when its columns are known', () => {
    expect(decodeRow(image, contact).values).toEqual({ Id: 1, Name: 'hi' });
  });
  it('a layout with no columns → DECODE_NO_COLUMNS, not "values": {}', () => {
    const empty: TableLayout = { ...contact, columns: [] };
    expect(() => decodeRow(image, empty)).toThrow(expect.objectContaining({ code: 'DECODE_NO_COLUMNS' }));
  });
  it('a layout marked unreadable → DECODE_NO_COLUMNS with its reason, whatever columns it still lists', () => {
    const partial: TableLayout = { ...contact, columns: contact.columns.slice(0, 1), unreadable: 'column(s) Name have no physical column row (sysrscols)' };
    expect(() => decodeRow(image, partial, { lsn: '00000001:00000002:0003' })).toThrow(
      expect.objectContaining({ code: 'DECODE_NO_COLUMNS', message: expect.stringContaining('Name have no physical column row'), location: expect.objectContaining({ table: 'dbo.Contact', lsn: '00000001:00000002:0003' }) }),
    );
  });
});

describeCorpus('rows without values: Chinook (SQL Server 2025 backup missing system-table pages)', () => {
  it('dump of dbo.Artist fails instead of printing 275 rows of {}: the file is stripe 1 of a 2-file media set (its RAID stream says so), so it is refused before any page is read', async () => {
    // The missing system-table pages (1:51 of sys.sysrscols, extent 6) are in the absent stripe 2.
    const r = await cli('dump', '--bak', corpusPath('Chinook_Analysis/Chinook.bak'), '--table', 'dbo.Artist');
    const line = expectOneLineError(r, 'FORMAT_INCOMPLETE_MEDIA_SET');
    expect(r.code).toBe(2);
    expect(line).toContain('striped over 2 files');
    expect(line).toContain('missing stripe 2 of 2');
  });
});
