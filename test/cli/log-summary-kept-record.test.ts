/**
 * `log`'s summary beside INCOMPLETE said "their records are neither printed nor counted"; a damaged
 * record the ldf reader keeps without its RowLog Contents ("kept without RowLog Contents") is
 * printed and counted. The summary says only what is true of both kinds: records lost are in neither
 * number. A copy of the corpus's NORTHWND_log.ldf with 64 bytes overwritten at two places (one record
 * lost, one kept without contents).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describeCorpus('log summary with a record kept without its contents', () => {
  it('does not say the damaged records are neither printed nor counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-kept-'));
    const ldf = join(dir, 'nw.ldf');
    copyFileSync(corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf'), ldf);
    const fd = openSync(ldf, 'r+');
    for (const at of [200000, 400000]) writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, at);
    closeSync(fd);
    const out = join(dir, 'l.ndjson');
    const stderr = await new Promise<string>((res) => execFile(process.execPath, [join(repo, 'bin', 'rowback.js'), 'log', ldf, '--out', out], { env: { ...process.env, ROWBACK_DEV: '1' } }, (_e, _o, e) => res(e)));
    expect(stderr).toMatch(/kept without RowLog Contents/);
    const kept = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r['RowLog Contents 0'] === null && r.Operation === 'LOP_INSERT_ROWS');
    expect(kept.length).toBeGreaterThan(0); // printed, and so counted
    expect(stderr).not.toMatch(/neither printed nor counted/);
    expect(stderr).toMatch(/^rowback log: \d+ of \d+ record\(s\) printed, counting only the log read: parts of the log could not be read \(FORMAT_BAD_LOG_RECORD\); records lost there are in neither number \(INCOMPLETE below\)$/m);
  }, 60_000);
});
