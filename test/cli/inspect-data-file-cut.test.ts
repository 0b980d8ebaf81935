/**
 * `inspect` of a data file cut short where its catalog does not reach: the REAL Database1.mdf
 * (AngularJs_CRUD, 392 pages by its file header page) cut at test time in a temp dir (SYNTHETIC
 * damage) to 2,890,137 bytes (352 whole pages and part of one) and to 352 whole pages. The old code
 * described the copy as a whole file, `data file (file id 1, 352 pages)`, exit 0 and `complete: true`
 * in JSON, though inspect is run to find damage and says it checks a data file's header: page 0
 * states the file's size. Now the kind line says the copy is cut short, a FORMAT_PAGE_MISSING item
 * names the missing pages (the text dump, scan and every reader give when they ask for one past the
 * cut), INCOMPLETE on stderr, exit 3. The whole file is unchanged: exit 0, complete.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const line = (out: string, key: string) => out.split('\n').find((l) => l.startsWith(key.padEnd(24) + ' '))?.slice(25);

describeCorpus('inspect of a data file cut short past its catalog', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-inspect-mdf-cut-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const at of [2_890_137, 352 * 8192]) {
    it(`cut at ${at} bytes: cut short said, pages 1:352 to 1:391 named, exit 3`, async () => {
      const f = join(dir, `cut-${at}.mdf`);
      writeFileSync(f, readFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1.mdf')).subarray(0, at));
      const r = await cli('inspect', f);
      expect(r.code, r.stderr).toBe(3);
      expect(line(r.stdout, 'kind')).toBe('data file (file id 1, 352 pages of the 392 its file header page gives: cut short)');
      // the tables it could read are still printed
      expect(r.stdout).toMatch(/dbo\.tblDept +8 +clustered/);
      const cut = `the file is cut short: its file header page (page 1:0) says it has 392 pages (3211264 bytes), the file holds ${at} bytes (352 whole pages), so pages 1:352 to 1:391 (${3211264 - at} bytes) are missing; copy the whole file again`;
      expect(r.stdout).toContain(`skipped: FORMAT_PAGE_MISSING: data file ${f}: ${cut}`);
      expect(r.stderr).toMatch(/^rowback inspect: INCOMPLETE: 1 item\(s\) of .* damaged or not read \(FORMAT_PAGE_MISSING\); first: FORMAT_PAGE_MISSING: /);
      expect(r.stderr).toContain(cut);
      const json = await cli('inspect', '--format', 'json', f);
      expect(json.code).toBe(3);
      const j = JSON.parse(json.stdout);
      expect(j.complete).toBe(false);
      expect(j.pages).toBe(352);
      expect(j.statedPages).toBe(392);
      expect(j.damage[0]).toMatchObject({ code: 'FORMAT_PAGE_MISSING', where: `${f}, offset ${352 * 8192}, page 1:352` });
    });
  }

  it('the whole file: 392 pages, exit 0, complete', async () => {
    const r = await cli('inspect', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(line(r.stdout, 'kind')).toBe('data file (file id 1, 392 pages)');
    const j = JSON.parse((await cli('inspect', '--format', 'json', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'))).stdout);
    expect(j.complete).toBe(true);
    expect(j.statedPages).toBe(392);
  });
});
