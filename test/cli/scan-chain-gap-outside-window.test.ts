import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * A log backup missing from the chain (FORMAT_LOG_CHAIN_GAP) was INCOMPLETE whatever the window or
 * LSN range: `scan --bak FULL --trn _1.trn _3.trn --to-lsn` below _1.trn's end, or `--to` before
 * _1.trn's backup began, exited 3 under --strict over a result the files given hold whole (a false
 * alarm), while the same kind of stretch past a differential (log-not-given.ts) was a note there.
 * Now a chain gap the window and LSN range provably lie wholly outside of is a note, said even with
 * --quiet; one they may reach is INCOMPLETE as before (bounds: the stretch's LSNs; its transactions
 * began at or after the BackupStartDate of the backup before it, at or before the first transaction
 * read past it and before the next backup's start). REAL files: appveyor-lab RestoreTimeClean
 * (_1.trn ends at 19:99:1, begun 13:04:13; _2.trn, left out, holds 19:99:1 up to 19:a3:1; _3.trn's
 * first transaction began 13:09:13.077; the full backup ends at 19:84:1, begun 12:59:12).
 */
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const gap13 = ['--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_3.trn')];
const gap23 = ['--bak', R('RestoreTimeClean.bak'), '--trn', R('RestoreTimeClean_2.trn'), R('RestoreTimeClean_3.trn')];
const incomplete = (s: string) => s.split('\n').filter((l) => l.includes('INCOMPLETE'));
const NOTE = /^rowback scan: note: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\) \(LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given\), and the (window|LSN range|window and LSN range) asked for lies? wholly outside that stretch/m;

describeCorpus('scan: a log backup missing from the chain, the window or LSN range wholly outside it', () => {
  it.each([
    ['--to-lsn below the gap', ['--to-lsn', '00000019:00000098:0003']],
    ['--from-lsn at the gap\'s end', ['--from-lsn', '00000019:000000a3:0001']],
    ['--to before the backup before the gap began', ['--to', '2017-06-01T13:04:12.997']],
    ['--from after the first transaction past the gap began', ['--from', '2017-06-01T13:09:13.080']],
    ['a window between', ['--from', '2017-06-01T13:10', '--to', '2017-06-01T13:12']],
  ])('%s: a note, exit 0 under --strict', async (_, w) => {
    const r = await cli('scan', ...gap13, '--op', 'insert', '--quiet', '--strict', ...w);
    expect(r.code, r.stderr).toBe(0);
    expect(incomplete(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(NOTE);
  });

  it.each([
    ['no window', []],
    ['--to-lsn at the gap\'s start', ['--to-lsn', '00000019:00000099:0001']],
    ['--from-lsn just before its end', ['--from-lsn', '00000019:000000a2:0003']],
    ['--to at the second the backup before it began', ['--to', '2017-06-01T13:04:13']],
    ['--from at the first transaction past it', ['--from', '2017-06-01T13:09:13.077']],
  ])('%s: INCOMPLETE as before', async (_, w) => {
    const r = await cli('scan', ...gap13, '--op', 'insert', '--quiet', '--strict', ...w);
    expect(r.code).toBe(3);
    expect(incomplete(r.stderr)).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\).*LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001/)]);
  });

  it('the log between the full backup and a later first log backup: judged the same way', async () => {
    const before = await cli('scan', ...gap23, '--op', 'insert', '--quiet', '--strict', '--to', '2017-06-01T12:59:11');
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).toContain('(LSNs 00000019:00000084:0001 up to 00000019:00000099:0001, in no file given), and the window asked for lies wholly outside');
    const atStart = await cli('scan', ...gap23, '--op', 'insert', '--quiet', '--strict', '--to', '2017-06-01T12:59:12');
    expect(atStart.code).toBe(3);
    const after = await cli('scan', ...gap23, '--op', 'insert', '--quiet', '--strict', '--from', '2017-06-01T13:04:13.027');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout.trim().split('\n')).toHaveLength(19);
    const atFirst = await cli('scan', ...gap23, '--op', 'insert', '--quiet', '--strict', '--from', '2017-06-01T13:04:13.023');
    expect(atFirst.code).toBe(3);
  });

  it('the backups\' own logs (--bak FULL DIFF): an LSN range wholly past the break is whole', async () => {
    const r = await cli('scan', '--bak', R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'), '--op', 'insert', '--quiet', '--strict', '--from-lsn', '00000019:000000ad:0001');
    expect(r.code, r.stderr).toBe(0);
    expect(incomplete(r.stderr)).toEqual([]);
    const reach = await cli('scan', '--bak', R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'), '--op', 'insert', '--quiet', '--strict', '--from-lsn', '00000019:000000ac:0001');
    expect(reach.code).toBe(3);
  });

  // StopAt: created 13:28:43.750, full backup begun 13:28:44 (log to 13:a1:1), StopAt_1.trn left
  // out, StopAt_2.trn's first transaction 13:29:34.530, within a minute of the creation: taken as a
  // log held from the creation (windowBeforeLogStartClause), the window of the full's own second,
  // wholly before the log read, was said whole once the gap before the read was left out by it
  it('a gap right before the log read: the read is not taken as held from the creation', async () => {
    const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
    const args = ['scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_2.trn'), '--op', 'insert', '--quiet', '--strict'];
    for (const w of [['--to', '2020-05-12T13:28:43'], ['--from', '2020-05-12T13:28:00', '--to', '2020-05-12T13:28:43']]) {
      const r = await cli(...args, ...w);
      expect(r.code, w.join(' ')).toBe(3);
      expect(incomplete(r.stderr), w.join(' ')).toEqual([expect.stringMatching(/^rowback scan: INCOMPLETE: the whole window \(.*\) is before the log read begins: its first transaction began at 2020-05-12T13:29:34\.530 /)]);
    }
    // with StopAt_1.trn, which starts within the full backup's log: held from the creation, as before
    const chained = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), '--op', 'insert', '--quiet', '--strict', '--to', '2020-05-12T13:28:43');
    expect(chained.code, chained.stderr).toBe(0);
    // before the creation: nothing asked for
    const before = await cli(...args, '--to', '2020-05-12T13:28:42');
    expect(before.code, before.stderr).toBe(0);
  });

  it('log: an LSN range wholly outside the gap is a note; one reaching it INCOMPLETE', async () => {
    const files = [R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_3.trn')];
    const out = await cli('log', ...files, '--to-lsn', '00000019:00000098:0003', '--quiet', '--strict');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/^rowback log: note: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\) \(LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given\), and the LSN range asked for lies wholly outside that stretch \(by its LSNs\): no record it asks for can be there/m);
    expect(out.stderr).not.toContain('INCOMPLETE');
    const reach = await cli('log', ...files, '--to-lsn', '00000019:00000099:0001', '--quiet', '--strict');
    expect(reach.code).toBe(3);
    expect(reach.stderr).toContain('rowback log: INCOMPLETE: parts of the log are in no file given (FORMAT_LOG_CHAIN_GAP)');
  });
});
