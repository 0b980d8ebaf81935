/**
 * STAGING_TOKEN_EXISTS advises `rowback token revoke NAME --db PATH`: each of NAME and PATH one word
 * of a POSIX command line (util/shell-word.ts shellWord). A staging file in `my dir` and a token
 * named `ops team` were advised bare, four words when pasted. SYNTHETIC: a staging file made here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-token-words-');

describe.skipIf(process.platform === 'win32')('token create twice: the revoke advice', () => {
  it('names the token and the staging file as the shell reads them back', () => {
    const dir = join(work(), "my dir/it's\nz");
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'stage.db');
    const store = new StagingStore(db);
    try {
      const name = "ops team's key"; // a name holds no control character (createToken refuses one)
      store.createToken(name, 'operator');
      let message = '';
      try {
        store.createToken(name, 'operator');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('already exists');
      expect(advisedWords(message, '(rowback token revoke ', ') and create')).toEqual([name, '--db', db]);
    } finally {
      store.close();
    }
  });
});
