/**
 * Sample-count weighted averaging (FedAvg), per module over the replies that carry it: the default
 * rule of the aggregation seam (./aggregators). A module no reply carries keeps its global value,
 * so a module a client did not train is untouched. Sums run in client-id order in float64.
 */
import type { WeightMap } from '../core/weights.js';
import { aggregate } from './aggregators/index.js';
import type { UpdateReply } from './strategy.js';

export { byClientId } from './aggregators/index.js';

/** Weighted average of the replies over `global`'s keys; with `onlyModules`, keys of other modules are left as they are. */
export function weightedAverage(global: WeightMap, replies: readonly UpdateReply[], onlyModules?: readonly string[]): WeightMap {
  return aggregate(undefined, global, replies, onlyModules).weights;
}
