/**
 * Turns a validated scenario (after overrides) and its loaded dataset into the RunConfig the engine
 * runs: rounds per phase, model sizes from the data, hyper-parameters, cost model and timeline.
 */
import type { LoadedDataset } from '../data/types.js';
import type { Scenario } from '../scenario/schema.js';
import { STRATEGIES } from '../strategies/registry.js';
import type { PhaseState, Strategy } from '../strategies/strategy.js';
import type { InitScheme, ModelConfig, SequencePooling } from '../model/model-config.js';
import type { RunConfig } from './run-config.js';
import { withVideoMissingRate } from '../scenario/prepare-dataset.js';
import { costModelFor } from './cost-model-for.js';
import { resolveTimeline } from './resolve-timeline.js';
import { populationOf } from '../data/client-rows.js';
import { driverFor } from '../../actors/drivers.js';

/** FedMultimodal's model sizes, used where a scenario sets none. */
export const FEDMULTIMODAL_MODEL = {
  convChannels: [32, 64, 128], kernelSize: 5, audioGruUnits: 128, videoGruUnits: 128, headHidden: 64, dropout: 0.1,
  pooling: 'fedmultimodal' as SequencePooling, init: 'pytorch' as InitScheme,
};

/** Rounds for each phase of a method with `phases` phases. */
export function phaseRounds(scenario: Scenario, phases: number): number[] {
  const { rounds, phaseRounds: explicit, budget } = scenario.algorithm;
  const split = budget === 'equal' ? Array.from({ length: phases }, (_, i) => Math.floor(rounds / phases) + (i < rounds % phases ? 1 : 0)) : Array(phases).fill(rounds);
  return split.map((r, i) => explicit?.[i] ?? r);
}

/** Model sizes: shapes from the data, widths from the scenario or FedMultimodal's defaults. */
export function modelConfigFor(scenario: Scenario, dataset: LoadedDataset): ModelConfig {
  const m = { ...FEDMULTIMODAL_MODEL, ...scenario.model };
  const { store } = dataset;
  return {
    numClasses: store.numClasses,
    audio: { frames: store.audio.frames, dims: store.audio.dims, convChannels: m.convChannels, kernelSize: m.kernelSize, gruUnits: m.audioGruUnits },
    video: { frames: store.video?.frames ?? 1, dims: store.video?.dims ?? 1, gruUnits: m.videoGruUnits },
    headHidden: m.headHidden,
    dropout: m.dropout,
    pooling: m.pooling,
    init: m.init,
  };
}

/**
 * The parameters `strategy` reads: its defaults, overridden by the scenario's values. A value set
 * for another method of a grid (`--set mu=0.1` beside UniFL) is left out, so a run's summary lists
 * only what its method used.
 */
function paramsOf(strategy: Strategy<PhaseState>, given: Record<string, number>): Record<string, number> {
  return { ...strategy.defaults, ...Object.fromEntries(Object.entries(given).filter(([name]) => name in strategy.defaults)) };
}

/** Builds the RunConfig for one run of `scenario` on `dataset` (already loaded). */
export function buildRunConfig(scenario: Scenario, dataset: LoadedDataset, source: string): RunConfig {
  const strategy = STRATEGIES[scenario.algorithm.name];
  const runData = withVideoMissingRate(dataset, scenario.videoMissingRate, scenario.seed);
  const rounds = phaseRounds(scenario, strategy.phases.length);
  const config: RunConfig = {
    scenario: scenario.name,
    seed: scenario.seed,
    strategy,
    settings: {
      seed: scenario.seed,
      hyper: { ...scenario.training },
      rounds,
      params: paramsOf(strategy, scenario.algorithm.params),
      server: scenario.server.optimizer === 'fedopt' ? { kind: 'fedopt', lr: scenario.server.lr, momentum: scenario.server.momentum } : { kind: 'fedavg' },
      aggregator: { ...scenario.server.aggregator },
    },
    rules: { ...scenario.rounds },
    cost: costModelFor(scenario),
    model: modelConfigFor(scenario, runData),
    dataset: runData,
    evalBatchSize: scenario.evalBatchSize,
    timeline: resolveTimeline(scenario, runData, strategy, source, rounds),
    computeDoomed: false,
  };
  // A driver refuses round rules or settings it cannot apply (e.g. over-selection under FedBuff).
  driverFor(strategy).check?.(config.rules, config.settings, populationOf(runData).size, source);
  return config;
}
