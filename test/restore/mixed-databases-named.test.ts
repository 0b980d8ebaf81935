import { expect, it } from 'vitest';
import { planChain } from '../../src/restore/chain.js';
import { refusal } from '../support/refusal.js';
import { healthy } from './synthetic-history.js';

/**
 * A folder of backups of one name but two databases (another server's CRM, a test copy's log backup
 * dropped in with production's) is refused, INPUT_RESTORE_MIXED_DATABASES, telling the DBA to put
 * each database's backups in its own folder. The refusal listed at most 3 files of each binding id
 * and said nothing of the rest (newcomer DBA, incident 2: RestoreTimeClean's 8 backups and one
 * foreign log backup named "F784…: RestoreTimeClean.bak, RestoreTimeClean2.bak,
 * RestoreTimeClean2_1.trn; AAAA…: RestoreTimeClean_test_2_3.trn"): sorting the folder by it leaves
 * the unnamed ones behind. Now each binding id says how many backup sets it has, and names them all,
 * or its first 3 and how many more; the odd one out (the binding id of fewest sets) is named in the
 * advice. SYNTHETIC history (plain objects).
 */
it('each binding id with its count; none left unsaid; the odd one out named', () => {
  const h = healthy(); // F1, L1–L4, D1 of one database
  for (const s of h) s.bindingId = 'B1000000-0000-0000-0000-000000000001';
  const foreign = { ...h[1]!, devices: ['D:\\Backups\\test\\L1.trn'], bindingId: 'B2000000-0000-0000-0000-000000000002', backupSetGuid: 'F0000000-0000-0000-0000-000000000001' };
  const e = refusal(() => planChain([...h, foreign], { kind: 'time', time: '2024-03-01T11:30:00.000' }));
  expect(e?.code).toBe('INPUT_RESTORE_MIXED_DATABASES');
  expect(e?.message).toContain('B1000000-0000-0000-0000-000000000001 (6 backup sets): D:\\Backups\\F1.bak, D:\\Backups\\L1.trn, D:\\Backups\\L2.trn and 3 more');
  expect(e?.message).toContain('B2000000-0000-0000-0000-000000000002 (1 backup set): D:\\Backups\\test\\L1.trn');
  expect(e?.message).toContain('the backups of binding id B2000000-0000-0000-0000-000000000002 (D:\\Backups\\test\\L1.trn) are of another database than the other 6');
});
