import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBackupPageSource } from '../../src/backup/page-source.js';
import { captureCli } from '../support/cli.js';
import { describeCorpus, restoreTimeClean } from '../support/corpus.js';

/**
 * A page of a backup whose bytes were zeroed (a damaged copy: newcomer DBA, incident 3) was said not
 * to be in the backup at all: "backup D.bak over backup F.bak does not hold page 1:153" (dump's
 * INCOMPLETE line, the restore job's REPLAY_UNDECODABLE, diff's INPUT_UNREADABLE_STATE), as if the
 * wrong backup had been given, and no offset to look at. The backup does hold a place for the page
 * (its extent's frame, written positionally): that place holds no image of it. Now said so, with the
 * offset of that place in the file.
 * REAL RestoreTimeClean2.bak (the differential holding dbo.steps' 30 rows on page 1:153, at offset
 * 409,088) with that page's 8 KB zeroed (SYNTHETIC damage, made at test time, never kept).
 */
const cli = captureCli();

describeCorpus('a page whose place in the backup holds no image of it: said, with the offset', () => {
  const { FULL, DIFF, LOGS } = restoreTimeClean();
  const AT = 409088;
  let dir: string;
  let diff: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-slot-no-image-'));
    const b = Buffer.from(readFileSync(DIFF));
    expect(b.readUInt32LE(AT + 32)).toBe(153); // page 1:153 stands there
    b.fill(0, AT, AT + 8192);
    diff = join(dir, 'RestoreTimeClean2.bak');
    writeFileSync(diff, b);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const WHY = `its place in the backup, offset ${AT} of ${'{D}'}, holds no image of it (zeros, or bytes of no page of the database): the copy is damaged there, or the page was allocated and never written`;

  it('the page source says why, naming the offset', () => {
    const src = openBackupPageSource(diff);
    try {
      expect(src.readPage(1, 153)).toBeUndefined();
      expect(src.whyMissing?.(1, 153)).toBe(`: ${WHY.replace('{D}', diff)}`);
      expect(src.whyMissing?.(1, 152)).toBeUndefined(); // held
    } finally {
      src.close();
    }
  });

  it('dump and the point-in-time replay say it', async () => {
    const d = await cli('dump', '--bak', FULL, diff, '--table', 'dbo.steps');
    expect(d.stderr).toContain(`does not hold page 1:153: ${WHY.replace('{D}', diff)}`);
    const r = await cli('dump', '--bak', FULL, diff, '--trn', LOGS[3]!, LOGS[4]!, '--stop-at', '2017-06-01 13:22', '--table', 'dbo.steps');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`REPLAY_UNDECODABLE: 1 row(s) or page(s) of dbo.steps in ${diff} could not be read (first: FORMAT_PAGE_MISSING: backup ${diff} over backup ${FULL} does not hold page 1:153: ${WHY.replace('{D}', diff)})`);
  });
});
