/**
 * Deterministic pseudo-random numbers for SYNTHETIC property tests (mulberry32): the same seed
 * gives the same sequence, so a failure names a reproducible case. Returns numbers in [0, 1).
 */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
