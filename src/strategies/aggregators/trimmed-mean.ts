/**
 * Coordinate-wise trimmed mean (Yin et al., 2018): per coordinate, drop the floor(β·n) smallest and
 * largest values and average the rest (unweighted). β in [0, 0.5); β = 0 is the plain mean.
 */
import type { WeightMap } from '../../core/weights.js';
import type { Aggregator } from './types.js';

/** Trimmed mean with `beta` trimmed from each side. */
export function trimmedMeanAggregator(beta: number): Aggregator {
  if (!(beta >= 0 && beta < 0.5)) throw new Error(`trimmed-mean: beta = ${beta} must be in [0, 0.5)`);
  return {
    name: 'trimmed-mean',
    aggregateModule: (_module, keys, global, holders) => {
      const n = holders.length;
      const cut = Math.floor(beta * n);
      const weights: WeightMap = {};
      const column = new Float64Array(n);
      for (const key of keys) {
        const out = new Float32Array(global[key].length);
        for (let i = 0; i < out.length; i++) {
          holders.forEach((r, j) => (column[j] = r.weights[key][i]));
          column.sort();
          let sum = 0;
          for (let j = cut; j < n - cut; j++) sum += column[j];
          out[i] = sum / (n - 2 * cut);
        }
        weights[key] = out;
      }
      return { weights, notes: [] };
    },
  };
}
