/**
 * Objects keyed by column names. A column may be named `__proto__` (or `constructor`, `toString`,
 * …): `o[name] = v` on a plain object would set its prototype instead of a value (the column
 * silently vanishes from the row), and `o[name]` on an object lacking the key reads
 * Object.prototype's member instead of "absent". These helpers only ever touch own properties.
 */

/** Sets `o[key] = value` as an own, enumerable data property, whatever the key. */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** `o[key]` when `o` has it as an own property, else undefined. */
export function getOwn<T>(o: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** A new object holding `columns` in order, each `values`' own value or null. */
export function pickOwn<T>(values: Record<string, T>, columns: readonly string[]): Record<string, T | null> {
  const o: Record<string, T | null> = {};
  for (const c of columns) setOwn(o, c, getOwn(values, c) ?? null);
  return o;
}
