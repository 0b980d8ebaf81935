import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/cli/commands/serve.js';
import { duplicateJsonKey } from '../../../src/util/json-duplicate-key.js';
import { bearer, fakeFilesJob, testApp, type TestApp } from '../helpers.js';

/**
 * A JSON body (or the serve config file) giving one key twice in one object. JSON.parse keeps the
 * last value and drops the first without a word (RFC 8259 §4: such an object's handling is
 * "unpredictable"; another reader, a proxy or the client's log, may keep the first). Before:
 * `{"decision":"reject", …, "decision":"approve"}` approved the row (200, audited as an approval),
 * `"filter":{"table":"dbo.A","table":"dbo.B"}` decided dbo.B's rows, and a config with
 * `allowedServers` twice kept the second list alone. Now 400 INPUT_BAD_REQUEST naming the key,
 * nothing done (the config: INPUT_BAD_CONFIG). The requests are SYNTHETIC; the rows are the fake
 * source's (test/worker/fake-source.ts).
 */
let t: TestApp;
beforeAll(async () => { t = await testApp({ maxAuthFailures: 1000 }); });
afterAll(async () => { await t.close(); });

const raw = (url: string, payload: string, token: string) => t.app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload });

it('a decision whose body gives "decision" twice is refused, nothing decided or audited', async () => {
  const jobId = await fakeFilesJob(t);
  const before = t.store.audit({ jobId }).length;
  const r = await raw(`/api/jobs/${jobId}/decisions`, '{"decision":"reject","reason":"not ours, keep out","ids":[1],"decision":"approve"}', t.tokens.reviewer);
  expect(r.statusCode, r.body).toBe(400);
  expect(r.json()).toMatchObject({ code: 'INPUT_BAD_REQUEST', message: expect.stringContaining('the body gives the key decision twice in one object') });
  expect(t.store.getRow(jobId, 1)!.status).toBe('pending');
  expect(t.store.audit({ jobId }).length).toBe(before);
  // nested, and a key spelt with an escape is the same key: named by its path
  const nested = await raw(`/api/jobs/${jobId}/decisions`, '{"decision":"approve","reason":"owner confirmed","filter":{"status":"pending","st\\u0061tus":"rejected"}}', t.tokens.reviewer);
  expect(nested.statusCode, nested.body).toBe(400);
  expect(nested.json().message).toContain('the body gives the key filter.status twice');
  expect(t.store.getRow(jobId, 1)!.status).toBe('pending');
  // the same keys in two objects are no duplicate: taken as ever
  const ok = await raw(`/api/jobs/${jobId}/decisions`, '{"decision":"approve","reason":"owner confirmed","ids":[1],"seen":{"1":"pending"}}', t.tokens.reviewer);
  expect(ok.statusCode, ok.body).toBe(200);
  expect(t.store.getRow(jobId, 1)!.status).toBe('approved');
});

it('a re-insert body giving dryRun twice is refused before anything runs', async () => {
  const jobId = await fakeFilesJob(t);
  const r = await raw(`/api/jobs/${jobId}/reinsert`, '{"dryRun":true,"dryRun":false}', t.tokens.operator);
  expect(r.statusCode, r.body).toBe(400);
  expect(r.json().message).toContain('the body gives the key dryRun twice');
  expect(t.store.db.prepare('SELECT count(*) AS n FROM reinsert_runs WHERE job_id = ?').get(jobId)).toEqual({ n: 0 });
});

it('duplicateJsonKey: paths, escapes, strings holding quotes and braces, arrays, nesting bound', () => {
  const dup = (path: string) => ({ kind: 'duplicate', path });
  expect(duplicateJsonKey('{"a":1,"b":{"c":[{"d":1},{"d":2,"e":"}\\"{,","d":3}]}}')).toEqual(dup('b.c.1.d'));
  expect(duplicateJsonKey('{"a":"\\"a\\":1","b":["a","a"],"c":{"a":1},"d":{"a":1}}')).toBeNull();
  expect(duplicateJsonKey('{"k\\\\":1,"k\\u005c":2}')).toEqual(dup('k\\'));
  expect(duplicateJsonKey('[{"x":1},{"x":1,"y":{"":1,"":2}}]')).toEqual(dup('1.y.'));
  expect(duplicateJsonKey('"just a string"')).toBeNull();
  // the check reads with jsonc-parser, which recurses per level: a text nested past the bound is
  // named as such (refused by the callers), never a stack overflow (before the bound: RangeError
  // "Maximum call stack size exceeded" near 5,000 levels, measured)
  const nested = (n: number) => `${'['.repeat(n)}{"a":1,"a":2}${']'.repeat(n)}`;
  expect(duplicateJsonKey(nested(999))).toEqual(dup(`${Array(999).fill('0').join('.')}.a`));
  expect(duplicateJsonKey(nested(1000))).toEqual({ kind: 'too-deep', limit: 1000 });
  expect(duplicateJsonKey(nested(500_000))).toEqual({ kind: 'too-deep', limit: 1000 });
  expect(duplicateJsonKey(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`, 20)).toBeNull();
  expect(duplicateJsonKey(`${'{"a":'.repeat(21)}1${'}'.repeat(21)}`, 20)).toEqual({ kind: 'too-deep', limit: 20 });
});

it('a body nested past the bound is refused in one line, nothing done', async () => {
  const jobId = await fakeFilesJob(t);
  const before = t.store.audit({ jobId }).length;
  const deep = `{"decision":"approve","reason":"owner confirmed","ids":[1],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const r = await raw(`/api/jobs/${jobId}/decisions`, deep, t.tokens.reviewer);
  expect(r.statusCode, r.body).toBe(400);
  expect(r.json()).toMatchObject({ code: 'INPUT_BAD_REQUEST', message: expect.stringContaining('more than 1000 levels deep') });
  expect(t.store.audit({ jobId }).length).toBe(before);
});

it('the serve config file giving allowedServers twice is refused naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-config-twice-'));
  try {
    const file = join(dir, 'rowback.json');
    writeFileSync(file, '{"allowedServers":["side-sql"],"timeZone":"UTC","allowedServers":["side-sql","prod-sql"]}');
    expect(() => resolveConfig({ config: file }, {})).toThrow(/INPUT_BAD_CONFIG|config allowedServers: given twice/);
    try { resolveConfig({ config: file }, {}); } catch (e) {
      expect((e as { code: string }).code).toBe('INPUT_BAD_CONFIG');
      expect((e as Error).message).toContain('config allowedServers: given twice in one object');
    }
    writeFileSync(file, '{"targets":{"crm-side":{"connectionStringEnv":"A","connectionStringEnv":"B"}}}');
    expect(() => resolveConfig({ config: file }, {})).toThrow(/config targets\.crm-side\.connectionStringEnv: given twice/);
    writeFileSync(file, `{"timeZone":"UTC","x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(() => resolveConfig({ config: file }, {})).toThrow(/nests objects and arrays more than 1000 levels deep/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a duplicate key holding a line break or a format character is named in the one notation of every message, \\u{…}', async () => {
  const jobId = await fakeFilesJob(t);
  // SYNTHETIC keys: a line break (was `?`, which a key may hold itself), U+202E (was raw: the rest of
  // the message read reversed), a tag character U+E0041 (was raw: invisible)
  for (const [key, shown] of [['st\\natus', 'st\\u{a}atus'], ['st\\u202eatus', 'st\\u{202e}atus'], ['sta\\udb40\\udc41tus', 'sta\\u{e0041}tus'], ['a?b', 'a?b']]) {
    const r = await raw(`/api/jobs/${jobId}/decisions`, `{"decision":"approve","reason":"owner confirmed","filter":{"${key}":"x","${key}":"y"}}`, t.tokens.reviewer);
    expect(r.statusCode, r.body).toBe(400);
    const message = r.json().message as string;
    expect(message).toContain(`the body gives the key filter.${shown} twice`);
    expect(message).not.toMatch(/[\n\u202e\udb40]/);
  }
});
