/**
 * A token's name is who the audit log, the decisions and the runs say acted. `rowback token create
 * '' --role reviewer` made a token whose approvals were signed '' (nobody), and 'alice ' or
 * 'alice\u200b' one that the audit log and the review page showed as alice, beside the real alice.
 * Such names are refused (INPUT_BAD_OPTION: the CLI's exit 2) and nothing is made or audited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { InputError } from '../../src/errors.js';

describe('token names', () => {
  let dir: string;
  let store: StagingStore;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-token-names-')); store = new StagingStore(join(dir, 'staging.db')); });
  afterEach(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });

  it('refuses a name that is empty or would read as another, and makes nothing', () => {
    store.createToken('alice', 'reviewer');
    for (const name of ['', '   ', 'alice ', ' alice', 'alice\u200b', 'ali\u00adce', 'alice\n', 'al\u0000ice', 'alice\u202e', '\ufeffalice', 'alice\u2028', 'x'.repeat(65)]) {
      let err: unknown;
      try { store.createToken(name, 'reviewer'); } catch (e) { err = e; }
      expect(err, JSON.stringify(name)).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('INPUT_BAD_OPTION');
      expect((err as InputError).message).toContain(`token name ${JSON.stringify(name)}`);
    }
    expect(store.listTokens().map((t) => t.name)).toEqual(['alice']);
    expect(store.audit({ limit: 100 }).filter((a) => a.action === 'token.create').map((a) => a.details.name)).toEqual(['alice']);
  });

  it('refuses every character a line writes \\u{…} (util/echo.ts), a format character outside the old list too, naming its code point', () => {
    // U+061C Arabic letter mark (bidi), U+180E, U+206A, U+FFF9, a tag character U+E0041, U+1D173: format
    // characters the token list lacked, so `alice<U+E0041>` was made and the review page showed alice
    for (const [name, cp] of [['alice\u061c', '061C'], ['ali\u180ece', '180E'], ['alice\u206a', '206A'], ['alice\ufff9', 'FFF9'], ['alice\u{e0041}', 'E0041'], ['alice\u{1d173}', '1D173'], ['ali\u200cce', '200C']] as const) {
      let err: unknown;
      try { store.createToken(name, 'reviewer'); } catch (e) { err = e; }
      expect(err, JSON.stringify(name)).toBeInstanceOf(InputError);
      expect((err as InputError).message).toContain(`holds the character U+${cp},`);
    }
    expect(store.listTokens()).toEqual([]);
    // ZWNJ between Persian letters is part of the spelling and prints as it (escapeUnprintable keeps it)
    expect(store.createToken('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', 'viewer').name).toBe('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645');
  });

  it('takes ordinary names: letters of any script, digits, spaces inside, punctuation', () => {
    for (const name of ['bob', 'Ärger Müller', 'olga.k@crm', 'dba_2', '王芳', 'x'.repeat(64)]) expect(store.createToken(name, 'viewer').name).toBe(name);
  });
});
