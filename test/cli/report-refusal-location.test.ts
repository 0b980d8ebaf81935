import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { refusalOf } from '../../src/cli/failed-report.js';
import { InputError } from '../../src/errors.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A refused run's `--report` names where, as its one stderr line does: `failed.location` (file, byte
 * offset, …). The report of a dump refused for a damaged compressed backup had `failed: { code,
 * message }` only, the file and offset of the damage on stderr alone, so a script reading the report
 * could not say where. REAL TSQLV4-compressed/TSQLV4.bak; its SYNTHETIC damaged copy (one bit flipped
 * at file offset 300,000, inside a compressed chunk) is written to a temp dir at test time.
 */
const cli = captureCli();

describeCorpus('a refused run: the report says where, as stderr does', () => {
  it('dump of a compressed backup with a chunk failing its check value: failed.location is the file and offset the stderr line names', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rowback-refusal-location-'));
    const bak = join(d, 'TSQLV4-damaged.bak');
    const bytes = Buffer.from(readFileSync(corpusPath('TSQLV4-compressed', 'TSQLV4.bak')));
    bytes[300_000] ^= 0x04;
    writeFileSync(bak, bytes);
    const report = join(d, 'r.json');
    const r = await cli('dump', '--bak', bak, '--all', '--out', join(d, 'rows.ndjson'), '--report', report);
    expect(r.code).toBe(2);
    const line = /^rowback: FORMAT_BAD_COMPRESSED_DATA: .* \(file (.+), offset (\d+)\)\n$/.exec(r.stderr);
    expect(line, r.stderr).not.toBeNull();
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j).toMatchObject({ complete: false, incomplete: [], failed: { code: 'FORMAT_BAD_COMPRESSED_DATA' } });
    expect(j.failed.location).toEqual({ file: line![1], offset: Number(line![2]) });
    expect(j.failed.location).toEqual({ file: bak, offset: 280_335 });
  });

  it('(a refusal naming a table: its location too; one naming nothing: failed is { code, message })', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rowback-refusal-location-'));
    const report = join(d, 'r.json');
    const pubs = corpusPath('pubs-2012', 'pubs.bak');
    await cli('dump', '--bak', pubs, '--table', 'dbo.Nope', '--out', join(d, 'rows.ndjson'), '--report', report);
    expect(JSON.parse(readFileSync(report, 'utf8')).failed.location).toEqual({ table: 'dbo.Nope', file: pubs });
    expect(refusalOf(new InputError('INPUT_X', 'm'))).toEqual({ code: 'INPUT_X', message: 'm' });
    expect(refusalOf(new InputError('INPUT_X', 'm', { lsn: undefined }))).toEqual({ code: 'INPUT_X', message: 'm' });
  });
});
