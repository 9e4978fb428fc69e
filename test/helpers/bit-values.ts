/** Test inputs and bit-for-bit comparison for the wasm kernels' same-bits tests. */
import { expect } from 'vitest';
import { openStream } from '../../src/core/seed-streams.js';

/** Signed values in [-1, 1) from stream `key`, about a third exact zeros (ReLU outputs and masked gradients are full of them). */
export function signedValues(n: number, key: string): Float32Array {
  const stream = openStream(key);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = stream.next();
    out[i] = u < 0.33 ? 0 : stream.next() * 2 - 1;
  }
  return out;
}

/** Elements where two arrays differ as bits (Object.is: -0 ≠ +0, NaN = NaN); the lengths must match. */
export function bitDiffs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}
