/**
 * A fully resolved run: every value the engine uses, after scenario defaults, CLI flags and
 * `--set` overrides are applied. summary.json records it (minus the data arrays).
 */
import type { LoadedDataset } from '../data/types.js';
import type { CostModelParams } from '../sim/cost-model.js';
import type { PhaseState, Strategy, StrategySettings } from '../strategies/strategy.js';
import type { ModelConfig } from '../model/model-config.js';
import type { RoundRules } from '../../actors/server.js';
import type { TimelineEvent } from '../protocol/timeline.js';

/** Everything one simulation run needs. */
export interface RunConfig {
  scenario: string;
  seed: number;
  strategy: Strategy<PhaseState>;
  settings: StrategySettings;
  rules: RoundRules;
  cost: CostModelParams;
  model: ModelConfig;
  dataset: LoadedDataset;
  evalBatchSize: number;
  timeline: TimelineEvent[];
  /** Compute updates the virtual clock already dooms (default false: skip them; results are the same). */
  computeDoomed: boolean;
}
