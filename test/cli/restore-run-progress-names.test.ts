/**
 * `restore run`'s step lines (`rowback restore run: restore step 1/3: RESTORE DATABASE …`) wrote the
 * statement's line breaks as spaces, the line breaks of a backup file's name inside its `N'…'`
 * literal too: a file `Stop<LF>At.bak` read `N'…/Stop At.bak'`, another file's name, on a line that
 * looks exact. Now only the statement's own line breaks (between its clauses) read as spaces; one
 * inside a literal or a `[name]` is written `\u{a}` as every line writes it (stderr-lines.ts).
 *
 * REAL files: appveyor-lab sql2008-backups/StopAt (StopAt.bak and its log backups), linked
 * under names holding a line break (no bytes copied); the server is a fake that runs nothing.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { runRestoreRun } from '../../src/cli/commands/restore.js';
import type { RestoreExecutor } from '../../src/restore/run.js';
import { describeCorpus } from '../support/corpus.js';
import { STOP_AT_FILES, stopAtFile } from '../support/stopat-folder.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  process.exitCode = undefined;
});

describeCorpus('restore run: the step lines name the backup files as they are', () => {
  it('a file named with a line break is written \\u{a} in its step line, not a space', async () => {
    if (process.platform === 'win32') return;
    const dir = mkdtempSync(join(tmpdir(), 'rowback-run-progress-'));
    dirs.push(dir);
    for (const f of STOP_AT_FILES) symlinkSync(stopAtFile(f), join(dir, f.replace('At', '\nAt')));
    const executed: string[] = [];
    const executor: RestoreExecutor = { databaseExists: async () => false, execute: async (s) => void executed.push(s), close: async () => {} };
    const err = new PassThrough();
    let text = '';
    err.on('data', (c) => (text += c));
    await runRestoreRun({ server: 'fake', backups: [dir], stopAt: '2020-05-12T13:34:30', as: 'Side' }, new PassThrough(), err, { executor: () => executor });
    expect(executed.length, text).toBeGreaterThan(0);
    const steps = text.split('\n').filter((l) => l.startsWith('rowback restore run: restore step '));
    expect(steps.length, text).toBeGreaterThan(0);
    // the first statement restores the full backup: its file named as it is, the line break escaped
    expect(steps[0], text).toContain(`${dir}/Stop\\u{a}At.bak`);
    expect(text).not.toContain(`${dir}/Stop At.bak`);
    // every line is one of rowback's
    for (const l of text.trimEnd().split('\n')) expect(l, text).toMatch(/^rowback restore run: /);
  }, 120_000);
});
