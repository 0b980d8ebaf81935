import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { blocksAfterDamage, MTF_TRAILER_DAMAGED, readMtfLayout } from '../../src/backup/mtf.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

/**
 * Damage in a backup set's closing blocks only (SFMB, ESET ×2, SFMB after the MSLS block and its
 * configuration stream: every data and log stream already read whole) loses no page or log record:
 * FORMAT_BAD_MTF_TRAILER, a note for scan (it was a FORMAT_BAD_MTF skipped item and INCOMPLETE).
 * Damage at the MSLS block or before it stays FORMAT_BAD_MTF (INCOMPLETE; in a one-set log backup,
 * damage after its log stream is judged by the LSNs read: log-coverage.ts cutLogStream); a file with more than
 * a set's closing blocks after the damage is still refused without --position (further sets may be
 * there). REAL corpus files (RestoreTimeClean, StDb2Sql.bak) damaged by one bit as copies here.
 */
const R = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('a damaged MTF trailer', () => {
  let dir = '';
  const damage = (src: string, name: string, at: number) => {
    const b = Buffer.from(readFileSync(src));
    b[at] ^= 0x01;
    const f = join(dir, name);
    writeFileSync(f, b);
    return f;
  };
  let eset = '';
  let msls = '';
  let stdb = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rowback-mtf-trailer-'));
    const layout = readMtfLayout(R('RestoreTimeClean_1.trn'));
    const at = (t: string) => layout.dblks.find((d) => d.type === t)!.offset;
    expect([at('MSLS'), at('ESET')]).toEqual([75264, 78848]);
    // byte 20 of the block header (its format logical address), covered by the header checksum
    eset = damage(R('RestoreTimeClean_1.trn'), 'eset.trn', at('ESET') + 20);
    msls = damage(R('RestoreTimeClean_1.trn'), 'msls.trn', at('MSLS') + 20);
    const st = readMtfLayout(corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak'));
    stdb = damage(corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak'), 'StDb2Sql.bak', st.dblks.find((d) => d.type === 'ESET' && d.set === 1)!.offset + 20);
  });

  it('the first ESET damaged: FORMAT_BAD_MTF_TRAILER at its offset, saying nothing read is lost', () => {
    expect(readMtfLayout(eset).problems).toEqual([
      {
        code: MTF_TRAILER_DAMAGED,
        reason: 'ESET descriptor block header checksum 0x0656 does not match its bytes (0x0657): the block is damaged; the rest of the file is not read; it lies in the closing blocks of backup set 1, after its MSLS block (offset 75264) and configuration stream, read whole, which follow its last data and log stream: no page or log record is lost, only what the closing blocks hold (the ESET\'s backup finish date) is unknown',
        location: { file: eset, offset: 78848 },
      },
    ]);
    // the MSLS block itself damaged: not proven whole, stays FORMAT_BAD_MTF
    expect(readMtfLayout(msls).problems.map((p) => [p.code, p.location.offset])).toEqual([['FORMAT_BAD_MTF', 75264]]);
  });

  it('scan --strict: a note naming the file and offset, not INCOMPLETE, exit 0; the MSLS damage of a log backup read whole a note too', async () => {
    const out = join(dir, 'rows.ndjson');
    const r = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', eset, '--out', out, '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback scan: note: ${eset}: FORMAT_BAD_MTF_TRAILER: ESET descriptor block header checksum`);
    expect(r.stderr).toContain('no page or log record is lost');
    expect(r.stderr).toContain('(offset 78848)');
    expect(r.stderr).not.toContain('INCOMPLETE');
    // the MSLS block damaged: FORMAT_BAD_MTF, but after the log stream of a log backup read whole, so
    // judged by the LSNs read (log-coverage.ts cutLogStream): a note, every LSN of the header read
    const bad = await cli('scan', '--bak', R('RestoreTimeClean.bak'), '--trn', msls, '--out', out, '--strict');
    expect(bad.code, bad.stderr).toBe(0);
    expect(bad.stderr).toMatch(/^rowback scan: note: \S+msls\.trn: FORMAT_BAD_MTF: MSLS descriptor block header checksum .*\(offset 75264\); every LSN its header names \(00000019:0000003e:00aa up to 00000019:00000099:0001\) was read before the damage: no log is lost/m);
  });

  it('log: the MTF damage of a backup it reads is said (a damaged MSTL block gave "0 of 0 record(s) printed", exit 0, no word); the trailer\'s is a note', async () => {
    const out = join(dir, 'log.csv');
    const mstl = damage(R('RestoreTimeClean_1.trn'), 'mstl.trn', readMtfLayout(R('RestoreTimeClean_1.trn')).dblks.find((d) => d.type === 'MSTL')!.offset + 20);
    const bad = await cli('log', mstl, '--out', out, '--strict');
    expect(bad.code).toBe(3);
    // the count is of the log read, said as such beside INCOMPLETE (it read "0 of 0 record(s) printed", as if that were all)
    // with the LSN range lost, as scan names it (the stream against its header, log-coverage.ts)
    expect(bad.stderr).toMatch(/^rowback log: 0 of 0 record\(s\) printed, counting only the log read: parts of the log could not be read \(FORMAT_BAD_MTF, FORMAT_LOG_STREAM_MISSING\); records lost there are in neither number \(INCOMPLETE below\)$/m);
    // said as scan and dump say skipped items: file, offset and LSN labelled (log's own form lacked them)
    expect(bad.stderr).toMatch(/^ {2}FORMAT_BAD_MTF: MSTL descriptor block header checksum .*\(file \S+mstl\.trn, offset 6656\)$/m);
    expect(bad.stderr).toMatch(/^ {2}FORMAT_LOG_STREAM_MISSING: the backup's header covers LSNs 00000019:0000003e:00aa to 00000019:00000099:0001, but its log stream holds no readable log record: that whole range is lost \(file \S+mstl\.trn, LSN 00000019:0000003e:00aa\)$/m);
    expect(bad.stderr).toMatch(/^rowback log: INCOMPLETE: parts of the log could not be read \(FORMAT_BAD_MTF, FORMAT_LOG_STREAM_MISSING\)/m);
    const note = await cli('log', eset, '--out', out, '--strict');
    expect(note.code, note.stderr).toBe(0);
    expect(note.stderr).toMatch(/^rowback log: 227 of 227 record\(s\) printed$/m);
    expect(note.stderr).toMatch(/^rowback log: note: FORMAT_BAD_MTF_TRAILER: ESET descriptor block .*no page or log record is lost.* \(\S+eset\.trn offset 78848\)$/m);
    expect(note.stderr).not.toContain('INCOMPLETE');
  });

  it('dump of a full backup whose first MSTL block is damaged (after every data stream; its one set not closed, no further SSET): read without --position, the damage a note naming it (it was refused: "bytes after it may hold further backup sets")', async () => {
    const bak = R('RestoreTimeClean.bak');
    const mstl = readMtfLayout(bak).dblks.find((d) => d.type === 'MSTL')!;
    const f = damage(bak, 'mstl-full.bak', mstl.offset + 20);
    const r = await cli('dump', '--bak', f, '--all', '--out', join(dir, 'mstl-full.ndjson'), '--strict');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback dump: note: ${f}: FORMAT_BAD_MTF: MSTL descriptor block header checksum`);
    expect(r.stderr).toContain(`(offset ${mstl.offset}): it lies after the backup's data streams (MQDA), read whole`);
    expect(r.stderr).not.toContain('INCOMPLETE');
  });

  it('a full backup whose one data block (MSDA) header is damaged: refused naming the damage (it said "no data pages: a log backup?" once only a further SSET counted)', async () => {
    const bak = corpusPath('pubs-2012', 'pubs.bak');
    const msda = readMtfLayout(bak).dblks.find((d) => d.type === 'MSDA')!;
    const f = damage(bak, 'msda.bak', msda.offset);
    const r = await cli('dump', '--bak', f, '--table', 'dbo.authors', '--out', join(dir, 'msda.ndjson'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^rowback: FORMAT_BAD_MTF: .*descriptor block header checksum .*; so backup set 1, whose data pages come after it, cannot be read: read another copy of this backup \\(file .*msda\\.bak, offset ${msda.offset}\\)\n$`));
  });

  it('a file with another set after the damaged trailer: still refused without --position, set 2 not reachable', async () => {
    const p = readMtfLayout(stdb).problems;
    expect(p.map((x) => x.code)).toEqual([MTF_TRAILER_DAMAGED]);
    const r = await cli('scan', '--bak', stdb, '--out', join(dir, 'st.ndjson'));
    expect(r.code).toBe(2);
    const sset2 = readMtfLayout(corpusPath('StDb2005/StDb2EFRP/StDb2Sql.bak')).dblks.filter((d) => d.type === 'SSET')[1]!;
    expect(r.stderr).toMatch(new RegExp(`^rowback: FORMAT_BAD_MTF: ESET descriptor block header checksum .*; so the \\d+ bytes after it are not read, and they hold more of a backup: a well-formed SSET descriptor block at offset ${sset2.offset} \\(a further backup set starts there\\)`));
    const two = await cli('scan', '--bak', stdb, '--position', '2', '--out', join(dir, 'st.ndjson'));
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/backup set 2 could not be reached/);
  });
});

describeCorpus('what lies after MTF damage (blocksAfterDamage): well-formed blocks on 512-byte boundaries', () => {
  it('StDb2Sql.bak: after set 1\'s ESET the SSET of set 2; after set 2\'s last ESET only closing blocks; from its data, the next content block of the set', () => {
    const src = corpusPath('StDb2005', 'StDb2EFRP', 'StDb2Sql.bak');
    const l = readMtfLayout(src);
    const eset1 = l.dblks.find((d) => d.type === 'ESET' && d.set === 1)!;
    const sset2 = l.dblks.filter((d) => d.type === 'SSET')[1]!;
    expect(blocksAfterDamage(src, eset1.offset)).toEqual({ content: { type: 'SSET', offset: sset2.offset }, anyBlock: true });
    const lastEset = l.dblks.filter((d) => d.type === 'ESET' && d.set === 2).pop()!;
    const tail = blocksAfterDamage(src, lastEset.offset);
    expect(tail.content).toBeNull();
    const sset1 = l.dblks.find((d) => d.type === 'SSET' && d.set === 1)!;
    const nextContent = l.dblks.find((d) => d.offset > sset1.offset && !['MSLS', 'ESET', 'EOTM', 'SFMB', 'ESPB'].includes(d.type))!;
    expect(blocksAfterDamage(src, sset1.offset).content).toEqual({ type: nextContent.type, offset: nextContent.offset });
  });
});
