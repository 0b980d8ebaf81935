import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) beside the module `here` (its
 * import.meta.url): the compiled `name.js` when `here` is JavaScript (dist/), or — when `here` is
 * the TypeScript source run through tsx or vitest — a bootstrap that registers tsx's ESM loader in
 * the worker (workers do not inherit the parent's loader hooks) and then imports `name.ts`.
 * Throws what the Worker constructor throws (e.g. ERR_WORKER_INIT_FAILED).
 */
export function spawnModuleWorker(here: string, name: string, workerData: unknown): Worker {
  if (!/\.ts$/.test(new URL(here).pathname)) return new Worker(new URL(`./${name}.js`, here), { workerData });
  // tsx's ESM API entry, from its package exports (require.resolve would give the CommonJS one).
  const pkgPath = createRequire(here).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
  const entry = new URL(`./${name}.ts`, here).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
