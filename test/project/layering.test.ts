import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering the project keeps (README's brief: reconstruct at the bottom; datafile, logreader,
 * backup; recover; staging, reinsert, worker; api and cli on top): data flows one way, so no module
 * imports at run time from a layer above its own. Modules of one layer may import each other.
 * `import type` / `export type` lines are erased by the compiler; they are held to the same rule
 * but for the exceptions named in TYPE_EXCEPTIONS (types a lower layer still borrows from above).
 */
const RANK: Record<string, number> = {
  'errors.ts': 0,
  util: 0,
  reconstruct: 1,
  datafile: 2,
  logreader: 2,
  backup: 2,
  recover: 3,
  restore: 4,
  replay: 4,
  staging: 4,
  reinsert: 5,
  worker: 6,
  api: 7,
  cli: 7,
};

/**
 * Type-only imports from a layer above, known and left: the live query's row mapper builds the
 * recovery layer's RowCandidate, and the CSV writer takes the decoder's SqlValue. Each must still
 * exist (a stale entry fails too), so the list only shrinks.
 */
const TYPE_EXCEPTIONS = ['logreader/live/map-row.ts imports ../../recover/source.js (logreader → recover)', 'util/csv.ts imports ../reconstruct/values.js (util → reconstruct)'];

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The top folder of src/ (or the file, for files directly in src/) a path belongs to. */
function areaOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0]!;
}

/** Relative module specifiers a file imports at run time: static imports/exports (not type-only) and dynamic import(). */
export function runtimeImports(text: string): string[] {
  const out: string[] = [];
  // static: `import … from '…'`, `export … from '…'`, `import '…'`, not `import type` / `export type`
  for (const m of text.matchAll(/^\s*(import|export)\s+(?!type\s)([^;'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) out.push(m[3]!);
  for (const m of text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Relative module specifiers a file imports for types only (`import type`, `export type`). */
export function typeImports(text: string): string[] {
  return [...text.matchAll(/^\s*(import|export)\s+type\s[^;'"]*?\sfrom\s+['"](\.[^'"]+)['"]/gm)].map((m) => m[2]!);
}

/** `FILE imports SPEC (from → to)` for every import of `kind` reaching a layer above the file's. */
function upward(imports: (text: string) => string[]): string[] {
  const violations: string[] = [];
  for (const file of tsFiles(SRC)) {
    const from = areaOf(file);
    for (const spec of imports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) continue;
      const to = areaOf(target.replace(/\.js$/, '.ts'));
      if ((RANK[to] ?? -1) > (RANK[from] ?? -1)) violations.push(`${relative(SRC, file)} imports ${spec} (${from} → ${to})`);
    }
  }
  return violations;
}

describe('src layering (reads src/ as it is)', () => {
  it('reads import lines as the checker means to (type-only left out, dynamic kept)', () => {
    const text = [
      "import { a } from '../recover/x.js';",
      "import type { B } from '../api/y.js';",
      "export type { C } from '../cli/z.js';",
      "export { d } from './w.js';",
      "const m = await import('../worker/v.js');",
      "import {\n  e,\n  f,\n} from '../staging/u.js';",
    ].join('\n');
    expect(runtimeImports(text)).toEqual(['../recover/x.js', './w.js', '../staging/u.js', '../worker/v.js']);
  });

  it('every src area has a rank', () => {
    const areas = new Set(tsFiles(SRC).map(areaOf));
    expect([...areas].filter((a) => !(a in RANK))).toEqual([]);
  });

  it('no module imports at run time from a layer above its own', () => {
    expect(upward(runtimeImports)).toEqual([]);
  });

  it('type-only imports from a layer above: only the named exceptions, each still there', () => {
    expect(typeImports("import type { A } from '../x.js';\nexport type { B } from './y.js';\nimport { c } from '../z.js';")).toEqual(['../x.js', './y.js']);
    expect(upward(typeImports).sort()).toEqual([...TYPE_EXCEPTIONS].sort());
  });
});
