import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLdfLayout } from '../../src/logreader/ldf/reader.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * An .ldf cut inside a VLF whose next sequences lie after it in the file: the cut VLF's lost range
 * ran to its next sequence's first block, yet that sequence's VLF was in the part cut off too, so
 * the INCOMPLETE line (the only line with --quiet) named a range smaller than the log lost.
 * sql-practice-asp's School_Log.ldf holds VLFs of sequences 42, 40, 41, 43 in file order; a copy
 * cut at 393,216 bytes (inside sequence 40) keeps 42 and part of 40: sequence 41 is lost whole,
 * so the range runs up to 42's first block (0000002a:00000010:0001), not 41's. SYNTHETIC cut of a
 * copy made at test time; never written to the repo.
 */
const cli = captureCli();
const L = corpusPath('sql-practice-asp', 'App_Data', 'School_Log.ldf');
let dir: string;
let cut: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-ldf-cut-range-'));
  cut = join(dir, 'School_Log.ldf');
  writeFileSync(cut, readFileSync(L).subarray(0, 393_216));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('an .ldf cut inside a VLF, later sequences in the part cut off (School_Log.ldf)', () => {
  it('the cut VLF\'s range runs to the lowest sequence above it left in the file', async () => {
    const layout = await readLdfLayout(L);
    expect(layout.vlfs.map((v) => v.seq)).toEqual([42, 40, 41, 43]);
    const c = await readLdfLayout(cut);
    const vlf = c.problems.find((p) => p.code === 'FORMAT_BAD_VLF_HEADER');
    expect(vlf?.lsnRange).toEqual({ first: '00000028:00000100:0001', last: '0000002a:00000010:0001' });
  });

  it('log --quiet: the INCOMPLETE line\'s range covers sequence 41, whose records the copy lacks', async () => {
    const whole = await cli('log', L, '--format', 'ndjson', '--quiet');
    const r = await cli('log', cut, '--format', 'ndjson', '--quiet');
    const lsns = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l)['Current LSN'] as string);
    const seq41 = lsns(whole.stdout).filter((l) => l.startsWith('00000029:'));
    expect(seq41.length).toBeGreaterThan(0);
    expect(lsns(r.stdout).filter((l) => l.startsWith('00000029:'))).toEqual([]);
    expect(r.stderr).toContain(`LSNs 00000028:00000100:0001 up to 0000002a:00000010:0001 of ${cut}`);
  });
});
