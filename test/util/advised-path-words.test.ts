/**
 * Advice written in util/ names a path as a word of a command line (util/shell-word.ts shellWord):
 * pasted into a POSIX shell it is the path given, and the line stays one line. A folder `my dir`
 * was advised bare (`rowback restore plan --backups /tmp/my dir`), two words when pasted, and a path
 * holding a line break was printed `\u{a}`, which the shell passes as six characters.
 * SYNTHETIC paths: a folder and a text file made here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderAdvice } from '../../src/util/files.js';
import { logTextHint } from '../../src/util/log-text-kind.js';
import { advisedWords } from '../support/shell-words.js';
import { suiteTempDir } from '../support/temp-dir.js';

const work = suiteTempDir('rowback-advised-path-');

describe.skipIf(process.platform === 'win32')('util advice: each path a shell word', () => {
  it('folderAdvice: --backups FOLDER names the folder given, and the --bak glob its files', () => {
    const dir = join(work(), "my dir/it's\nx");
    mkdirSync(dir, { recursive: true });
    for (const f of ['a.bak', 'b.bak']) writeFileSync(join(dir, f), 'SYNTHETIC');
    const advice = folderAdvice('--bak', dir, 'a directory');
    expect(advisedWords(advice, '--backups ', '')).toEqual([dir]);
    // the glob stays a glob: the shell expands it to the folder's files
    expect(advisedWords(advice, '(--bak ', ' …)')).toEqual([join(dir, 'a.bak'), join(dir, 'b.bak')]);
  });

  it("logTextHint: `rowback scan --export FILE` names the export given", () => {
    const dir = join(work(), "exp dir/it's\ny");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'log.json');
    writeFileSync(file, '{"format": "rowback-export", "version": 1}');
    expect(advisedWords(logTextHint(file), 'rowback scan --export ', '`')).toEqual([file]);
  });

});
