/**
 * An LSN range starting below the log an .ldf read alone holds. `scan --mdf Database1.mdf --ldf
 * Database1_log.ldf --from-lsn 00000022:00000010:0001` (AngularJs_CRUD: its VLFs are sequences
 * 0x23–0x25, 0x01–0x22 reused) printed the 16 rows of 0x23 on as the whole range, exit 0 under
 * --strict; `log Database1_log.ldf --from-lsn …` printed its records the same way. The backup-only
 * case was judged (lsnRangeBeforeLogStartClause); an .ldf now is too (lsnRangeBeforeLdfClause), by
 * whole VLFs: an LSN inside the oldest VLF says nothing. An .ldf holding older log cut off from the
 * rest (SYNTHETIC, the layout of scan-window-before-whole-log.test.ts: sequences 0x25, 0x26 kept, 0x27
 * reused, whole from 0x28): a range starting in the older log is told, unless it ends before the gap.
 *
 * REAL: AngularJs_CRUD (mdf + ldf). SYNTHETIC: test/support/synthetic-log.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_AU, NARROW_CONTACT_DDL, writeLdfWithReusedVlf } from '../support/synthetic-contact.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
const incomplete = (stderr: string, cmd = 'scan') => stderr.split('\n').filter((l) => l.startsWith(`rowback ${cmd}: INCOMPLETE:`));
let dir: string;
let skipped: string;
let ddl: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-lsn-before-ldf-'));
  skipped = join(dir, 'skipped_log.ldf');
  ddl = join(dir, 'contact.sql');
  writeFileSync(ddl, NARROW_CONTACT_DDL);
  writeLdfWithReusedVlf(skipped);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCorpus('an LSN range below an .ldf\'s oldest VLF (AngularJs_CRUD)', () => {
  it('scan and log: INCOMPLETE naming the oldest VLF, exit 3 with --strict; rows and records still printed', async () => {
    const s = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--from-lsn', '00000022:00000010:0001', '--quiet', '--strict');
    expect(s.code, s.stderr).toBe(3);
    expect(s.stdout.trim().split('\n')).toHaveLength(16);
    expect(incomplete(s.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the LSN range starts at 00000022:00000010:0001 (--from-lsn), before the log given: ${A('Database1_log.ldf')} holds the log from its oldest VLF, sequence 0x23 (LSN 00000023:00000000:0000 on), and the log before it was in VLFs reused since, in no file given: rows of that stretch are not in this result; add the log backups of before it with --trn`,
    ]);
    const report = join(tmpdir(), `rowback-ldf-before-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    const l = await cli('log', A('Database1_log.ldf'), '--from-lsn', '00000022:00000010:0001', '--quiet', '--strict', '--report', report);
    expect(l.code, l.stderr).toBe(3);
    expect(incomplete(l.stderr, 'log')).toHaveLength(1);
    expect(incomplete(l.stderr, 'log')[0]).toContain('holds the log from its oldest VLF, sequence 0x23');
    // log --report: complete false, the line in incomplete and beforeLogRead, as scan's
    const rep = JSON.parse(readFileSync(report, 'utf8')) as { complete: boolean; incomplete: string[]; beforeLogRead?: string };
    rmSync(report, { force: true });
    expect(rep.complete).toBe(false);
    expect(rep.incomplete).toEqual(incomplete(l.stderr, 'log').map((x) => x.replace('rowback log: INCOMPLETE: ', '')));
    expect(rep.beforeLogRead).toBe(rep.incomplete[0]);
  }, 60_000);

  it('no false alarm: an LSN inside the oldest VLF (before its first block too) or later', async () => {
    for (const lsn of ['00000023:00000001:0001', '00000023:00000010:0001', '00000024:00000010:0001']) {
      const s = await cli('scan', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--from-lsn', lsn, '--quiet', '--strict');
      expect(s.code, `${lsn}: ${s.stderr}`).toBe(0);
      const l = await cli('log', A('Database1_log.ldf'), '--from-lsn', lsn, '--quiet', '--strict');
      expect(l.code, `${lsn}: ${l.stderr}`).toBe(0);
    }
  }, 60_000);
});

describe('an LSN range in the older log an .ldf keeps cut off from the rest (SYNTHETIC)', () => {
  const scan = (...extra: string[]) => cli('scan', '--ldf', skipped, '--ddl', ddl, '--alloc-unit', CONTACT_AU, '--quiet', '--strict', ...extra);
  it('from sequence 0x26: INCOMPLETE naming the gap; below 0x25: before the log given', async () => {
    const r = await scan('--from-lsn', '00000026:00000010:0001');
    expect(r.code, r.stderr).toBe(3);
    expect(incomplete(r.stderr)).toEqual([
      `rowback scan: INCOMPLETE: the LSN range starts at 00000026:00000010:0001 (--from-lsn), before the log ${skipped} holds is whole: it is whole only from VLF sequence 0x28 (LSN 00000028:00000000:0000) on; the older log it keeps (VLF sequences 0x25, 0x26) is cut off from it by sequence 0x27, reused since and in no file given: rows of that stretch are not in this result; add the log backups of before it with --trn`,
    ]);
    const below = await scan('--from-lsn', '00000024:00000010:0001');
    expect(below.code, below.stderr).toBe(3);
    expect(incomplete(below.stderr)[0]).toContain('holds the log from its oldest VLF, sequence 0x25');
  }, 60_000);

  it('no false alarm: a range ending before the gap, or starting past it', async () => {
    for (const args of [['--from-lsn', '00000025:00000010:0001', '--to-lsn', '00000026:00000020:0001'], ['--from-lsn', '00000028:00000010:0001']]) {
      const r = await scan(...args);
      expect(incomplete(r.stderr), args.join(' ')).toEqual([]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 60_000);
});
