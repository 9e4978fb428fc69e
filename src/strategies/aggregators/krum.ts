/**
 * Krum and multi-Krum (Blanchard et al., 2017). Each update's score is the sum of squared distances
 * to its n − f − 2 nearest other updates (over the module's keys); Krum keeps the one with the
 * lowest score, multi-Krum the m = n − f lowest, then averages what it kept (sample-weighted). Ties
 * go to the lower client id. Needs n >= 2f + 3 for the guarantee; with fewer updates every
 * neighbour is used (at least one). Everyone not kept is reported as excluded with its score.
 */
import type { Aggregator, AggregationNote } from './types.js';
import { squaredDistance, weightedMean } from './weighted-mean.js';

/** Krum scores of the holders over `keys` (index-aligned). */
export function krumScores(holders: ReadonlyArray<{ weights: Record<string, Float32Array> }>, keys: readonly string[], f: number): number[] {
  const n = holders.length;
  const d = holders.map((a) => holders.map((b) => (a === b ? 0 : squaredDistance(a.weights, b.weights, keys))));
  const neighbours = Math.max(1, Math.min(n - 1, n - f - 2));
  return holders.map((_, i) => d[i].filter((_, j) => j !== i).sort((x, y) => x - y).slice(0, neighbours).reduce((s, v) => s + v, 0));
}

/** Krum (`multi` false: keep one) or multi-Krum (keep n − f) assuming `f` attackers. */
export function krumAggregator(f: number, multi: boolean): Aggregator {
  if (!(Number.isInteger(f) && f >= 0)) throw new Error(`krum: f = ${f} must be an integer >= 0`);
  return {
    name: multi ? 'multi-krum' : 'krum',
    aggregateModule: (module, keys, global, holders) => {
      const n = holders.length;
      if (n === 1) return { weights: weightedMean(keys, global, holders), notes: [] };
      const scores = krumScores(holders, keys, f);
      const order = holders.map((_, i) => i).sort((a, b) => scores[a] - scores[b] || (holders[a].clientId < holders[b].clientId ? -1 : 1));
      const keep = new Set(order.slice(0, multi ? Math.max(1, n - f) : 1));
      const kept = holders.filter((_, i) => keep.has(i));
      const notes: AggregationNote[] = holders
        .map((r, i) => ({ r, i }))
        .filter(({ i }) => !keep.has(i))
        .map(({ r, i }) => ({ clientId: r.clientId, module, effect: 'excluded' as const, reason: `${multi ? 'multi-krum' : 'krum'} score ${scores[i].toPrecision(4)} not among the ${keep.size} lowest (f = ${f})` }));
      return { weights: weightedMean(keys, global, kept), notes };
    },
  };
}
