/**
 * Appends every item of `items` to `target` in order, one at a time, and returns `target`.
 *
 * `target.push(...items)` passes each item as an argument, and V8 takes about 120,000 arguments in
 * one call (node 20 here: 100,000 pass, 130,000 throw `RangeError: Maximum call stack size
 * exceeded`): a list whose length the input sets (the skipped pages of a damaged data file, the
 * skipped blocks of a log, the rows with warnings of a table) crashed the command as INTERNAL past
 * that (newcomer J, session 43: the review page's `Math.max(1, ...minutes)` at 130,000 minutes; the
 * same spread calls in src). test/project/no-spread-calls.test.ts keeps spread calls out of src.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/**
 * Appends `value` to the list `map` holds under `key` (made when new), in place, and returns that list.
 * The lists were copied whole at each item (`m.set(k, [...(m.get(k) ?? []), v])`): quadratic in the
 * items of one key (a plan of 40,000 rows with one problem code took 9.9 s in reinsert/plan.ts's
 * problemSummary alone). test/project/no-copy-append.test.ts keeps that form out of src.
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): V[] {
  const list = map.get(key);
  if (list) {
    list.push(value);
    return list;
  }
  const made = [value];
  map.set(key, made);
  return made;
}

/** The largest of `values`, or `empty` when there is none (default -Infinity, as `Math.max()`); NaN when one is NaN: `Math.max(...values)` without the argument limit (see appendAll). */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let m = empty;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** The smallest of `values`, or `empty` when there is none (default Infinity, as `Math.min()`); NaN when one is NaN: `Math.min(...values)` without the argument limit (see appendAll). */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let m = empty;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    if (v < m) m = v;
  }
  return m;
}
