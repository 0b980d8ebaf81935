import { copyFileSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sameBackups } from '../../src/backup/same-backup.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

// The one rule behind diff's and a restore job's same-backup refusal, on real backups: StDb2Sql.bak
// holds two backup sets (WITH NOINIT, 2009 and 2010), pubs.bak one.
describeCorpus('sameBackups (backup/same-backup.ts)', () => {
  const two = corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak');
  const pubs = corpusPath('pubs-2012/pubs.bak');
  const dir = mkdtempSync(join(tmpdir(), 'rowback-same-backup-'));
  const link = join(dir, 'link.bak');
  symlinkSync(pubs, link);
  const copy = join(dir, 'copy.bak');
  copyFileSync(pubs, copy);

  it('one file at one set, by any path, is the same backup (a position left out is set 1)', () => {
    const same = sameBackups({ files: [pubs], position: undefined }, { files: [link], position: 1 });
    expect(same?.kind).toBe('same-files');
    expect(same?.guids).toHaveLength(1);
    expect(sameBackups({ files: [two], position: 2 }, { files: [two], position: 2 })?.kind).toBe('same-files');
  });

  it('two sets of one file are two backups; a copy is a copy; other backups are neither', () => {
    expect(sameBackups({ files: [two], position: 1 }, { files: [two], position: 2 })).toBeNull();
    expect(sameBackups({ files: [pubs], position: undefined }, { files: [copy], position: undefined })).toEqual({ kind: 'copies', guids: sameBackups({ files: [pubs], position: 1 }, { files: [pubs], position: 1 })!.guids });
    expect(sameBackups({ files: [pubs], position: undefined }, { files: [two], position: 1 })).toBeNull();
  });

  it('a file whose header cannot be read is the same file by path, and unknown otherwise', () => {
    const missing = join(dir, 'gone.bak');
    expect(sameBackups({ files: [missing], position: undefined }, { files: [missing], position: undefined })).toEqual({ kind: 'same-files', guids: [] });
    expect(sameBackups({ files: [missing], position: undefined }, { files: [pubs], position: undefined })).toBeNull();
  });
});
