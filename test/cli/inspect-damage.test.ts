import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readLdfLayout } from '../../src/logreader/ldf/reader.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * `rowback inspect FILE` exits 3 (INCOMPLETE, strict.ts's code) when it finds damage, with or
 * without --strict, printing everything it could read all the same and one
 * `rowback inspect: INCOMPLETE: …` line on stderr (also with --quiet) naming the first item, its
 * file and offset; a whole file exits 0 with no such line (it exited 0 either way). REAL corpus
 * files damaged as copies in a temporary folder: one bit of a log block of RestoreTimeClean_1.trn
 * (FORMAT_BAD_LOG_BLOCK), AngularJs_CRUD's .ldf cut at its third VLF, and the Northwind-stripe file
 * (one stripe of two, as published: its pages cannot be read alone).
 */
const T1 = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

describeCorpus('inspect: exit 3 when it reports damage', () => {
  let badBlock = '';
  let cutLdf = '';
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-inspect-damage-'));
    const b = Buffer.from(readFileSync(T1));
    // inside the first log block of the MQTL stream (its payload starts at 7680)
    b[7680 + 5000] ^= 0x01;
    badBlock = join(dir, 'RestoreTimeClean_1.trn');
    writeFileSync(badBlock, b);
    cutLdf = join(dir, 'Database1_log.ldf');
    copyFileSync(LDF, cutLdf);
    truncateSync(cutLdf, (await readLdfLayout(LDF)).vlfs[2].offset);
  });

  it.each([
    // the damaged first block: the stream read starts after the header's FirstLSN, said as scan says it
    ['a log backup with a damaged log block', () => badBlock, /^rowback inspect: INCOMPLETE: 2 item\(s\) of \S+RestoreTimeClean_1\.trn damaged or not read \(FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_STREAM_SHORT\); first: FORMAT_BAD_LOG_BLOCK: .*log block checksum .* \(\S+RestoreTimeClean_1\.trn, offset 7680\)$/m],
    ['a cut .ldf', () => cutLdf, /^rowback inspect: INCOMPLETE: \d+ item\(s\) of \S+Database1_log\.ldf damaged or not read \(.*FORMAT_LOG_FILE_CUT.*\); first: .*\(\S+Database1_log\.ldf, offset \d+.*\)$/m],
    ['one stripe of a media set alone', () => corpusPath('Northwind-stripe', 'Northwind.bak'), /^rowback inspect: INCOMPLETE: \d+ item\(s\) of \S+Northwind\.bak damaged or not read \(FORMAT_INCOMPLETE_MEDIA_SET.*\); first: FORMAT_INCOMPLETE_MEDIA_SET: /m],
  ])('%s: exit 3, the description printed, one INCOMPLETE line; the same with --strict and --quiet', async (_n, file, line) => {
    const r = await cli('inspect', file());
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('log ');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.split('\n').filter((l) => l.includes('INCOMPLETE'))).toHaveLength(1);
    const strict = await cli('inspect', file(), '--strict', '--quiet');
    expect(strict.code).toBe(3);
    expect(strict.stdout).toBe(r.stdout);
    expect(strict.stderr).toMatch(line);
    const json = await cli('inspect', file(), '--format', 'json', '--quiet');
    expect(json.code).toBe(3);
    // the JSON says it too, for every kind of file (a backup's "incomplete" was null for a damaged log block)
    const j = JSON.parse(json.stdout);
    expect(j.complete).toBe(false);
    expect(j.damage.length).toBeGreaterThan(0);
    const said = /INCOMPLETE: (\d+) item\(s\) .*; first: (\w+):/.exec(r.stderr)!;
    expect([j.damage.length, j.damage[0].code]).toEqual([Number(said[1]), said[2]]);
  });

  it('whole files exit 0 with no INCOMPLETE line, --strict or not', async () => {
    for (const f of [T1, LDF, corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')]) {
      for (const extra of [[], ['--strict']]) {
        const r = await cli('inspect', f, '--quiet', ...extra);
        expect(r.code, `${f} ${r.stderr}`).toBe(0);
        expect(r.stderr).not.toContain('INCOMPLETE');
        const j = JSON.parse((await cli('inspect', f, '--quiet', '--format', 'json', ...extra)).stdout);
        expect([j.complete, j.damage]).toEqual([true, []]);
      }
    }
  });
});
