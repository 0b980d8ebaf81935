/**
 * real (IEEE-754 binary32) and float (binary64), little-endian on disk.
 * real is output as the shortest decimal that reads back as the same float32 (what SSMS shows,
 * e.g. 2.71828), not the float64 widening (2.718280076980591).
 */
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeFloat(b: Uint8Array, o: number): number {
  if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) f64b[i] = b[o + i];
  else for (let i = 0; i < 8; i++) f64b[7 - i] = b[o + i];
  return f64[0];
}

export function decodeReal(b: Uint8Array, o: number): number {
  if (LITTLE_ENDIAN) for (let i = 0; i < 4; i++) f32b[i] = b[o + i];
  else for (let i = 0; i < 4; i++) f32b[3 - i] = b[o + i];
  return shortestFloat32(f32[0]);
}

/** The shortest decimal (as a number) that rounds to the same float32. */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}
