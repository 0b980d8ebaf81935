import { describe, expect, it } from 'vitest';
import { planChain, type RestoreTarget } from '../../src/restore/chain.js';
import { refusal } from '../support/refusal.js';
import { healthy } from './synthetic-history.js';

const at = (time: string): RestoreTarget => ({ kind: 'time', time });

/**
 * A --stop-at inside the second the earliest full backup finished in (newcomer DBA, StopAt chain:
 * `restore plan --stop-at "2020-05-12 13:28:44.5"`) was refused as "before any restorable point:
 * the earliest full backup … finished at 2020-05-12T13:28:44": 13:28:44.500 reads as after 13:28:44,
 * and the refusal did not say why it is not. Backup dates are whole seconds, so the backup may have
 * finished as late as .999 of that second: the refusal now says so and names the first stop sure to
 * follow it. SYNTHETIC history (F1.bak finished 2024-03-01T10:00:00).
 */
describe('restore plan: a stop inside the full backup\'s finish second (SYNTHETIC history)', () => {
  const history = () => healthy().filter((s) => !s.devices[0]!.endsWith('D1.bak'));

  it('says the finish date is to the second and the first stop sure to follow it', () => {
    const e = refusal(() => planChain(history(), at('2024-03-01T10:00:00.500'), []));
    expect(e?.code).toBe('INPUT_RESTORE_TOO_EARLY');
    expect(e?.message).toContain('the earliest full backup, D:\\Backups\\F1.bak, finished at 2024-03-01T10:00:00 (backup dates are whole seconds: it may have finished as late as 2024-03-01T10:00:00.999, so the first stop sure to follow it is 2024-03-01T10:00:01.000)');
  });

  it('a stop in an earlier second is refused as before, without that clause', () => {
    const e = refusal(() => planChain(history(), at('2024-03-01T09:59:59.500'), []));
    expect(e?.code).toBe('INPUT_RESTORE_TOO_EARLY');
    expect(e?.message).toContain('the earliest full backup, D:\\Backups\\F1.bak, finished at 2024-03-01T10:00:00;');
    expect(e?.message).not.toContain('whole seconds');
  });

  it('the next second is planned', () => {
    expect(planChain(history(), at('2024-03-01T10:00:01.000'), []).steps.length).toBeGreaterThan(1);
  });
});
