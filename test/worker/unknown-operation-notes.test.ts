import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StagingStore } from '../../src/staging/store.js';
import { JobWorker } from '../../src/worker/worker.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { UNKNOWN_OP_CODE, unknownOperationCopy } from '../support/damaged-copy.js';

/**
 * A job's notes say the WARNING `rowback scan` says for log records of an operation code rowback
 * does not know (such a record may change rows no listing shows): the worker took the source's notes
 * and dropped its warnings, so a reviewer approving the job's rows never learnt of them.
 *
 * SYNTHETIC damage of the REAL StopAt_2.trn (test/support/damaged-copy.ts unknownOperationCopy): two
 * inserts' operation byte set to a code rowback does not know, the blocks' checksums recomputed.
 */
const DIR = corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt');
let dir: string;
let U: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-worker-unknown-op-'));
  U = unknownOperationCopy(join(DIR, 'StopAt_2.trn'), join(dir, 'U.trn'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jobNotes = (store: StagingStore, jobId: number): string[] =>
  store.audit({ jobId }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

describeCorpus('a files job over log records of an unknown operation code', () => {
  it('its notes carry the WARNING scan says, with the count, first LSN and file; the intact chain none', async () => {
    const store = new StagingStore(join(dir, 'staging.db'));
    try {
      const w = new JobWorker({ store });
      const damaged = w.submit({ kind: 'files', bak: join(DIR, 'StopAt.bak'), trn: [join(DIR, 'StopAt_1.trn'), U], operations: ['insert'] }, 'op');
      const intact = w.submit({ kind: 'files', bak: join(DIR, 'StopAt.bak'), trn: [join(DIR, 'StopAt_1.trn'), join(DIR, 'StopAt_2.trn')], operations: ['insert'] }, 'op');
      await w.idle();
      expect(store.requireJob(damaged.id).error).toBeNull();
      const warned = jobNotes(store, damaged.id).filter((n) => n.startsWith('WARNING: '));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toContain(`WARNING: 2 log record(s) of operation code ${UNKNOWN_OP_CODE} (0x${UNKNOWN_OP_CODE.toString(16)}), printed as LOP_UNKNOWN_${UNKNOWN_OP_CODE}, first at LSN 00000013:000000b7:0002 (${U} offset 7832)`);
      expect(store.requireJob(intact.id).error).toBeNull();
      expect(jobNotes(store, intact.id).filter((n) => n.startsWith('WARNING: '))).toEqual([]);
    } finally {
      store.close();
    }
  });
});
