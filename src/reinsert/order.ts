import { NameIndex } from '../reconstruct/metadata/names.js';
import type { ForeignKey } from './target-table.js';

/** Name order, letter case aside (ties, names differing only in case, in code-unit order): a stable order for ties. */
const byName = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

export interface TableOrder {
  /** Parents before children. Tables in a cycle come last, in name order. */
  order: string[];
  /** Each foreign-key cycle among the tables (self-references excluded: a row's parent may be in the same batch). */
  cycles: string[][];
}

/**
 * Orders tables so every referenced (parent) table comes before the tables that reference it
 * (Kahn's algorithm over sys.foreign_keys edges restricted to `tables`; ties broken by name so
 * the order is stable). Self-references are ignored here; rows of a self-referencing table are
 * ordered by the planner (plan.ts parentsFirst, from the key's columns). Cycles are reported, never silently broken.
 */
export function orderTables(tables: string[], fks: ForeignKey[]): TableOrder {
  // Tables by their exact names; a foreign key's table names matched exactly first, then in another
  // case when one table has it (names.ts): a case-sensitive database may hold dbo.T and dbo.t, which
  // a lowercased key made one node (one of them was then never ordered).
  const index = new NameIndex(tables, (t) => t);
  const key = (t: string): string | undefined => index.match(t).found;
  const names = new Map(tables.map((t) => [t, t]));
  const parents = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  for (const t of names.keys()) { parents.set(t, new Set()); children.set(t, new Set()); }
  for (const fk of fks) {
    const c = key(fk.child);
    const p = key(fk.parent);
    if (c === undefined || p === undefined || c === p) continue;
    parents.get(c)!.add(p);
    children.get(p)!.add(c);
  }
  const indegree = new Map([...parents].map(([t, ps]) => [t, ps.size]));
  const ready = [...indegree].filter(([, n]) => n === 0).map(([t]) => t).sort(byName);
  const order: string[] = [];
  while (ready.length) {
    const t = ready.shift()!;
    order.push(t);
    for (const c of [...children.get(t)!].sort(byName)) {
      const n = indegree.get(c)! - 1;
      indegree.set(c, n);
      if (n === 0) { ready.push(c); ready.sort(byName); }
    }
  }
  const left = [...indegree].filter(([t]) => !order.includes(t)).map(([t]) => t);
  const cycles = findCycles(left, parents);
  return { order: [...order, ...left.sort(byName)], cycles };
}

/** Strongly connected components (Tarjan) of size > 1 among the leftover tables. */
function findCycles(nodes: string[], parents: Map<string, Set<string>>): string[][] {
  const set = new Set(nodes);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of parents.get(v) ?? []) {
      if (!set.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort(byName));
    }
  };
  for (const n of [...nodes].sort(byName)) if (!idx.has(n)) visit(n);
  return out;
}
