/** FedAvg: the sample-weighted mean of every holder's update (McMahan et al.); the default. */
import type { Aggregator } from './types.js';
import { weightedMean } from './weighted-mean.js';

/** Sample-weighted mean; never leaves anyone out. */
export const fedavgAggregator: Aggregator = {
  name: 'fedavg',
  aggregateModule: (_module, keys, global, holders) => ({ weights: weightedMean(keys, global, holders), notes: [] }),
};
