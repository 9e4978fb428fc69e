/**
 * Coordinate-wise median (Yin et al., 2018): each coordinate is the median of the holders' values
 * (the mean of the two middle values for an even count); unweighted by design, since a weight is
 * what an attacker would inflate. Ties need no rule: equal values give the same median.
 */
import type { WeightMap } from '../../core/weights.js';
import type { Aggregator } from './types.js';

/** Median of `values` (sorted in place). */
export function median(values: Float64Array): number {
  values.sort();
  const n = values.length;
  return n % 2 === 1 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/** Coordinate-wise median of the holders. */
export const medianAggregator: Aggregator = {
  name: 'median',
  aggregateModule: (_module, keys, global, holders) => {
    const weights: WeightMap = {};
    const column = new Float64Array(holders.length);
    for (const key of keys) {
      const out = new Float32Array(global[key].length);
      for (let i = 0; i < out.length; i++) {
        holders.forEach((r, j) => (column[j] = r.weights[key][i]));
        out[i] = median(column);
      }
      weights[key] = out;
    }
    return { weights, notes: [] };
  },
};
