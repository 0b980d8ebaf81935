import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonNotes } from '../../src/replay/compare.js';
import { doubtfulNotes } from '../../src/staging/job-completeness.js';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { damagedCopy, headerCopyOffsets } from '../support/damaged-copy.js';

/**
 * A restore job's `warnings` (f6f924f8: "is any of it doubtful?", as scan --report's) left out two
 * WARNINGs the comparison says: a backup the replay used whose header is held twice with copies that
 * disagree in a field no restore reads (ReplayResult.warnings: `rowback diff: WARNING: …`, also with
 * --quiet, exit 3 under --strict) was in neither the diff --stage job's notes nor the service's
 * restore job's, and a side's WARNING of comparisonNotes (`WARNING (earlier state, …): …`, a stop
 * time the server's clock passed twice) did not match doubtfulNotes's `WARNING: ` form. Such a job
 * read `warnings: []`, nothing doubtful, while diff said WARNING.
 *
 * The two states the wrong way round on purpose (--accept-older-later: the rows inserted between the
 * two stops are staged), so that the comparison stages rows. REAL StopAt backups; SYNTHETIC damage: one byte of the server name in StopAt_2.trn's opening
 * header copy (as test/cli/header-warning-commands.test.ts).
 */
const cli = captureCli();
const stopAt = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);

describe('doubtfulNotes: a side\'s WARNING of a comparison (SYNTHETIC notes)', () => {
  it('comparisonNotes\'s WARNING of a side is doubtful; its notes are not', () => {
    const { notes } = comparisonNotes({
      unchecked: [
        { side: 'earlier', where: 'StopAt.bak', note: 'the stop time 2020-11-01T01:30 was passed twice by the server\'s clock (SYNTHETIC)', warning: true },
        { side: 'later', where: 'StopAt.bak', note: 'pages with no checksum (SYNTHETIC)' },
      ] as unknown as Parameters<typeof comparisonNotes>[0]['unchecked'],
      warned: [],
    });
    expect(doubtfulNotes(notes)).toEqual([notes[0]]);
  });
});

describeCorpus('a restore job whose replay used a backup with a header WARNING: its warnings say it', () => {
  let dir = '';
  let trn = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-restore-warnings-'));
    for (const f of ['StopAt.bak', 'StopAt_1.trn', 'StopAt_21.trn']) damagedCopy(stopAt(f), join(dir, f), () => undefined);
    trn = damagedCopy(stopAt('StopAt_2.trn'), join(dir, 'StopAt_2.trn'), (b) => {
      const o = headerCopyOffsets(stopAt('StopAt_2.trn')).opening;
      b[o + b.readUInt16LE(o + 110)] ^= 0x01; // the server name's first byte (SCIN @110: its offset)
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const chain = () => [join(dir, 'StopAt_1.trn'), trn, join(dir, 'StopAt_21.trn')];

  it('diff --stage: the job\'s warnings hold the WARNING diff says', async () => {
    const stage = join(dir, 'stage.db');
    const r = await cli('diff', '--bak', join(dir, 'StopAt.bak'), '--trn', ...chain(), '--stop-before-lsn', '00000013:000000d5:0001', '--table', 'dbo.steps',
      '--after-bak', join(dir, 'StopAt.bak'), '--after-trn', ...chain(), '--after-stop-before-lsn', '00000013:000000d0:0001', '--accept-older-later', '--quiet', '--stage', stage, '--out', join(dir, 'diff.ndjson'));
    expect(r.stderr).toMatch(/^rowback diff: WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: /m);
    const id = Number(/staged as restore job (\d+)/.exec(r.stderr)?.[1]);
    expect(id, r.stderr).toBeGreaterThan(0);
    const store = new StagingStore(stage);
    try {
      expect(store.requireJob(id).warnings).toContainEqual(expect.stringMatching(/^WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: /));
    } finally {
      store.close();
    }
  }, 120_000);

  it('the service\'s restore job alike', async () => {
    const store = new StagingStore(join(dir, 'service.db'));
    try {
      const w = new JobWorker({ store });
      const job = w.submit({ kind: 'restore', bak: [join(dir, 'StopAt.bak')], trn: chain(), stopBeforeLsn: '00000013:000000d5:0001', afterBak: [join(dir, 'StopAt.bak')], afterTrn: chain(), afterStopBeforeLsn: '00000013:000000d0:0001', table: 'dbo.steps', acceptOlderLater: true }, 'op');
      await w.idle();
      const done = store.requireJob(job.id);
      expect(done.error).toBeNull();
      expect(done.state).toBe('succeeded');
      expect(done.warnings).toContainEqual(expect.stringMatching(/^WARNING: .*StopAt_2\.trn: BACKUP_HEADER_WARNING: /));
    } finally {
      store.close();
    }
  }, 120_000);
});
