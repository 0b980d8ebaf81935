/**
 * A CSV export cut inside its last section. sql/export-log-records.sql writes the sections #meta,
 * #records, #catalog one after another; a file cut inside #records lost its #catalog section and was
 * refused, but one cut at a line end inside #catalog read as whole: the last catalog rows (the last
 * tables' columns) were missing unsaid. Version 2 of the export closes the file with a #end section
 * holding the number of record and catalog rows the script wrote, and the reader refuses a version 2
 * file whose #end is missing or disagrees with what it read. Version 1 files (no #end) are still read,
 * with a note, said even with --quiet, that a cut in their last section cannot be detected.
 *
 * Everything here is SYNTHETIC: hand-built records, row images and catalog rows shaped like what the
 * script writes, not bytes from a server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExportText } from '../../../src/logreader/export/export-file.js';
import { ExportSource } from '../../../src/recover/sources/export.js';
import { captureCli } from '../../support/cli.js';
import { customersCatalog, exportRecord, ROW_ADA, CUSTOMERS_AU, csvSectionLines } from '../../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-trailer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fileWith = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const RECORDS = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', Login: 'CORP\\batchjob', SPID: 61 }),
  // a transaction name holding a line break: one record over two lines (counted once)
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA, Description: 'two\nlines' }),
  exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
// dbo.Customers' two columns, then a third table's rows: the last section holds several tables
const CATALOG = [
  ...customersCatalog(),
  ...customersCatalog().map((r) => ({ ...r, table_name: 'Contacts', object_id: 917578307, partition_id: '72057594042449920', in_row_alloc_unit_id: '72057594043301888' })),
];


/** The CSV form as the script writes it, version `version` (2: with its #end section), lines joined by `eol`. */
function csvExport(version: 1 | 2, eol = '\r\n', o: { records?: number; catalog?: number } = {}): string {
  const lines = [
    `#rowback-export,${version},csv`,
    '#meta',
    '"key","value"',
    '"server","SQL01"',
    '"database","CRM"',
    '"serverTimeZone","+08:00"',
    '"window.from","2024/03/05 14:00:00:000"',
    '"window.to","2024/03/05 14:59:59:999"',
    '"operations","delete"',
    ...(version === 2 ? ['"logRead.firstLsn","0000002a:000001f0:0001"', '"logRead.firstBeginTime","2024/03/05 14:07:09:123"'] : []),
    '#records',
    ...csvSectionLines(RECORDS),
    '#catalog',
    ...csvSectionLines(CATALOG),
    ...(version === 2 ? ['#end', '"records","catalog"', `"${o.records ?? RECORDS.length}","${o.catalog ?? CATALOG.length}"`] : []),
  ];
  return lines.join(eol) + eol;
}

/** Every cut of `text` at a line end after line `from` (1-based), with the number of lines kept. */
function cutsAtLineEnds(text: string, from: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) {
    n++;
    if (n >= from) out.push([n, text.slice(0, i + 1)]);
  }
  return out;
}

describe('CSV export version 2: the #end section', () => {
  it('reads a whole version 2 file (the #end counts agree; a record over two lines counts once)', async () => {
    const f = await parseExportText(csvExport(2), 'whole.csv');
    expect(f.records).toHaveLength(3);
    expect(f.catalog).toHaveLength(4);
  });

  it('refuses a version 2 file cut at any line end inside #catalog or #end, naming the file and the line (read as whole before)', async () => {
    const text = csvExport(2);
    const catalogLine = text.split('\n').findIndex((l) => l.startsWith('#catalog')) + 1;
    const cuts = cutsAtLineEnds(text, catalogLine);
    expect(cuts.length).toBe(CATALOG.length + 1 + 3);
    for (const [kept, cut] of cuts) {
      let err: unknown;
      try {
        await parseExportText(cut, 'cut.csv');
      } catch (e) {
        err = e;
      }
      expect(err, `cut after line ${kept}`).toMatchObject({ code: 'INPUT_BAD_EXPORT', location: { file: 'cut.csv', line: kept } });
      expect((err as Error).message, `cut after line ${kept}`).toMatch(/cut short/);
      expect((err as Error).message).toMatch(/export again/);
    }
  });

  it('refuses a version 2 file whose #end counts disagree with the rows read (a catalog row lost in the middle)', async () => {
    const lines = csvExport(2, '\n').split('\n');
    const i = lines.findIndex((l) => l.startsWith('#catalog')) + 2;
    const lost = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
    const endRow = lost.split('\n').findIndex((l) => l.startsWith('"3","4"')) + 1;
    await expect(parseExportText(lost, 'lost.csv')).rejects.toMatchObject({
      code: 'INPUT_BAD_EXPORT',
      message: expect.stringMatching(/^section #end, line \d+: .*wrote 3 record row\(s\) and 4 catalog row\(s\), the file holds 3 and 3/),
      location: { file: 'lost.csv', line: endRow },
    });
    // so is a record row lost
    await expect(parseExportText(csvExport(2, '\n', { records: 4 }), 'rec.csv')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/holds 3 and 4/) });
  });

  it('refuses a section after #end', async () => {
    await expect(parseExportText(csvExport(2, '\n') + '#notes\n"a"\n', 'after.csv')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/after its #end section/) });
  });
});

describe('CSV export version 1 (no #end): read, with a note that a cut in #catalog cannot be detected', () => {
  it('reads it, and the source says so, even with --quiet', async () => {
    const file = fileWith('v1.csv', csvExport(1));
    const src = new ExportSource(file);
    await src.metadata();
    const note = src.loudNotes.find((n) => n.includes('version 1'));
    expect(note).toMatch(/cannot be detected/);
    expect(note).toContain(file);
    expect(src.notes).toContain(note);
    const r = await cli('scan', '--export', file, '--quiet', '--format', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback scan: note: ${note}`);
  });

  it('a version 2 file says nothing of the kind', async () => {
    const src = new ExportSource(fileWith('v2.csv', csvExport(2)));
    await src.metadata();
    expect(src.notes.join('\n')).not.toMatch(/version 1|cannot be detected/);
  });
});

describe('JSON exports: a cut one never reads as whole', () => {
  it('refuses a JSON export cut at any line end of its wrapped value (sqlcmd wraps it), naming it cut short', async () => {
    const json = JSON.stringify({ format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+08:00', window: { from: '2024/03/05 14:00:00:000', to: '2024/03/05 14:59:59:999' }, operations: 'delete', logRead: { firstLsn: '0000002a:000001f0:0001', firstBeginTime: '2024/03/05 14:07:09:123' }, records: RECORDS, catalog: CATALOG });
    const wrapped = json.match(/.{1,97}/g)!.join('\r\n') + '\r\n';
    expect((await parseExportText(wrapped, 'w.json')).catalog).toHaveLength(4);
    for (const [kept, cut] of cutsAtLineEnds(wrapped, 1)) {
      await expect(parseExportText(cut, 'cut.json'), `cut after line ${kept}`).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/cut short/) });
    }
  });
});
