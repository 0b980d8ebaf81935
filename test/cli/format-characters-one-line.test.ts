/**
 * A path holding an invisible or reordering character (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO
 * WIDTH SPACE) is written `\u{…}` on every line rowback prints (util/echo.ts escapeUnprintable), as
 * a line break is (stderr-notes-one-line.test.ts): raw, U+202E showed the rest of the refusal
 * reversed (`log<U+202E>nrt.1_golx.trn` read as `logx_1.trn…`), and U+200B made the name print as
 * another file's. An advised command line naming such a file quotes it so that it survives that
 * escaping and a POSIX shell reads it back as the file (util/shell-word.ts shellWord). REAL files:
 * RestoreTimeClean_1.trn and Northwind-stripe/Northwind.bak linked under such names; SYNTHETIC
 * two-set file: REAL RestoreTimeClean.bak with RestoreTimeClean2.bak appended.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appendedBackupSet } from '../support/appended-backup-set.js';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { shellWordsOf } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const cli = captureCli();
const work = suiteTempDir('rowback-format-chars-');
/** What no line rowback prints may hold raw: the bidirectional controls and the zero-width characters. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('a path holding U+202E or U+200B: every line writes it \\u{…}', () => {
  it('scan --bak of a log backup (REAL) linked as log<U+202E>nrt.1_golx.trn: the refusal names it escaped, on one line', async () => {
    const log = join(work(), 'log\u202enrt.1_golx.trn');
    symlinkSync(rtc('RestoreTimeClean_1.trn'), log);
    const r = await cli('scan', '--bak', log);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(INVISIBLE);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rowback: INPUT_NOT_A_DATABASE_BACKUP: /);
    expect(lines[0]).toContain(`${work()}/log\\u{202e}nrt.1_golx.trn is a log backup`);
  });

  it('inspect of a stripe (REAL) linked as stripe<U+200B>1.bak: the INCOMPLETE line names it escaped', async () => {
    const stripe = join(work(), 'stripe\u200b1.bak');
    symlinkSync(corpusPath('Northwind-stripe', 'Northwind.bak'), stripe);
    const r = await cli('inspect', stripe);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(INVISIBLE);
    expect(r.stderr).toContain(`${work()}/stripe\\u{200b}1.bak`);
  });

  it.skipIf(process.platform === 'win32')('dump --bak F F of a file of two sets named two<U+202E>sets.bak: the advised command reads back as the file', async () => {
    const file = join(work(), 'two\u202esets.bak');
    writeFileSync(file, appendedBackupSet(rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak')));
    const r = await cli('dump', '--bak', file, file, '--table', 'dbo.T');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(INVISIBLE);
    const line = r.stderr.trimEnd();
    expect(line.split('\n')).toHaveLength(1);
    const command = /give each backup file once: (rowback dump .*?) \(a full backup/.exec(line);
    expect(command, line).not.toBeNull();
    expect(shellWordsOf(command![1]!)).toEqual(['rowback', 'dump', '--bak', file, '--table', 'dbo.T']);
    const twoSets = /two sets of one file: the file twice, --position with a number for each, --bak (.*?) --position 1,2\)/.exec(line);
    expect(twoSets, line).not.toBeNull();
    expect(shellWordsOf(twoSets![1]!)).toEqual([file, file]);
  });
});
