import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A log backup whose only damage is in its closing blocks (FORMAT_BAD_MTF_TRAILER: every log record
 * read whole, its ESET's finish date unknown) is planned by `restore plan`, but the point-in-time
 * replay left it out as damaged (INPUT_RESTORE_CHAIN_BROKEN "… left out as damaged"). The replay
 * applies the same rule now (restore/history.ts isTrailerOnlyDamage), says the damage in a note, and
 * places a time after the backup started by its own commit times (its last commit 13:03:42.997).
 * The damaged copy is made at test time: RestoreTimeClean_1.trn with one bit of its ESET block
 * header flipped (offset 78848 + 20, test/backup/mtf-trailer.test.ts); never written to the repo.
 */
const cli = captureCli();
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
let dir: string;
let trn1: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-dump-trailer-'));
  const b = Buffer.from(readFileSync(R('RestoreTimeClean_1.trn')));
  b[78848 + 20] ^= 0x01;
  trn1 = join(dir, 'RestoreTimeClean_1.trn');
  writeFileSync(trn1, b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const dump = async (first: string, at: string) => {
  const out = join(dir, `d-${++n}.ndjson`);
  const r = await cli('dump', '--bak', R('RestoreTimeClean.bak'), '--trn', first, R('RestoreTimeClean_2.trn'), '--table', 'steps', '--stop-at', at, '--out', out);
  return { ...r, rows: r.code === 0 ? readFileSync(out, 'utf8') : '' };
};

describeCorpus('dump --trn over a log backup whose MTF trailer alone is damaged', () => {
  it.each([['before it started', '2017-06-01 13:03:00', 8], ['after it started, placed past its last commit', '2017-06-01 13:07:00', 16]])('%s: the rows of the intact chain, the damage in a note', async (_, at, rows) => {
    const ref = await dump(R('RestoreTimeClean_1.trn'), at);
    const r = await dump(trn1, at);
    expect(r.code).toBe(0);
    expect(r.rows).toBe(ref.rows);
    expect(r.rows.trim().split('\n').length).toBe(rows);
    expect(r.stderr).toContain(`rowback dump: note: ${trn1}: FORMAT_BAD_MTF_TRAILER: ESET descriptor block header checksum`);
  });
});
