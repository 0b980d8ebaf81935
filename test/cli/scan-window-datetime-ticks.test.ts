/**
 * Log times are SQL Server datetime values (1/300 s ticks) printed to the millisecond: the delete
 * transaction printed 2018-08-28T21:46:24.027 began at 8 ticks, 0.0266667 s, which is how the same
 * time reads as datetime2 text (CAST(datetime AS datetime2), .NET's round-trip form). A window of
 * that text at both ends was refused `INPUT_BAD_WINDOW: --from …24.027 is after --to …24.026`, and
 * `--to` it alone left that transaction out: more than 3 digits were rounded to the millisecond, not
 * to the ticks log times lie on. (REAL corpus log: AngularJs_CRUD, 16 deletes.)
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const app = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const scan = (...a: string[]) => cli('scan', '--mdf', app('Database1.mdf'), '--ldf', app('Database1_log.ldf'), '--quiet', ...a);
const times = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).beginTime);

describeCorpus('scan: a window given as datetime2 text is compared on the log\'s datetime ticks', () => {
  it('--from X --to X with X the datetime2 form of a transaction\'s Begin Time prints that transaction', async () => {
    const r = await scan('--from', '2018-08-28T21:46:24.0266667', '--to', '2018-08-28T21:46:24.0266667');
    expect(r.code, r.stderr).toBe(0);
    expect(times(r.stdout)).toEqual(['2018-08-28T21:46:24.027']);
  });

  it('--to a little after the transaction began (.0267) takes it; --from a little after (.0268) leaves it out', async () => {
    const to = await scan('--from', '2018-08-28T21:00', '--to', '2018-08-28T21:46:24.0267');
    expect(to.code, to.stderr).toBe(0);
    expect(times(to.stdout)).toEqual(['2018-08-28T21:46:24.027']);
    const from = await scan('--from', '2018-08-28T21:46:24.0268', '--to', '2018-08-28T21:46:30');
    expect(from.code, from.stderr).toBe(0);
    expect(times(from.stdout)).toEqual(['2018-08-28T21:46:27.817']);
  });

  it('a window in order holding no log time is refused saying so, naming the bounds as typed', async () => {
    const r = await scan('--from', '2018-08-28T21:46:24.0271', '--to', '2018-08-28T21:46:24.0275');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("rowback: INPUT_BAD_WINDOW: --from '2018-08-28T21:46:24.0271' to --to '2018-08-28T21:46:24.0275' holds no time a log can carry: log times are SQL Server datetime values, in steps of 1/300 second (printed .000, .003, .007, .010, …), and none lies between them (the nearest are 2018-08-28T21:46:24.027 and 2018-08-28T21:46:24.030); widen the window\n");
  });
});
