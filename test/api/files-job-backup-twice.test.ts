import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { validateJobSpec } from '../../src/worker/job-validate.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../support/corpus.js';
import { bearer, testApp, type TestApp } from './helpers.js';

/**
 * A files job whose `bak` lists one backup file twice, or a stripe and its copy, with no log file
 * (the backups' own log is read): 400 naming the bak field, as `scan --bak` refuses it
 * (test/cli/backup-given-twice-log.test.ts). Before: 400 INPUT_NO_LOG naming `trn`, calling them "the
 * stripes of one backup" and asking for a log file. REAL bytes: Northwind-stripe/Northwind.bak and a
 * copy of it made here.
 */
describeCorpus('a files job with a backup given twice', () => {
  let t: TestApp | undefined;
  let dir: string;
  let copy: string;
  const stripe = corpusPath('Northwind-stripe', 'Northwind.bak');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-job-bak-twice-'));
    copy = join(dir, 'Northwind-copy.bak');
    copyFileSync(stripe, copy);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => { await t?.close(); t = undefined; });
  const post = (payload: Record<string, unknown>) => t!.app.inject({ method: 'POST', url: '/api/jobs', headers: bearer(t!.tokens.operator), payload });

  it('the same file twice, and a stripe with its copy: 400 naming bak', async () => {
    t = await testApp({ openSource: undefined, recover: undefined, validateJob: validateJobSpec, fileRoots: [CORPUS_DIR, dir], maxAuthFailures: 1000 });
    const twice = await post({ kind: 'files', bak: [stripe, stripe] });
    expect([twice.statusCode, twice.json().code, twice.json().field], twice.body).toEqual([400, 'INPUT_BAD_OPTION', 'bak.0']);
    expect(twice.json().message).toContain('is given more than once');
    const copied = await post({ kind: 'files', bak: [stripe, copy] });
    expect([copied.statusCode, copied.json().code, copied.json().field], copied.body).toEqual([400, 'FORMAT_INCOMPLETE_MEDIA_SET', 'bak.1']);
    expect(copied.json().message).toContain('are both stripe 1 of media set');
  });
});
