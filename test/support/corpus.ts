import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * The corpus of real SQL Server files lives outside the repo (licences vary):
 * `$ROWBACK_CORPUS`, else `../shared/corpus` beside the repository.
 * Under CI=true a missing corpus is a failure; elsewhere its tests are skipped, loudly.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_DIR = process.env.ROWBACK_CORPUS
  ? resolve(process.env.ROWBACK_CORPUS)
  : resolve(repoRoot, '..', 'shared', 'corpus');

export const corpusAvailable = existsSync(join(CORPUS_DIR, 'README.md'));

if (!corpusAvailable) {
  const msg = `corpus not found at ${CORPUS_DIR} (set ROWBACK_CORPUS)`;
  if (process.env.CI === 'true') throw new Error(`${msg}: under CI=true a missing corpus fails the run`);
  process.stderr.write(`\n*** SKIPPING corpus tests: ${msg} ***\n\n`);
}

/** `describe` that runs only when the corpus is there (and fails under CI when it is not). */
export const describeCorpus = corpusAvailable ? describe : describe.skip;

export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}

export function readCorpusJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(corpusPath(...parts), 'utf8')) as T;
}

export function listCorpus(...parts: string[]): string[] {
  return readdirSync(corpusPath(...parts));
}

/** Every file under the corpus folder (any depth) whose name `re` matches, as sorted paths (call inside a describeCorpus block). */
export function corpusFiles(re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (re.test(f)) out.push(p);
    }
  };
  walk(CORPUS_DIR);
  return out.sort();
}

/**
 * The corpus's RestoreTimeClean backups (appveyor-lab): the full (12:59), the differential (13:14)
 * and the six log backups of both stretches, as paths (call inside a describeCorpus block).
 */
export function restoreTimeClean(): { FULL: string; DIFF: string; LOGS: string[] } {
  const at = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);
  return {
    FULL: at('RestoreTimeClean.bak'),
    DIFF: at('RestoreTimeClean2.bak'),
    LOGS: ['RestoreTimeClean_1.trn', 'RestoreTimeClean_2.trn', 'RestoreTimeClean_3.trn', 'RestoreTimeClean2_1.trn', 'RestoreTimeClean2_2.trn', 'RestoreTimeClean2_3.trn'].map(at),
  };
}
