/**
 * A version 2 export names the window it was exported for: sql/export-log-records.sql writes
 * `"window": {"from", "to"}` (JSON) or `"window.from"`/`"window.to"` (the CSV's #meta), and a scan
 * whose --from/--to runs outside it is INCOMPLETE. A header without them — an export built or
 * edited by hand as docs/live.md describes it, its CSV keys written `from`/`to` — was read as an
 * export of no window: `scan --export F --from` a day before the one exported printed the day's rows
 * as the whole window, complete, exit 0 under --strict. Now refused, naming the key. Version 1
 * files, read with their notes, are left as they were.
 *
 * SYNTHETIC: hand-built records, row image and catalog rows shaped like the script's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExportText } from '../../../src/logreader/export/export-file.js';
import { captureCli } from '../../support/cli.js';
import { customersCatalog, exportRecord, ROW_ADA, CUSTOMERS_AU, csvSectionLines } from '../../support/export-fixture.js';

const cli = captureCli();
const dir = mkdtempSync(join(tmpdir(), 'rowback-export-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fileWith = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const RECORDS = [
  exportRecord('0000002a:000001f0:0001', 'LOP_BEGIN_XACT', { 'Begin Time': '2024/03/05 14:07:09:123', 'Transaction Name': 'DELETE', SPID: 61 }),
  exportRecord('0000002a:000001f0:0002', 'LOP_DELETE_ROWS', { Context: 'LCX_MARK_AS_GHOST', AllocUnitId: CUSTOMERS_AU, 'Page ID': '0001:00000123', 'Slot ID': 0, 'RowLog Contents 0': ROW_ADA }),
  exportRecord('0000002a:000001f0:0004', 'LOP_COMMIT_XACT', { 'End Time': '2024/03/05 14:07:10:500' }),
];
const CATALOG = customersCatalog();
const WINDOW = { 'window.from': '2024/03/05 14:00:00:000', 'window.to': '2024/03/05 14:59:59:999' };
/** Where the log the script read begins and ends (logRead), as #meta keys. */
const LOG_READ = { 'logRead.firstLsn': '00000029:00000010:0001', 'logRead.lastLsn': '0000002a:00000310:0002', 'logRead.firstBeginTime': '2024/03/05 13:30:00:100', 'logRead.lastBeginTime': '2024/03/05 14:59:58:000', 'logRead.firstEndTime': '2024/03/05 13:30:00:250', 'logRead.lastEndTime': '2024/03/05 14:59:58:200' };
const logReadJson = Object.fromEntries(Object.entries(LOG_READ).map(([k, v]) => [k.slice('logRead.'.length), v]));


/** The CSV form, version `version`, its #meta holding `meta` (key → value). */
function csvExport(version: 1 | 2, meta: Record<string, string>): string {
  return [
    `#rowback-export,${version},csv`, '#meta', '"key","value"', '"server","SQL01"', '"database","CRM"', '"serverTimeZone","+08:00"',
    ...Object.entries(meta).map(([k, v]) => `"${k}","${v}"`), '"operations","delete"',
    '#records', ...csvSectionLines(RECORDS), '#catalog', ...csvSectionLines(CATALOG),
    ...(version === 2 ? ['#end', '"records","catalog"', `"${RECORDS.length}","${CATALOG.length}"`] : []),
  ].join('\r\n') + '\r\n';
}

const jsonExport = (window: unknown, logRead: unknown | 'none' = logReadJson) => JSON.stringify({ format: 'rowback-export', version: 2, server: 'SQL01', database: 'CRM', serverTimeZone: '+08:00', ...(window === undefined ? {} : { window }), operations: 'delete', ...(logRead === 'none' ? {} : { logRead }), records: RECORDS, catalog: CATALOG });

describe('a version 2 export without its window is refused, naming the key', () => {
  it('CSV: the keys written from/to, or one left out', async () => {
    await expect(parseExportText(csvExport(2, { from: WINDOW['window.from'], to: WINDOW['window.to'], ...LOG_READ }), 'x.csv')).rejects.toMatchObject({
      code: 'INPUT_BAD_EXPORT',
      message: expect.stringMatching(/^its header has no window from \(the #meta key "window\.from", the @From sql\/export-log-records\.sql wrote it for\): without it a window asked for outside the export's own cannot be told/),
    });
    await expect(parseExportText(csvExport(2, { 'window.from': WINDOW['window.from'], ...LOG_READ }), 'x.csv')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/^its header has no window to \(the #meta key "window\.to", the @To /) });
  });

  it('JSON: no window object, or one without to', async () => {
    await expect(parseExportText(jsonExport(undefined), 'x.json')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/^its header has no window from \("window": \{"from": …\}/) });
    await expect(parseExportText(jsonExport({ from: WINDOW['window.from'] }), 'x.json')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/^its header has no window to /) });
  });

  it('the CLI: one line naming the file, exit 2, where it printed the rows as the whole window (exit 0 under --strict)', async () => {
    const f = fileWith('hand.csv', csvExport(2, { from: WINDOW['window.from'], to: WINDOW['window.to'], ...LOG_READ }));
    const r = await cli('scan', '--export', f, '--from', '2024-03-04', '--to', '2024-03-05', '--strict');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^rowback: INPUT_BAD_EXPORT: its header has no window from .*\(file .*hand\.csv, column \[window\.from\], line 3\)$/m);
  });

  it('with its window, the same file is read and a window outside it is INCOMPLETE (exit 3 under --strict)', async () => {
    for (const [name, text] of [['whole.csv', csvExport(2, { ...WINDOW, ...LOG_READ })], ['whole.json', jsonExport({ from: WINDOW['window.from'], to: WINDOW['window.to'] })]] as const) {
      const f = fileWith(name, text);
      const inside = await cli('scan', '--export', f, '--strict', '--quiet');
      expect(inside.code, name).toBe(0);
      expect(inside.stdout.trim().split('\n'), name).toHaveLength(1);
      const outside = await cli('scan', '--export', f, '--from', '2024-03-04', '--to', '2024-03-05', '--strict', '--quiet');
      expect(outside.code, name).toBe(3);
      expect(outside.stderr, name).toMatch(/INCOMPLETE: the window asked for \(--from 2024-03-04T00:00:00\.000 and --to 2024-03-05T23:59:59\.999\) runs outside the export's own window \(2024-03-05T14:00:00\.000 to 2024-03-05T14:59:59\.999/);
    }
  });

  it('logRead likewise: without it a window starting before the log read printed as complete', async () => {
    await expect(parseExportText(csvExport(2, WINDOW), 'x.csv')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/^its header has no logRead \(the #meta keys "logRead\.firstLsn", "logRead\.firstBeginTime", …, where the log sql\/export-log-records\.sql read begins and ends\)/) });
    await expect(parseExportText(jsonExport({ from: WINDOW['window.from'], to: WINDOW['window.to'] }, 'none'), 'x.json')).rejects.toMatchObject({ code: 'INPUT_BAD_EXPORT', message: expect.stringMatching(/^its header has no logRead \("logRead": \{"firstLsn", …\}/) });
    // with it, a window starting before the log read is INCOMPLETE
    const f = fileWith('early.json', jsonExport({ from: '2024/03/05 14:00:00:000', to: WINDOW['window.to'] }, { ...logReadJson, firstBeginTime: '2024/03/05 14:05:00:000', firstEndTime: '2024/03/05 14:05:00:000' }));
    const r = await cli('scan', '--export', f, '--strict', '--quiet');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/INCOMPLETE: the window asked for \(no --from: the export's own @From, 2024-03-05T14:00:00\.000\) starts before/);
  });

  it('a null window (the script run with @From/@To NULL) and version 1 files without one are read as before', async () => {
    await expect(parseExportText(jsonExport({ from: null, to: null }), 'x.json')).resolves.toBeTruthy();
    await expect(parseExportText(csvExport(1, {}), 'x.csv')).resolves.toBeTruthy();
  });
});
