/**
 * An interrupted scan, log or dump writes its `--report` (complete false, interrupted) over no file,
 * an empty one or an earlier report of rowback only, as a refused run's (failed-report.ts) and a
 * signal while starting (bin/rowback.js) do: it was written over any file, so `--report notes.txt`
 * (or a symlink to it), Ctrl-C'd because the path was the wrong one, destroyed the notes. One line
 * says the file was left as it was. An earlier report is still replaced.
 * In process, as interrupt-commands.test.ts: the signal is given to the command's own listener.
 * REAL files: SessionShoppingCart NORTHWND.MDF + NORTHWND_log.ldf.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { interruptedCli } from '../support/interrupted-cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();

const interrupted = (argv: string[], sig: NodeJS.Signals = 'SIGINT') => interruptedCli(cli, argv, sig);

describeCorpus('an interrupted run leaves a --report file that is not a report as it was', () => {
  const MDF = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND.MDF');
  const LDF = corpusPath('SessionShoppingCart', 'App_Data', 'NORTHWND_log.ldf');
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'rowback-interrupted-report-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const commands: Record<string, (out: string) => string[]> = {
    scan: (out) => ['scan', '--mdf', MDF, '--ldf', LDF, '--quiet', '--out', out],
    log: (out) => ['log', LDF, '--quiet', '--out', out],
    dump: (out) => ['dump', '--mdf', MDF, '--all', '--quiet', '--out', out],
  };

  for (const [name, argv] of Object.entries(commands)) {
    it(`${name}: notes.txt and a symlink to it kept, said in one line; an earlier report replaced`, async () => {
      const notes = join(dir, `${name}-notes.txt`);
      writeFileSync(notes, 'my own notes\n');
      const link = join(dir, `${name}-link.json`);
      symlinkSync(notes, link);
      for (const path of [notes, link]) {
        const r = await interrupted([...argv(join(dir, `${name}.out`)), '--report', path]);
        expect(r.given).toBe(true);
        expect(r.code).toBe(130);
        expect(readFileSync(notes, 'utf8')).toBe('my own notes\n');
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
        expect(r.stderr).toContain(`rowback: --report ${path} left as it was: it is a file that is not a report of rowback`);
        expect(r.stderr).toMatch(/INTERRUPTED by SIGINT/);
      }
      const earlier = join(dir, `${name}-report.json`);
      writeFileSync(earlier, JSON.stringify({ times: 'x', complete: true, rows: 73 }, null, 2));
      const r = await interrupted([...argv(join(dir, `${name}.out`)), '--report', earlier], 'SIGTERM');
      expect(r.code).toBe(143);
      expect(JSON.parse(readFileSync(earlier, 'utf8'))).toMatchObject({ complete: false, interrupted: 'SIGTERM' });
      expect(r.stderr).not.toContain('left as it was: it is a file');
    });

    // the report's write failing (a full disk) replaced scan's and log's INTERRUPTED line, written
    // after the report: "the 5193 record(s) were written to out, the report was not" read as the whole result
    it.runIf(existsSync('/dev/full'))(`${name}: a report that cannot be written says the rows written are only part of the result`, async () => {
      const r = await interrupted([...argv(join(dir, `${name}.out`)), '--report', '/dev/full']);
      expect(r.given).toBe(true);
      expect(r.stderr).toMatch(/--report \/dev\/full: writing failed: ENOSPC \(no space left on device\); the \d+ (row|record)\(s\) (were )?written[^\n]*only part of the result/);
    });
  }
});
