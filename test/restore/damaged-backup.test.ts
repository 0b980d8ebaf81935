import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { refusal } from '../support/refusal.js';
import { planChain } from '../../src/restore/chain.js';
import { readFolderHistory } from '../../src/restore/history.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';


/**
 * A folder whose log backup is damaged (one MTF descriptor block zeroed): the backup is left out of
 * the plan, and a refusal said only "there is no log backup after the full backup" — with the log
 * backup right there. It names the file left out now. (Copies of the corpus's RestoreTimeClean.)
 */
describeCorpus('restore plan over a folder holding a damaged log backup', () => {
  it('a refusal names the backup left out as damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-damaged-folder-'));
    copyFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
    const b = Buffer.from(readFileSync(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_1.trn')));
    b.fill(0, 6144, 6656);
    writeFileSync(join(dir, 'RestoreTimeClean_1.trn'), b);
    const h = readFolderHistory([dir]);
    expect(() => planChain(h.sets, { kind: 'time', time: '2017-06-01T13:01:13.000' }, h.skipped)).toThrow(/after the last point.*left out as damaged \(cut, unreadable, or its header's two copies disagree; `rowback inspect` says where\): .*RestoreTimeClean_1\.trn/);
  });
});

/**
 * A log backup whose only damage is in its closing blocks (ESET, FORMAT_BAD_MTF_TRAILER: every log
 * record read whole, as scan and log read it) was left out of the plan as damaged: a target LSN its
 * log covers was refused as a broken chain, the refusal's location the full backup. It is used now,
 * said in a note; only a time it cannot place (its finish date is in the ESET) is refused, naming
 * it. Damage before the trailer still leaves it out, and the refusal's location is the damaged file
 * whose range the gap is (it was the full backup before the gap). Copies of RestoreTimeClean.
 */
describeCorpus('restore plan over a log backup whose MTF trailer alone is damaged', () => {
  const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  /** full + _1 (one bit flipped in the block header at `block`'s offset + 20) + _2. */
  const folder = (block: 'ESET' | 'MSLS') => {
    const dir = mkdtempSync(join(tmpdir(), `rowback-trailer-${block}-`));
    copyFileSync(R('RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
    copyFileSync(R('RestoreTimeClean_2.trn'), join(dir, 'RestoreTimeClean_2.trn'));
    const b = Buffer.from(readFileSync(R('RestoreTimeClean_1.trn')));
    b[{ ESET: 78848, MSLS: 75264 }[block] + 20] ^= 0x01; // offsets: test/backup/mtf-trailer.test.ts
    writeFileSync(join(dir, 'RestoreTimeClean_1.trn'), b);
    return { dir, trn: join(dir, 'RestoreTimeClean_1.trn') };
  };

  it('an LSN its log covers: planned through it, a note naming the file and the damage', () => {
    const { dir, trn } = folder('ESET');
    const h = readFolderHistory([dir]);
    expect(h.skipped).toEqual([]);
    const c = planChain(h.sets, { kind: 'lsn', lsn: '25000000014000001' }, h.skipped);
    expect(c.steps.map((s) => [s.role, s.set.devices[0]])).toEqual([
      ['full', join(dir, 'RestoreTimeClean.bak')],
      ['log', trn],
    ]);
    expect(c.notes).toEqual([expect.stringMatching(new RegExp(`^${trn.replace(/[.]/g, '\\.')}: FORMAT_BAD_MTF_TRAILER: ESET descriptor block .*no page or log record is lost.*\\(offset 78848\\); used: `))]);
  });

  it('a time before it started is planned; a time after its start, its finish unknown, is refused naming it', () => {
    const { dir, trn } = folder('ESET');
    const h = readFolderHistory([dir]);
    expect(planChain(h.sets, { kind: 'time', time: '2017-06-01T13:03:00.000' }, h.skipped).steps.map((s) => s.role)).toEqual(['full', 'log']);
    for (const time of ['2017-06-01T13:04:13.500', '2017-06-01T13:07:00.000']) {
      const err = refusal(() => planChain(h.sets, { kind: 'time', time }, h.skipped));
      expect(err?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
      expect(err?.message).toContain(`falls after log backup ${trn} started (2017-06-01T13:04:13)`);
      expect(err?.message).toContain('its backup finish date is unknown (its closing blocks are damaged: FORMAT_BAD_MTF_TRAILER)');
      expect(err?.location).toEqual({ file: trn });
      // the reachable range it closes with leaves out what cannot be placed (it read "12:59:13 to 13:09:13" as if all were)
      expect(err?.message).toContain(`reachable with these backups: 2017-06-01T12:59:13.000 to 2017-06-01T13:09:13.000 (from full backup ${join(dir, 'RestoreTimeClean.bak')}; except after 2017-06-01T13:04:13.000 up to 2017-06-01T13:09:13.000: the finish date of ${trn} is unknown, so stop before an LSN there)`);
    }
  });

  it('a time past every log backup is TOO_LATE, not a boundary of the one whose finish date is unknown (a later one started before it: reviewer)', () => {
    const { dir } = folder('ESET');
    const h = readFolderHistory([dir]);
    const err = refusal(() => planChain(h.sets, { kind: 'time', time: '2017-06-03T00:00:00.000' }, h.skipped));
    expect(err?.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(err?.message).toContain(`the last log backup, ${join(dir, 'RestoreTimeClean_2.trn')}, started at 2017-06-01T13:09:13`);
  });

  it('damage before the trailer (its MSLS block): still left out, the refusal located at the damaged file, not the full backup', () => {
    const { dir, trn } = folder('MSLS');
    const h = readFolderHistory([dir]);
    expect(h.skipped.map((s) => [s.file, s.code])).toEqual([[trn, 'FORMAT_BAD_MTF']]);
    const err = refusal(() => planChain(h.sets, { kind: 'lsn', lsn: '25000000014000001' }, h.skipped));
    expect(err?.code).toBe('INPUT_RESTORE_CHAIN_BROKEN');
    expect(err?.message).toContain(`left out as damaged (cut, unreadable, or its header's two copies disagree; \`rowback inspect\` says where): ${trn}`);
    expect(err?.location).toEqual({ file: trn });
  });
});
