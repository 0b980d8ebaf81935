import { expect, it } from 'vitest';
import { redactSecrets } from '../../src/util/redact.js';
import { bearer, fakeFilesJob, testApp } from './helpers.js';

/**
 * API tokens never reach a log line, the audit log or an answer. A client that put its token in the
 * URL (`?token=rbk_…`, `?access_token=…`: the API takes it only in the Authorization header) was
 * refused, but fastify's `incoming request` line logged the URL whole, token included (found with
 * `rowback serve` at ROWBACK_LOG_LEVEL=debug and curl); and a token pasted into a decision's reason
 * was stored and shown by GET /api/jobs/:id/decisions to every viewer. The one redaction now knows
 * rowback's tokens by their form (`rbk_…`) and the usual query parameter names.
 */
it('a token in the query string is not logged; a token in a reason is not stored or shown', async () => {
  const t = await testApp();
  try {
    const viewer = t.tokens.viewer;
    for (const url of [`/api/jobs?token=${viewer}`, `/api/jobs?access_token=${encodeURIComponent(viewer)}`, `/api/jobs?limit=5&api_key=${viewer}`, `/api/me?x=${viewer}`]) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(401);
      expect(r.body).not.toContain(viewer.slice(4, 20));
    }
    const jobId = await fakeFilesJob(t);
    const d = await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/decisions`, headers: bearer(t.tokens.reviewer), payload: { decision: 'approve', reason: `as olga said; her token ${t.tokens.operator} works`, all: true } });
    expect(d.statusCode).toBe(200);
    for (const url of [`/api/jobs/${jobId}/decisions`, '/api/audit']) {
      const r = await t.app.inject({ url, headers: bearer(viewer) });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('her token rbk_***');
      expect(r.body).not.toContain(t.tokens.operator.slice(4, 20));
    }
    const logs = t.logs.join('');
    expect(logs).toContain('incoming request');
    expect(logs).toContain('/api/jobs?token=***');
    for (const tok of Object.values(t.tokens)) expect(logs).not.toContain(tok.slice(4, 20));
  } finally {
    await t.close();
  }
});

it('the redaction takes a token by its form, and nothing shorter or of another kind', () => {
  const tok = 'rbk_9ptcTUjHqWIpQctYIgUdF52n8WQLcX8AWiNzV__7ibw';
  expect(redactSecrets(`Bearer ${tok}`)).toBe('Bearer rbk_***');
  expect(redactSecrets(`/api/jobs?access_token=abc&limit=1`)).toBe('/api/jobs?access_token=***&limit=1');
  expect(redactSecrets(`${tok},${tok}.`)).toBe('rbk_***,rbk_***.');
  for (const plain of ['token rbk_alice', 'table dbo.rbk_transaction_log_archive_of_the_year_2024_and_more', `x${tok}`, `${tok}x`]) expect(redactSecrets(plain)).toBe(plain);
});
