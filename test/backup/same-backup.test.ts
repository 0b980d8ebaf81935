import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

  it('paths holding line breaks are compared as paths: two files are not one file whose name joins theirs', () => {
    if (process.platform === 'win32') return;
    // the sides were compared as their real paths and set numbers joined with line breaks: the files
    // k and k2 (set 1 each) read as the one file `k<LF>1<LF>…/k2`, a path Linux allows, so two other
    // backups were taken for one state ('same-files': diff refuses it as a state compared with itself)
    const k = join(dir, 'k');
    const k2 = join(dir, 'k2');
    copyFileSync(pubs, k);
    copyFileSync(two, k2);
    const twin = `${k}\n1\n${k2}`;
    mkdirSync(dirname(twin), { recursive: true });
    copyFileSync(pubs, twin);
    expect(sameBackups({ files: [k, k2], position: undefined }, { files: [twin], position: undefined })).toBeNull();
    expect(sameBackups({ files: [twin], position: undefined }, { files: [k, k2], position: undefined })).toBeNull();
    // and one file is still one file
    expect(sameBackups({ files: [twin], position: undefined }, { files: [twin], position: 1 })?.kind).toBe('same-files');
  });

  it('a file whose header cannot be read is the same file by path, and unknown otherwise', () => {
    const missing = join(dir, 'gone.bak');
    expect(sameBackups({ files: [missing], position: undefined }, { files: [missing], position: undefined })).toEqual({ kind: 'same-files', guids: [] });
    expect(sameBackups({ files: [missing], position: undefined }, { files: [pubs], position: undefined })).toBeNull();
  });
});
