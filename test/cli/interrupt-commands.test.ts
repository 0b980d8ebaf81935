/**
 * Ctrl-C / SIGTERM on `inspect`, `diff`, `decode` and `restore plan` (they ended silently: Node's
 * default): the command stops, prints no partial result, says INTERRUPTED on stderr in one line
 * (even with --quiet) and exits 130 / 143. In process, like scan-hold.test.ts: the signal is given
 * to the command's own listener (the newest), since process.emit would also reach the runner's.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { runDiff } from '../../src/cli/commands/diff.js';
import { runRestorePlan } from '../../src/cli/commands/restore.js';
import type { Interruption } from '../../src/cli/interrupt.js';
import { captureCli } from '../support/cli.js';
import { SigintAtText } from '../support/text-sink.js';
import { interruptedCli } from '../support/interrupted-cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

const interrupted = (argv: string[], sig: NodeJS.Signals = 'SIGINT') => interruptedCli(cli, argv, sig);

describeCorpus('Ctrl-C / SIGTERM on inspect and diff', () => {
  const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  const LOGS = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);

  it('inspect a log file: nothing printed (a partial description would pass for the file\'s), INTERRUPTED, exit 130', async () => {
    const ldf = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
    const r = await interrupted(['inspect', ldf, '--quiet']);
    expect(r.given).toBe(true);
    expect(r).toMatchObject({ code: 130, stdout: '', stderr: `rowback inspect: INTERRUPTED by SIGINT: ${ldf} was not read to its end; nothing was printed\n` });
  });

  it('inspect a backup under SIGTERM: exit 143, and the same file inspects whole afterwards', async () => {
    const bak = corpusPath('TSQLV4-compressed', 'TSQLV4.bak');
    const r = await interrupted(['inspect', bak, '--format', 'json'], 'SIGTERM');
    expect(r).toMatchObject({ code: 143, stdout: '', stderr: `rowback inspect: INTERRUPTED by SIGTERM: ${bak} was not read to its end; nothing was printed\n` });
    process.exitCode = undefined;
    const whole = await cli('inspect', bak, '--format', 'json', '--quiet');
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ kind: 'backup' });
  });

  it('diff during its comparison: nothing written (a previous --out file left as it was) or staged, INTERRUPTED, exit 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-diff-'));
    const out = join(dir, 'changes.json');
    writeFileSync(out, '[]\n');
    const stage = join(dir, 'staging.db');
    const r = await interrupted(['diff', '--bak', RTC('RestoreTimeClean.bak'), '--trn', ...LOGS, '--stop-at', '2017-06-01 13:20', '--after-bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--accept-older-later', '--out', out, '--stage', stage, '--quiet']);
    expect(r.given).toBe(true);
    expect(r).toMatchObject({ code: 130, stdout: '', stderr: `rowback diff: INTERRUPTED by SIGINT: stopped before the comparison was done; nothing was written (${out} left as it was) or staged\n` });
    expect(readFileSync(out, 'utf8')).toBe('[]\n');
    // the same comparison, not interrupted, finds the 12 rows (so the interrupted one had work left)
    process.exitCode = undefined;
    const whole = await cli('diff', '--bak', RTC('RestoreTimeClean.bak'), '--trn', ...LOGS, '--stop-at', '2017-06-01 13:20', '--after-bak', RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--accept-older-later', '--out', out, '--quiet');
    expect(whole.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(12);
  });
});

describeCorpus('Ctrl-C on diff while it writes its changes', () => {
  it('the changes written so far, a JSON array closed, nothing staged, INTERRUPTED naming how many, exit 130', async () => {
    const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const LOGS = ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(RTC);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-diff-out-'));
    const stage = join(dir, 'staging.db');
    let err = '';
    // the signal comes with the first change written (given to runDiff's own listener, the newest)
    const out = new SigintAtText('"change"');
    const errs = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString('utf8')), cb()) });
    try {
      const r = await runDiff({ bak: [RTC('RestoreTimeClean.bak')], trn: LOGS, stopAt: '2017-06-01 13:20', afterBak: [RTC('RestoreTimeClean.bak'), RTC('RestoreTimeClean2.bak')], table: 'dbo.steps', acceptOlderLater: true, format: 'json', stage, quiet: true }, out, errs);
      expect(r.interrupted).toBe('SIGINT');
      expect(r.jobId).toBeNull();
      expect(process.exitCode).toBe(130);
    } finally {
      process.exitCode = undefined;
    }
    expect(out.signalled).toBe(true);
    expect(JSON.parse(out.text)).toHaveLength(1);
    // (the later state, the differential, is older than 13:20: compared as asked, said first)
    expect(err).toMatch(/^rowback diff: warning: the later state [^\n]*never re-insert them\nrowback diff: INTERRUPTED by SIGINT: the output stopped before its end; the 1 of 12 change\(s\) written are only part of the result, and nothing was staged\n$/);
    const { StagingStore } = await import('../../src/staging/store.js');
    const store = new StagingStore(stage);
    try {
      expect(store.listJobs()).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describeCorpus('Ctrl-C on dump --trn --stop-at (a point-in-time replay)', () => {
  it('during the replay: one INTERRUPTED line (not the replay\'s abort as an INTERNAL error), nothing written, exit 130', async () => {
    const RTC = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-int-pit-'));
    const out = join(dir, 'steps.csv');
    writeFileSync(out, 'earlier\n');
    const r = await interrupted(['dump', '--bak', RTC('RestoreTimeClean.bak'), '--trn', RTC('RestoreTimeClean_1.trn'), RTC('RestoreTimeClean_2.trn'), '--stop-at', '2017-06-01 13:01', '--table', 'dbo.steps', '--out', out, '--quiet']);
    expect(r.given).toBe(true);
    expect(r).toMatchObject({ code: 130, stdout: '', stderr: `rowback dump: INTERRUPTED by SIGINT: stopped while replaying the log backups; nothing was written (${out} left as it was)\n` });
    expect(readFileSync(out, 'utf8')).toBe('earlier\n');
  });
});

describe('Ctrl-C on decode waiting for --hex - on stdin', () => {
  it('stdin is closed (the process can end), nothing printed, INTERRUPTED, exit 130', async () => {
    const stdin = new PassThrough();
    stdin.write('0x3000'); // part of an image, stdin left open: a person still typing
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(stdin as unknown as typeof process.stdin);
    const r = await interrupted(['decode', '--ddl', 'examples/contact.sql', '--hex', '-']);
    expect(r.given).toBe(true);
    expect(r).toMatchObject({ code: 130, stdout: '', stderr: 'rowback decode: INTERRUPTED by SIGINT: stopped before the row image on stdin was read whole; nothing was decoded or printed\n' });
    expect(stdin.destroyed).toBe(true);
  });
});

describeCorpus('Ctrl-C on restore plan', () => {
  it('a signal while the backup history is read: no plan printed, INTERRUPTED, exit 143 for SIGTERM', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    let e = '';
    out.on('data', (d) => (text += d));
    err.on('data', (d) => (e += d));
    const controller = new AbortController();
    controller.abort();
    const interrupt: Interruption = { by: 'SIGTERM', signal: controller.signal, release: () => undefined };
    try {
      const r = await runRestorePlan({ backups: [corpusPath('appveyor-lab', 'RestoreTimeClean')], stopAt: '2017-06-01T13:20:00', format: 'sql' }, out, err, { interrupt });
      expect(r).toBeNull();
      expect(process.exitCode).toBe(143);
    } finally {
      process.exitCode = undefined;
    }
    expect(text).toBe('');
    expect(e).toBe('rowback restore plan: INTERRUPTED by SIGTERM: stopped while reading the backup history; no plan was printed\n');
  });
});
