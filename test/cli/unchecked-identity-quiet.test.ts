/**
 * A log file whose page 0 is damaged has no readable binding id, so the check that it belongs to the
 * data file's database is skipped (not refused: it may well belong). `scan` said so in a note that
 * --quiet dropped, and `log` never said it, even while labelling its records with the data file's
 * table names: a quiet script took rows whose database nobody had checked. Said now by both, with
 * --quiet too. The damaged log is a MODIFIED copy of the corpus's Database1_log.ldf written to a
 * temp dir: one bit flipped inside page 0 (its page checksum then fails; the VLFs after it are intact).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
let dir: string;
let ldf: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-unchecked-id-'));
  const b = Buffer.from(readFileSync(A('Database1_log.ldf')));
  b[4000] ^= 0x01;
  ldf = join(dir, 'Database1_log.ldf');
  writeFileSync(ldf, b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOTE = 'its binding id could not be read (damaged page 0), so rowback could not check that it belongs to the same database as the other files';

describeCorpus('a file whose database could not be checked is said even with --quiet', () => {
  it('scan --quiet: the rows and the note', async () => {
    const r = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', ldf, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
    expect(r.stderr).toContain(`rowback scan: note: ${ldf}: ${NOTE}`);
  });

  it('log --mdf: the note, with and without --quiet', async () => {
    for (const quiet of [[], ['--quiet']]) {
      const r = await cli('log', ldf, '--mdf', A('Database1.mdf'), ...quiet);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`rowback log: note: ${ldf}: ${NOTE}`);
    }
    // one file alone is checked against nothing: no note
    expect((await cli('log', ldf, '--quiet')).stderr).not.toContain(NOTE);
  });
});
