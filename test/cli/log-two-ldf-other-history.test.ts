/**
 * Two .ldf files of one database (one binding id) that hold different records at the same LSN:
 * the logs of two histories (a copy of the files attached as another database goes on from the
 * same LSNs; a RESTORE starts a new recovery fork whose LSNs repeat the old one's) or one damaged
 * where no log block checksum sees it. `rowback log A.ldf B.ldf` printed A's record at each LSN
 * both hold and passed B's over as "a copy of one log file", exit 0 with no warning, while two
 * copies of one log backup are compared record by record. Now the records at LSNs two .ldf files
 * hold are compared too: FORMAT_LOG_SOURCES_DISAGREE, a WARNING naming both files and the LSN,
 * and INCOMPLETE (exit 3 under --strict). A byte-identical copy, and the same file twice, stay quiet.
 *
 * REAL bytes: SessionShoppingCart/App_Data/NORTHWND_log.ldf (564 of its 566 log blocks carry no
 * checksum). SYNTHETIC: a copy with one character of one LOP_DELETE_ROWS row image (LSN
 * 00000016:0000001e:0004, 'sysfulltextnotify') changed, standing for the other history's record.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('SYNTHETIC: two .ldf files holding different records at one LSN (two histories of one database)', () => {
  let dir: string;
  let other: string;
  let copy: string;
  const ldf = () => corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-two-ldf-'));
    const b = Buffer.from(readFileSync(ldf()));
    const image = Buffer.from('2601001800000001002D00730079007300660075006C006C0074006500780074006E006F007400690066007900', 'hex');
    const at = b.indexOf(image);
    expect(at).toBeGreaterThan(0);
    expect(b.indexOf(image, at + 1)).toBe(-1);
    b[at + 11] = 'S'.charCodeAt(0); // 's' of N'sysfulltextnotify'
    other = join(dir, 'NORTHWND_log-other.ldf');
    writeFileSync(other, b);
    copy = join(dir, 'NORTHWND_log-copy.ldf');
    copyFileSync(ldf(), copy);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('said as a WARNING naming both files and the LSN, and INCOMPLETE; exit 3 under --strict', async () => {
    const r = await cli('log', ldf(), other, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const warning = r.stderr.split('\n').find((l) => l.includes('FORMAT_LOG_SOURCES_DISAGREE') && l.includes('WARNING'));
    expect(warning).toBe(
      `rowback log: WARNING: FORMAT_LOG_SOURCES_DISAGREE: 1 record(s) at the same LSN differ between two log files given: ${ldf()} and ${other} hold different records at LSN 00000016:0000001e:0004; the record printed there is ${ldf()}'s, and ${other}'s records at the LSNs ${ldf()} holds were passed over. They are not copies of one log file: the logs of two histories of the database (a copy of its files attached as another database, whose log goes on from the same LSNs; a RESTORE between them, which starts a new recovery fork whose LSNs repeat the old one's) or one is damaged where no log block checksum sees it: read each alone (rowback log ${ldf()}, then rowback log ${other}) and use the log of the database the rows are to come from`,
    );
    expect(r.stderr).toContain('rowback log: INCOMPLETE: log files given hold different records at 1 LSN(s) (FORMAT_LOG_SOURCES_DISAGREE, WARNING above)');
    // in the other order the other history's record is the one printed: said all the same
    const rev = await cli('log', other, ldf(), '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet', '--strict');
    expect(rev.code).toBe(3);
    expect(rev.stderr).toContain(`differ between two log files given: ${other} and ${ldf()} hold different records at LSN 00000016:0000001e:0004`);
  });

  it('a byte-identical copy, and the same file twice: no warning, complete', async () => {
    for (const second of [copy, ldf()]) {
      const r = await cli('log', ldf(), second, '--operation', 'LOP_DELETE_ROWS', '--format', 'ndjson', '--quiet', '--strict');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('FORMAT_LOG_SOURCES_DISAGREE');
      expect(r.stderr).not.toContain('INCOMPLETE');
    }
  });
});
