import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { payloadRange, readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * `diff` says what `dump` says of pages with no page checksum (uncheckedPagesNote), per side: a
 * "missing" or "changed" row may come from such a page, where a changed byte cannot be seen.
 * REAL pubs.bak, and a copy of it made here whose page 1:120 (a data page of dbo.authors) has its
 * checksum flag (m_flagBits 0x0200) and checksum wiped, as test/datafile/unchecked-pages-named.test.ts
 * does to a data file: the page then reads as unprotected, its rows unchanged.
 */
describeCorpus('diff: the note on pages with no page checksum, per side', () => {
  const pubs = corpusPath('pubs-2012', 'pubs.bak');
  let wiped = '';
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-diff-unchecked-'));
    const b = Buffer.from(readFileSync(pubs));
    let n = 0;
    for (const s of readMtfLayout(pubs).streams.filter((x) => x.id === 'MQDA')) {
      const { start, end } = payloadRange(s);
      for (let page = start; page + 8192 <= end; page += 8192) {
        if (b[page] !== 1 || b[page + 1] !== 1 || b.readUInt32LE(page + 32) !== 120 || b.readUInt16LE(page + 36) !== 1) continue;
        expect(b[page + 5]! & 0x02).toBe(0x02);
        b[page + 5]! &= ~0x02;
        b.writeUInt32LE(0, page + 60);
        n++;
      }
    }
    expect(n).toBe(1);
    wiped = join(dir, 'pubs-wiped.bak');
    writeFileSync(wiped, b);
  });
  let k = 0;
  const diff = async (before: string, after: string, ...extra: string[]) => {
    const out = join(dir, `${k++}.ndjson`);
    const r = await cli('diff', '--bak', before, '--after-bak', after, '--table', 'dbo.authors', '--out', out, ...extra);
    return { ...r, stdout: readFileSync(out, 'utf8') };
  };
  const NOTE = (side: string, file: string) =>
    new RegExp(`^rowback diff: note \\(${side} state, ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): 1 of the \\d+ pages read carries no page checksum \\(1 with no protection\\): page 1:120\\. Among pages with a checksum a lone one without is suspect`, 'm');

  it('the later state read from the wiped copy: the note names the later state, its file and page 1:120; the same rows', async () => {
    const r = await diff(pubs, wiped);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(NOTE('later', wiped));
    expect(r.stderr).not.toMatch(/note \(earlier[^)]*\): \d+ of the \d+ pages read carries no page checksum/);
  });

  it('the earlier state read from the wiped copy: the note names the earlier state', async () => {
    const r = await diff(wiped, pubs);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(NOTE('earlier', wiped));
    expect(r.stderr).not.toMatch(/note \(later[^)]*\): \d+ of the \d+ pages read carries no page checksum/);
  });

  it('no note when every page carries a checksum; none with --quiet (as dump)', async () => {
    // a copy: the same file on both sides is refused (diff-same-backup.test.ts)
    const copy = join(dir, 'pubs-copy.bak');
    copyFileSync(pubs, copy);
    const same = await diff(pubs, copy);
    expect(same.code).toBe(0);
    expect(same.stderr).not.toContain('page checksum');
    expect((await diff(pubs, wiped, '--quiet')).stderr).not.toContain('page checksum');
  });
});
