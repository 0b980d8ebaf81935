/**
 * `rowback inspect FILE`'s text form is one `field  value` line each: a path holding a line break
 * printed a line of its own, one that reads as a field. A REAL full backup (pubs-2012 pubs.bak)
 * linked under the name `x<LF>kind  backup (log, HEADERONLY BackupType 2)<LF>.bak` printed a `kind`
 * line saying log before the real one (full): a script reading `^kind` took the full backup for a
 * log backup. Each line is one line now (`\u{a}`); `--format json` keeps the path as it is.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { suiteTempDir } from '../support/temp-dir.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const tempDir = suiteTempDir('rowback-inspect-one-line-');

describeCorpus('inspect text: every line one line', () => {
  it('a path forging a `kind` line: one kind line, the real one; the path on its one line, escaped; JSON raw', async () => {
    if (process.platform === 'win32') return;
    const forged = 'kind                     backup (log, HEADERONLY BackupType 2)';
    const link = join(tempDir(), `x\n${forged}\n.bak`);
    symlinkSync(corpusPath('pubs-2012', 'pubs.bak'), link);
    const r = await cli('inspect', link);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${tempDir()}/x\\u{a}${forged}\\u{a}.bak`);
    expect(lines.filter((l) => l.startsWith('kind '))).toEqual(['kind                     backup (full, HEADERONLY BackupType 1)']);
    const json = await cli('inspect', link, '--format', 'json');
    expect(JSON.parse(json.stdout).file).toBe(link);
  });
});
