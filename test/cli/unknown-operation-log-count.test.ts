import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { UNKNOWN_OP_CODE, unknownOperationCopy } from '../support/damaged-copy.js';

/**
 * `log`'s WARNING for an unknown operation code counts the records it prints (each LSN once, inside
 * --from-lsn/--to-lsn), not every record the reader parsed: two copies of one log backup said 4
 * records for the 2 printed, and a window after both records still warned of 2.
 *
 * SYNTHETIC damage of the REAL StopAt_2.trn, as test/cli/unknown-operation.test.ts makes it: the
 * operation byte of the inserts at 00000013:000000b7:0002 (offset 7832) and 00000013:000000b8:0002
 * (8344) set to a code rowback does not know, each block's checksum recomputed.
 */
const cli = captureCli();
const REAL = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', 'StopAt_2.trn');
const CODE = UNKNOWN_OP_CODE;
let dir: string;
let U: string;
let U2: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-unknown-op-count-'));
  U = unknownOperationCopy(REAL, join(dir, 'U.trn'));
  U2 = join(dir, 'U-copy.trn');
  copyFileSync(U, U2);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const warning = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('rowback log: WARNING:'));

describeCorpus('log: the unknown-operation WARNING counts the records printed', () => {
  it('two copies of the log backup: 2 records, as printed once each', async () => {
    const r = await cli('log', U, U2);
    expect(r.stdout.split('\n').filter((l) => l.includes(`LOP_UNKNOWN_${CODE}`))).toHaveLength(2);
    expect(warning(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^rowback log: WARNING: 2 log record\\(s\\) of operation code ${CODE} .*first at LSN 00000013:000000b7:0002 \\(\\S+U\\.trn offset 7832\\)`))]);
  });

  it('--from-lsn after both records: no warning; --to-lsn between them: 1', async () => {
    expect(warning((await cli('log', '--from-lsn', '00000013:000000b9:0001', U)).stderr)).toEqual([]);
    expect(warning((await cli('log', '--to-lsn', '00000013:000000b7:0005', U)).stderr)).toEqual([expect.stringMatching(/WARNING: 1 log record\(s\) of operation code/)]);
    // an operation filter does not hide it: the unknown record may be a delete
    expect(warning((await cli('log', '--operation', 'LOP_DELETE_ROWS', '--quiet', U)).stderr)).toEqual([expect.stringMatching(/WARNING: 2 log record\(s\)/)]);
  });
});
