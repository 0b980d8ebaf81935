/**
 * `restore plan --stop-before-lsn`'s text names the zone of the backup dates it lists. Found as a
 * newcomer DBA (2026-12-07): with `--stop-at` the head line says "(SQL Server local time)", but a
 * plan to an LSN printed each step's `2017-06-01T12:59:12..2017-06-01T12:59:12` with no zone said
 * anywhere; those dates are HEADERONLY's, the server's local time (README, inspect). REAL files:
 * appveyor-lab RestoreTimeClean (full + log backups), an LSN inside RestoreTimeClean_2.trn.
 */
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { planJson, planRestore, planText } from '../../src/cli/commands/restore.js';

describeCorpus('restore plan to an LSN: the dates listed are said to be the server\'s local time', () => {
  it('the head line says it, the steps keep their dates', async () => {
    const r = await planRestore({ backups: [corpusPath('appveyor-lab/RestoreTimeClean')], stopBeforeLsn: '00000019:0000009d:0003', as: 'RTC_side', format: 'text' });
    const text = planText(r);
    expect(text).toMatch(/^-- restore plan: RestoreTimeClean as RTC_side, stop before LSN [^\n]*; the backup dates below are the SQL Server's local time\n/);
    expect(text).toMatch(/\n--   1\. full +.*RestoreTimeClean\.bak .*  2017-06-01T12:59:12\.\.2017-06-01T12:59:12 \(UTC\+02:00: started 2017-06-01T10:59:12Z\)\n/);
  });

  it("each step says its server's offset from UTC and its start as UTC, from its backup header (SSET time zone +8: +02:00); json alike", async () => {
    const r = await planRestore({ backups: [corpusPath('appveyor-lab/RestoreTimeClean')], stopAt: '2017-06-01T13:20:00', as: 'RTC_side', format: 'json' });
    const j = planJson(r) as { steps: Array<{ role: string; backupStartDate: string; utcOffset: string | null; backupStartDateUtc: string | null }> };
    expect(j.steps.map((s) => [s.role, s.backupStartDate, s.utcOffset, s.backupStartDateUtc])).toEqual([
      ['full', '2017-06-01T12:59:12', '+02:00', '2017-06-01T10:59:12Z'],
      ['differential', '2017-06-01T13:14:13', '+02:00', '2017-06-01T11:14:13Z'],
      ['log', '2017-06-01T13:19:13', '+02:00', '2017-06-01T11:19:13Z'],
      ['log', '2017-06-01T13:24:13', '+02:00', '2017-06-01T11:24:13Z'],
    ]);
    expect(planText(r)).toContain('  2017-06-01T13:24:13..2017-06-01T13:24:13 (UTC+02:00: started 2017-06-01T11:24:13Z)\n');
  });

  it('the json plan says it as data (timeZone), as inspect --format json does: it said it only of a --stop-at target', async () => {
    const r = await planRestore({ backups: [corpusPath('appveyor-lab/RestoreTimeClean')], stopBeforeLsn: '00000019:0000009d:0003', as: 'RTC_side', format: 'json' });
    const j = planJson(r) as { timeZone?: string; target: Record<string, unknown>; steps: Array<{ backupStartDate: string }> };
    expect(j.timeZone).toBe('SQL Server local time');
    expect(j.target).toEqual({ stopBeforeLsn: expect.any(String) });
    expect(j.steps[0]!.backupStartDate).toBe('2017-06-01T12:59:12');
  });
});
