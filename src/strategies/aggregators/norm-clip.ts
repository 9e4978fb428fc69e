/**
 * Norm clipping (Sun et al., 2019): each update's distance from the global model (over the
 * module's keys) is clipped to τ, then the clipped updates are averaged (sample-weighted):
 * global + Σ share·clip(w − global). A clipped client is reported as down-weighted with its norm.
 */
import { squaredDistance, weightedMean } from './weighted-mean.js';
import type { Aggregator, AggregationNote } from './types.js';

/** Norm clipping at `tau` (> 0). */
export function normClipAggregator(tau: number): Aggregator {
  if (!(tau > 0)) throw new Error(`norm-clip: tau = ${tau} must be > 0`);
  return {
    name: 'norm-clip',
    aggregateModule: (module, keys, global, holders) => {
      const notes: AggregationNote[] = [];
      const scale = new Map<string, number>();
      for (const r of holders) {
        const norm = Math.sqrt(squaredDistance(r.weights, global, keys));
        const s = norm > tau ? tau / norm : 1;
        scale.set(r.clientId, s);
        if (s < 1) notes.push({ clientId: r.clientId, module, effect: 'down-weighted', reason: `update norm ${norm.toPrecision(4)} clipped to ${tau}` });
      }
      const clipped = (r: (typeof holders)[number], key: string) => {
        const s = scale.get(r.clientId)!;
        const g = global[key];
        const w = r.weights[key];
        const out = new Float64Array(g.length);
        for (let i = 0; i < g.length; i++) out[i] = g[i] + s * (w[i] - g[i]);
        return out;
      };
      return { weights: weightedMean(keys, global, holders, clipped), notes };
    },
  };
}
