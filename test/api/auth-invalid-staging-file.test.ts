/**
 * A newcomer made a token with `rowback token create alice --role reviewer` (no --db: a new
 * rowback-staging.db in the folder they stood in) while the server ran on another staging file;
 * the page and the API answered "the API token is unknown or revoked", which named neither cause.
 * The 401 now says a server knows only its own staging file's tokens and to create the token with
 * the server's --db (the path itself is not given to a client that has not signed in).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => { t = await testApp(); });
afterEach(async () => { await t.close(); });

it('an unknown token: 401 AUTH_INVALID saying tokens are per staging file, without the path', async () => {
  const bad = await t.app.inject({ url: '/api/jobs', headers: bearer('rbk_made_on_another_staging_file') });
  expect(bad.statusCode).toBe(401);
  expect(bad.json()).toEqual({
    code: 'AUTH_INVALID',
    message: "the API token is unknown or revoked: this server knows only the tokens of the staging file it was started with (rowback serve --db FILE; stderr names it at start); a token made by rowback token create with another --db, or none (then rowback-staging.db in the folder it ran in), is not in it: create the token with the server's --db",
  });
  expect(bad.body).not.toContain(t.dir);
});
