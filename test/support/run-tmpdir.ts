/**
 * vitest globalSetup: every test run gets its own temporary folder (TMPDIR, and TMP/TEMP for
 * Windows), removed when the run ends. Tests make temporary files freely (mkdtempSync(tmpdir()),
 * spill files, SYNTHETIC logs, browser profiles); before, what a test did not remove stayed in the
 * machine's temporary folder for good (3,868 rowback-* folders had piled up on the project's
 * machine). Workers are started after this runs and inherit the variables. Set
 * ROWBACK_KEEP_TEST_TMP=1 to keep the folder for a look after a failure (its path is printed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'rowback-test-run-'));
  for (const v of ['TMPDIR', 'TMP', 'TEMP']) process.env[v] = dir;
  return () => {
    if (process.env.ROWBACK_KEEP_TEST_TMP === '1') {
      process.stderr.write(`test temporary folder kept: ${dir}\n`);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
