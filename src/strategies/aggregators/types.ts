/**
 * The aggregation seam: every strategy turns accepted replies into weights through an Aggregator,
 * per module (a module is averaged over the replies that carry it, as modality-wise FL needs), and
 * the aggregator says which clients it left out or down-weighted and why.
 */
import type { WeightMap } from '../../core/weights.js';

/** One client's update as aggregation sees it. */
export interface UpdateReply {
  clientId: string;
  numSamples: number;
  weights: WeightMap;
  meanLoss: number;
}

/** A client the aggregator dropped or down-weighted for one module. */
export interface AggregationNote {
  clientId: string;
  module: string;
  /** 'excluded': not used at all; 'down-weighted': used with a smaller influence (e.g. clipped). */
  effect: 'excluded' | 'down-weighted';
  reason: string;
}

/** The result of aggregating one module. */
export interface ModuleAggregate {
  /** New values of the module's keys. */
  weights: WeightMap;
  notes: AggregationNote[];
}

/** An aggregation rule applied to one module's replies (holders sorted by client id, n >= 1). */
export interface Aggregator {
  readonly name: string;
  aggregateModule(module: string, keys: readonly string[], global: WeightMap, holders: readonly UpdateReply[]): ModuleAggregate;
}

/** Which aggregator and its settings (scenario `server.aggregator`). */
export interface AggregatorSpec {
  name: 'fedavg' | 'median' | 'trimmed-mean' | 'krum' | 'multi-krum' | 'norm-clip';
  /** Krum / multi-krum: attackers assumed (f). */
  f?: number;
  /** Trimmed mean: share trimmed from each side per coordinate, in [0, 0.5). */
  beta?: number;
  /** Norm clip: largest allowed distance of an update from the global model (τ). */
  tau?: number;
}
