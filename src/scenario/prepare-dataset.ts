/**
 * Loads a scenario's data once and derives each run's view of it: the features and partition are
 * fixed by the data (and its own seed), while which clients lack video is drawn per run from the
 * run's seed, so a sweep over missing rates and seeds reuses one store (and one worker pool).
 */
import { ConfigError } from '../core/errors.js';
import { loadDataset } from '../data/load-dataset.js';
import { missingClients } from '../data/modality-mask.js';
import { buildSyntheticDataset } from '../data/synthetic.js';
import { countedPopulation, type CountedPopulationSpec } from '../data/counted-population.js';
import type { SyntheticParamsInput } from '../data/synthetic-params.js';
import type { FeatureStore, LoadedDataset } from '../data/types.js';
import type { Scenario } from './schema.js';

/** The data block each store was loaded from (queue workers load the same data from it). */
const specs = new WeakMap<FeatureStore, Scenario['data']>();

/** The scenario data block `store` was loaded from by loadScenarioData, if it was. */
export function dataSpecOf(store: FeatureStore): Scenario['data'] | undefined {
  return specs.get(store);
}

/** Loads (or generates) the scenario's dataset with every client's own modality flags. */
export function loadScenarioData(scenario: Scenario, source: string): LoadedDataset {
  const dataset = loadData(scenario, source);
  specs.set(dataset.store, scenario.data);
  return dataset;
}

function loadData(scenario: Scenario, source: string): LoadedDataset {
  const data = scenario.data;
  if (data.kind === 'synthetic') {
    const { kind: _kind, ...params } = data as { kind: 'synthetic' } & SyntheticParamsInput;
    // Missing video is applied per run (see withVideoMissingRate), so the generator masks nothing.
    return buildSyntheticDataset({ ...params, videoMissingRate: 0, audioMissingRate: 0 }, `${source}: data`);
  }
  if (data.kind === 'counted') return countedPopulation(data as CountedPopulationSpec);
  if (data.kind === 'fedmultimodal' || data.kind === 'npy') return loadDataset(data as Parameters<typeof loadDataset>[0]);
  throw new ConfigError(source, 'data.kind', (data as { kind: unknown }).kind, "'synthetic', 'counted', 'fedmultimodal' or 'npy'");
}

/** The dataset as one run sees it: clients drawn to lack video at `rate` lose it (null = keep the data's flags). */
export function withVideoMissingRate(dataset: LoadedDataset, rate: number | null, seed: number): LoadedDataset {
  // A counted population is audio-only: nobody has video to lose.
  if (rate === null || dataset.population) return dataset;
  const missing = new Set(missingClients(dataset.split.clients.map((c) => c.id), rate, seed, 'video'));
  const clients = dataset.split.clients.map((c) => ({ ...c, hasVideo: c.hasVideo && !missing.has(c.id) && dataset.store.video !== null }));
  return { ...dataset, split: { ...dataset.split, clients } };
}
