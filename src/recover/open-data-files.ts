import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { assertOneDatabase } from './source-identity.js';
import { LayeredPageSource, MdfPageSource } from '../datafile/mdf-source.js';
import type { PageSource } from '../datafile/page-source.js';
import { logFileAsDataFile } from '../datafile/metadata.js';
import { VLF_HEADER_MARKER } from '../logreader/ldf/constants.js';

/**
 * One PageSource over the files of one database (`.mdf` and its `.ndf` files), read-only.
 * Throws InputError INPUT_BAD_OPTION (a file given twice, two files with one file id), INPUT_NOT_A_DATA_FILE (a log file among them), INPUT_MIXED_DATABASES (files
 * of different databases: their page-0 binding ids differ), and what MdfPageSource throws.
 * `options.backupOption`: MdfPageSource's (`--after-bak` for diff's later state).
 */
export function openDataFiles(paths: string[], options: { backupOption?: string } = {}): PageSource {
  const opened: MdfPageSource[] = [];
  try {
    for (const p of paths) {
      if (paths.indexOf(p) !== paths.lastIndexOf(p) || paths.some((q) => q !== p && resolve(q) === resolve(p))) {
        throw new InputError('INPUT_BAD_OPTION', `${p} is given more than once: give each data file of the database once`, { file: p });
      }
      const f = new MdfPageSource(p, options);
      opened.push(f);
      // a log file listed among the data files (`--mdf DB.mdf DB_log.ldf`) was taken as data file 2
      if (f.readPage(f.fileId, 1)?.[0] === VLF_HEADER_MARKER) throw logFileAsDataFile(p);
      // the same binding-id check every other combination of files goes through: files of two
      // databases are said to be that (both are file id 1), before the file ids are compared
      assertOneDatabase(opened.map((o) => ({ file: o.path, role: 'mdf' as const, bindingId: o.bindingId ?? null, databaseName: null })));
      const dup = opened.find((o) => o !== f && o.fileId === f.fileId);
      if (dup) {
        // one database's file id twice: the same file through a link or a copy of it (it said
        // "give the files of one database", which they are)
        const oneDatabase = dup.bindingId != null && f.bindingId != null; // equal: assertOneDatabase passed
        throw new InputError(
          'INPUT_BAD_OPTION',
          oneDatabase
            ? `${dup.path} and ${p} are both file id ${f.fileId} of one database (the same data file through a link, or two copies of it): give each data file of the database once`
            : `${dup.path} and ${p} are both file id ${f.fileId}: give the files of one database, each once`,
          { file: p },
        );
      }
    }
  } catch (e) {
    for (const o of opened) o.close();
    throw e;
  }
  return opened.length === 1 ? opened[0] : new LayeredPageSource(opened);
}
