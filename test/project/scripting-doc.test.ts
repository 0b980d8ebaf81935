/**
 * docs/scripting.md's example is the script an incident responder copies: it must run as written
 * and tell a result that is not whole from a whole one by the exit code and the report. It is run
 * here with bash from a directory laid out as a checkout (`bin/` of this one, as the doc says to run
 * it from the checkout), over the real RestoreTimeClean backups, with TMPDIR set so that the
 * temporary directory it writes into (mktemp -d) is found. It wrote rows.ndjson and report.json into
 * the directory it was run from, the checkout. `npx` on PATH is a shim that acts as npx does: from
 * the checkout it runs bin/rowback.js, elsewhere it fails (the real one would fetch a package named
 * rowback from the registry).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describeCorpus } from '../support/corpus.js';
import { removeDocCheckouts, runDocBlock as runBlock } from '../support/doc-checkout.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(join(repo, 'docs', 'scripting.md'), 'utf8');
const block = /## Example[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
afterAll(removeDocCheckouts);

describeCorpus("docs/scripting.md's example", () => {
  it('runs as written: the chain with a log backup left out is NOT WHOLE, the reason printed from the report', () => {
    expect(block).toContain('rowback scan --bak $B/RestoreTimeClean.bak --trn $B/RestoreTimeClean_1.trn $B/RestoreTimeClean_3.trn');
    const r = runBlock(block);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('NOT WHOLE: 20 row(s) in rows.ndjson, and rows may be missing:');
    expect(lines[1]).toMatch(/^parts of the log are in no file given \(FORMAT_LOG_CHAIN_GAP\); rows in those LSN ranges are missing from this result \(LSNs 00000019:00000099:0001 up to 00000019:000000a3:0001, in no file given\): add the missing log backups with --trn/);
    expect(lines).toHaveLength(2);
    // nothing written into the checkout: the output is in the temporary directory, named on stderr
    expect(readdirSync(r.checkout)).toEqual(['bin']);
    expect(r.out).not.toBeNull();
    expect(r.stderr.startsWith(`results in ${r.out}\n`)).toBe(true);
    expect(readdirSync(r.out!).sort()).toEqual(['report.json', 'rows.ndjson']);
    expect(readFileSync(join(r.out!, 'rows.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(20);
    expect(doc).toContain('it writes nothing there: `rows.ndjson` and\n`report.json` go to a new temporary directory (`mktemp -d`');
    // what the doc says it prints
    expect(doc).toContain('It prints `NOT WHOLE: 20 row(s) in rows.ndjson, and rows may be missing:`');
  });

  it('with the missing log backup added: whole, 30 rows, as the doc says', () => {
    const r = runBlock(block.replace('$B/RestoreTimeClean_1.trn $B/RestoreTimeClean_3.trn', '$B/RestoreTimeClean_1.trn $B/RestoreTimeClean_2.trn $B/RestoreTimeClean_3.trn'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('whole: 30 row(s) in rows.ndjson\n');
    expect(readdirSync(r.checkout)).toEqual(['bin']);
    expect(doc).toMatch(/With `RestoreTimeClean_2\.trn` added to `--trn` it prints `whole: 30 row\(s\)\s+in rows\.ndjson`/);
  });

  it('a refused run goes to the failure branch with its code, not to "whole"', () => {
    const r = runBlock(block.replace('$B/RestoreTimeClean_3.trn', '$B/no-such-file.trn'));
    expect(r.stdout).toMatch(/^failed: exit 2 \(INPUT_[A-Z_]+\)\n$/);
    expect(readdirSync(r.checkout)).toEqual(['bin']);
  });
});
