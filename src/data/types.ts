/**
 * The in-memory dataset contract shared by the synthetic generator, the FedMultimodal and NPY
 * loaders, the trainer workers and the engine. Feature arrays are backed by SharedArrayBuffers so
 * every worker sees one copy; tasks name sample indices, never carry samples.
 */
import type { ClientRows } from './client-rows.js';

/** A padded sequence feature: `data` is [numSamples, frames, dims] row-major; `lengths[i]` <= frames. */
export interface SequenceBlock {
  /** Maximum frames (padding length). */
  frames: number;
  /** Feature size per frame. */
  dims: number;
  /** Float32 view over a SharedArrayBuffer, length numSamples * frames * dims. Padding frames are 0. */
  data: Float32Array;
  /** Int32 view over a SharedArrayBuffer: valid frames per sample (0 = modality absent for that sample). */
  lengths: Int32Array;
}

/** Every sample of a dataset (train, dev and test together), addressed by index. */
export interface FeatureStore {
  /** Dataset name (e.g. `synthetic`, `ucf101`). */
  name: string;
  numSamples: number;
  numClasses: number;
  /** Human-readable class names, length numClasses. */
  classNames: string[];
  /** Int32 view over a SharedArrayBuffer: label per sample in [0, numClasses). */
  labels: Int32Array;
  audio: SequenceBlock;
  /** Null when the dataset has no video at all. */
  video: SequenceBlock | null;
  /** Optional sample keys (file keys from the source data), for error messages and reports. */
  keys?: string[];
}

/** One client's local data. */
export interface ClientData {
  /** Client id; ids sort as strings (FedMultimodal convention). */
  id: string;
  /** Indices into the FeatureStore of this client's training samples. */
  train: number[];
  /** Whether the client holds video (a client without video lacks it for all its samples). */
  hasVideo: boolean;
  /** Whether the client holds audio. */
  hasAudio: boolean;
}

/** A federated split of a FeatureStore: clients plus the server-side dev and test sets. */
export interface FederatedSplit {
  /** Clients, sorted by id as strings. */
  clients: ClientData[];
  /** Indices of the dev set (used to pick the round whose test score is reported). */
  dev: number[];
  /** Indices of the test set. */
  test: number[];
}

/** A dataset ready for simulation. */
export interface LoadedDataset {
  store: FeatureStore;
  split: FederatedSplit;
  /** Where it came from, recorded in summary.json (e.g. `synthetic`, `fedmultimodal:/path`). */
  source: string;
  /**
   * A population declared by count (see counted-population.ts), held as compact rows; its clients are
   * not listed in `split.clients` (empty then). Read clients through `populationOf` either way.
   */
  population?: ClientRows;
}
