/**
 * Two data files given together that are both file id 1: of two databases they are refused
 * INPUT_MIXED_DATABASES naming both binding ids, as every other mix of files is (README "One database
 * only"); it was INPUT_BAD_OPTION "are both file id 1: give the files of one database". A data file
 * and a copy of it (or a link to it) are said to be one database's file twice; they were told to be
 * "the files of one database", which they are. (REAL corpus data files; the copy is a link.)
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDataFiles } from '../../src/recover/open-data-files.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const angular = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const crud = corpusPath('CRUD-.NET', 'App_Data', 'Database.mdf');

function refusal(paths: string[]): { code: string; message: string } {
  try {
    openDataFiles(paths).close?.();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('not refused');
}

describeCorpus('openDataFiles: two file id 1s', () => {
  it('of two databases: INPUT_MIXED_DATABASES naming both binding ids', () => {
    const r = refusal([angular, crud]);
    expect(r.code).toBe('INPUT_MIXED_DATABASES');
    expect(r.message).toContain('97C13D95-088B-43ED-85E5-F9F10FED2D16 vs 77CBFA04-51D4-45E8-8CFC-1BA947A6429A');
  });

  it('one data file through a link: one database\'s file id 1 twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-odf-'));
    try {
      const link = join(dir, 'copy.mdf');
      symlinkSync(angular, link);
      const r = refusal([angular, link]);
      expect(r.code).toBe('INPUT_BAD_OPTION');
      expect(r.message).toBe(`${angular} and ${link} are both file id 1 of one database (the same data file through a link, or two copies of it): give each data file of the database once`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
