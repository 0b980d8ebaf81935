/**
 * `dump --report` gave local times (its notes, pointInTime.stopAtUsed) with no zone said anywhere,
 * where scan's, log's and diff's reports carry `times` (REPORT_TIMES: the SQL Server's local time,
 * no zone), as inspect's JSON now carries `timeZone`: the same kind as inspect --format json's bare
 * backup dates. Now a dump report, whole or refused, says `times` too. REAL: RestoreTimeClean.bak
 * and its log backups.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPORT_TIMES } from '../../src/cli/failed-report.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-dump-report-times-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('dump --report says what its times are', () => {
  it('pages, point in time, and a refused dump', async () => {
    const pages = join(dir, 'pages.json');
    expect((await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--table', 'dbo.steps', '--quiet', '--out', join(dir, 'a.ndjson'), '--report', pages)).code).toBe(0);
    const p = JSON.parse(readFileSync(pages, 'utf8'));
    expect(p.times).toBe(REPORT_TIMES);
    expect(readFileSync(pages, 'utf8')).toMatch(/^\{\s*"source"/);
    const pit = join(dir, 'pit.json');
    expect((await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--trn', rtc('RestoreTimeClean_1.trn'), '--table', 'dbo.steps', '--stop-at', '2017-06-01 13:01', '--quiet', '--out', join(dir, 'b.ndjson'), '--report', pit)).code).toBe(0);
    const q = JSON.parse(readFileSync(pit, 'utf8'));
    expect(q).toMatchObject({ times: REPORT_TIMES, pointInTime: { stopAtUsed: '2017-06-01T13:01:00.000' } });
    const refused = join(dir, 'refused.json');
    expect((await cli('dump', '--bak', rtc('RestoreTimeClean.bak'), '--table', 'dbo.no_such_table', '--quiet', '--report', refused)).code).toBe(2);
    expect(JSON.parse(readFileSync(refused, 'utf8'))).toMatchObject({ times: REPORT_TIMES, complete: false });
  });
});
