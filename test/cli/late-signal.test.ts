import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A Ctrl-C that comes once `rowback log` has written its last record (while the output is
 * flushed): it said "INTERRUPTED …: the log was not read to its end; the N record(s) written are
 * only part of the result", exit 130, of a whole result (newcomer: all 19,319 records of
 * NORTHWND_log.ldf). The signal is given to the command's own listener (the newest) from the
 * output file's write of a chosen record, as test/cli/interrupt-commands.test.ts gives it.
 * REAL files: appveyor-lab RestoreTimeClean_2.trn (30 records), SessionShoppingCart NORTHWND_log.ldf.
 */
const cli = captureCli();
describeCorpus('log: a signal after the last record', () => {
  const trn = corpusPath('appveyor-lab', 'RestoreTimeClean', 'RestoreTimeClean_2.trn');
  const run = async (signalAtLine: number, file = trn, argv?: (out: string) => string[]) => {
    const out = join(mkdtempSync(join(tmpdir(), 'rowback-late-signal-')), 'r.ndjson');
    const fs = await import('node:fs');
    let lines = 0;
    let given = false;
    const real = fs.WriteStream.prototype.write;
    const spy = vi.spyOn(fs.WriteStream.prototype, 'write').mockImplementation(function (this: import('node:fs').WriteStream, chunk: unknown, ...rest: unknown[]) {
      lines += String(chunk).split('\n').length - 1;
      if (!given && lines >= signalAtLine && process.listenerCount('SIGINT') > 0) {
        given = true;
        (process.listeners('SIGINT').at(-1) as (s: NodeJS.Signals) => void)('SIGINT');
      }
      return (real as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    });
    try {
      const r = await cli(...(argv ? argv(out) : ['log', file, '--format', 'ndjson', '--out', out]));
      return { ...r, given, out, written: readFileSync(out, 'utf8').trim().split('\n').length };
    } finally {
      spy.mockRestore();
    }
  };

  it('at the last record: the whole result, exit 0, a note; before it: INTERRUPTED, exit 130, part of the result', async () => {
    const whole = await cli('log', trn, '--format', 'ndjson');
    const n = whole.stdout.trim().split('\n').length;
    expect(n).toBe(30);
    const late = await run(n);
    expect(late.given).toBe(true);
    expect(late.written).toBe(30);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stderr).not.toContain('INTERRUPTED');
    expect(late.stderr).toContain('rowback log: note: SIGINT came after the log was read to its end: the 30 record(s) written are the whole result');
    // the output is written in 64 KB pieces: a signal inside the reading needs a larger log
    // (SessionShoppingCart NORTHWND_log.ldf, 19,319 records)
    const early = await run(100, corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf'));
    expect(early.given).toBe(true);
    expect(early.code).toBe(130);
    expect(early.stderr).toMatch(/INTERRUPTED by SIGINT: the log was not read to its end; the \d+ record\(s\) written are only part of the result/);
    expect(early.written).toBeLessThan(19_319);
  });

  it('log --report: at the last record, complete; before it, complete false, interrupted, the records written (REAL: RestoreTimeClean_2.trn, NORTHWND_log.ldf)', async () => {
    const argv = (file: string) => (out: string) => ['log', file, '--format', 'ndjson', '--out', out, '--report', `${out}.report.json`];
    const late = await run(30, trn, argv(trn));
    expect([late.given, late.written, late.code]).toEqual([true, 30, 0]);
    expect(JSON.parse(readFileSync(`${late.out}.report.json`, 'utf8'))).toMatchObject({ records: 30, complete: true, incomplete: [] });
    const ldf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
    const early = await run(100, ldf, argv(ldf));
    expect([early.given, early.code]).toEqual([true, 130]);
    const rep = JSON.parse(readFileSync(`${early.out}.report.json`, 'utf8'));
    expect(rep).toMatchObject({ records: early.written, complete: false, incomplete: [], interrupted: 'SIGINT' });
    expect(early.stderr).toContain(`the ${early.written} record(s) written are only part of the result`);
  });

  it('dump: at the last row, the whole result and exit 0; before it, INTERRUPTED and exit 130 (REAL: pubs-2012 pubs.bak dbo.authors, 26 rows)', async () => {
    const argv = (out: string) => ['dump', '--bak', corpusPath('pubs-2012', 'pubs.bak'), '--table', 'dbo.authors', '--out', out, '--report', `${out}.report.json`];
    const late = await run(26, trn, argv);
    expect([late.given, late.written, late.code]).toEqual([true, 26, 0]);
    expect(late.stderr).not.toContain('INTERRUPTED');
    expect(late.stderr).toContain('rowback dump: note: SIGINT came after the last row was read: the 26 row(s) written are the whole result');
    expect(JSON.parse(readFileSync(`${late.out}.report.json`, 'utf8'))).toMatchObject({ rows: 26, complete: true });
    const early = await run(3, trn, argv);
    expect([early.given, early.code]).toEqual([true, 130]);
    expect(early.stderr).toMatch(/rowback dump: INTERRUPTED by SIGINT: the dump stopped before its end \(in dbo\.authors\); the 3 row\(s\) written are only part of the result/);
    expect(early.written).toBe(3);
    expect(JSON.parse(readFileSync(`${early.out}.report.json`, 'utf8'))).toMatchObject({ rows: 3, complete: false, interrupted: 'SIGINT' });
  });

  it('scan: a signal while the output is flushed, after the log was read: the whole result, exit 0, --report complete (REAL: AngularJs_CRUD, 16 rows)', async () => {
    const a = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    const argv = (out: string) => ['scan', '--mdf', a('Database1.mdf'), '--ldf', a('Database1_log.ldf'), '--out', out, '--report', `${out}.report.json`];
    const late = await run(16, trn, argv);
    expect([late.given, late.written, late.code]).toEqual([true, 16, 0]);
    expect(late.stderr).not.toContain('INTERRUPTED');
    expect(late.stderr).toContain('rowback scan: note: SIGINT came after the log was read to its end: the 16 row(s) written are the whole result');
    expect(JSON.parse(readFileSync(`${late.out}.report.json`, 'utf8'))).toMatchObject({ rows: 16, complete: true });
  });
  it('point-in-time dump: at the last row, the whole result, exit 0, --report complete with its rowsWithWarnings; before it, INTERRUPTED (REAL: RestoreTimeClean.bak + _1.trn dbo.steps, 10 rows)', async () => {
    const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const argv = (out: string) => ['dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--table', 'dbo.steps', '--stop-at', '2017-06-01T13:04:13', '--out', out, '--report', `${out}.report.json`];
    const late = await run(10, trn, argv);
    expect([late.given, late.written, late.code]).toEqual([true, 10, 0]);
    expect(late.stderr).not.toContain('INTERRUPTED');
    expect(late.stderr).toContain('rowback dump: note: SIGINT came after the last row was read: the 10 row(s) written are the whole result');
    // rowsWithWarnings was null for every point-in-time dump (the count was never handed over)
    expect(JSON.parse(readFileSync(`${late.out}.report.json`, 'utf8'))).toMatchObject({ rows: 10, complete: true, rowsWithWarnings: 0 });
    const early = await run(3, trn, argv);
    expect([early.given, early.code]).toEqual([true, 130]);
    expect(early.stderr).toContain('rowback dump: INTERRUPTED by SIGINT: the dump stopped before its end; the 3 row(s) written are only part of the result');
    expect(early.written).toBe(3);
    expect(JSON.parse(readFileSync(`${early.out}.report.json`, 'utf8'))).toMatchObject({ rows: 3, complete: false, interrupted: 'SIGINT' });
  });

  it('diff: a signal after the last change is written leaves the result whole and staged; before it, INTERRUPTED and nothing staged (REAL: RestoreTimeClean, 12 changes)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const logs = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-diff-late-'));
    let n = 0;
    const argv = (out: string) => ['diff', '--bak', RTC('RestoreTimeClean.bak'), '--trn', ...logs, '--stop-at', '2017-06-01 13:20', '--after-bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'),
      '--table', 'dbo.steps', '--accept-older-later', '--out', out, '--stage', join(dir, `s${++n}.db`), '--quiet'];
    const late = await run(12, trn, argv);
    expect([late.given, late.written, late.code]).toEqual([true, 12, 0]);
    expect(late.stderr).not.toContain('INTERRUPTED');
    expect(late.stderr).toMatch(/rowback diff: note: SIGINT came after every change was written: the 12 change\(s\) are the whole result, staged as restore job 1/);
    const early = await run(3, trn, argv);
    expect([early.given, early.code]).toEqual([true, 130]);
    expect(early.stderr).toContain('and nothing was staged');
  });
});

