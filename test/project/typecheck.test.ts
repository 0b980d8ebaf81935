/**
 * The whole tree, tests included, typechecks under TypeScript strict (`npm run typecheck`, the
 * tsconfig.json CI did not run): npm ci's build (tsconfig.build.json) compiles src/ only, and
 * vitest strips types without checking them, so a test naming the browser's getComputedStyle,
 * which Node's types lack, passed every run while `tsc -p tsconfig.json --noEmit` failed
 * (88238386). About 17 s of one core here.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';

it('tsc -p tsconfig.json --noEmit reports no error', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { encoding: 'utf8' });
  // the errors themselves, one per line, as the failure's message
  expect(r.stdout + r.stderr, 'tsc output').toBe('');
  expect(r.status).toBe(0);
}, 180_000);
