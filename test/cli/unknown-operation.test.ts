import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openFileSource } from '../../src/recover/sources/files.js';
import { recoverRows } from '../../src/recover/recover-rows.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { UNKNOWN_OP_CODE, unknownOperationCopy } from '../support/damaged-copy.js';

/**
 * A log record whose operation code rowback does not know was printed as LOP_UNKNOWN_<n> with no
 * word (and `scan` passed it over silently): such a record may change rows rowback does not list.
 * Now `log` and `scan` say a WARNING once per code, with the count and the first record's LSN and
 * file (even with --quiet). No corpus file holds an unknown code (every .ldf, .trn and .bak read).
 *
 * SYNTHETIC damage, made at test time from the corpus's REAL StopAt_2.trn (never written to the
 * repo): the operation byte (@22) of the inserts at 00000013:000000b7:0002 (record at offset 7832,
 * in the 512-byte block at 7680) and 00000013:000000b8:0002 (8344, block at 8192) set to a code
 * rowback does not know, and each block's log block checksum (@24) recomputed so the blocks read
 * whole — a record of an operation a newer SQL Server writes would read so.
 */
const cli = captureCli();
const DIR = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt');
const REAL = join(DIR, 'StopAt_2.trn');
const CODE = UNKNOWN_OP_CODE;
let dir: string;
let U: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-unknown-op-'));
  U = unknownOperationCopy(REAL, join(dir, 'U.trn'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const warnings = (stderr: string, cmd: string) => stderr.split('\n').filter((l) => l.startsWith(`rowback ${cmd}: WARNING:`));

describeCorpus('log records of an operation code rowback does not know', () => {
  it('`rowback log`: one WARNING for the code, with the count, the first LSN and the file (it printed LOP_UNKNOWN_n, not a word)', async () => {
    const r = await cli('log', U, '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stdout.match(new RegExp(`"LOP_UNKNOWN_${CODE}"`, 'g'))).toHaveLength(2);
    const w = warnings(r.stderr, 'log');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`2 log record(s) of operation code ${CODE} (0x${CODE.toString(16)}), printed as LOP_UNKNOWN_${CODE}, first at LSN 00000013:000000b7:0002 (${U} offset 7832)`);
    expect(w[0]).toMatch(/rowback does not know this operation/);
    // said with --quiet too
    expect(warnings((await cli('log', U, '--format', 'ndjson', '--quiet')).stderr, 'log')).toHaveLength(1);
  });

  it('`rowback scan`: the same WARNING (the two rows are not printed, and it says why one should look), also with --quiet; in --report', async () => {
    const args = ['scan', '--bak', join(DIR, 'StopAt.bak'), '--trn', join(DIR, 'StopAt_1.trn'), U, '--op', 'insert'];
    const r = await cli(...args, '--report', join(dir, 'report.json'));
    expect(r.code).toBe(0);
    const w = warnings(r.stderr, 'scan');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`first at LSN 00000013:000000b7:0002 (${U} offset 7832)`);
    const { readFileSync } = await import('node:fs');
    expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { warnings?: string[] }).warnings).toHaveLength(1);
    expect(warnings((await cli(...args, '--quiet')).stderr, 'scan')).toHaveLength(1);
  });

  it('the count is the same when the files are parsed on worker threads (their stats merged)', async () => {
    for (const threads of [1, 2]) {
      const src = openFileSource({ bak: [join(DIR, 'StopAt.bak')], trn: [join(DIR, 'StopAt_1.trn'), U], threads, parallelMinBytes: 0 });
      for await (const _ of recoverRows(src, { operations: ['insert'] })) void _;
      await src.close();
      expect(src.logStats.unknownOps).toEqual([{ op: CODE, count: 2, firstLsn: '00000013:000000b7:0002', file: U, offset: 7832 }]);
    }
  });

  it('no false alarm on the intact files: log and scan say no WARNING', async () => {
    const l = await cli('log', REAL, '--format', 'ndjson');
    expect(warnings(l.stderr, 'log')).toEqual([]);
    const s = await cli('scan', '--bak', join(DIR, 'StopAt.bak'), '--trn', join(DIR, 'StopAt_1.trn'), REAL, '--op', 'insert');
    expect(warnings(s.stderr, 'scan')).toEqual([]);
  });
});
