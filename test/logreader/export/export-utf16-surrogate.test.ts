/**
 * An export file in UTF-16LE (sqlcmd -u, as sql/export-log-records.sql says to write it) was decoded
 * with TextDecoder('utf-16le'), which writes U+FFFD for an unpaired surrogate: a transaction name
 * cut at 32 characters inside a surrogate pair (or a login holding one) came out as U+FFFD in every
 * output (NDJSON too), unsaid; the reader's other copy (export-file.ts `own`) had just been made to
 * keep it. Now decoded code unit by code unit, a pair split between chunks joined again.
 * REAL records (AngularJs_CRUD's log, transaction 0000:00000437); SYNTHETIC: its name rewritten to
 * end in a lone high surrogate, and the file written as UTF-16LE with its BOM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { angularJsExportRecords } from '../../support/log-export-records.js';
import { captureCli } from '../../support/cli.js';
import { describeCorpus } from '../../support/corpus.js';
import { catalogRows } from '../../support/employee-catalog.js';
import { Utf16leDecoder } from '../../../src/logreader/export/export-stream.js';

describe('Utf16leDecoder', () => {
  it('keeps unpaired surrogates and joins what chunks split (an odd byte, a pair)', () => {
    const text = 'ab\ud83d\ude00c\ud83dd\ude00';
    const bytes = Buffer.from(text, 'utf16le');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new Utf16leDecoder();
      expect(d.decode(bytes.subarray(0, cut), { stream: true }) + d.decode(bytes.subarray(cut), { stream: true }) + d.decode()).toBe(text);
    }
  });
});

const cli = captureCli();
let dir: string;
describeCorpus('scan --export of a UTF-16LE file: an unpaired surrogate in a transaction name is kept', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-export-utf16-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('CSV export (UTF-16LE): the name is kept too (csv-parse read its text as UTF-8)', async () => {
    const records = (await angularJsExportRecords(cli)).filter((r) => r['Transaction ID'] === '0000:00000437');
    records.find((r) => r.Operation === 'LOP_BEGIN_XACT')!['Transaction Name'] = 'user_\ud83d\ufdd0\ue001';
    const catalog = catalogRows() as Record<string, unknown>[];
    const q = (v: unknown) => (v === null || v === undefined ? '' : `"${String(typeof v === 'boolean' ? (v ? 1 : 0) : v).replace(/"/g, '""')}"`);
    const cols = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const ccols = Object.keys(catalog[0]!);
    const text = `#rowback-export,1,csv\n#meta\n"key","value"\n"database","Database1"\n#records\n${cols.map(q).join(',')}\n` +
      records.map((r) => cols.map((c) => q(r[c])).join(',')).join('\n') + `\n#catalog\n${ccols.map(q).join(',')}\n${catalog.map((c) => ccols.map((k) => q(c[k])).join(',')).join('\n')}\n`;
    const f = join(dir, 'utf16.csv');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = await cli('scan', '--export', f, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout.trim()) as { transactionName: string }).transactionName).toBe('user_\ud83d\ufdd0\ue001');
  });

  it('NDJSON prints the name the log holds', async () => {
    const records = (await angularJsExportRecords(cli)).filter((r) => r['Transaction ID'] === '0000:00000437');
    const begin = records.find((r) => r.Operation === 'LOP_BEGIN_XACT')!;
    begin['Transaction Name'] = 'user_\ud83d';
    // JSON.stringify escapes the lone unit (\ud83d); sqlcmd writes it raw
    const json = JSON.stringify({ format: 'rowback-export', version: 1, database: 'Database1', catalog: catalogRows(), records }).replace(/\\ud83d/g, '\ud83d');
    const f = join(dir, 'utf16.json');
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    const r = await cli('scan', '--export', f, '--op', 'delete', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout.trim()) as { transactionName: string }).transactionName).toBe('user_\ud83d');
  });
});
