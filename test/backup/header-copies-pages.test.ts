import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

const cli = captureCli();

/**
 * The two copies of a backup set's header disagree on a file id (SYNTHETIC damage of the closing
 * copy of the REAL pubs.bak, the copy the header is read from since de3c9fc). The backup's pages
 * are whole: dump refused them with "holds file id(s)  only: give the .mdf as well", as the file
 * list of the damaged copy placed no page, and said nothing of the damaged header.
 */
describeCorpus('a backup whose two header copies disagree on its file list', () => {
  const pubs = corpusPath('pubs-2012', 'pubs.bak');
  let dir = '';
  let damaged = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-header-pages-'));
    const { closing } = headerCopyOffsets(pubs);
    damaged = damagedCopy(pubs, join(dir, 'pubs-sfin.bak'), (b) => {
      let p = closing;
      while (b.toString('latin1', p, p + 4) !== 'SFIN') p += b.readUInt32LE(p + 4);
      expect(b.readUInt32LE(p + 20)).toBe(1); // the data file's id
      b.writeUInt32LE(3, p + 20);
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('dump reads the pages as the intact backup does and says the header copies disagree', async () => {
    // dump waits on a write's callback, which captureCli's stdout never calls: --out, read back
    const dump = async (bak: string, name: string) => {
      const out = join(dir, name);
      const r = await cli('dump', '--bak', bak, '--table', 'dbo.authors', '--out', out);
      return { ...r, stdout: readFileSync(out, 'utf8') };
    };
    const whole = await dump(pubs, 'whole.ndjson');
    expect(whole.code).toBe(0);
    const r = await dump(damaged, 'damaged.ndjson');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(whole.stdout);
    expect(r.stderr).toMatch(/rowback dump: WARNING: .*pubs-sfin\.bak: FORMAT_BAD_BACKUP_HEADER: backup set 1's header is held twice .* disagree on the file id \(the field at offset \d+ in the opening copy, \d+ in the closing copy\): "1" in the opening copy, "3" in the closing copy.*the data pages were placed by their own headers/);
    expect(whole.stdout).toMatch(/Johnson/);
    expect(whole.stderr).not.toMatch(/FORMAT_BAD_BACKUP_HEADER/);
    // said with --quiet too (it was a note, left out then), in --report's warnings, and exit 3 under --strict
    const report = join(dir, 'report.json');
    const q = await cli('dump', '--bak', damaged, '--table', 'dbo.authors', '--out', join(dir, 'q.ndjson'), '--quiet', '--strict', '--report', report);
    expect(q.stderr).toMatch(/^rowback dump: WARNING: .*pubs-sfin\.bak: FORMAT_BAD_BACKUP_HEADER: .* disagree on the file id/m);
    expect(q.code).toBe(3);
    expect(JSON.parse(readFileSync(report, 'utf8')).warnings).toEqual([expect.stringMatching(/pubs-sfin\.bak: FORMAT_BAD_BACKUP_HEADER: .* disagree on the file id/)]);
  }, 120_000);
});
