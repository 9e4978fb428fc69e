/**
 * Sample-count weighted averaging, per weight key over the replies that carry it. A key no reply
 * carries keeps its global value, so a module a client did not train is untouched. Sums run in
 * client-id order (replies are sorted first) so the floating-point result is reproducible.
 */
import type { WeightMap } from '../core/weights.js';
import { moduleOf, sortKeys } from '../core/weights.js';
import type { UpdateReply } from './strategy.js';

/** Replies sorted by client id as strings (the summation order). */
export function byClientId(replies: readonly UpdateReply[]): UpdateReply[] {
  return replies.slice().sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

/** Weighted average of the replies over `global`'s keys; with `onlyModules`, keys of other modules are left as they are. */
export function weightedAverage(global: WeightMap, replies: readonly UpdateReply[], onlyModules?: readonly string[]): WeightMap {
  const out: WeightMap = { ...global };
  const sorted = byClientId(replies);
  const allowed = onlyModules ? new Set(onlyModules) : null;
  for (const key of Object.keys(global)) {
    if (allowed && !allowed.has(moduleOf(key))) continue;
    const holders = sorted.filter((r) => r.weights[key] !== undefined);
    const total = holders.reduce((sum, r) => sum + r.numSamples, 0);
    if (holders.length === 0 || total === 0) continue;
    // Accumulate in float64 and round once, so the result does not depend on float32 partial sums.
    const acc = new Float64Array(global[key].length);
    for (const reply of holders) {
      const w = reply.weights[key];
      if (w.length !== acc.length) throw new Error(`client ${reply.clientId}: weight ${key} has ${w.length} values, expected ${acc.length}`);
      const share = reply.numSamples / total;
      for (let i = 0; i < acc.length; i++) acc[i] += share * w[i];
    }
    out[key] = Float32Array.from(acc);
  }
  return sortKeys(out);
}
