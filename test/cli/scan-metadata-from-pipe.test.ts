/**
 * 2db7586b moved scan's --ddl/--schema checks before the log files are opened with
 * assertReadableFile, which refuses what is not a regular file: `--schema <(sqlcmd …)` or
 * `--ddl <(…)` (a pipe, /dev/fd/N) was refused "INPUT_FILE_UNREADABLE: --schema /dev/fd/63: a FIFO
 * (named pipe)", where before it was read (readTextFile reads a pipe). Now a pipe is only checked
 * readable up front and read once, as before; a file that does not exist is still refused first.
 *
 * REAL log: AngularJs_CRUD Database1_log.ldf. SYNTHETIC: the script; the shipped example catalog
 * (examples/, SYNTHETIC) written into a named pipe made here with mkfifo.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;
/** The pipes' writers: ended here when no reader opened their pipe (the refusal before the fix). */
const writers: ChildProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowback-scan-metadata-pipe-'));
});
afterAll(() => {
  for (const w of writers) if (w.exitCode === null) w.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** A named pipe at `name` that a child process fills with `text` once a reader opens it. */
function pipeOf(name: string, text: string): string {
  const src = join(dir, `${name}.src`);
  writeFileSync(src, text);
  const fifo = join(dir, name);
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', src, fifo], { stdio: 'ignore' });
  writer.unref();
  writers.push(writer);
  return fifo;
}

describeCorpus('scan: --ddl/--schema from a pipe', () => {
  const ldf = () => corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

  it('--ddl from a pipe is read (the table it names found there), not refused as a FIFO', async () => {
    const fifo = pipeOf('t.sql', 'CREATE TABLE dbo.Contact (id int NOT NULL);\n');
    const r = await cli('scan', '--ldf', ldf(), '--ddl', fifo, '--alloc-unit', 'dbo.x=1');
    expect(r.stderr).not.toContain('FIFO');
    expect(r.stderr).toContain(`table dbo.x is not in --ddl ${fifo}; known tables: dbo.Contact`);
  });

  it('--schema from a pipe is read, not refused as a FIFO', async () => {
    const { readFileSync } = await import('node:fs');
    const fifo = pipeOf('catalog.json', readFileSync(join(repo, 'examples', 'decimal-test-dropped-column.catalog.json'), 'utf8'));
    const r = await cli('scan', '--ldf', ldf(), '--schema', fifo);
    expect(r.stderr).not.toContain('FIFO');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`--schema ${fifo} names no database`);
  });
});
