/**
 * A skipped item's `where` (GET /api/jobs/:id/skipped, api/skipped-where.ts): its location as one
 * line of text, the review page's, a table and a column each named as one T-SQL name. The page
 * wrote `table dbo.Order Details, column a, column b` for a column named `a, column b` (two columns to
 * a reader) and a column holding a line break broke the line; the answer had no text of its own, so
 * each reader made one. Now the service writes it (errors.ts locationPartText: nameText,
 * identifierText), the raw `location` unchanged beside it, and the OpenAPI document names it.
 * SYNTHETIC skipped items.
 */
import { describe, expect, it } from 'vitest';
import { skippedItemWhere } from '../../src/api/skipped-where.js';
import type { SkippedItem } from '../../src/util/skipped-item.js';
import { appPerTest, bearer } from './helpers.js';

/** Each item and the `where` it is answered with (literal: not computed by the code under test). */
const CASES: { item: SkippedItem; where: string }[] = [
  { item: { code: 'FORMAT_TORN_BLOCK', reason: 'torn log block', location: { file: '/evidence/CRM_log.ldf', offset: 8192 } }, where: 'file /evidence/CRM_log.ldf, offset 8192' },
  { item: { code: 'FORMAT_LOG_CHAIN_GAP', reason: 'gap', location: { file: '/evidence/CRM_diff.bak', lsn: '00000019:000000ad:0001' }, lsnRange: { first: '00000019:00000084:0001', last: '00000019:000000ad:0001' } }, where: 'file /evidence/CRM_diff.bak, LSNs 00000019:00000084:0001 to 00000019:000000ad:0001' },
  { item: { code: 'DECODE_BAD_ROW', reason: 'ordinary names', location: { lsn: '0000002a:00000100:0001', page: '1:153', slot: 0, offset: 0, table: 'dbo.Customers', column: 'Name' } }, where: 'LSN 0000002a:00000100:0001, offset 0, page 1:153, slot 0, table dbo.Customers, column Name' },
  { item: { code: 'DECODE_BAD_ROW', reason: 'a space', location: { table: 'dbo.Order Details', column: 'Unit Price' } }, where: 'table dbo.[Order Details], column [Unit Price]' },
  { item: { code: 'DECODE_BAD_ROW', reason: 'a bracket', location: { table: '[dbo].[x]]y]', column: 'p]q' } }, where: 'table dbo.[x]]y], column [p]]q]' },
  { item: { code: 'DECODE_BAD_ROW', reason: 'a name that reads as two', location: { table: 'dbo.T', column: 'a, column b' } }, where: 'table dbo.T, column [a, column b]' },
  { item: { code: 'DECODE_BAD_ROW', reason: 'a line break', location: { file: '/evidence/a\nb.ldf', table: 'dbo.a\nb', column: 'c\nd' } }, where: 'file /evidence/a\\u{a}b.ldf, table dbo.[a\\u{a}b], column [c\\u{a}d]' },
  { item: { code: 'SOURCE_NOTHING', reason: 'no location', location: {} }, where: '' },
];

describe("a skipped item's where", () => {
  it.each(CASES)('$item.reason', ({ item, where }) => {
    expect(skippedItemWhere(item)).toBe(where);
    expect(where.includes('\n')).toBe(false);
  });
});

describe('GET /api/jobs/:id/skipped answers each item with its where', () => {
  const env = appPerTest();
  it('beside the raw location, and in the OpenAPI document', async () => {
    const { t } = env;
    const job = t.store.createJob({ kind: 'files', spec: { ldf: '/evidence/crm.ldf' }, description: 'skipped names', createdBy: 'olga' });
    t.store.setJobState(job.id, 'running');
    t.store.stageBatch(job.id, [], CASES.map((c) => c.item));
    t.store.setJobState(job.id, 'succeeded');
    const res = await t.app.inject({ url: `/api/jobs/${job.id}/skipped`, headers: bearer(t.tokens.viewer) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { code: string; reason: string; location: Record<string, unknown>; lsnRange?: unknown; where: string }[];
    expect(items.map((s) => s.where)).toEqual(CASES.map((c) => c.where));
    // the location as it was staged: names raw
    expect(items.map((s) => s.location)).toEqual(CASES.map((c) => c.item.location));
    expect(items[1]!.lsnRange).toEqual(CASES[1]!.item.lsnRange);
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const item = doc.paths['/api/jobs/{id}/skipped'].get.responses['200'].content['application/json'].schema.properties.items.items;
    expect(item.properties).toHaveProperty('where');
    expect(item.required).toContain('where');
  });
});
