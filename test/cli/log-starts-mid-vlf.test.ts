import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLdfRecordBatches } from '../../src/logreader/ldf/reader.js';
import { captureCli } from '../support/cli.js';
import { CONTACT_AU, contactRow } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';

/**
 * An .ldf whose log starts inside its oldest VLF (a restored database's: the head never written)
 * is no loss (LOG_STARTS_MID_VLF, docs/offline-log.md): scan says it as a note. `log` and
 * `inspect` listed it as "skipped" ("rowback log: 1 item(s) skipped: LOG_STARTS_MID_VLF …",
 * "skipped: LOG_STARTS_MID_VLF: …"), which reads as log passed over; now a note there too.
 * SYNTHETIC .ldf (vlfLayout: the log wrapped, the oldest VLF 86 second in the file, its head zeroed).
 */
const VLF = 256 * 1024;
const cli = captureCli();
let dir: string;
let ldf: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-mid-vlf-'));
  ldf = join(dir, 'restored_log.ldf');
  writeSyntheticLdf(ldf, { targetBytes: Infinity, row: contactRow, rollbackShare: 0.2, concurrency: 5, finishAtEnd: true }, { allocUnitId: CONTACT_AU, vlfSize: VLF, vlfLayout: [{ seq: 88, parity: 0x80 }, { seq: 86 }, { seq: 87 }, { seq: 0 }] });
  const vlf86 = 8192 + VLF;
  const blocks: number[] = [];
  for await (const b of readLdfRecordBatches(ldf)) if (b.offset! >= vlf86 && b.offset! < vlf86 + VLF) blocks.push(b.offset!);
  const fd = openSync(ldf, 'r+');
  writeSync(fd, Buffer.alloc(blocks[3] - vlf86 - 0x2000), 0, blocks[3] - vlf86 - 0x2000, vlf86 + 0x2000);
  closeSync(fd);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LOG_STARTS_MID_VLF in log and inspect', () => {
  it('scan --quiet --report: the note is in the report (it was only on stderr, which --quiet silences)', async () => {
    const report = join(dir, 'report.json');
    const ddl = join(dir, 'contact.sql');
    writeFileSync(ddl, 'CREATE TABLE dbo.Contact (ContactId int NULL, Name nvarchar(100) NULL, Email varchar(100) NULL, Balance decimal(18,2) NULL);\n');
    const r = await cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--report', report);
    expect(r.code).toBe(0);
    // said with --quiet: the rows of transactions that also inserted rows carry a warning
    expect(r.stderr).toMatch(/^rowback scan: \d+ of the \d+ row\(s\) carry warnings \(each in its "warnings"\): [^\n]*\n$/);
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; notes: string[]; incomplete: string[] };
    expect(rep.complete).toBe(true);
    expect(rep.incomplete).toEqual([]);
    // and the --ddl's note of the collation assumed, as stderr says it without --quiet (scan-report-notes.test.ts)
    expect(rep.notes).toEqual([
      expect.stringMatching(/: the log this file holds starts at LSN 00000056:[0-9a-f]{8}:0001, inside its oldest VLF/),
      expect.stringMatching(/^--ddl: 1 char\/varchar\/text column\(s\) without COLLATE \(dbo\.Contact\.Email\)/),
    ]);
  });

  it('log: a note, no item skipped, not INCOMPLETE', async () => {
    const r = await cli('log', ldf, '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rowback log: note: the log this file holds starts at LSN 00000056:[0-9a-f]{8}:0001, inside its oldest VLF/m);
    // its sequence in hex, as in the LSN beside it (it was decimal: 'sequence 86')
    expect(r.stderr).toMatch(/inside its oldest VLF \(sequence 0x56\)/);
    expect(r.stderr).not.toContain('skipped');
    expect(r.stderr).not.toContain('INCOMPLETE');
    // log --quiet --report: the note in the report, complete, incomplete [] (as scan's above)
    const report = join(dir, 'log-report.json');
    const q = await cli('log', ldf, '--format', 'ndjson', '--quiet', '--report', report);
    expect(q.stderr).toBe('');
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; notes: string[]; incomplete: string[] };
    expect(rep.complete).toBe(true);
    expect(rep.incomplete).toEqual([]);
    expect(rep.notes).toEqual(r.stderr.split('\n').filter((l) => l.startsWith('rowback log: note: ')).map((l) => l.slice('rowback log: note: '.length)));
  });

  it('inspect: a note, not "skipped"', async () => {
    const r = await cli('inspect', ldf);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^note: LOG_STARTS_MID_VLF: the log this file holds starts at LSN 00000056:/m);
    expect(r.stdout).not.toMatch(/^skipped:/m);
  });
});
