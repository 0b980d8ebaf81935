import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * A damaged boot page (1:9) or catalog page (1:20, sysallocunits): the refusal says it is that page
 * that failed its check (the cause), names the file, and says what to do (another copy of the file or
 * a backup; --ddl/--schema to give the layout). It used to be `FORMAT_NO_METADATA: sysallocunits at
 * 1:20 holds no rows` and a bare `FORMAT_BAD_CHECKSUM: checksum mismatch …` without the file.
 * REAL Database1.mdf, copies made here with one byte changed inside the page.
 */
describeCorpus('a damaged boot or catalog page: named as such, with the file and what to do', () => {
  const real = corpusPath('AngularJs_CRUD/App_Data/Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf');
  const dir = mkdtempSync(join(tmpdir(), 'rowback-metadata-page-'));
  function damaged(pageId: number, name: string): string {
    const b = readFileSync(real);
    b[pageId * 8192 + 4000]! ^= 0x01;
    const out = join(dir, name);
    writeFileSync(out, b);
    return out;
  }
  const ADVICE = 'use another copy of the file or a backup of the database; to read the log without this catalog, give the table layout with --ddl or --schema (scan, log)';

  it('scan with a catalog page (1:20, sysallocunits) failing its checksum', async () => {
    const sys = damaged(20, 'sys.mdf');
    const r = await cli('scan', '--mdf', sys, '--ldf', ldf);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('FORMAT_NO_METADATA: the catalog page 1:20 (sysallocunits, where every table\'s pages are found from) of data file ');
    expect(r.stderr).toMatch(/sys\.mdf failed its check \(FORMAT_BAD_CHECKSUM: checksum mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\), so no table of this file can be read; /);
    expect(r.stderr).toContain(ADVICE);
    expect(r.stderr).toMatch(/\(file \S+sys\.mdf, page 1:20\)/);
  });

  it('dump --all with the boot page (1:9) failing its checksum', async () => {
    const boot = damaged(9, 'boot.mdf');
    const r = await cli('dump', '--mdf', boot, '--all', '--out', join(dir, 'boot.ndjson'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/FORMAT_BAD_CHECKSUM: the boot page \(1:9\) of data file \S+boot\.mdf failed its check \(checksum mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\): the database's metadata is found from it, so no table of this file can be read; /);
    expect(r.stderr).toContain(ADVICE);
    expect(r.stderr).toMatch(/\(file \S+boot\.mdf, page 1:9\)/);
  });
});
