import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skippedLines } from '../../src/cli/skipped-lines.js';
import type { SkippedItem } from '../../src/recover/source.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const run = captureCli();

// SYNTHETIC items (texts typed here): how the summary's lines group them.
const missing = (page: string, file = 'x.mdf'): SkippedItem => ({ code: 'FORMAT_PAGE_MISSING', reason: `data file ${file} does not hold page ${page}: the file is cut short`, location: { page } });

describe('skippedLines (SYNTHETIC items)', () => {
  it.each([
    ['one item', [missing('1:7')], ['  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 1:7: the file is cut short (page 1:7)']],
    ['consecutive pages of one file, same reason: one line', [missing('1:7'), missing('1:8'), missing('1:9')], ['  FORMAT_PAGE_MISSING: data file x.mdf does not hold pages 1:7 to 1:9 (3 pages): the file is cut short (page 1:7 to 1:9)']],
    ['a gap starts a new line', [missing('1:7'), missing('1:9')], ['  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 1:7: the file is cut short (page 1:7)', '  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 1:9: the file is cut short (page 1:9)']],
    ['another file id is not the next page', [missing('1:7'), missing('2:8')], ['  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 1:7: the file is cut short (page 1:7)', '  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 2:8: the file is cut short (page 2:8)']],
    ['another reason is not grouped', [missing('1:7'), missing('1:8', 'y.mdf')], ['  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 1:7: the file is cut short (page 1:7)', '  FORMAT_PAGE_MISSING: data file y.mdf does not hold page 1:8: the file is cut short (page 1:8)']],
    ['items without a page stay one per line', [{ code: 'FORMAT_BAD_LOG_BLOCK', reason: 'bad', location: { file: 'a.ldf', offset: 512, lsn: undefined } } as SkippedItem], ['  FORMAT_BAD_LOG_BLOCK: bad (file a.ldf, offset 512)']],
  ] as const)('%s', (_name, items, lines) => {
    expect(skippedLines(items as unknown as SkippedItem[])).toEqual(lines);
  });

  it('without the place (inspect), a run whose reason does not name its page still says its pages and count', () => {
    const bare = (page: string): SkippedItem => ({ code: 'FORMAT_BAD_PAGE', reason: 'the page header is damaged', location: { page } });
    expect(skippedLines([bare('1:7'), bare('1:8'), bare('1:9')], 40, '', false)).toEqual(['  FORMAT_BAD_PAGE: the page header is damaged (page 1:7 to 1:9, 3 pages)']);
    expect(skippedLines([missing('1:7'), missing('1:8')], 40, '', false)).toEqual(['  FORMAT_PAGE_MISSING: data file x.mdf does not hold pages 1:7 to 1:8 (2 pages): the file is cut short']);
  });

  it('an LSN named as one-line errors name it: (file F, LSN L), not (file F, lsn L)', () => {
    const gap: SkippedItem = { code: 'FORMAT_LOG_CHAIN_GAP', reason: 'log backups do not chain', location: { file: 'b.trn', lsn: '00000019:000000a3:0001' } };
    expect(skippedLines([gap])).toEqual(['  FORMAT_LOG_CHAIN_GAP: log backups do not chain (file b.trn, LSN 00000019:000000a3:0001)']);
  });

  it('a table and a column named as one name each, as one-line errors name them (Order Details: NORTHWND\'s, SYNTHETIC item)', () => {
    // it wrote `(page 1:148, table dbo.Order Details, column Unit Price)`: where a name ends was not said
    const bad: SkippedItem = { code: 'DECODE_BAD_VALUE', reason: 'x', location: { page: '1:148', table: 'dbo.Order Details', column: 'Unit Price' } };
    expect(skippedLines([bad])).toEqual(['  DECODE_BAD_VALUE: x (page 1:148, table dbo.[Order Details], column [Unit Price])']);
    // rows logged after one change of a table's columns: the table of `and N more row(s) of T` too
    const drift = (lsn: string): SkippedItem => ({ code: 'SOURCE_SCHEMA_DRIFT', reason: 'changed', location: { lsn, table: 'dbo.Order Details' }, layoutChange: { lsn: '00000019:00000001:0001', transactionId: '0000:00000001', endTime: null } });
    expect(skippedLines([drift('00000019:00000002:0001'), drift('00000019:00000003:0001')])).toEqual([
      '  SOURCE_SCHEMA_DRIFT: changed (LSN 00000019:00000002:0001, table dbo.[Order Details]); and 1 more row(s) of dbo.[Order Details] logged after that change, up to LSN 00000019:00000003:0001, each a skipped item of its own',
    ]);
  });

  it('at most `limit` lines, then how many items are left', () => {
    const items = [missing('1:1'), missing('1:2'), missing('1:4'), missing('1:6'), missing('1:7')];
    expect(skippedLines(items, 2, ' (use --report FILE for all)')).toEqual([
      '  FORMAT_PAGE_MISSING: data file x.mdf does not hold pages 1:1 to 1:2 (2 pages): the file is cut short (page 1:1 to 1:2)',
      '  FORMAT_PAGE_MISSING: data file x.mdf does not hold page 1:4: the file is cut short (page 1:4)',
      '  … 2 more (use --report FILE for all)',
    ]);
  });
});

/**
 * The corpus's AngularJs_CRUD Database1.mdf cut at 1,500,000 bytes: its IAMs list 26 pages the file
 * no longer holds, and stderr listed them one per line, 20 of them, and "… 16 more" hid the chain
 * break of sys.sysschobjs. Runs of pages are one line now, and every item fits.
 */
describeCorpus('dump of a data file cut short: missing pages one line per run', () => {
  it('names each run of pages once and lists every item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cut-lines-'));
    try {
      const mdf = join(dir, 'Database1_cut.mdf');
      writeFileSync(mdf, readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')).subarray(0, 1_500_000));
      const r = await run('dump', '--mdf', mdf, '--all', '--format', 'ndjson');
      expect(r.stderr).toMatch(/^rowback dump: 36 item\(s\) skipped: FORMAT_PAGE_MISSING ×30, FORMAT_BROKEN_CHAIN ×4, FORMAT_BROKEN_IAM ×2$/m);
      expect(r.stderr).toMatch(/^ {2}FORMAT_PAGE_MISSING: data file \S+ does not hold pages 1:184 to 1:191 \(8 pages\): the file is cut short: .* \(page 1:184 to 1:191, file \S+\)$/m);
      expect(r.stderr).toMatch(/^ {2}FORMAT_BROKEN_CHAIN: page 1:184 is missing or damaged; reading the rest of sys\.sysschobjs from its IAM chain/m);
      expect(r.stderr).not.toMatch(/does not hold page 1:185\b/);
      expect(r.stderr).not.toMatch(/… \d+ more/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `inspect` printed every missing page of a cut data file on a line of its own (the same Database1.mdf
 * cut at 1,572,864 bytes: 18 lines, 14 of them one run of the same cause); it groups them as dump
 * and scan do, its reasons without the `(where)` they already name.
 */
describeCorpus('inspect of a data file cut short: missing pages one line per run', () => {
  it('names each run of pages once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-cut-inspect-'));
    try {
      const mdf = join(dir, 'Database1_cut.mdf');
      writeFileSync(mdf, readFileSync(corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf')).subarray(0, 1_572_864));
      const r = await run('inspect', mdf);
      expect(r.stdout).toMatch(/^skipped: FORMAT_PAGE_MISSING: data file \S+ does not hold pages 1:208 to 1:215 \(8 pages\): the file is cut short: [^\n]*--bak\)$/m);
      expect(r.stdout).toMatch(/^skipped: FORMAT_PAGE_MISSING: data file \S+ does not hold pages 1:240 to 1:245 \(6 pages\): /m);
      expect(r.stdout).not.toMatch(/does not hold page 1:209\b/);
      expect(r.stdout).toMatch(/^skipped: FORMAT_BROKEN_CHAIN: page 1:208 is missing or damaged; reading the rest of sys\.sysschobjs from its IAM chain \(1:117\)$/m);
      // every other line the same as before: the binding id, the tables
      expect(r.stdout).toMatch(/^binding id +97C13D95-088B-43ED-85E5-F9F10FED2D16$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
