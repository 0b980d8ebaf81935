import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { OutputFormat } from '../../src/recover/writers.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';
import { csvCell } from '../../src/util/csv.js';
import { rowJson, stringifyKeepingNegativeZero, valuesHaveNegativeZero } from '../../src/util/negative-zero.js';
import { floatConstant } from '../../src/reinsert/numeric-params.js';
import { tempStore } from '../support/temp-store.js';
import { bearer, testApp } from '../api/helpers.js';
import { renderRows } from '../support/render-rows.js';

// SYNTHETIC rows: a float column F holding negative zero (SQL Server keeps it: the float(53) bytes
// 0x0000000000000080, CONVERT(varchar, F) gives '-0'), a real column R holding 0, and a
// sql_variant V holding a float -0. JSON.stringify writes -0 as 0, so the printed rows, the
// staging store's values and the API lost the sign, and a row re-inserted from staging got 0.
const row = (): RecoveredRow => ({
  table: 'dbo.T', lsn: '00000021:00000050:0002', operation: 'delete', transactionId: '0000:000003e8', beginTime: '2026-11-20T10:00:00.000', endTime: null,
  login: null, sid: '0x01', spid: 55, transactionName: 'DELETE', allocUnitId: '1', pageId: '0001:00000010', slotId: 3,
  values: { Id: 1, F: -0, R: 0, V: { baseType: 'float', value: -0 }, Name: 'x' },
  raw: '30000800010000000200000100130068006900', warnings: [], source: { kind: 'ldf', file: 'x.ldf' },
});

const render = renderRows;

describe('float/real negative zero through JSON text (SYNTHETIC rows)', () => {
  it('the JSON text is JSON.stringify\'s with -0 written -0, and parses back to -0', () => {
    const r = row();
    const text = rowJson(r);
    expect(text).toBe(JSON.stringify(r).replace('"F":0', '"F":-0').replace('"value":0', '"value":-0'));
    const back = JSON.parse(text) as RecoveredRow;
    expect(Object.is(back.values.F, -0)).toBe(true);
    expect(Object.is((back.values.V as { value: number }).value, -0)).toBe(true);
    expect(Object.is(back.values.R, 0)).toBe(true);
    // a row with no -0 takes JSON.stringify itself
    const plain = { ...r, values: { Id: 1, F: 0, R: 2.5 } };
    expect(valuesHaveNegativeZero(plain.values)).toBe(false);
    expect(rowJson(plain)).toBe(JSON.stringify(plain));
    // a string value that reads like the text is left alone
    expect(stringifyKeepingNegativeZero({ a: '-0', b: -0, c: [0, -0] })).toBe('{"a":"-0","b":-0,"c":[0,-0]}');
  });

  it('scan --format ndjson and json print -0', async () => {
    const nd = await render('ndjson', [row()]);
    expect(nd).toContain('"F":-0,');
    expect(Object.is((JSON.parse(nd) as RecoveredRow).values.F, -0)).toBe(true);
    const arr = JSON.parse(await render('json', [row()])) as RecoveredRow[];
    expect(Object.is(arr[0]!.values.F, -0)).toBe(true);
  });

  it('CSV writes -0 in a value column, in the values JSON column and in a variant cell', async () => {
    expect(csvCell(-0)).toBe('-0');
    expect(csvCell(0)).toBe('0');
    const [header, first] = parse(await render('csv', [row()], ['Id', 'F', 'R', 'V', 'Name'])) as string[][];
    const rec = Object.fromEntries(header!.map((h, i) => [h, first![i]]));
    expect(rec.F).toBe('-0');
    expect(rec.R).toBe('0');
    expect(rec.V).toBe('{"baseType":"float","value":-0}');
    const [h2, f2] = parse(await render('csv', [row()])) as string[][];
    expect(Object.is((JSON.parse(f2![h2!.indexOf('values')]!) as Record<string, number>).F, -0)).toBe(true);
  });

  describe('staging store', () => {
    const env = tempStore('rowback-negzero-');
    it('a staged row reads back -0, and its re-insert constant is -0E0', () => {
      const job = env.store.createJob({ kind: 'files', spec: {}, description: 'negative zero', createdBy: 'op' });
      env.store.stageBatch(job.id, [{ ...row(), operation: 'update', after: { Id: 1, F: -0, R: 0, V: null, Name: 'y' }, rawAfter: 'AB' }]);
      const staged = [...env.store.iterateRows(job.id, {})][0]!;
      expect(Object.is(staged.values.F, -0)).toBe(true);
      expect(Object.is(staged.after!.F, -0)).toBe(true);
      expect(Object.is(staged.values.R, 0)).toBe(true);
      expect(floatConstant(staged.values.F as number)).toBe('-0E0');
    });
  });

  it('the API row and its NDJSON export carry -0', async () => {
    const t = await testApp();
    try {
      const job = t.store.createJob({ kind: 'files', spec: {}, description: 'negative zero', createdBy: 'olga' });
      t.store.stageBatch(job.id, [row()]);
      const list = await t.app.inject({ url: `/api/jobs/${job.id}/rows`, headers: bearer(t.tokens.viewer) });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.body).toContain('"F":-0,');
      const id = (list.json() as { items: { id: number }[] }).items[0]!.id;
      const one = await t.app.inject({ url: `/api/jobs/${job.id}/rows/${id}`, headers: bearer(t.tokens.viewer) });
      expect(one.body).toContain('"F":-0,');
      const nd = await t.app.inject({ url: `/api/jobs/${job.id}/export?format=ndjson`, headers: bearer(t.tokens.viewer) });
      expect(nd.statusCode, nd.body).toBe(200);
      expect(Object.is((JSON.parse(nd.body.trim()) as { values: Record<string, number> }).values.F, -0)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
