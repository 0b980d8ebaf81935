/**
 * A point-in-time replay (`dump --trn --stop-at`, `diff`) rests on the log blocks it reads: one
 * carrying no log block checksum among checked ones is named, as `scan` names it (a breaker changed
 * a value inside such a block of StopAt_1.trn: dump and diff printed it with no word, scan named
 * the block). SYNTHETIC damage of a copy of a real log backup: the block's checksum flag cleared and
 * its checksum word zeroed, nothing else changed.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BLOCK_CHECKSUM_OFFSET, BLOCK_STATUS_CHECKSUM, BLOCK_STATUS_OFFSET } from '../../src/logreader/ldf/constants.js';
import { parseBlockHeader } from '../../src/logreader/ldf/structures.js';
import { formatLsn } from '../../src/logreader/lsn.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
/** A log block of StopAt_1.trn (found by the breaker: first LSN 13:ad:1). */
const AT = 54784;

describeCorpus('point-in-time replay over a log block without a checksum', () => {
  it('dump --stop-at: the same rows as from the real file, and a note naming the block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-pit-unchecked-'));
    const copy = join(dir, 'StopAt_1.trn');
    copyFileSync(S('StopAt_1.trn'), copy);
    const b = readFileSync(copy);
    expect(b[AT + BLOCK_STATUS_OFFSET]! & BLOCK_STATUS_CHECKSUM).toBe(BLOCK_STATUS_CHECKSUM);
    b[AT + BLOCK_STATUS_OFFSET]! &= ~BLOCK_STATUS_CHECKSUM;
    b.writeUInt32LE(0, AT + BLOCK_CHECKSUM_OFFSET);
    writeFileSync(copy, b);
    const firstLsn = formatLsn(parseBlockHeader(b, AT).firstLsn);
    const args = ['--bak', S('StopAt.bak'), '--stop-at', '2020-05-12T13:29:30', '--table', 'dbo.steps'];
    const real = await cli('dump', ...args, '--trn', S('StopAt_1.trn'), '--out', join(dir, 'real.ndjson'));
    const r = await cli('dump', ...args, '--trn', copy, '--out', join(dir, 'copy.ndjson'));
    expect(real.code, real.stderr).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'copy.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'real.ndjson'), 'utf8'));
    expect(real.stderr).not.toContain('carries no log block checksum');
    expect(r.stderr).toContain(`rowback dump: note: 1 of the`);
    expect(r.stderr).toContain(`carries no log block checksum: the block at offset ${AT} of ${copy} (first LSN ${firstLsn})`);
  });

  it('diff --stop-at on both sides: the earlier side, replayed over the copy, is noted naming the block; the later side is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-pit-unchecked-diff-'));
    const copy = join(dir, 'StopAt_1.trn');
    const b = readFileSync(S('StopAt_1.trn'));
    b[AT + BLOCK_STATUS_OFFSET]! &= ~BLOCK_STATUS_CHECKSUM;
    b.writeUInt32LE(0, AT + BLOCK_CHECKSUM_OFFSET);
    writeFileSync(copy, b);
    const r = await cli('diff', '--bak', S('StopAt.bak'), '--trn', copy, '--stop-at', '2020-05-12T13:29:30', '--after-bak', S('StopAt.bak'), '--after-trn', S('StopAt_1.trn'), S('StopAt_2.trn'), '--after-stop-at', '2020-05-12T13:30:20', '--table', 'dbo.steps', '--out', join(dir, 'diff.ndjson'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^rowback diff: note \\(earlier state, the log replayed, [^)]*\\): 1 of the \\d+ log blocks read carries no log block checksum: the block at offset ${AT} of `, 'm'));
    expect(r.stderr).not.toMatch(/note \(later state, the log replayed/);
  });
});
