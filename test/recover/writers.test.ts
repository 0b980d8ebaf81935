import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createRowWriter, type OutputFormat } from '../../src/recover/writers.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { renderRowBytes, renderRows } from '../support/render-rows.js';

const row = (lsn: string, name: string | null): RecoveredRow => ({
  table: 'dbo.T', lsn, operation: 'delete', transactionId: '0000:000003e8', beginTime: '2026-11-20T10:00:00.000', endTime: null,
  login: 'crm_batch', sid: '0x01', spid: 55, transactionName: 'DELETE', allocUnitId: '1', pageId: '0001:00000010', slotId: 3,
  values: { Id: 1, Name: name, Note: { offRow: { page: '1:648', slot: 0, kind: 'text-pointer' } } },
  raw: '30000800010000000200000100130068006900', warnings: [], source: { kind: 'ldf', file: 'x.ldf' },
});

const render = renderRows;

describe('row writers', () => {
  it('ndjson: one parseable object per line', async () => {
    const text = await render('ndjson', [row('1:1:1', 'hi'), row('1:1:2', null)]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1])).toMatchObject({ lsn: '1:1:2', values: { Name: null } });
  });
  it('json: a valid array, also when empty', async () => {
    expect(JSON.parse(await render('json', []))).toEqual([]);
    const arr = JSON.parse(await render('json', [row('1:1:1', 'a'), row('1:1:2', 'b')]));
    expect(arr.map((r: RecoveredRow) => r.values.Name)).toEqual(['a', 'b']);
  });
  it('csv: header, fixed columns, values flattened per column when given', async () => {
    const text = await render('csv', [row('1:1:1', 'a,"b"')], ['Id', 'Name', 'Note']);
    const [header, first] = parse(text) as string[][];
    expect(header.slice(0, 3)).toEqual(['table', 'lsn', 'operation']);
    const rec = Object.fromEntries(header.map((h, i) => [h, first[i]]));
    expect(rec).toMatchObject({ Id: '1', Name: 'a,"b"', lsn: '1:1:1', login: 'crm_batch', raw: '30000800010000000200000100130068006900' });
    expect(JSON.parse(rec.Note)).toEqual({ offRow: { page: '1:648', slot: 0, kind: 'text-pointer' } });
  });
  it('csv: values as one JSON column otherwise; header even with no rows', async () => {
    const [header, first] = parse(await render('csv', [row('1:1:1', null)])) as string[][];
    expect(JSON.parse(first[header.indexOf('values')])).toMatchObject({ Id: 1, Name: null });
    expect((parse(await render('csv', [])) as string[][])[0]).toContain('raw');
  });
});

describe('CSV with updates', () => {
  const upd: RecoveredRow = {
    ...row('1:9:1', 'before'), operation: 'update', values: { Id: 1, Name: 'before', Note: null }, after: { Id: 1, Name: 'after', Note: null }, rawAfter: 'AB',
  };
  async function renderAfter(valueColumns?: string[]): Promise<string[][]> {
    const bytes = await renderRowBytes('csv', [upd, row('1:9:2', 'deleted')], { valueColumns, includeAfter: true });
    return parse(bytes.toString('utf8')) as string[][];
  }
  it('per-column: after.<col> columns and rawAfter; empty for rows without an after image', async () => {
    const [h, u, d] = await renderAfter(['Id', 'Name', 'Note']);
    const get = (r: string[], k: string) => r[h.indexOf(k)];
    expect(get(u, 'Name')).toBe('before');
    expect(get(u, 'after.Name')).toBe('after');
    expect(get(u, 'rawAfter')).toBe('AB');
    expect(get(d, 'after.Name')).toBe('');
  });
  it('JSON column form: an after column', async () => {
    const [h, u] = await renderAfter();
    expect(JSON.parse(u[h.indexOf('after')])).toEqual({ Id: 1, Name: 'after', Note: null });
  });
});

describe('writeRows', () => {
  // a slow stream with a small buffer: the writer must wait for 'drain' between hand-overs
  async function renderBoth(format: OutputFormat, rows: RecoveredRow[]): Promise<{ one: string; many: string; drains: number }> {
    const { Writable } = await import('node:stream');
    const sink = (parts: Buffer[], counter?: { n: number }) =>
      new Writable({
        highWaterMark: 1024,
        write(c, _e, cb) {
          parts.push(Buffer.from(c));
          if (counter) counter.n++;
          setImmediate(cb);
        },
      });
    const a: Buffer[] = [];
    const wa = createRowWriter(format, sink(a));
    for (const r of rows) await wa.write(r);
    await wa.end();
    const b: Buffer[] = [];
    const counter = { n: 0 };
    const out = sink(b, counter);
    let drains = 0;
    out.on('drain', () => drains++);
    const wb = createRowWriter(format, out);
    for (let i = 0; i < rows.length; i += 700) await wb.writeRows(rows.slice(i, i + 700));
    await wb.end();
    await new Promise((r) => setImmediate(r));
    return { one: Buffer.concat(a).toString('utf8'), many: Buffer.concat(b).toString('utf8'), drains };
  }
  const rows = Array.from({ length: 3000 }, (_, i) => row(`1:1:${i}`, i % 3 ? `名字${i} "q" \\ \n` : null));
  for (const format of ['ndjson', 'json', 'csv'] as const) {
    it(`${format}: the same bytes as one write() per row, waiting for the stream to drain`, async () => {
      const { one, many, drains } = await renderBoth(format, rows);
      expect(many).toBe(one);
      expect(many.length).toBeGreaterThan(3000 * 200);
      expect(drains).toBeGreaterThan(0);
    });
  }
});

describe('CSV value columns never take rowback\'s own column names', () => {
  it('a table with columns table, lsn, raw (any case) and after.x: those are headed [table], [lsn], [RAW], [after.x]; csv-parse columns:true keeps rowback\'s and the values apart', async () => {
    const r: RecoveredRow = { ...row('1:1:9', null), values: { table: 'T-value', lsn: 'L-value', RAW: 'R-value', 'after.x': 7, x: '' } };
    const rows = [{ ...r, after: { table: 'T2', lsn: 'L2', RAW: null, 'after.x': 8, x: 'y' } }];
    const text = (await renderRowBytes('csv', rows, { valueColumns: ['table', 'lsn', 'RAW', 'after.x', 'x'], includeAfter: true })).toString('utf8');
    const header = (parse(text) as string[][])[0];
    expect(new Set(header.map((h) => h.toLowerCase())).size).toBe(header.length);
    const [rec] = parse(text, { columns: true, cast: (v: string, ctx: { quoting: boolean; header: boolean }) => (ctx.header || ctx.quoting || v !== '' ? v : null) }) as Array<Record<string, string | null>>;
    expect(rec).toMatchObject({ table: 'dbo.T', lsn: '1:1:9', raw: r.raw, '[table]': 'T-value', '[lsn]': 'L-value', '[RAW]': 'R-value', '[after.x]': '7', x: '' });
    expect(rec).toMatchObject({ 'after.[table]': 'T2', 'after.[lsn]': 'L2', 'after.[RAW]': null, 'after.[after.x]': '8', 'after.x': 'y' });
  });
});
