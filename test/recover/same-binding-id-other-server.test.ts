/**
 * Backups of one binding id and one database name taken on two servers. A copy of a database
 * attached from copies of its .mdf/.ldf keeps their binding id and family GUID, and on another
 * server it keeps its name too (a test copy of "StopAt" called StopAt); its log goes on from the
 * original's LSNs and its first log backup starts where the original's last one before the copy
 * ended, so `scan --bak StopAt.bak --trn StopAt_1.trn <test copy's log backup>` chained by LSN and
 * printed the test copy's rows as the original's, exit 0, not a word (likewise log, dump --stop-at,
 * restore plan): the names agree, so sameIdOtherNames said nothing. Replicas of an availability
 * group or log shipping back one database up on several servers, so it is said (even with
 * --quiet), not refused (source-identity.ts sameIdOtherServers).
 * StopAt_2-testbox.trn is SYNTHETIC: a copy of the REAL StopAt_2.trn (corpus appveyor-lab/
 * sql2008-backups/StopAt) with the server name in both copies of its header (HEADERONLY
 * ServerName, UTF-16) changed from JUMPBOX\SQL2008R2 to TESTBOX\SQL2008R2.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBackupHeader } from '../../src/backup/header.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { renamedDatabaseCopy } from '../support/damaged-copy.js';

const cli = captureCli();
const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
let dir: string;
let other: string;
const NOTE = (first: string, role: string) =>
  `${role} ${first} was taken on server JUMPBOX\\SQL2008R2 and log backup ${other} was taken on server TESTBOX\\SQL2008R2, with the same binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA (database StopAt): one database backed up on several servers (availability group replicas, log shipping, a move), or a copy of it attached on another server from copies of its files (a test copy, which keeps the binding id and often the name), whose log goes on from the same LSNs, so that rows read from both may be of two databases; if the servers do not hold one database, give the backups of one server`;

describeCorpus('SYNTHETIC: backups of one binding id and one name taken on two servers (a test copy attached elsewhere under the same name)', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-same-id-server-'));
    other = renamedDatabaseCopy(S('StopAt_2.trn'), join(dir, 'StopAt_2-testbox.trn'), 'JUMPBOX', 'TESTBOX');
    const h = readBackupHeader(other);
    expect(h.serverName).toBe('TESTBOX\\SQL2008R2');
    expect(h.databaseName).toBe('StopAt');
    expect(h.bindingId).toBe(readBackupHeader(S('StopAt_2.trn')).bindingId);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scan and log --quiet: the rows, and the note naming both files and servers', async () => {
    const r = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), other, '--op', 'insert', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
    expect(r.stderr).toContain(`rowback scan: note: ${NOTE(S('StopAt.bak'), 'backup')}`);
    const l = await cli('log', S('StopAt_1.trn'), other, '--quiet');
    expect(l.code).toBe(0);
    expect(l.stderr).toContain(`rowback log: note: ${NOTE(S('StopAt_1.trn'), 'log backup')}`);
  });

  it('dump --stop-at and restore plan: the note, with --quiet', async () => {
    const d = await cli('dump', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), other, '--stop-at', '2020-05-12T13:30:20', '--table', 'dbo.steps', '--out', join(dir, 'steps.csv'), '--quiet');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain(NOTE(S('StopAt.bak'), 'backup'));
    const folder = join(dir, 'plan');
    mkdirSync(folder);
    for (const f of ['StopAt.bak', 'StopAt_1.trn']) copyFileSync(S(f), join(folder, f));
    copyFileSync(other, join(folder, 'StopAt_2.trn'));
    const p = await cli('restore', 'plan', '--backups', folder, '--stop-at', '2020-05-12T13:30:20', '--as', 'StopAt_check', '--quiet');
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('was taken on server TESTBOX\\SQL2008R2, with the same binding id 02A2883C-5D8C-4B6A-AFBF-61072D49FDCA (database StopAt)');
  });

  it('the real chain, taken on one server: no note', async () => {
    const r = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), S('StopAt_2.trn'), '--op', 'insert', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('taken on server');
  });
});
