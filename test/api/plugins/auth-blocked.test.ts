import { describe, expect, it } from 'vitest';
import { pruneBlocked } from '../../../src/api/plugins/auth.js';

// The auth limiter's map of blocked clients kept an entry for every client ever blocked (each new
// IP's failed authentications grew it for good); pruneBlocked leaves only clients blocked now.
describe('auth: blocked clients pruned', () => {
  it('drops blocks that ended at or before now, keeps the running ones', () => {
    const m = new Map([['10.0.0.1', 1_000], ['10.0.0.2', 2_000], ['10.0.0.3', 3_000]]);
    pruneBlocked(m, 2_000);
    expect([...m]).toEqual([['10.0.0.3', 3_000]]);
    pruneBlocked(m, 2_999);
    expect([...m.keys()]).toEqual(['10.0.0.3']);
  });
});
