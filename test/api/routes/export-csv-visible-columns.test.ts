/**
 * The CSV export of one table wrote a column for every column of its layout but dropped ones and the
 * uniquifier: a hidden internal column (`$hidden_16777216`, change tracking's, which rows never carry)
 * and a sparse column set (`SpecialAttrs`, whose sparse columns the rows carry one by one) came out
 * as columns of empty cells, read as NULLs the row does not hold, where `rowback scan --format csv`
 * and the review page's grid (GET /api/jobs/:id/tables) have no such columns. The export now writes
 * the same columns they do. Rows: real corpus row images (test/staging/fixtures.ts); the layout's
 * extra columns are SYNTHETIC metadata.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';
import { col, LAYOUTS, table } from '../../staging/fixtures.js';

describe('CSV export of one table: the columns the rows carry', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('leaves out hidden and column-set columns, as scan and the grid do', async () => {
    const jobId = await fakeFilesJob(t);
    const base = LAYOUTS['dbo.T']!;
    const withExtras = table('dbo.T', [
      ...base.columns.map((c) => ({ ...c })),
      col('$hidden_16777216', 'bigint', { isHidden: true, columnId: 16777216 }),
      col('SpecialAttrs', 'xml', { isColumnSet: true, columnId: 3 }),
    ]);
    t.store.saveJobTables(jobId, [withExtras, ...Object.values(LAYOUTS).filter((l) => l.name !== 'T')]);
    const grid = (await t.app.inject({ url: `/api/jobs/${jobId}/tables`, headers: bearer(t.tokens.viewer) })).json().items.find((x: { table: string }) => x.table === 'dbo.T');
    expect(grid.columns.map((c: { name: string }) => c.name)).toEqual(['Id', 'Name']);
    const csv = (await t.app.inject({ url: `/api/jobs/${jobId}/export?format=csv&table=dbo.T`, headers: bearer(t.tokens.viewer) })).body;
    const header = csv.split(/\r?\n/)[0]!.split(',');
    expect(header).not.toContain('$hidden_16777216');
    expect(header).not.toContain('SpecialAttrs');
    const first = header.indexOf('status') + 1;
    expect(header.slice(first, header.indexOf('warnings'))).toEqual(['[Id]', 'Name']);
  });
});
