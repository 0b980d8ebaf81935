import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { recoverRows } from '../../src/recover/recover-rows.js';
import { JobWorker } from '../../src/worker/worker.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { tempStore } from '../support/temp-store.js';

/**
 * A job that stopped mid-way (failed, interrupted by a crash, cancelled) is resumed by re-reading the
 * files at its spec's paths; the rows it staged before are kept and rows with an LSN already staged
 * are not staged again. When the files at those paths are now another database's (the folder's
 * files replaced between the two attempts), the resume staged that database's rows beside the first
 * one's under one job and recorded the second database as the job's source: the re-insert's
 * database check then said "same" for the second database's target and put the first database's
 * rows into it. The resume now fails naming both databases, stages nothing, and keeps the rows and
 * the source database the first attempt recorded.
 * Corpus: AngularJs_CRUD's Database1 pair, then CRUD-.NET's Database pair copied over the same paths.
 */
describeCorpus('a job resumed over files now of another database', () => {
  const env = tempStore('rowback-resume-otherdb-');

  it('fails saying so, staging nothing of the second database; the first attempt\'s rows and source stay', async () => {
    const { store, dir } = env;
    const mdf = join(dir, 'db.mdf');
    const ldf = join(dir, 'db_log.ldf');
    copyFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf'), mdf);
    copyFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf'), ldf);
    // the first attempt stops after 10 rows (as a failed read, or a crash after two batches)
    const stopping: typeof recoverRows = async function* (source, filter, o) {
      let n = 0;
      for await (const ev of recoverRows(source, filter, o)) {
        yield ev;
        if (ev.kind === 'row' && ++n === 10) throw new Error('EIO: i/o error, read');
      }
    };
    const first = new JobWorker({ store, batchSize: 5, recover: stopping, fileRoots: [dir] });
    const job = first.submit({ kind: 'files', mdf, ldf, operations: ['insert', 'delete', 'update'] }, 'op');
    await first.idle();
    const stopped = store.requireJob(job.id);
    expect([stopped.state, stopped.rowsStaged]).toEqual(['failed', 10]);
    expect(stopped.sourceDatabase?.bindingId).toBe('97C13D95-088B-43ED-85E5-F9F10FED2D16');

    copyFileSync(corpusPath('CRUD-.NET', 'App_Data', 'Database.mdf'), mdf);
    copyFileSync(corpusPath('CRUD-.NET', 'App_Data', 'Database_log.ldf'), ldf);
    const second = new JobWorker({ store, batchSize: 5, fileRoots: [dir] });
    second.resume(job.id, 'op');
    await second.idle();
    const after = store.requireJob(job.id);
    expect(after.state).toBe('failed');
    expect(after.error?.code).toBe('INPUT_RESUME_OTHER_DATABASE');
    expect(after.error?.message).toMatch(/97C13D95-088B-43ED-85E5-F9F10FED2D16.*77CBFA04-51D4-45E8-8CFC-1BA947A6429A/);
    // each database as one name: the REAL files' names are their paths, holding spaces (written bare, 'F:\MVC LEARNNG\…' read as words)
    expect(after.error?.message).toContain('read from database [F:\\MVC LEARNNG\\ANGULARCRUD\\ANGULARCRUD\\APP_DATA\\DATABASE1.MDF] (binding id 97C13D95-088B-43ED-85E5-F9F10FED2D16); its files now are of database [C:\\USERS\\DHRUV\\DESKTOP\\PRACTICE\\PRACTICE\\APP_DATA\\DATABASE.MDF] (binding id 77CBFA04-51D4-45E8-8CFC-1BA947A6429A)');
    expect(after.rowsStaged).toBe(10);
    expect(store.countRows(job.id, {})).toBe(10);
    expect(after.sourceDatabase?.bindingId).toBe('97C13D95-088B-43ED-85E5-F9F10FED2D16');
  });
});
