/**
 * The one phrase naming a backup file with the set read from it (util/backup-set-text.ts), which
 * about forty places wrote inline: `F (backup set N)`, the file alone without a set. The messages
 * built on it are pinned by their own tests (backup-set-named, same-backup-set-twice, …).
 */
import { describe, expect, it } from 'vitest';
import { fileAndSet } from '../../src/util/backup-set-text.js';

describe('fileAndSet', () => {
  it('a file and its set; the file alone without one', () => {
    expect(fileAndSet('/backups/ALL.bak', 2)).toBe('/backups/ALL.bak (backup set 2)');
    expect(fileAndSet('/backups/ALL.bak', 1)).toBe('/backups/ALL.bak (backup set 1)');
    expect(fileAndSet('/backups/ALL.bak', undefined)).toBe('/backups/ALL.bak');
    // the stripes of one media set, read at one set
    expect(fileAndSet('a.bak + b.bak', 3)).toBe('a.bak + b.bak (backup set 3)');
  });
});
