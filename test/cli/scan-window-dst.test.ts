import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      "rowback scan: warning: --from '2026-03-29 02:30' does not exist in Europe/Berlin: the clocks went forward from 02:00 to 03:00 that night (UTC+01:00 to UTC+02:00), so no log time falls in that gap; log times are compared with it as written (Europe/Berlin is this machine's time zone, TZ; the SQL Server's may differ)",
      "rowback scan: warning: --to '2026-10-25 02:30' is ambiguous in Europe/Berlin: the clocks went back that night, so 02:30 happened twice, at 2026-10-25T00:30:59.999Z (UTC+02:00) and at 2026-10-25T01:30:59.999Z (UTC+01:00); log times carry no zone, so they are compared with it as written and the two cannot be told apart (Europe/Berlin is this machine's time zone, TZ; the SQL Server's may differ)",
    ]);
  });
  it("--report's notes carry the same lines (a --quiet --report script learned nothing of them), and --strict still exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-dst-'));
    const report = join(dir, 'report.json');
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--from', '2026-03-29 02:30', '--to', '2026-10-25 02:30', '--quiet', '--strict', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const said = r.stderr.split('\n').filter((l) => l.startsWith('rowback scan: warning:')).map((l) => l.slice('rowback scan: '.length));
    expect(said).toHaveLength(2);
    const notes = JSON.parse(readFileSync(report, 'utf8')).notes as string[];
    expect(notes.filter((n) => n.startsWith('warning:'))).toEqual(said);
    rmSync(dir, { recursive: true, force: true });
  });
  it('times that are one instant: no warning', async () => {
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf, '--from', '2026-03-29 03:00', '--to', '2026-10-25 03:00', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
  });
});

describeCorpus('--stop-at in a daylight-saving fold (TZ=Europe/Berlin): restore plan, dump and diff say it too', () => {
  const lab = (...p: string[]) => corpusPath('appveyor-lab', ...p);
  const line = (cmd: string, flag: string) =>
    `rowback ${cmd}: warning: ${flag} '2017-10-29 02:30' is ambiguous in Europe/Berlin: the clocks went back that night, so 02:30 happened twice, at 2017-10-29T00:30:00.000Z (UTC+02:00) and at 2017-10-29T01:30:00.000Z (UTC+01:00); log times carry no zone, so they are compared with it as written and the two cannot be told apart (Europe/Berlin is this machine's time zone, TZ; the SQL Server's may differ)`;
  const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes(': warning: --'));
  it('restore plan --stop-at', async () => {
    const r = await cli('restore', 'plan', '--backups', lab('RestoreTimeClean'), '--stop-at', '2017-10-29 02:30', '--as', 'X');
    expect(warnings(r.stderr)).toEqual([line('restore plan', '--stop-at')]);
  });
  it('dump --stop-at and diff --stop-at/--after-stop-at, before whatever else they say of that time', async () => {
    const d = (f: string) => lab('RestoreTimeClean', f);
    const dump = await cli('dump', '--bak', d('RestoreTimeClean.bak'), '--trn', d('RestoreTimeClean_1.trn'), '--stop-at', '2017-10-29 02:30', '--table', 'steps');
    expect(warnings(dump.stderr)).toEqual([line('dump', '--stop-at')]);
    const diff = await cli('diff', '--bak', d('RestoreTimeClean.bak'), '--trn', d('RestoreTimeClean_1.trn'), '--stop-at', '2017-10-29 02:30', '--after-bak', d('RestoreTimeClean.bak'), '--after-trn', d('RestoreTimeClean_1.trn'), '--after-stop-at', '2017-10-29 02:30', '--table', 'steps');
    expect(warnings(diff.stderr)).toEqual([line('diff', '--stop-at'), line('diff', '--after-stop-at')]);
  });
});
