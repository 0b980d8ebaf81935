import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { payloadRange, readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * `diff` refusing a state with a page it cannot read (INPUT_UNREADABLE_STATE) names the page and the
 * file holding it, not only the table and the files of the side. REAL pubs.bak, and a copy of it made
 * here with one byte changed inside page 1:120 (a data page of dbo.authors): its checksum fails.
 */
describeCorpus('diff: an unreadable state names the page and its file', () => {
  const pubs = corpusPath('pubs-2012', 'pubs.bak');
  let damaged = '';
  let dir = '';
  const rtc = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak');
  const rtcDiff = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean2.bak'); // a differential over it
  let damagedDiff = '';
  /** A copy of `file` with one byte changed inside data page 1:`pageId` (its checksum then fails). */
  function damage(file: string, pageId: number, name: string): string {
    const b = Buffer.from(readFileSync(file));
    let n = 0;
    for (const s of readMtfLayout(file).streams.filter((x) => x.id === 'MQDA')) {
      const { start, end } = payloadRange(s);
      for (let page = start; page + 8192 <= end; page += 8192) {
        if (b[page] !== 1 || b[page + 1] !== 1 || b.readUInt32LE(page + 32) !== pageId || b.readUInt16LE(page + 36) !== 1) continue;
        b[page + 4000]! ^= 0x01;
        n++;
      }
    }
    expect(n).toBe(1);
    const out = join(dir, name);
    writeFileSync(out, b);
    return out;
  }
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-diff-unreadable-'));
    damaged = damage(pubs, 120, 'pubs-damaged.bak');
    damagedDiff = damage(rtcDiff, 153, 'RestoreTimeClean2-damaged.bak');
  });

  it('a later state of a full and a differential backup: the page is named with the differential holding it, not the full one', async () => {
    const r = await cli('diff', '--bak', rtc, '--after-bak', rtc, damagedDiff, '--table', 'dbo.steps', '--out', join(dir, 'b.ndjson'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/of dbo\.steps in \S+RestoreTimeClean\.bak \+ \S+RestoreTimeClean2-damaged\.bak could not be read \(first: page 1:153 in backup \S+RestoreTimeClean2-damaged\.bak: FORMAT_BAD_CHECKSUM: checksum mismatch/);
  });

  it('the later state: refused naming page 1:120 and the damaged copy', async () => {
    const r = await cli('diff', '--bak', pubs, '--after-bak', damaged, '--table', 'dbo.authors', '--out', join(dir, 'a.ndjson'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('INPUT_UNREADABLE_STATE');
    expect(r.stderr).toMatch(/of dbo\.authors in \S+pubs-damaged\.bak could not be read \(first: page 1:120 in backup \S+pubs-damaged\.bak: FORMAT_BAD_CHECKSUM: checksum mismatch/);
  });

  it('a catalog page of the later state damaged (1:63, sys.syscolpars), not the table\'s: compared, and INCOMPLETE naming the catalog page (it was refused as rows of dbo.authors that could not be read)', async () => {
    const catalog = damage(pubs, 63, 'pubs-catalog.bak');
    const r = await cli('diff', '--bak', pubs, '--after-bak', catalog, '--table', 'dbo.authors', '--out', join(dir, 'c.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('26 unchanged');
    expect(r.stderr).toMatch(/^rowback diff: INCOMPLETE: the catalog of \S+pubs-catalog\.bak, the later state, could not be read whole \(first: page 1:63 in backup \S+pubs-catalog\.bak: FORMAT_BAD_CHECKSUM: checksum mismatch/m);
    const strict = await cli('diff', '--bak', pubs, '--after-bak', catalog, '--table', 'dbo.authors', '--out', join(dir, 'c.ndjson'), '--strict');
    expect(strict.code).toBe(3);
  });
});
