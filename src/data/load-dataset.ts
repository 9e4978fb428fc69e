/**
 * One entry point for every on-disk dataset format: a spec says which loader and with what options.
 * (The synthetic generator is added here as another kind by the engine's owner.)
 */
import { ConfigError } from '../core/errors.js';
import { loadFedMultimodal, type FedMultimodalOptions } from './fedmultimodal/load-fedmultimodal.js';
import { loadNpyDataset, type NpyOptions } from './npy/load-npy-dataset.js';
import type { LoadedDataset } from './types.js';

/** FedMultimodal's `output/` folder (partition JSON + feature pickles + optional simulation JSON). */
export type FedMultimodalSpec = { kind: 'fedmultimodal' } & FedMultimodalOptions;

/** An NPY dataset folder (dataset.json + .npy arrays). */
export type NpySpec = { kind: 'npy'; dir: string } & NpyOptions;

/** What to load. */
export type DatasetSpec = FedMultimodalSpec | NpySpec;

/** Loads the dataset `spec` describes; throws ConfigError for a bad spec, DataError for bad data. */
export function loadDataset(spec: DatasetSpec): LoadedDataset {
  switch (spec.kind) {
    case 'fedmultimodal': {
      const { kind: _kind, ...opts } = spec;
      return loadFedMultimodal(opts);
    }
    case 'npy': {
      const { kind: _kind, dir, ...opts } = spec;
      if (typeof dir !== 'string' || dir.length === 0) throw new ConfigError('npy dataset', 'dir', dir, 'a folder holding dataset.json');
      return loadNpyDataset(dir, opts);
    }
    default:
      throw new ConfigError('dataset spec', 'kind', (spec as { kind?: unknown }).kind, "'fedmultimodal' or 'npy'");
  }
}
