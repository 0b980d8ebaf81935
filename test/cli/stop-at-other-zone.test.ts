/**
 * A --stop-at given in another time zone (UTC for the server's local time, at 3 a.m.): refused as
 * too early or too late with the reachable range alone, the hours it was off by left to be worked
 * out, and nothing said that the time is the SQL Server's local time (newcomer). The refusal now
 * says so, and when the time moved by whole hours falls in the reachable range, names that time;
 * also by the offsets of zones off the hour (India's 5:30, Nepal's 5:45: only whole hours were tried).
 * REAL: RestoreTimeClean (reachable 2017-06-01T12:59:13.000 to 13:29:13.000).
 */
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describeCorpus('--stop-at in another time zone: the refusal names the hours it is off by', () => {
  const dir = corpusPath('appveyor-lab', 'RestoreTimeClean');
  const LOCAL = "(--stop-at is the SQL Server's local time, as the backups' dates are";

  it('restore plan: 11:22 (UTC, the server 2 hours ahead) and 15:22 are off by 2 hours; 2016 is off by no hour', async () => {
    const early = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-01T11:22', '--as', 'X'), 'INPUT_RESTORE_TOO_EARLY');
    expect(early).toContain(`${LOCAL}; if 2017-06-01T11:22:00.000 was given in another time zone (UTC, or your own) and the server's clock runs 2 hours ahead of it, the time meant is --stop-at 2017-06-01T13:22:00.000, in the reachable range)`);
    const late = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-01T15:22', '--as', 'X'), 'INPUT_RESTORE_TOO_LATE');
    expect(late).toContain(`${LOCAL}; if 2017-06-01T15:22:00.000 was given in another time zone (UTC, or your own) and the server's clock runs 2 hours behind it, the time meant is --stop-at 2017-06-01T13:22:00.000, in the reachable range)`);
    const year = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2016-06-01T13:22', '--as', 'X'), 'INPUT_RESTORE_TOO_EARLY');
    expect(year).toContain(`${LOCAL})`);
    expect(year).not.toContain('another time zone');
    // UTC given for a server in India (UTC+5:30), in Nepal (UTC+5:45): no whole hour lands in the 30 minutes
    const india = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-01T07:35', '--as', 'X'), 'INPUT_RESTORE_TOO_EARLY');
    expect(india).toContain(`${LOCAL}; if 2017-06-01T07:35:00.000 was given in another time zone (UTC, or your own) and the server's clock runs 5 hours 30 minutes ahead of it, the time meant is --stop-at 2017-06-01T13:05:00.000, in the reachable range)`);
    const nepal = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-01T07:20', '--as', 'X'), 'INPUT_RESTORE_TOO_EARLY');
    expect(nepal).toContain(`${LOCAL}; if 2017-06-01T07:20:00.000 was given in another time zone (UTC, or your own) and the server's clock runs 5 hours 45 minutes ahead of it, the time meant is --stop-at 2017-06-01T13:05:00.000, in the reachable range)`);
  }, 60_000);

  it('a date alone (its midnight) is said as such, never moved by a zone to a time of day nobody gave', async () => {
    // it said "the server's clock runs 13 hours ahead of it, the time meant is --stop-at 2017-06-01T13:00:00.000" (newcomer)
    const f = (x: string) => `${dir}/${x}`;
    const early = expectOneLineError(await cli('dump', '--bak', f('RestoreTimeClean.bak'), '--trn', f('RestoreTimeClean_1.trn'), '--stop-at', '2017-06-01', '--table', 'dbo.steps'), 'INPUT_RESTORE_TOO_EARLY');
    expect(early).toContain(`${LOCAL}; a date alone is its midnight, 2017-06-01T00:00:00.000: give the time of day too, --stop-at 'YYYY-MM-DD HH:MM[:SS[.fff]]')`);
    expect(early).not.toContain('another time zone');
    const late = expectOneLineError(await cli('restore', 'plan', '--backups', dir, '--stop-at', '2017-06-02', '--as', 'X'), 'INPUT_RESTORE_TOO_LATE');
    expect(late).toContain('a date alone is its midnight, 2017-06-02T00:00:00.000');
    expect(late).not.toContain('another time zone');
  }, 60_000);

  it('dump --trn: the same words', async () => {
    const f = (x: string) => `${dir}/${x}`;
    const e = expectOneLineError(await cli('dump', '--bak', f('RestoreTimeClean.bak'), '--trn', f('RestoreTimeClean_1.trn'), f('RestoreTimeClean_2.trn'), '--stop-at', '2017-06-01 11:05', '--table', 'dbo.steps'), 'INPUT_RESTORE_TOO_EARLY');
    expect(e).toContain(`${LOCAL}; if 2017-06-01T11:05:00.000 was given in another time zone (UTC, or your own) and the server's clock runs 2 hours ahead of it, the time meant is --stop-at 2017-06-01T13:05:00.000, in the reachable range)`);
  }, 60_000);
});
