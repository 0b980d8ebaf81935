import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus, restoreTimeClean } from '../support/corpus.js';
import { damagedCopy, UNKNOWN_OP_CODE } from '../support/damaged-copy.js';
import { BLOCK_CHECKSUM_OFFSET } from '../../src/logreader/ldf/constants.js';
import { logBlockChecksum } from '../../src/logreader/ldf/structures.js';

/**
 * A log record of an operation the reader does not know (LOP_UNKNOWN_n) inside the replayed range:
 * the reader reads only its header, so it names no allocation unit or page, and the replay passed it
 * by as another table's. RestoreTimeClean's dbo.steps at 13:09 was printed with 19 rows, the insert
 * of step 14 missing, exit 0, not a word (scan and log warn of such a record). The replay cannot tell
 * whether it changed the table: refused REPLAY_UNSUPPORTED_OPERATION naming its LSN, every table of a
 * dump of several; a stop before it needs nothing of it.
 *
 * SYNTHETIC damage of the REAL RestoreTimeClean_2.trn: the operation byte (@22) of the insert at
 * 00000019:00000099:0002 (record at offset 7832, in the 512-byte log block at 7680) set to a code
 * rowback does not know (test/support/damaged-copy.ts UNKNOWN_OP_CODE), the block's checksum computed
 * again, as a record of an operation a newer SQL Server writes would read.
 */
describeCorpus('point-in-time dump: a record of an unknown operation in the range is refused, not passed by', () => {
  const cli = captureCli();
  const { FULL, LOGS } = restoreTimeClean();
  let dir: string;
  let U: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-pit-unknown-op-'));
    U = damagedCopy(corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_2.trn'), join(dir, 'RestoreTimeClean_2-unknown-op.trn'), (b) => {
      if (b[7832 + 22] !== 2) throw new Error(`offset ${7832 + 22} holds operation ${b[7832 + 22]}, not LOP_INSERT_ROWS (2): not the corpus's RestoreTimeClean_2.trn`);
      b[7832 + 22] = UNKNOWN_OP_CODE;
      b.writeUInt32LE(logBlockChecksum(b, 7680, 512), 7680 + BLOCK_CHECKSUM_OFFSET);
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dump = async (stopAt: string, trn: string, ...tables: string[]) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.ndjson`);
    const r = await cli('dump', '--bak', FULL, '--trn', LOGS[0]!, trn, LOGS[2]!, '--stop-at', stopAt, ...tables.flatMap((t) => ['--table', t]), '--quiet', '--out', out);
    return { ...r, rows: existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).length : null };
  };

  it('refused naming the record, one table or several; the real log gives all 20 rows; a stop before it gives its rows', async () => {
    expect((await dump('2017-06-01 13:09', LOGS[1]!, 'dbo.steps'))).toMatchObject({ code: 0, rows: 20 });
    const one = await dump('2017-06-01 13:09', U, 'dbo.steps');
    expect(one.code).toBe(2);
    expect(one.rows).toBeNull();
    expect(one.stderr).toMatch(new RegExp(`^rowback: REPLAY_UNSUPPORTED_OPERATION: LSN 00000019:00000099:0002 LOP_UNKNOWN_${UNKNOWN_OP_CODE} \\(LCX_HEAP\\): an operation rowback does not know \\(operation code ${UNKNOWN_OP_CODE}: a newer SQL Server's, or a damaged record\\): only its header is read, so whether it changes dbo\\.steps's rows, and how, cannot be told`));
    // several tables: each refused alike, the first given said (the record names no table)
    const two = await dump('2017-06-01 13:09', U, 'dbo.table1', 'dbo.steps');
    expect(two.code).toBe(2);
    expect(two.rows).toBeNull();
    expect(two.stderr).toContain(`REPLAY_UNSUPPORTED_OPERATION: LSN 00000019:00000099:0002 LOP_UNKNOWN_${UNKNOWN_OP_CODE} (LCX_HEAP): an operation rowback does not know`);
    expect(two.stderr).toContain("whether it changes dbo.table1's rows");
    // a stop before the record: nothing of it is applied or needed
    expect(await dump('2017-06-01 13:04', U, 'dbo.steps', 'dbo.table1')).toMatchObject({ code: 0, rows: 10 });
  }, 60_000);
});
