import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_AU, NARROW_CONTACT_DDL, narrowContactImages } from '../support/synthetic-contact.js';
import { writeSyntheticLdf } from '../support/synthetic-log.js';
import { captureCli } from '../support/cli.js';

/**
 * `scan --from/--to` over a log whose commit times run backwards: the SQL Server's local clock set
 * back an hour (the autumn daylight-saving change) in the middle of the log. `--from/--to` are local
 * times without a zone, so a window in the repeated hour names two stretches of the log, and the
 * rows printed for it were said as if it named one. Now a WARNING (stderr, with --quiet too; the
 * report's warnings and counts.clockBackwards) names the two commits' LSNs and times.
 * SYNTHETIC logs (test/support/synthetic-log.ts): transaction n begins and commits at 02:00 + n
 * minutes local time, until n = 40, from which the clock reads an hour less (01:40, 01:41, …).
 */
const AU = CONTACT_AU;

let dir: string;
let folded: string;
let steady: string;
let ddl: string;
const cli = captureCli();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-clock-'));
  folded = join(dir, 'folded_log.ldf');
  steady = join(dir, 'steady_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, NARROW_CONTACT_DDL);
  const images = narrowContactImages();
  const work = { targetBytes: 512 * 1024, row: (_t: number, r: number) => images[r % 10]!, rollbackShare: 0, finishAtEnd: true };
  writeSyntheticLdf(folded, { ...work, second: (n) => 7200 + n * 60 - (n >= 40 ? 3600 : 0) }, { allocUnitId: AU, vlfSize: 256 * 1024 });
  writeSyntheticLdf(steady, { ...work, second: (n) => 7200 + n * 60 }, { allocUnitId: AU, vlfSize: 256 * 1024 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (ldf: string, ...extra: string[]) => cli('scan', '--ldf', ldf, '--ddl', ddl, '--alloc-unit', AU, ...extra);
const WARNING = /^rowback scan: WARNING: the log's commit times run backwards by 59 minutes: the transaction committed at LSN ([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}) ended 2025-12-11T01:4\d:00\.000, after \(in the log\) the one at LSN ([0-9a-f]{8}:[0-9a-f]{8}:[0-9a-f]{4}) that ended 2025-12-11T02:[34]\d:00\.000: the SQL Server's clock was set back \(a daylight-saving change repeats an hour of local time\), so a local time in the repeated stretch names two moments and the window --from\/--to may be ambiguous/m;

describe('scan --from/--to over a log whose clock was set back (SYNTHETIC)', () => {
  it('warns, naming the two commits (LSN, time), also with --quiet, and in the report', async () => {
    const report = join(dir, 'report.json');
    const r = await scan(folded, '--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10', '--quiet', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const m = WARNING.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(m![2]! < m![1]!).toBe(true); // the earlier commit in the log has the later time
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { warnings?: string[]; counts: { clockBackwards?: Record<string, unknown> } };
    expect(rep.counts.clockBackwards).toMatchObject({ laterLsn: m![1], earlierLsn: m![2], laterTime: expect.stringMatching(/^2025-12-11T01:4\d:00\.000$/), earlierTime: expect.stringMatching(/^2025-12-11T02:[34]\d:00\.000$/) });
    expect(rep.warnings?.some((w) => w.includes('may be ambiguous') && w.includes(m![1]!))).toBe(true);
  }, 60_000);

  it('no warning without a window, nor over a log whose times run forwards', async () => {
    const all = await scan(folded, '--quiet');
    expect(all.code).toBe(0);
    expect(all.stderr).not.toContain('run backwards');
    const fwd = await scan(steady, '--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10', '--quiet');
    expect(fwd.code).toBe(0);
    expect(fwd.stderr).not.toContain('run backwards');
    expect(fwd.stdout.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('scan --from/--to bounded by --to-lsn before the clock went back (SYNTHETIC)', () => {
  it('no warning: the rows selected all began before the clock was set back; a bound after it still warns', async () => {
    const first = await scan(folded, '--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10', '--quiet');
    const m = WARNING.exec(first.stderr)!;
    const earlier = m[2]!;
    // the record just before the commit with the latest time (its LSN's slot less one)
    const [vlf, block, slot] = earlier.split(':');
    const before = `${vlf}:${block}:${(parseInt(slot!, 16) - 1).toString(16).padStart(4, '0')}`;
    const bounded = await scan(folded, '--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10', '--quiet', '--to-lsn', before);
    expect(bounded.code, bounded.stderr).toBe(0);
    expect(bounded.stderr).not.toContain('run backwards');
    expect(bounded.stdout.length).toBeGreaterThan(0);
    const after = await scan(folded, '--from', '2025-12-11 01:50', '--to', '2025-12-11 02:10', '--quiet', '--to-lsn', m[1]!);
    expect(WARNING.test(after.stderr), after.stderr).toBe(true);
  }, 60_000);
});
