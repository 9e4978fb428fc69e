/**
 * The aggregation seam every strategy goes through: `aggregate(spec, global, replies, modules)`
 * applies the chosen rule module by module (each over the replies that carry it, in client-id
 * order) and returns the new weights with the aggregator's notes.
 */
import type { WeightMap } from '../../core/weights.js';
import { moduleOf, sortKeys } from '../../core/weights.js';
import type { UpdateReply } from './types.js';
import { fedavgAggregator } from './fedavg.js';
import { krumAggregator } from './krum.js';
import { medianAggregator } from './median.js';
import { normClipAggregator } from './norm-clip.js';
import { trimmedMeanAggregator } from './trimmed-mean.js';
import type { AggregationNote, Aggregator, AggregatorSpec } from './types.js';

export type { AggregationNote, Aggregator, AggregatorSpec, UpdateReply } from './types.js';

/** Names of the aggregation rules. */
export const AGGREGATOR_NAMES: readonly AggregatorSpec['name'][] = ['fedavg', 'median', 'trimmed-mean', 'krum', 'multi-krum', 'norm-clip'];

/** The rule a spec names, with its settings (defaults: f = 1, beta = 0.1, tau = 1). */
export function aggregatorFor(spec: AggregatorSpec | undefined): Aggregator {
  switch (spec?.name ?? 'fedavg') {
    case 'fedavg': return fedavgAggregator;
    case 'median': return medianAggregator;
    case 'trimmed-mean': return trimmedMeanAggregator(spec?.beta ?? 0.1);
    case 'krum': return krumAggregator(spec?.f ?? 1, false);
    case 'multi-krum': return krumAggregator(spec?.f ?? 1, true);
    case 'norm-clip': return normClipAggregator(spec?.tau ?? 1);
    default: throw new Error(`aggregator ${JSON.stringify(spec?.name)} is not one of ${AGGREGATOR_NAMES.join(', ')}`);
  }
}

/** Replies sorted by client id as strings (the summation order). */
export function byClientId(replies: readonly UpdateReply[]): UpdateReply[] {
  return replies.slice().sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

/**
 * Aggregates `replies` into `global` with `spec`'s rule, module by module over the replies that
 * carry the module; modules nobody sent (or outside `onlyModules`) keep their global values.
 */
export function aggregate(spec: AggregatorSpec | undefined, global: WeightMap, replies: readonly UpdateReply[], onlyModules?: readonly string[]): { weights: WeightMap; notes: AggregationNote[] } {
  const rule = aggregatorFor(spec);
  const sorted = byClientId(replies).filter((r) => r.numSamples > 0);
  const allowed = onlyModules ? new Set(onlyModules) : null;
  const keysByModule = new Map<string, string[]>();
  for (const key of Object.keys(global).sort()) {
    const m = moduleOf(key);
    if (allowed && !allowed.has(m)) continue;
    keysByModule.set(m, [...(keysByModule.get(m) ?? []), key]);
  }
  const out: WeightMap = { ...global };
  const notes: AggregationNote[] = [];
  for (const [module, keys] of keysByModule) {
    const holders = sorted.filter((r) => keys.every((k) => r.weights[k] !== undefined));
    if (holders.length === 0) continue;
    for (const r of holders) {
      for (const k of keys) if (r.weights[k].length !== global[k].length) throw new Error(`client ${r.clientId}: weight ${k} has ${r.weights[k].length} values, expected ${global[k].length}`);
    }
    const result = rule.aggregateModule(module, keys, global, holders);
    Object.assign(out, result.weights);
    notes.push(...result.notes);
  }
  return { weights: sortKeys(out), notes };
}

/**
 * Sample-count weighted averaging (FedAvg), the default rule, over `global`'s keys; with
 * `onlyModules`, keys of other modules are left as they are.
 */
export function weightedAverage(global: WeightMap, replies: readonly UpdateReply[], onlyModules?: readonly string[]): WeightMap {
  return aggregate(undefined, global, replies, onlyModules).weights;
}
