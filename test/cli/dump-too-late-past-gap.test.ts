import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A stop time after the last log backup given, when a log backup between is missing: the refusal
 * (INPUT_RESTORE_TOO_LATE) said "the latest point these backups reach is the end of it: … or, by
 * time, --stop-at <its start>" of the last log backup past the gap, and the command it advised was
 * then refused INPUT_RESTORE_CHAIN_BROKEN (newcomer E, a script following the advice). Real bytes:
 * RestoreTimeClean.bak with _1.trn and _3.trn, _2.trn left out.
 */
describeCorpus('too late a stop past a gap in the log backups (RestoreTimeClean without _2.trn)', () => {
  const cli = captureCli();
  const dirOf = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  const chain = ['--bak', dirOf('RestoreTimeClean.bak'), '--trn', dirOf('RestoreTimeClean_1.trn'), dirOf('RestoreTimeClean_3.trn')];
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-too-late-gap-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the gap and advises no point past it; the reachable end it points to runs', async () => {
    const r = await cli('dump', ...chain, '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps', '--out', join(dir, 'late.ndjson'));
    const msg = expectOneLineError(r, 'INPUT_RESTORE_TOO_LATE');
    expect(msg).not.toContain('the latest point these backups reach is the end of it');
    expect(msg).not.toContain('--stop-at 2017-06-01T13:14:13');
    expect(msg).toContain('log backups covering LSN 25000000015300001 up to 25000000016300001 are missing');
    expect(msg).toContain('reachable with these backups: 2017-06-01T12:59:13.000 to 2017-06-01T13:04:13.000');
    // the point the old message advised is refused, the one said reachable is not
    const advisedBefore = await cli('dump', ...chain, '--stop-at', '2017-06-01T13:14:13.000', '--table', 'dbo.steps', '--out', join(dir, 'old.ndjson'));
    expectOneLineError(advisedBefore, 'INPUT_RESTORE_CHAIN_BROKEN');
    const reachable = await cli('dump', ...chain, '--stop-at', '2017-06-01T13:04:13.000', '--table', 'dbo.steps', '--quiet', '--strict', '--out', join(dir, 'ok.ndjson'));
    expect(reachable.code).toBe(0);
  });

  it('without the gap, the end of the last log backup is still advised', async () => {
    const r = await cli('dump', '--bak', dirOf('RestoreTimeClean.bak'), '--trn', dirOf('RestoreTimeClean_1.trn'), dirOf('RestoreTimeClean_2.trn'), '--stop-at', '2017-06-01 13:20', '--table', 'dbo.steps', '--out', join(dir, 'late2.ndjson'));
    expect(expectOneLineError(r, 'INPUT_RESTORE_TOO_LATE')).toContain('the latest point these backups reach is the end of it: --stop-before-lsn 25000000016300000');
  });
});
