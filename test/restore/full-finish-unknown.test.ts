import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planChain, type RestoreTarget } from '../../src/restore/chain.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { refusal } from '../support/refusal.js';
import { healthy, names } from './synthetic-history.js';

const at = (time: string): RestoreTarget => ({ kind: 'time', time });
const cli = captureCli();

/**
 * A full backup whose backup finish date is unknown (its closing blocks damaged or cut:
 * FORMAT_BAD_MTF_TRAILER; planned with a caveat) made every --stop-at "before any restorable
 * point" (INPUT_RESTORE_TOO_EARLY, "the earliest full backup … finished at (no date)"), a stop a
 * week after it as well, with the reachable range beginning at "?" (newcomer DBA, incident 3:
 * TSQLV4.bak cut at the end of a compressed chunk, `--stop-at 2030-01-01` refused as too early). Now a
 * time after its start is said to be one its headers cannot place (INPUT_RESTORE_TARGET_AT_BOUNDARY,
 * naming the LSNs --stop-before-lsn takes), after the last log backup TOO_LATE, and with no log backup
 * at all what a full backup alone gives (TOO_LATE, the dump that prints its rows); a time before its
 * start stays TOO_EARLY, naming its start.
 */
describe('restore plan: a full backup whose finish date is unknown (SYNTHETIC history)', () => {
  const history = () => {
    const h = healthy().filter((s) => !s.devices[0]!.endsWith('D1.bak'));
    h[0]!.backupFinishDate = null; // F1.bak, started 10:00; logs L1–L4 at 11:00 … 14:00
    return h;
  };

  it('a time after its start: cannot be placed, by LSN it can; not "before any restorable point"', () => {
    const e = refusal(() => planChain(history(), at('2024-03-01T11:30:00.000'), []));
    expect(e?.code).toBe('INPUT_RESTORE_TARGET_AT_BOUNDARY');
    expect(e?.message).toContain('the full backup D:\\Backups\\F1.bak started at 2024-03-01T10:00:00 and its backup finish date is unknown (its closing blocks are damaged), so whether it ended before 2024-03-01T11:30:00.000 cannot be told from the backups\' headers');
    expect(e?.message).toContain('name the stop by LSN instead (--stop-before-lsn, from 1000000000020000001 (000003e8:000000c8:0001) up to 1000000000060000001');
    expect(e?.message).not.toMatch(/\? to|\(no date\)|before any restorable point/);
    expect(names(planChain(history(), { kind: 'lsn', lsn: '1000000000035000001' }, []).steps)).toEqual(['F1.bak', 'L1.trn', 'L2.trn']);
  });

  it('after the last log backup: TOO_LATE; before its start: TOO_EARLY naming its start', () => {
    const late = refusal(() => planChain(history(), at('2024-03-09T00:00:00.000'), []));
    expect(late?.code).toBe('INPUT_RESTORE_TOO_LATE');
    expect(late?.message).toContain('the last log backup, D:\\Backups\\L4.trn, finished at 2024-03-01T14:00:00');
    const early = refusal(() => planChain(history(), at('2024-03-01T09:00:00.000'), []));
    expect(early?.code).toBe('INPUT_RESTORE_TOO_EARLY');
    expect(early?.message).toContain('the earliest full backup, D:\\Backups\\F1.bak, started at 2024-03-01T10:00:00 (its backup finish date is unknown: its closing blocks are damaged)');
    expect(early?.message).toContain('reachable with these backups: the end of D:\\Backups\\F1.bak (its backup finish date is unknown: by LSN, 1000000000020000001');
    expect(early?.message).not.toMatch(/\? to|\(no date\)/);
  });
});

describeCorpus('restore plan: TSQLV4.bak cut after a compressed chunk (its closing blocks lost), no log backup', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-full-finish-unknown-'));
    // REAL bytes, cut at a record boundary of the compressed container (856,064: the last chunk and the SFMB after it gone)
    writeFileSync(join(dir, 'TSQLV4.bak'), readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')).subarray(0, 856064));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--stop-at 2030-01-01: no log backup after the full backup, the dump of it named; not TOO_EARLY', async () => {
    const r = await cli('restore', 'plan', '--backups', dir, '--stop-at', '2030-01-01', '--as', 'X');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rowback: INPUT_RESTORE_TOO_LATE: --stop-at 2030-01-01T00:00:00.000 is after the last point the backups of TSQLV4 reach: there is no log backup after the full backup (the full backup');
    expect(r.stderr).toContain(`the latest full backup before 2030-01-01T00:00:00.000 is ${join(dir, 'TSQLV4.bak')}, started at 2017-01-10T08:01:42 (its backup finish date is unknown: its closing blocks are damaged), and \`rowback dump --bak ${join(dir, 'TSQLV4.bak')} --table T\` prints its rows as of then`);
    expect(r.stderr).not.toMatch(/TOO_EARLY|\(no date\)/);
  });
});
