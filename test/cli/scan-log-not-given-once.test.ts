import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * One stretch of log in no file given, said once. A stretch right before the log read (the log from
 * a full backup's end to the first log backup given past a differential, a log backup missing before
 * the first one given) or right after it (a chain ending before a backup given ends) was said twice
 * when the window or LSN range reached it: its own INCOMPLETE line and "the window starts …, before
 * the log read begins" / "the window runs …, past the end of the log given" (or the LSN range's),
 * both of the same log. The edge line is left out when all the window asks for beyond the read's
 * edge is in the stretch (log-not-given.ts readEdgesSaid: `--from` after every transaction begun
 * before the stretch, by the backup before it's finish; `--to` before every one begun after it, by
 * the backup ending it's start; `--from-lsn`/`--to-lsn` within it); it stays when the window reaches
 * beyond the stretch (another fact). REAL files: appveyor-lab RestoreTimeClean (full backup finished
 * 12:59:12, log to 19:84:1; RestoreTimeClean2_1.trn from 19:ad:1; _2.trn ends at 19:a3:1; the
 * differential begun 13:14:13, log to 19:be:1) and StopAt (full finished 13:28:44; StopAt_1.trn left out).
 */
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
const incomplete = (s: string) => s.split('\n').filter((l) => l.startsWith('rowback scan: INCOMPLETE:'));
const before2 = ['scan', '--bak', R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'), '--trn', R('RestoreTimeClean2_1.trn'), '--op', 'insert', '--quiet', '--strict'];
const chainEnds = ['scan', '--bak', R('RestoreTimeClean.bak'), R('RestoreTimeClean2.bak'), '--trn', R('RestoreTimeClean_1.trn'), R('RestoreTimeClean_2.trn'), '--op', 'insert', '--quiet', '--strict'];
const gapFirst = ['scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_2.trn'), '--op', 'insert', '--quiet', '--strict'];
const STRETCH_BEFORE = /^rowback scan: INCOMPLETE: the log from the end of \S*RestoreTimeClean\.bak \(LSN 00000019:00000084:0001\) to the first log backup given/;
const STRETCH_AFTER = /^rowback scan: INCOMPLETE: \S*RestoreTimeClean2\.bak holds the database up to LSN 00000019:000000be:0001, and the log backups given end at 00000019:000000a3:0001/;
const GAP = /^rowback scan: INCOMPLETE: parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\).*LSNs 00000013:000000a1:0001 up to 00000013:000000b7:0001/;

describeCorpus('scan: a stretch of log in no file given at the edge of the log read is said once', () => {
  it.each([
    ['before the read, --from inside it', before2, ['--from', '2017-06-01T13:14:13'], [STRETCH_BEFORE]],
    ['before the read, --from-lsn inside it', before2, ['--from-lsn', '00000019:000000ac:0003'], [STRETCH_BEFORE]],
    ['after the read, --to inside it', chainEnds, ['--to', '2017-06-01T13:14:12'], [STRETCH_AFTER]],
    ['after the read, --to-lsn inside it', chainEnds, ['--to-lsn', '00000019:000000a3:0001'], [STRETCH_AFTER]],
    ['a log backup missing before the first one given, the window inside it', gapFirst, ['--from', '2020-05-12T13:28:45', '--to', '2020-05-12T13:29:00'], [GAP]],
  ])('%s: one line', async (_, args, w, lines) => {
    const r = await cli(...args, ...w);
    expect(r.code).toBe(3);
    expect(incomplete(r.stderr)).toEqual(lines.map((l) => expect.stringMatching(l)));
  });

  it.each([
    ['before the read, --from before the full backup ended', before2, ['--from', '2017-06-01T12:59:12'], /^rowback scan: INCOMPLETE: the window starts at 2017-06-01T12:59:12\.000, before the log read begins/, STRETCH_BEFORE],
    ['before the read, --from-lsn before the stretch', before2, ['--from-lsn', '00000019:00000080:0001'], /^rowback scan: INCOMPLETE: the LSN range starts at 00000019:00000080:0001 \(--from-lsn\), before the log given/, STRETCH_BEFORE],
    ['after the read, --to past the differential\'s start', chainEnds, ['--to', '2017-06-01T13:14:13'], /^rowback scan: INCOMPLETE: the window runs to 2017-06-01T13:14:13\.999 \(--to\), past the end of the log given/, STRETCH_AFTER],
    ['after the read, --to-lsn past the stretch', chainEnds, ['--to-lsn', '00000019:000000be:0001'], /^rowback scan: INCOMPLETE: the LSN range runs to 00000019:000000be:0001 \(--to-lsn\), past the end of the log given/, STRETCH_AFTER],
    ['a log backup missing, the window reaching before the full backup ended', gapFirst, ['--from', '2020-05-12T13:28:30', '--to', '2020-05-12T13:29:00'], GAP, /^rowback scan: INCOMPLETE: the whole window \(from 2020-05-12T13:28:30\.000 to 2020-05-12T13:29:00\.999\) is before the log read begins/],
  ])('%s: two lines, two facts', async (_, args, w, a, b) => {
    const report = join(tmpdir(), `rowback-once-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    const r = await cli(...args, ...w, '--report', report);
    expect(r.code).toBe(3);
    const lines = incomplete(r.stderr);
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(a), expect.stringMatching(b)]));
    // --report's `incomplete`: the same lines, in the same order, without the prefix (its times in ISO form)
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; incomplete: string[] };
    rmSync(report, { force: true });
    expect(rep.complete).toBe(false);
    expect(rep.incomplete).toHaveLength(2);
    expect(rep.incomplete.map((c, i) => lines[i]!.endsWith(c) || c.includes(lines[i]!.slice('rowback scan: INCOMPLETE: '.length, 60)))).toEqual([true, true]);
  });
});
