/**
 * A restore job's description named one position after every file of its side, log backups
 * included: bak [F], trn [T], position 1 read 'F, T (backup set 1)', T's set 1, where every log
 * backup set of T is read and the number picks F's. The set now follows the backup files, the log
 * backups after it. SYNTHETIC specs (no file is read).
 */
import { expect, it } from 'vitest';
import { describeSpec, type RestoreJobSpec } from '../../src/worker/job-spec.js';

it('the backup set follows the side\'s backup files, not its log backups', () => {
  const s = { kind: 'restore', bak: ['/x/ALL.bak'], position: 1, trn: ['/x/ALL.bak', '/x/more.trn'], stopAt: '2017-06-01 13:17', afterBak: ['/x/B.bak'], afterPosition: 2, afterTrn: ['/x/B.trn'], afterStopAt: '2017-06-01 13:18', table: 'dbo.steps' } as unknown as RestoreJobSpec;
  const d = describeSpec(s);
  expect(d).toContain('(/x/ALL.bak (backup set 1), /x/ALL.bak, /x/more.trn)');
  expect(d).toContain('against /x/B.bak (backup set 2), /x/B.trn at 2017-06-01 13:18');
  const list = describeSpec({ ...s, bak: ['/x/ALL.bak', '/x/ALL.bak'], position: [1, 2] } as unknown as RestoreJobSpec);
  expect(list).toContain('(/x/ALL.bak (backup set 1), /x/ALL.bak (backup set 2), /x/ALL.bak, /x/more.trn)');
  const plain = describeSpec({ kind: 'restore', bak: ['/x/F.bak'], trn: ['/x/T.trn'], stopAt: 'x', afterMdf: ['/x/D.mdf'], table: 'dbo.t' } as unknown as RestoreJobSpec);
  expect(plain).toContain('(/x/F.bak, /x/T.trn) against /x/D.mdf');
});
