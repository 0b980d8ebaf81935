import { afterEach, beforeEach, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * `scan --from/--to` in a daylight-saving fold or gap of the machine's zone (TZ) were taken
 * without a word. Now one warning line per bound on stderr, even with --quiet (it changes which rows
 * the window takes); the rows printed are the same as before.
 */
const cli = captureCli();
let tz: string | undefined;
beforeEach(() => {
  tz = process.env.TZ;
  process.env.TZ = 'Europe/Berlin';
});
afterEach(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});
describeCorpus('scan --from/--to in a daylight-saving fold or gap (TZ=Europe/Berlin)', () => {
  const mdf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
  const ldf = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');
  it('an ambiguous --to and a non-existent --from: one warning line each, naming the value and the instants or the gap', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--from', '2026-03-29 02:30', '--to', '2026-10-25 02:30', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('rowback scan: warning:'));
    expect(warnings).toEqual([
      "rowback scan: warning: --from '2026-03-29 02:30' does not exist in Europe/Berlin: the clocks went forward from 02:00 to 03:00 that night (UTC+01:00 to UTC+02:00), so no log time falls in that gap; the window compares local times as written (Europe/Berlin is this machine's time zone, TZ; the SQL Server's may differ)",
      "rowback scan: warning: --to '2026-10-25 02:30' is ambiguous in Europe/Berlin: the clocks went back that night, so 02:30 happened twice, at 2026-10-25T00:30:59.999Z (UTC+02:00) and at 2026-10-25T01:30:59.999Z (UTC+01:00); log times carry no zone, so the window compares them as written and cannot tell the two apart (Europe/Berlin is this machine's time zone, TZ; the SQL Server's may differ)",
    ]);
  });
  it('times that are one instant: no warning', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--from', '2026-03-29 03:00', '--to', '2026-10-25 03:00', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
  });
});
