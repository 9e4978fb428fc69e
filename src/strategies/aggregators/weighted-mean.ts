/**
 * Sample-weighted mean of replies for a set of keys, accumulated in float64 in the order given
 * (client-id order), rounded to float32 once. The building block of FedAvg, Krum's average of the
 * selected updates and norm clipping.
 */
import type { WeightMap } from '../../core/weights.js';
import type { UpdateReply } from './types.js';

/** Weighted mean of `values(reply, key)` over `replies` with weights `numSamples` (or `weightOf`). */
export function weightedMean(
  keys: readonly string[],
  global: WeightMap,
  replies: readonly UpdateReply[],
  values: (reply: UpdateReply, key: string) => Float32Array | Float64Array = (r, k) => r.weights[k],
  weightOf: (reply: UpdateReply) => number = (r) => r.numSamples,
): WeightMap {
  const out: WeightMap = {};
  const total = replies.reduce((s, r) => s + weightOf(r), 0);
  for (const key of keys) {
    if (replies.length === 0 || !(total > 0)) {
      out[key] = global[key];
      continue;
    }
    const acc = new Float64Array(global[key].length);
    for (const reply of replies) {
      const w = values(reply, key);
      const share = weightOf(reply) / total;
      for (let i = 0; i < acc.length; i++) acc[i] += share * w[i];
    }
    out[key] = Float32Array.from(acc);
  }
  return out;
}

/** Squared Euclidean distance between two replies over `keys`, in float64. */
export function squaredDistance(a: WeightMap, b: WeightMap, keys: readonly string[]): number {
  let sum = 0;
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      sum += d * d;
    }
  }
  return sum;
}
