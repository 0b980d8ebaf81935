/**
 * A data file and an .ldf of one database (one binding id) but of different times: said in one
 * line naming both files, the data file's checkpoint LSN and the log's VLFs, even with --quiet
 * (source-identity.ts dataFileLogTimeNote), by `scan` (the files source every command and job
 * reading --mdf/--bak with --ldf shares) and `log`. Before: nothing was said, and a log file older
 * than the data file gave "complete" with the deletes after its end missing. A data file newer
 * than the log (the log after the log file's end, or after the log backups', in no file given) is
 * said by `scan` as INCOMPLETE (recover/log-not-given.ts; it was a note, exit 0 under --strict;
 * windows outside the stretch: test/cli/scan-log-not-given-window.test.ts); `log` keeps the note.
 *
 * REAL bytes: AngularJs_CRUD Database1.mdf (checkpoint LSN 00000025:00000036:0002, VLF 37) and
 * Database1_log.ldf (VLFs 35–37), and the other corpus pairs, which must stay silent. The mismatch
 * is SYNTHETIC: a copy of Database1.mdf made here whose boot page (1:9) dbi_checkptLSN @444 is
 * moved to VLF 38 (a data file newer than the log) or 34 (older), or within VLF 37 past the log's
 * last record, its checksum flag dropped so it verifies (m_flagBits 0x0200 cleared, m_tornBits 0);
 * and School_Log.ldf with its newest VLF's last blocks zeroed (a copy taken before they were
 * written). Within the log's newest VLF the sequence numbers alone said nothing, and a log file
 * older than the data file by less than a VLF (the usual case: VLFs are large) gave "complete".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { writeStopAtAsDatabase1 } from '../support/relabelled-backup.js';

const cli = captureCli();

describeCorpus('a data file and a log file of one database but of different times', () => {
  let dir: string;
  const ldf = () => corpusPath('AngularJs_CRUD/App_Data', 'Database1_log.ldf');
  const withCheckpointVlf = (name: string, vlf: number, block = 0x10): string => {
    const b = Buffer.from(readFileSync(corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf')));
    const boot = 9 * 8192;
    b.writeUInt16LE(b.readUInt16LE(boot + 4) & ~0x0300, boot + 4);
    b.writeUInt32LE(0, boot + 60);
    b.writeUInt32LE(vlf, boot + 444);
    b.writeUInt32LE(block, boot + 448);
    b.writeUInt16LE(1, boot + 452);
    const f = join(dir, name);
    writeFileSync(f, b);
    return f;
  };
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-data-log-time-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('data file newer than the log file: scan and log say so even with --quiet; the rows are still printed', async () => {
    const mdf = withCheckpointVlf('newer.mdf', 0x26);
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf(), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
    const line = r.stderr.split('\n').find((l) => l.includes('different times'));
    expect(line).toBe(`rowback scan: INCOMPLETE: data file ${mdf} and log file ${ldf()} are of different times: the data file's last checkpoint at LSN 00000026:00000010:0001 (in VLF 0x26; boot page dbi_checkptLSN) is after the end of the log file's log (its newest VLF is 0x25; it holds VLFs 0x23 to 0x25), so the log file is older than the data file (a copy of another time): what the database did after the log file's end, deletes among them, is in no file given and not in this result; give the log file of the same time as the data file (or its log backups with --trn)`);
    const l = await cli('log', ldf(), '--mdf', mdf, '--quiet');
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).toContain(`rowback log: note: data file ${mdf} and log file ${ldf()} are of different times: the data file's last checkpoint at LSN 00000026:00000010:0001`);
  });

  it('data file older than every record of the log file: said', async () => {
    const mdf = withCheckpointVlf('older.mdf', 0x22);
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf(), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback scan: note: data file ${mdf} and log file ${ldf()} are of different times: the data file's last checkpoint at LSN 00000022:00000010:0001 (in VLF 0x22; boot page dbi_checkptLSN) is before every record the log file holds (VLFs 0x23 to 0x25), so the data file is older than the log file`);
  });

  it('every corpus data file with its own log file: nothing said', async () => {
    for (const [mdf, log] of [
      ['AngularJs_CRUD/App_Data/Database1.mdf', 'AngularJs_CRUD/App_Data/Database1_log.ldf'],
      ['CRUD-.NET/App_Data/Database.mdf', 'CRUD-.NET/App_Data/Database_log.ldf'],
      ['CRUD-.NET/App_Data/Database2.mdf', 'CRUD-.NET/App_Data/Database2_log.ldf'],
      ['SessionShoppingCart/App_Data/NORTHWND.MDF', 'SessionShoppingCart/App_Data/NORTHWND_log.ldf'],
      ['sql-practice-asp/App_Data/School.mdf', 'sql-practice-asp/App_Data/School_Log.ldf'],
      ['Tractis_aspnet_demo/App_Data/aspnetdb.mdf', 'Tractis_aspnet_demo/App_Data/aspnetdb_log.ldf'],
    ]) {
      const r = await cli('scan', '--mdf', corpusPath(mdf), '--ldf', corpusPath(log), '--quiet');
      expect(r.code, `${mdf}: ${r.stderr}`).toBe(0);
      expect(r.stderr, mdf).not.toContain('different times');
    }
    const l = await cli('log', ldf(), '--mdf', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'), '--quiet');
    expect(l.stderr).not.toContain('different times');
  });

  // SYNTHETIC damage to REAL bytes: School_Log.ldf (VLFs 42, 40, 41, 43 in file order) and
  // School.mdf (checkpoint 0000002b:0000003f:0002, VLF 43, the log's last VLF in file order).
  const school = () => corpusPath('sql-practice-asp/App_Data', 'School.mdf');
  const schoolLog = (name: string, edit: (b: Buffer) => Buffer): string => {
    const f = join(dir, name);
    writeFileSync(f, edit(Buffer.from(readFileSync(corpusPath('sql-practice-asp/App_Data', 'School_Log.ldf')))));
    return f;
  };

  // The checkpoint in the log's newest VLF but past its last record: a log file copied earlier than
  // the data file by less than a VLF (VLFs are often tens of MB). The VLF sequence numbers alone
  // said nothing, and the scan printed its rows (none, here) as complete.
  it('checkpoint in the log\'s newest VLF after its last block (a data file newer than the log by less than a VLF): said', async () => {
    // SYNTHETIC: Database1.mdf's checkpoint moved from 25:36:2 to 25:40:1; the log's VLF 0x25 ends
    // before 25:39 (its last block, of one sector, holds 25:38:1, the log's last record)
    const mdf = withCheckpointVlf('newer-same-vlf.mdf', 0x25, 0x40);
    const r = await cli('scan', '--mdf', mdf, '--ldf', ldf(), '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').find((l) => l.includes('different times'))).toBe(`rowback scan: INCOMPLETE: data file ${mdf} and log file ${ldf()} are of different times: the data file's last checkpoint at LSN 00000025:00000040:0001 (in VLF 0x25; boot page dbi_checkptLSN) is after the end of the log file's log (its log ends before LSN 00000025:00000039:0001, in its newest VLF 0x25; it holds VLFs 0x23 to 0x25), so the log file is older than the data file (a copy of another time, or one whose last log blocks were lost): what the database did after the log file's end, deletes among them, is in no file given and not in this result; give the log file of the same time as the data file (or its log backups with --trn)`);
    const l = await cli('log', ldf(), '--mdf', mdf, '--quiet');
    expect(l.stderr).toContain(`rowback log: note: data file ${mdf} and log file ${ldf()} are of different times: the data file's last checkpoint at LSN 00000025:00000040:0001`);
    // the checkpoint at the log's last record (25:38:1): nothing said
    const inside = withCheckpointVlf('at-last-record.mdf', 0x25, 0x38);
    expect((await cli('scan', '--mdf', inside, '--ldf', ldf(), '--quiet')).stderr).not.toContain('different times');
  });

  it('School_Log.ldf as copied before its last blocks were written (VLF 0x2b from block 0x29 never written): said; a torn last block is not', async () => {
    // SYNTHETIC damage to REAL bytes: VLF 0x2b (file offset 0xd0000, 262144 bytes) zeroed from its
    // block 0x29 (a block start) to its end, as in a copy of the file taken before that log was
    // written; School.mdf's checkpoint is at 0000002b:0000003f:0002
    const older = schoolLog('older.ldf', (b) => { b.fill(0, 0xd0000 + 0x29 * 512, 0xd0000 + 262144); return b; });
    const r = await cli('scan', '--mdf', school(), '--ldf', older, '--op', 'insert,delete,update', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback scan: INCOMPLETE: data file ${school()} and log file ${older} are of different times: the data file's last checkpoint at LSN 0000002b:0000003f:0002 (in VLF 0x2b; boot page dbi_checkptLSN) is after the end of the log file's log (its log ends before LSN 0000002b:00000029:0001, in its newest VLF 0x2b; it holds VLFs 0x28 to 0x2b)`);
    const l = await cli('log', older, '--mdf', school(), '--quiet');
    expect(l.stderr).toContain(`data file ${school()} and log file ${older} are of different times`);
    // zeroed from inside the block at 0x29 (block 0x30 on): that block is torn, which the log reader
    // reports (FORMAT_BAD_LOG_BLOCK); where the log ended is not known, so no "different times"
    const torn = schoolLog('torn.ldf', (b) => { b.fill(0, 0xd0000 + 0x30 * 512, 0xd0000 + 262144); return b; });
    const t = await cli('scan', '--mdf', school(), '--ldf', torn, '--quiet');
    expect(t.stderr).not.toContain('different times');
    expect(t.stderr).toContain('FORMAT_BAD_LOG_BLOCK');
  });

  // SYNTHETIC: StopAt_1.trn (REAL log backup, LSNs 13:51:be to 13:b7:1) with the binding id of its
  // two header copies (HEADERONLY BindingID, SCIN @124: the GUID's first and last occurrences in the
  // file; the two between are inside log records, left as they are) made Database1.mdf's, so the
  // pair passes the one-database check: a data file whose checkpoint (25:36:2) is after every log
  // backup given. A newer --bak beside log backups was said (files.ts unreadNotes); a data file
  // said nothing, and `scan --mdf TODAY.mdf --trn LAST_NIGHT.trn` printed last night's rows as the
  // whole answer.
  it('data file newer than the log backups given with it (no .ldf): said, even with --quiet', async () => {
    const trn = writeStopAtAsDatabase1(dir);
    const mdf = corpusPath('AngularJs_CRUD/App_Data', 'Database1.mdf');
    const r = await cli('scan', '--mdf', mdf, '--trn', trn, '--op', 'insert,delete,update', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rowback scan: INCOMPLETE: data file ${mdf} holds the database up to its last checkpoint at LSN 00000025:00000036:0002 (boot page dbi_checkptLSN), after the end of the log backups given (${trn} ends at 00000013:000000b7:0001): the rows deleted or changed between are in no file given and not in this result; add the later log backups with --trn, or the .ldf with --ldf, to see them`);
    // with the .ldf that goes on past them: not said
    const l = await cli('scan', '--mdf', mdf, '--trn', trn, '--ldf', ldf(), '--op', 'insert,delete,update', '--quiet');
    expect(l.stderr).not.toContain('after the end of the log backups given');
  });

  it('a log file whose VLF walk stops early (a damaged VLF header, a cut copy): no "different times" (its reader says what is missing)', async () => {
    // the third VLF's header marker (0xAB at 540672) overwritten: VLFs 41 and 43 are not read
    const damaged = schoolLog('damaged-vlf.ldf', (b) => { b[540672] = 0; return b; });
    // a copy cut where VLF 43 starts (851968): its file header page still says 1114112 bytes
    const cut = schoolLog('cut.ldf', (b) => b.subarray(0, 851968));
    for (const f of [damaged, cut]) {
      const r = await cli('scan', '--mdf', school(), '--ldf', f, '--quiet');
      expect(r.stderr, f).not.toContain('different times');
      expect(r.stderr, f).toMatch(/INCOMPLETE|FORMAT_/);
      const l = await cli('log', f, '--mdf', school(), '--quiet');
      expect(l.stderr, f).not.toContain('different times');
    }
  });

  it('`log` with the two log files of one database (each holds some of its VLF sequences): no "different times"; one file alone of another time still said', async () => {
    // SYNTHETIC second log file: School_Log.ldf with its VLF sequence numbers moved to 30–33 (the
    // checkpoint's VLF 43 is in the first file; a log of several files uses each sequence once)
    const seqs: Array<[number, number]> = [[8192, 30], [262144, 31], [540672, 32], [851968, 33]];
    const second = schoolLog('School_Log2.ldf', (b) => { for (const [off, q] of seqs) b.writeUInt32LE(q, off + 4); return b; });
    const first = corpusPath('sql-practice-asp/App_Data', 'School_Log.ldf');
    const l = await cli('log', first, second, '--mdf', school(), '--quiet');
    expect(l.stderr).not.toContain('different times');
    const alone = await cli('log', second, '--mdf', school(), '--quiet');
    expect(alone.stderr).toContain('different times');
  });
});
