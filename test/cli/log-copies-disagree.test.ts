import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy } from '../support/damaged-copy.js';

/**
 * Two copies of one log backup holding different records at the same LSN: `rowback log` printed the
 * first copy's record and passed the other over as "held by more than one copy … printed once",
 * exit 0, not a word — whichever copy was given first won, right or not.
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL StopAt_2.trn (never written to the
 * repo): the row image of the insert at LSN 00000013:000000b7:0002 lies at file offset 7904
 * (100010000A000000 2012AD18…: step 10, then the datetime). Bit 0 of the byte at 7908 (step: 10 →
 * 11, the next row's value) and bit 0 of the byte at 7912 (the datetime's first byte) flipped: the
 * same bit of two 32-bit words of one sector, so the log block checksum (an XOR of words) still
 * passes and the copy reads whole (X). E: X with the block at 9216 (LSN 13:ba) zeroed; F: the intact
 * file with the block at 10240 (13:bc) zeroed — two copies both damaged, read together (merged).
 */
const cli = captureCli();
const REAL = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_2.trn');
const LSN = '00000013:000000b7:0002';
let dir: string;
const at = (f: string) => join(dir, f);
const flip = (b: Buffer) => {
  expect(b.subarray(7904, 7904 + 8).toString('hex')).toBe('100010000a000000');
  b[7908] ^= 1;
  b[7912] ^= 1;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-log-copies-disagree-'));
  damagedCopy(REAL, at('X.trn'), flip);
  damagedCopy(REAL, at('E.trn'), (b) => {
    flip(b);
    b.fill(0, 9216, 9216 + 512);
  });
  damagedCopy(REAL, at('F.trn'), (b) => b.fill(0, 10240, 10240 + 512));
  copyFileSync(REAL, at('copy.trn'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (ndjson: string, lsn: string) => ndjson.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r['Current LSN'] === lsn);

describeCorpus('rowback log: copies of one log backup that disagree at an LSN', () => {
  it('the altered copy alone reads whole (its checksum passes): the changed row image is printed, nothing can tell', async () => {
    const r = await cli('log', at('X.trn'), '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/INCOMPLETE|WARNING|FORMAT_/);
    expect(record(r.stdout, LSN)?.['RowLog Contents 0']).toBe('0x100010000B0000002112AD187114410B020000');
  });

  it('intact file and altered copy, either order: a WARNING naming the LSN and both files, INCOMPLETE; --strict exits 3 (it was exit 0, silent)', async () => {
    for (const [first, second] of [[REAL, at('X.trn')], [at('X.trn'), REAL]] as const) {
      const r = await cli('log', first, second, '--format', 'ndjson');
      expect(r.code).toBe(0);
      const warning = r.stderr.split('\n').find((l) => l.startsWith('rowback log: WARNING: FORMAT_LOG_SOURCES_DISAGREE'));
      expect(warning).toBeDefined();
      expect(warning).toContain(`LSN ${LSN}`);
      expect(warning).toContain(`${first} and ${second} hold different records`);
      expect(warning).toContain(`the record printed there is ${first}'s`);
      expect(r.stderr).toMatch(/rowback log: INCOMPLETE: copies of one log backup disagree at 1 LSN\(s\)/);
      // every record still printed once, the first copy's at that LSN
      expect(record(r.stdout, LSN)?.['RowLog Contents 0']).toBe(first === REAL ? '0x100010000A0000002012AD187114410B020000' : '0x100010000B0000002112AD187114410B020000');
      const strict = await cli('log', first, second, '--format', 'ndjson', '--strict');
      expect(strict.code).toBe(3);
      // said with --quiet too
      const quiet = await cli('log', first, second, '--format', 'ndjson', '--quiet', '--report', at('report.json'));
      expect(quiet.stderr).toMatch(/WARNING: FORMAT_LOG_SOURCES_DISAGREE/);
      expect(quiet.stderr).toMatch(/INCOMPLETE/);
      // --report: the WARNING and INCOMPLETE lines as stderr says them, without their prefix
      const said = (kind: string) => quiet.stderr.split('\n').filter((l) => l.startsWith(`rowback log: ${kind}: `)).map((l) => l.slice(`rowback log: ${kind}: `.length));
      const rep = JSON.parse(readFileSync(at('report.json'), 'utf8')) as { complete: boolean; incomplete: string[]; warnings: string[] };
      expect(rep.complete).toBe(false);
      expect(rep.incomplete).toEqual(said('INCOMPLETE'));
      expect(rep.warnings).toEqual(said('WARNING'));
      expect(rep.warnings).toHaveLength(1);
    }
  });

  it('two copies each damaged elsewhere and read together (merged by LSN): the record they hold differently is said the same way', async () => {
    const r = await cli('log', at('E.trn'), at('F.trn'), '--format', 'ndjson');
    expect(r.code).toBe(0);
    const warning = r.stderr.split('\n').find((l) => l.startsWith('rowback log: WARNING: FORMAT_LOG_SOURCES_DISAGREE'));
    expect(warning).toContain(`LSN ${LSN}`);
    expect(warning).toContain(at('E.trn'));
    expect(warning).toContain(at('F.trn'));
    expect(r.stderr).toMatch(/INCOMPLETE: copies of one log backup disagree/);
  });

  it('no false alarm: a byte-identical copy beside the file, and the file alone, say nothing', async () => {
    const r = await cli('log', REAL, at('copy.trn'), '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/WARNING|INCOMPLETE|FORMAT_LOG_SOURCES_DISAGREE/);
    expect(r.stderr).toMatch(/held by more than one copy of a log backup printed once/);
  });
});
