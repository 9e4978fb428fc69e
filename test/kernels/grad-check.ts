/**
 * Helpers for kernel gradient tests: seeded random arrays, relative max error, and a central finite
 * difference of a float64 JS reference loss at sampled coordinates.
 */
import { openStream } from '../../src/core/seed-streams.js';

/** `size` normal draws × `scale` from the stream `key`. */
export function randomArray(size: number, key: string, scale = 1): Float32Array {
  const s = openStream(key);
  return Float32Array.from({ length: size }, () => s.normal() * scale);
}

/** max |a - b| / max(|b|, floor): the error relative to the reference's largest entry. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  if (a.length !== b.length) throw new Error(`relativeError: lengths ${a.length} and ${b.length} differ`);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/**
 * Checks `grad` (analytic, float32) against central differences of `loss` (float64) at `samples`
 * coordinates of `values` drawn from the stream `key`; returns the largest error relative to the
 * largest |grad| entry. `values` is restored afterwards.
 */
export function finiteDifferenceError(
  loss: () => number,
  values: Float64Array,
  grad: ArrayLike<number>,
  samples: number,
  key: string,
  eps = 1e-5,
): number {
  const s = openStream(key);
  let scale = 1e-6;
  for (let i = 0; i < grad.length; i++) scale = Math.max(scale, Math.abs(grad[i]));
  let worst = 0;
  for (let n = 0; n < samples; n++) {
    const i = s.int(values.length);
    const keep = values[i];
    values[i] = keep + eps;
    const up = loss();
    values[i] = keep - eps;
    const down = loss();
    values[i] = keep;
    worst = Math.max(worst, Math.abs((up - down) / (2 * eps) - grad[i]) / scale);
  }
  return worst;
}
