import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyStats, explainNoRows } from '../../src/recover/committed.js';
import { readLdfLayout } from '../../src/logreader/ldf/reader.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

describe('empty results without a reason: explainNoRows', () => {
  // the span in the one form of rowback's sentences (log-local-time.ts logTimeText), written so by
  // the builder: it gave fn_dblog's form (the log's own, kept in the stats) and relied on each
  // outlet to rewrite it
  it('names the span and where every row operation went', () => {
    const s = { ...emptyStats(), firstBeginTime: '2024/01/02 10:00:00:000', lastBeginTime: '2024/01/02 11:00:00:000', rowOps: 1878, unknownAllocUnitRowOps: 1800, outsideWindowRowOps: 50, uncommittedRowOps: 28, rolledBackRowOps: 20 };
    expect(explainNoRows(s, ['delete'])).toBe(
      "the log's transactions began from 2024-01-02T10:00:00.000 to 2024-01-02T11:00:00.000; it holds 1,878 deletes on table data rows: 1,800 on allocation units the table metadata does not know (system tables, or tables missing from the metadata), 50 in transactions that began outside the window, 20 in transactions that rolled back, 8 in transactions with no commit in this log",
    );
  });
  it('a log with no row operations says so', () => {
    expect(explainNoRows(emptyStats(), ['insert', 'delete'])).toBe('the log holds no transaction begin (no Begin Time); it holds no row operations (insert/delete) on table data rows (heap or clustered index)');
  });
});

describeCorpus('empty results without a reason: real logs', () => {
  const C = (p: string) => corpusPath(p);
  it('NORTHWND: 0 rows, because every delete in its log is on system tables', async () => {
    const r = await cli('scan', '--mdf', C('SessionShoppingCart/App_Data/NORTHWND.MDF'), '--ldf', C('SessionShoppingCart/App_Data/NORTHWND_log.ldf'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    // said to be system tables, told by their allocation unit ids (it read "system tables, or tables
    // missing from the metadata", which sounds like user rows lost: newcomer trial)
    expect(r.stderr).toContain('why no rows: the log\'s transactions began from 2010-05-03T18:40:18.287 to 2010-05-03T22:38:02.780; it holds 1,426 deletes on table data rows: all on SQL Server\'s own system tables (allocation unit ids of object ids below 100: its catalog\'s rows, not user data)');
    // which units, and how to look at them: the most frequent one's deletes are there to list
    expect(r.stderr).toContain(': AllocUnitId 262144 ×309, 851968 ×309, 281474976907264 ×156, 281474979397632 ×128, 196608 ×112 and 14 more, listed by rowback log --alloc-unit ID\n');
    const l = await cli('log', C('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), '--alloc-unit', '262144', '--operation', 'LOP_DELETE_ROWS', '--format', 'csv', '--quiet');
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout.trimEnd().split('\n').slice(1).filter((x) => x.includes(',262144,'))).toHaveLength(309);
  });
  it('NORTHWND --report: counts.unknownAllocUnits holds the per-unit counts (a Map printed as {} before)', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'rowback-au-')), 'r.json');
    await cli('scan', '--mdf', C('SessionShoppingCart/App_Data/NORTHWND.MDF'), '--ldf', C('SessionShoppingCart/App_Data/NORTHWND_log.ldf'), '--report', report, '--quiet');
    const counts = JSON.parse(readFileSync(report, 'utf8')).counts;
    expect(counts.unknownAllocUnitRowOps).toBe(1426);
    const units = counts.unknownAllocUnits as Record<string, number>;
    expect(units['262144']).toBe(309);
    expect(Object.values(units).reduce((a, b) => a + b, 0)).toBe(1426);
  });
  it('AngularJs_CRUD with a window after the log: 0 rows, its 16 deletes outside the window', async () => {
    const r = await cli('scan', '--mdf', C('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', C('AngularJs_CRUD/App_Data/Database1_log.ldf'), '--from', '2030-01-01');
    expect(r.stderr).toContain('it holds 16 deletes on table data rows: 16 in transactions that began outside the window');
  });
  it('a cut log (SYNTHETIC truncation of a copy at a VLF boundary): the summary and the report say the result is incomplete', async () => {
    const real = C('AngularJs_CRUD/App_Data/Database1_log.ldf');
    const dir = mkdtempSync(join(tmpdir(), 'rowback-inc-'));
    const copy = join(dir, 'Database1_log.ldf');
    copyFileSync(real, copy);
    truncateSync(copy, (await readLdfLayout(real)).vlfs[2].offset);
    const report = join(dir, 'report.json');
    const r = await cli('scan', '--mdf', C('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', copy, '--report', report);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('INCOMPLETE: parts of the log could not be read (FORMAT_LOG_FILE_CUT)');
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.complete).toBe(false);
    expect(j.skipped.map((s: { code: string }) => s.code)).toContain('FORMAT_LOG_FILE_CUT');
    const whole = await cli('scan', '--mdf', C('AngularJs_CRUD/App_Data/Database1.mdf'), '--ldf', real, '--report', report);
    expect(whole.stderr).not.toContain('INCOMPLETE');
    expect(JSON.parse(readFileSync(report, 'utf8')).complete).toBe(true);
  });
});

describeCorpus('real backups are complete: no false FORMAT_LOG_STREAM_* on healthy files', () => {
  it.each([
    'FinancialCrm/FinancialCrmDb/FinancialCrmDb202501190233.bak',
    'pubs-2012/pubs.bak',
    'TSQLV4-compressed/TSQLV4.bak',
    'appveyor-lab/RestoreTimeClean/RestoreTimeClean.bak',
    'appveyor-lab/sql2008-backups/StopAt/StopAt.bak',
  ])('%s', async (f) => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-complete-'));
    const report = join(dir, 'r.json');
    const r = await cli('scan', '--bak', corpusPath(f), '--report', report, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.skipped.filter((s: { code: string }) => s.code.startsWith('FORMAT_LOG'))).toEqual([]);
    expect(j.complete).toBe(true);
  });
});

describeCorpus('why no rows, when part of the log was lost', () => {
  it('StopAt_2.trn with its last log block damaged (SYNTHETIC, XOR 0x5a over 40 bytes at 12300): "it holds no deletes" is said of the log read only', async () => {
    // it said "it holds no deletes on table data rows" as of the whole log, the lost block unsaid there
    const S = (f: string) => corpusPath('appveyor-lab', 'sql2008-backups', 'StopAt', f);
    const dir = mkdtempSync(join(tmpdir(), 'rowback-norows-lost-'));
    const b = Buffer.from(readFileSync(S('StopAt_2.trn')));
    for (let i = 12300; i < 12340; i++) b[i] = b[i]! ^ 0x5a;
    writeFileSync(join(dir, 'X.trn'), b);
    const r = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), join(dir, 'X.trn'), '--out', join(dir, 'rows.ndjson'));
    expect(r.stderr).toMatch(/^rowback scan: why no rows: [^\n]*it holds no deletes on table data rows \(heap or clustered index\); that is of the log read only: parts of the log could not be read \(FORMAT_BAD_LOG_BLOCK, FORMAT_LOG_STREAM_SHORT\), and what those parts held is not known \(INCOMPLETE below\)$/m);
    expect(r.stderr).toMatch(/^rowback scan: INCOMPLETE: /m);
    // the whole file: no such clause
    const whole = await cli('scan', '--bak', S('StopAt.bak'), '--trn', S('StopAt_1.trn'), S('StopAt_2.trn'), '--out', join(dir, 'rows2.ndjson'));
    expect(whole.stderr).toContain('why no rows: ');
    expect(whole.stderr).not.toContain('of the log read only');
  });
});
