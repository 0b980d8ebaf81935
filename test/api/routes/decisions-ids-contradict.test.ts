/**
 * docs/service.md: "`all: true` with `ids` or with a filter that narrows is 400
 * (`INPUT_DECISION_ALL_CONTRADICTS`)". With `ids` the body's schema answered first, 400
 * INPUT_VALIDATION ("give ids, or filter, or all: true (ids with neither of the others)"), so a
 * script telling a contradictory decision by its code did not recognise it. Now `ids` beside `all`
 * or `filter` is INPUT_DECISION_ALL_CONTRADICTS naming the field; a body with none of the three is
 * still INPUT_VALIDATION. Nothing is decided or audited either way.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

describe('a decision body giving ids with all or a filter', () => {
  let t: TestApp;
  beforeEach(async () => { t = await testApp(); });
  afterEach(async () => { await t.close(); });

  it('is INPUT_DECISION_ALL_CONTRADICTS, as documented; none of the three is INPUT_VALIDATION', async () => {
    const jobId = await fakeFilesJob(t);
    const post = (payload: object) => t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: 'restore', ...payload } });
    const withAll = await post({ ids: [1], all: true });
    expect([withAll.statusCode, withAll.json().code, withAll.json().field]).toEqual([400, 'INPUT_DECISION_ALL_CONTRADICTS', 'body.all']);
    const withFilter = await post({ ids: [1], filter: { table: 'dbo.T' } });
    expect([withFilter.statusCode, withFilter.json().code, withFilter.json().field]).toEqual([400, 'INPUT_DECISION_ALL_CONTRADICTS', 'body.filter']);
    const none = await post({});
    expect([none.statusCode, none.json().code]).toEqual([400, 'INPUT_VALIDATION']);
    expect(t.store.decisions(jobId)).toEqual([]);
    expect(t.store.audit({ jobId, limit: 100 }).filter((a) => a.action.startsWith('rows.'))).toEqual([]);
    // ids alone still decide
    const ok = await post({ ids: [1] });
    expect([ok.statusCode, ok.json().rows]).toEqual([200, 1]);
  });
});
