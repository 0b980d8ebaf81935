/**
 * A table a comparison's side does not list: `diff` said "table dbo.stores is not in later.bak"
 * also when that side's catalog was damaged (its sysschobjs page another database's: no table
 * listed at all), read as if the table had been dropped between the two states. It now says, as
 * `dump` and the replay's base do, that the table is not *named* there and that the catalog is
 * damaged, so it may be in it, unnamed.
 *
 * SYNTHETIC: a copy of pubs-2012/pubs.bak (in a temporary folder) whose page 1:186 (sysschobjs) is
 * FinancialCrm's 2019 backup's page 1:186 (same page id and unit, checksum intact).
 */
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compareTableStates } from '../../src/replay/compare.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/** Where page 1:186 sits in both backups (checked below: m_pageId @32). */
const PAGE_186_AT = 1540096;

describeCorpus('diff of a table the later state\'s damaged catalog does not name', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-compare-unnamed-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused saying the catalog is damaged and the table may be in it, not that it is not there', async () => {
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    const other = readFileSync(corpusPath('FinancialCrm', 'FinancialCrmDb', 'FinancialCrmDb202501190233.bak')).subarray(PAGE_186_AT, PAGE_186_AT + 8192);
    const mine = readFileSync(pubs).subarray(PAGE_186_AT, PAGE_186_AT + 8192);
    for (const p of [other, mine]) expect([p.readUInt32LE(32), p.readUInt32LE(24)]).toEqual([186, 34]);
    const later = join(dir, 'pubs-later.bak');
    copyFileSync(pubs, later);
    const fd = openSync(later, 'r+');
    writeSync(fd, other, 0, 8192, PAGE_186_AT);
    closeSync(fd);
    const run = compareTableStates({ bak: [pubs], afterBak: [later], table: 'dbo.stores' });
    await expect(run).rejects.toMatchObject({ code: 'INPUT_UNKNOWN_TABLE' });
    await expect(compareTableStates({ bak: [pubs], afterBak: [later], table: 'dbo.stores' })).rejects.toThrow(
      /^table dbo\.stores is not named in .*pubs-later\.bak; known tables: \(none\); its catalog is damaged \(sys\.sysschobjs\), so dbo\.stores may be in it, unnamed/,
    );
  });
});
