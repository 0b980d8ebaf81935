import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';

/**
 * Secrets never reach errors: a mistyped option holding a connection string
 * (`--sever="Server=…;Password=…"`) was echoed whole in the one-line error on stderr (a CI log,
 * a terminal recording), as was a stray argument holding one.
 */
describe('the CLI\'s error line', () => {
  const run = captureCli();
  it('redacts a password in a mistyped option or a stray argument', async () => {
    for (const argv of [
      ['scan', '--sever=Server=db1;User Id=sa;Password=hunter22'],
      ['scan', '--ldf', '/x.ldf', 'Server=db1;Password=hunter22'],
      ['restore', 'plan', '--serverr', 'mssql://sa:hunter22@db1/CRM'],
    ]) {
      const r = await run(...argv);
      const line = expectOneLineError(r, 'INPUT_BAD_OPTION');
      expect(line, argv.join(' ')).not.toContain('hunter22');
    }
  });

  it('redacts a password in the --report of a refused run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-report-secret-'));
    try {
      const report = join(dir, 'report.json');
      // an unknown connection-string key after a quoted password: refused, the report says why
      const r = await run('scan', '--server', 'Server=db1;Password="hunter22";Bogus=1', '--database', 'CRM', '--report', report);
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toContain('hunter22');
      let text = '';
      try { text = readFileSync(report, 'utf8'); } catch { /* not written: nothing to leak */ }
      expect(text).not.toContain('hunter22');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
