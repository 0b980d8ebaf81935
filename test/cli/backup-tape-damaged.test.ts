import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * A backup whose first descriptor block has damaged type bytes (one bit: 'TAPE' → 'TAPD') is a
 * backup with a damaged TAPE block (FORMAT_BAD_MTF at offset 0, naming what the bytes read), not
 * "not a backup" (FORMAT_NOT_A_BACKUP / INPUT_UNKNOWN_FILE_KIND), in every command that opens
 * backups; the header checksum at @50 is what says so. REAL corpus files (RestoreTimeClean), damaged
 * as copies in a temporary folder. A copy whose type bytes AND another header byte are damaged
 * (the checksum then says nothing) stays "not a backup": no file is called a backup on a guess.
 */
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const BAD = /FORMAT_BAD_MTF: this file is a Microsoft Tape Format backup whose first descriptor block is damaged: its type bytes at offset 0 read "TAPD" \(0x54415044\) where a backup has "TAPE", and its header checksum 0x[0-9a-f]{4} matches its bytes only with "TAPE" there; .*offset 0\)$/;

describeCorpus('a backup whose first DBLK type reads TAPD', () => {
  let dir = '';
  let trn = '';
  let bak = '';
  let twice = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-tapd-'));
    const plan = join(dir, 'plan');
    const damage = (src: string, to: string, also?: number) => {
      const b = Buffer.from(readFileSync(src));
      b[3] ^= 0x01; // 'E' (0x45) → 'D' (0x44)
      if (also !== undefined) b[also] ^= 0x10;
      writeFileSync(to, b);
      return to;
    };
    trn = damage(R('RestoreTimeClean_1.trn'), join(dir, 'RestoreTimeClean_1.trn'));
    bak = damage(R('RestoreTimeClean.bak'), join(dir, 'RestoreTimeClean.bak'));
    // type bytes and the OS version byte @11 damaged: the checksum matches neither way
    twice = damage(R('RestoreTimeClean_2.trn'), join(dir, 'twice.trn'), 11);
    // a folder for restore plan: the full backup whole, the first log backup damaged
    mkdirSync(plan);
    copyFileSync(R('RestoreTimeClean.bak'), join(plan, 'RestoreTimeClean.bak'));
    copyFileSync(trn, join(plan, 'RestoreTimeClean_1.trn'));
  });

  it('readMtfLayout: FORMAT_BAD_MTF at offset 0; with the checksum also broken, FORMAT_NOT_A_BACKUP', () => {
    expect(() => readMtfLayout(trn)).toThrow(expect.objectContaining({ code: 'FORMAT_BAD_MTF', location: expect.objectContaining({ file: trn, offset: 0 }) }));
    expect(() => readMtfLayout(twice)).toThrow(expect.objectContaining({ code: 'FORMAT_NOT_A_BACKUP' }));
  });

  it.each([
    ['inspect', () => ['inspect', trn]],
    ['log', () => ['log', trn]],
    ['scan --trn', () => ['scan', '--trn', trn]],
    ['dump --bak', () => ['dump', '--bak', bak, '--all']],
  ])('%s: one line FORMAT_BAD_MTF naming the file and offset 0', async (_n, argv) => {
    const r = await cli(...argv());
    const line = expectOneLineError(r, 'FORMAT_BAD_MTF');
    expect(line.trimEnd()).toMatch(BAD);
    expect(line).toContain(argv().includes('--bak') ? bak : trn);
  });

  it('inspect of the doubly damaged copy: still not called a backup', async () => {
    const r = await cli('inspect', twice);
    expectOneLineError(r, 'INPUT_UNKNOWN_FILE_KIND');
  });

  it('--mdf given the damaged backup: named as a damaged backup, not "no file header page"', async () => {
    const r = await cli('dump', '--mdf', trn, '--all');
    const line = expectOneLineError(r, 'INPUT_NOT_A_DATA_FILE');
    expect(line).toContain(`${trn} is a Microsoft Tape Format backup whose first descriptor block is damaged`);
  });

  it('restore plan --backups: the damaged log backup is listed as damaged, not passed over as "no backup"', async () => {
    const r = await cli('restore', 'plan', '--backups', join(dir, 'plan'), '--stop-at', '2017-06-01 13:00', '--as', 'Side');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`left out as damaged (cut, unreadable, or its header's two copies disagree; \`rowback inspect\` says where): ${join(dir, 'plan', 'RestoreTimeClean_1.trn')}`);
  });
});
