import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { OutputFormat } from '../../src/recover/writers.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { renderRowBytes } from '../support/render-rows.js';

/**
 * nvarchar holds an unpaired UTF-16 surrogate (SYNTHETIC value here: LEFT(N'😀x', 1) under a
 * non-SC collation leaves one). The NDJSON keeps it (`"\ud83d"`); the CSV is UTF-8, which has no
 * form for it, so its cell showed U+FFFD with nothing said: the same row carried two values.
 * Now the row's warnings cell names the column, the unit and its offset.
 */
const row = (name: string, after?: Record<string, string>): RecoveredRow => ({
  table: 'dbo.T', lsn: '00000010:00000020:0003', operation: after ? 'update' : 'delete', transactionId: '0000:000003e8', beginTime: '2026-11-20T10:00:00.000', endTime: null,
  login: 'crm_batch', sid: '0x01', spid: 55, transactionName: 'DELETE', allocUnitId: '1', pageId: '0001:00000010', slotId: 3,
  values: { Id: 1, Name: name }, ...(after ? { after } : {}),
  raw: '30000800010000000200000100130068006900', warnings: ['an existing warning'], source: { kind: 'ldf', file: 'x.ldf' },
});

const render = (format: OutputFormat, rows: RecoveredRow[], o: { valueColumns?: string[]; includeAfter?: boolean } = {}): Promise<Buffer> => renderRowBytes(format, rows, o);

describe('CSV cells UTF-8 cannot carry: an unpaired surrogate is said in the warnings cell', () => {
  it('one value column holding a lone high surrogate: the cell holds U+FFFD, the warnings say so; NDJSON keeps the unit', async () => {
    const value = 'a\ud83db';
    const csv = (await render('csv', [row(value)], { valueColumns: ['Id', 'Name'] })).toString('utf8');
    const [header, first] = parse(csv) as string[][];
    const rec = Object.fromEntries(header.map((h, i) => [h, first[i]]));
    expect(rec.Name).toBe('a\ufffdb');
    expect(rec.warnings).toContain('an existing warning');
    expect(rec.warnings).toContain('column Name: its value holds an unpaired UTF-16 surrogate (U+D83D at offset 1)');
    const nd = JSON.parse((await render('ndjson', [row(value)])).toString('utf8')) as RecoveredRow;
    expect(nd.values.Name).toBe(value);
  });

  it('a lone low surrogate in an after image is named after.<column>; a paired emoji is no warning', async () => {
    const csv = (await render('csv', [row('😀 ok', { Id: '1', Name: 'x\udc00' })], { valueColumns: ['Id', 'Name'], includeAfter: true })).toString('utf8');
    const recs = parse(csv, { columns: true }) as Record<string, string>[];
    expect(recs[0]!.Name).toBe('😀 ok');
    expect(recs[0]!.warnings).toContain('column after.Name: its value holds an unpaired UTF-16 surrogate (U+DC00 at offset 1)');
    expect(recs[0]!.warnings).not.toContain('column Name:');
  });

  it('values in one JSON cell (no value columns) keep the unit escaped: no warning needed', async () => {
    const csv = (await render('csv', [row('a\ud83d')])).toString('utf8');
    const recs = parse(csv, { columns: true }) as Record<string, string>[];
    expect((JSON.parse(recs[0]!.values) as Record<string, string>).Name).toBe('a\ud83d');
    expect(recs[0]!.warnings).toBe('an existing warning');
  });
});
