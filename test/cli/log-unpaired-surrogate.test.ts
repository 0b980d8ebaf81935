import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

/**
 * `rowback log --format csv` / `--format table`: a transaction name holding an unpaired UTF-16
 * surrogate (nvarchar(32) cut between the halves of a pair) was written U+FFFD, as UTF-8 has no form
 * for it, and nothing said so: the record read as if the log held U+FFFD. scan's CSV names such
 * cells and counts them (scan-csv-unpaired-surrogate.test.ts); log now says it on stderr, naming
 * the records by LSN and the column (even with --quiet), and exits 3 with --strict; the table format
 * (for a person) writes it `\u{d83d}` as every one-line text does. NDJSON keeps
 * the unit (JSON escapes it) and says nothing. SYNTHETIC .ldf (synthetic-log.ts): transaction 1
 * named `DEL` + U+D83D, the others DELETE.
 */
const cli = captureCli();
let dir: string;
let ldf: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-log-surrogate-'));
  ldf = join(dir, 'crm_log.ldf');
  writeSyntheticLdf(ldf, { targetBytes: 1_000_000, row: contactRow, rollbackShare: 0, concurrency: 1, finishAtEnd: true, transactionName: (t) => (t === 1 ? 'DEL\ud83d' : 'DELETE') }, { allocUnitId: CONTACT_AU, vlfSize: 256 * 1024 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log: text its csv/table output cannot carry', () => {
  it('csv: the cell is U+FFFD and stderr names the record by LSN and column; --strict exits 3', async () => {
    const r = await cli('log', ldf, '--operation', 'LOP_BEGIN_XACT', '--format', 'csv', '--quiet', '--strict');
    expect(r.code, r.stderr).toBe(3);
    const recs = parse(r.stdout.replace(/[\ud800-\udfff]/g, '\ufffd'), { columns: true }) as Record<string, string>[];
    const named = recs.filter((x) => x['Transaction Name'] !== 'DELETE');
    expect(named).toHaveLength(1);
    const lsn = named[0]!['Current LSN'];
    expect(r.stderr).toContain(`rowback log: WARNING: 1 record(s) hold text this CSV output (UTF-8) cannot carry, an unpaired UTF-16 surrogate: written U+FFFD there, not the text the log holds (--format ndjson keeps it): LSN ${lsn} Transaction Name (U+D83D at offset 3)`);
  });

  it('table: the cell writes the unit as \\u{d83d}, as every one-line text does (no U+FFFD, so no WARNING; --strict exits 0)', async () => {
    // before: the cell showed U+FFFD and stderr said so (the WARNING the csv case keeps)
    const r = await cli('log', ldf, '--operation', 'LOP_BEGIN_XACT', '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\ud800-\udfff\ufffd]/);
    expect(r.stdout.split('\n').filter((l) => l.includes('DEL\\u{d83d}'))).toHaveLength(1);
    expect(r.stderr).not.toContain('cannot carry');
  });

  it("--strict's help names the csv output alone as the one that cannot carry it", async () => {
    // before: 'the csv/table output', though the table format writes \u{d83d} and exits 0 (above)
    const help = (await cli('log', '--help')).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('printed records hold text the csv output cannot carry (an unpaired surrogate)');
    expect(help).not.toContain('csv/table');
  });

  it('ndjson keeps the unit and says nothing', async () => {
    const r = await cli('log', ldf, '--operation', 'LOP_BEGIN_XACT', '--format', 'ndjson', '--strict');
    expect(r.code, r.stderr).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { 'Transaction Name': string })['Transaction Name']);
    expect(names).toContain('DEL\ud83d');
    expect(r.stderr).not.toContain('cannot carry');
  });
});
