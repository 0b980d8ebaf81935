import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

/**
 * A Ctrl-C / SIGTERM while `scan` opens its files (a backup's layout, a data file's catalog: seconds
 * for a large backup). The scan caught signals only once its files were open, so one that came
 * while they were ended the process through bin/rowback.js's start-up listener ("INTERRUPTED by
 * SIGINT while starting: nothing was read or written", exit 130) and --report was not written: an
 * earlier run's report stayed at that path, and a script reading its `"complete": true` took the
 * stopped scan for a whole one (seen with the real CLI: `scan --mdf NORTHWND.MDF --ldf
 * NORTHWND_log.ldf --report R` sent SIGINT 0.45 s in). Here, in-process, the signal is emitted at the
 * end of the opening (open-source.ts openSource, wrapped): with no listener of the scan's yet it went
 * nowhere and the scan ran on to "complete": true. Now it is the scan's interruption, said as log and
 * dump say one while they check their inputs: INTERRUPTED, exit 130, no row written (an earlier --out
 * file left as it was), the report `complete: false, interrupted: "SIGINT"`.
 */
const state = vi.hoisted(() => ({ signalWhileOpening: false }));
vi.mock('../../src/recover/open-source.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/recover/open-source.js')>();
  return {
    ...real,
    openSource: async (...args: Parameters<typeof real.openSource>) => {
      const opened = await real.openSource(...args);
      if (state.signalWhileOpening) process.emit('SIGINT', 'SIGINT');
      return opened;
    },
  };
});

const run = captureCli();

describeCorpus('scan: a signal while its files are opened', () => {
  // the test runner's own SIGINT listeners are set aside while the signal is emitted (only the scan's hear it)
  let setAside: NodeJS.SignalsListener[] = [];
  afterEach(() => {
    state.signalWhileOpening = false;
    for (const l of setAside) process.on('SIGINT', l);
    setAside = [];
  });

  it('is INTERRUPTED, exit 130, --report says complete false, interrupted (an earlier report there is replaced), an earlier --out file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-signal-opening-'));
    const report = join(dir, 'report.json');
    writeFileSync(report, JSON.stringify({ complete: true, incomplete: [] }));
    const out = join(dir, 'rows.ndjson');
    writeFileSync(out, '{"earlier":1}\n');
    const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    setAside = process.listeners('SIGINT') as NodeJS.SignalsListener[];
    process.removeAllListeners('SIGINT');
    state.signalWhileOpening = true;
    const r = await run('scan', '--quiet', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--report', report, '--out', out);
    expect(process.listenerCount('SIGINT')).toBe(0); // the scan's listener is gone again
    expect(r.code).toBe(130);
    expect(r.stderr).toBe(`rowback scan: INTERRUPTED by SIGINT: stopped while the files were opened, before the log was read; no row was written (${out} left as it was)\n`);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: false, interrupted: 'SIGINT', rows: 0, incomplete: [] });
    expect(readFileSync(out, 'utf8')).toBe('{"earlier":1}\n');
  });

  it('without a signal the same scan is whole (the wrapper changes nothing else)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rowback-signal-opening-'));
    const report = join(dir, 'report.json');
    const A = (f: string) => corpusPath('AngularJs_CRUD', 'App_Data', f);
    const r = await run('scan', '--quiet', '--mdf', A('Database1.mdf'), '--ldf', A('Database1_log.ldf'), '--report', report, '--out', join(dir, 'rows.ndjson'));
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ complete: true, rows: 16 });
  });
});
