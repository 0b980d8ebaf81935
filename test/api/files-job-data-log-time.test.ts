import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';
import { writeStopAtAsDatabase1 } from '../support/relabelled-backup.js';

/**
 * A files job's data file and .ldf of one database but of different times: the job's notes say so
 * as `scan` does (test/recover/data-file-log-time.test.ts; source-identity.ts dataFileLogTimeNote).
 * A data file newer than the log given (its .ldf or its log backups) is log in no file given: the
 * job is INCOMPLETE (`complete` false, the note's sentence as `INCOMPLETE: …`) when its window may
 * reach the stretch, and keeps the note alone when its window ends before the log's last
 * transaction began (recover/log-not-given.ts). It was a note only, and the job `complete`.
 * REAL log: AngularJs_CRUD Database1_log.ldf (VLFs 35–37). SYNTHETIC data file: a copy of
 * Database1.mdf written here whose boot page dbi_checkptLSN is moved to VLF 38 (newer than the log),
 * checksum flag dropped so the page verifies.
 */
describeCorpus('a files job whose data file is newer than its log file (real worker)', () => {
  let t: TestApp | undefined;
  let dir: string;
  let newer: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-data-log-time-'));
    const b = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf')));
    const boot = 9 * 8192;
    b.writeUInt16LE(b.readUInt16LE(boot + 4) & ~0x0300, boot + 4);
    b.writeUInt32LE(0, boot + 60);
    b.writeUInt32LE(0x26, boot + 444);
    newer = join(dir, 'newer.mdf');
    writeFileSync(newer, b);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const LDF = corpusPath('AngularJs_CRUD/App_Data', 'Database1_log.ldf');
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });
  const notesOf = (id: number) => t!.store.audit({ jobId: id }).filter((a) => a.action === 'job.notes').flatMap((a) => a.details.notes as string[]);

  it('staged, and the job notes name both files and the checkpoint; its own data file: nothing said', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', mdf: newer, ldf: LDF });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(r.json().id).state).toBe('succeeded');
    const said = `data file ${newer} and log file ${LDF} are of different times: the data file's last checkpoint at LSN 00000026:00000036:0002`;
    expect(notesOf(r.json().id).filter((n) => n.includes(said))).toEqual([expect.stringMatching(/^INCOMPLETE: data file /)]);
    const job = t.store.requireJob(r.json().id);
    expect(job.complete).toBe(false);
    expect(job.incomplete).toEqual([expect.stringContaining(said)]);
    // a window ending before the log file's last transaction began (2018-09-30 12:07:57.230): the note alone, complete
    const before = await post({ kind: 'files', mdf: newer, ldf: LDF, from: '2018-08-27T00:00:00', to: '2018-09-30T12:00:00' });
    expect(before.statusCode, before.body).toBe(201);
    await t.app.worker.idle();
    expect(notesOf(before.json().id).filter((n) => n.includes(said))).toEqual([expect.stringMatching(/^data file /)]);
    expect(t.store.requireJob(before.json().id)).toMatchObject({ state: 'succeeded', complete: true, incomplete: [] });
    const own = await post({ kind: 'files', mdf: corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf'), ldf: LDF });
    expect(own.statusCode, own.body).toBe(201);
    await t.app.worker.idle();
    expect(t.store.requireJob(own.json().id).state).toBe('succeeded');
    expect(notesOf(own.json().id).join('\n')).not.toContain('different times');
  });

  // SYNTHETIC: REAL StopAt_1.trn with its two header copies' binding id made Database1.mdf's (the
  // GUID's first and last occurrences; data-file-log-time.test.ts), so a files job of Database1.mdf
  // and it passes the one-database check: the data file's checkpoint (25:36:2) is past the log
  // backup's end (13:b7:1)
  it('a files job of a data file and log backups that end before it: the job notes say so', async () => {
    const trn = writeStopAtAsDatabase1(dir);
    const mdf = corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf');
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const r = await post({ kind: 'files', mdf, trn: [trn] });
    expect(r.statusCode, r.body).toBe(201);
    await t.app.worker.idle();
    const said = `data file ${mdf} holds the database up to its last checkpoint at LSN 00000025:00000036:0002 (boot page dbi_checkptLSN), after the end of the log backups given (${trn} ends at 00000013:000000b7:0001)`;
    expect(notesOf(r.json().id).filter((n) => n.includes(said))).toEqual([`INCOMPLETE: ${said}: the rows deleted or changed between are in no file given and not in this result; add the later log backups with "trn", or the .ldf with "ldf", to see them`]);
    expect(t.store.requireJob(r.json().id)).toMatchObject({ state: 'succeeded', complete: false });
  });
});
