/**
 * Loads an NPY dataset folder (dataset.json + .npy arrays; docs/data-formats.md) into a
 * LoadedDataset. Train samples go to the clients named by `clients.npy`, or, without it, to
 * `numClients` clients drawn by the Dirichlet label-skew partitioner (FedMultimodal's recipe).
 */
import { resolve } from 'node:path';
import { ConfigError, DataError } from '../../core/errors.js';
import { seedKey } from '../../core/seed-streams.js';
import { dirichletPartition } from '../dirichlet-partition.js';
import type { ClientData, FeatureStore, LoadedDataset } from '../types.js';
import { checkLoadMode, LazySamples, registerLazySamples, type LoadMode } from '../lazy-samples.js';
import { readDatasetJson } from './dataset-json.js';
import { loadNpyStore } from './load-npy-store.js';

/** Partition knobs, used only when the folder has no `clients` array. */
export interface NpyOptions {
  numClients?: number;
  /** Dirichlet concentration (FedMultimodal: 0.1 or 5.0). */
  alpha?: number;
  /** Root seed of the partition stream. */
  seed?: number | string;
  /** Every client gets at least this many train samples (default 10, FedMultimodal's value). */
  minSamples?: number;
  /** `eager` (default) reads every feature now; `lazy` reads dev and test now, a client's samples on first contact. */
  load?: LoadMode;
}

/** Reads `dir/dataset.json` and its arrays; bad data throws a DataError naming file, item and field. */
export function loadNpyDataset(dir: string, opts: NpyOptions = {}): LoadedDataset {
  checkLoadMode(opts.load, `npy dataset ${dir}`);
  const metaFile = resolve(dir, 'dataset.json');
  const meta = readDatasetJson(metaFile);
  const { store, split, clients: clientOf, fill } = loadNpyStore(resolve(dir), meta, opts.load === 'lazy');
  const bySplit = (code: number) => indicesWhere(split, (v) => v === code);
  const train = bySplit(0);
  const dev = bySplit(1);
  const test = bySplit(2);
  const splitFile = resolve(dir, meta.split);
  if (train.length === 0) throw new DataError(splitFile, null, 'split', 'no train sample (code 0)');
  if (dev.length === 0) throw new DataError(splitFile, null, 'split', 'no dev sample (code 1)');
  if (test.length === 0) throw new DataError(splitFile, null, 'split', 'no test sample (code 2)');

  let groups: Array<{ id: string; indices: number[] }>;
  let how: string;
  if (clientOf) {
    groups = groupsFromIds(clientOf, train, resolve(dir, meta.clients!), store);
    how = 'clients from file';
  } else {
    const { numClients, alpha, seed, minSamples = 10 } = opts;
    const source = `npy dataset ${dir} (no clients array)`;
    if (numClients === undefined) throw new ConfigError(source, 'numClients', numClients, 'required to partition the train samples');
    if (alpha === undefined) throw new ConfigError(source, 'alpha', alpha, 'required to partition the train samples');
    if (seed === undefined) throw new ConfigError(source, 'seed', seed, 'required to partition the train samples');
    groups = dirichletPartition(store.labels, train, numClients, alpha, seedKey(seed, 'partition', 'npy', meta.name), minSamples, { source });
    how = `dirichlet alpha=${alpha} clients=${numClients} seed=${seed}`;
  }
  const clients: ClientData[] = groups.map(({ id, indices }) => ({
    id,
    train: indices,
    hasAudio: indices.some((s) => store.audio.lengths[s] > 0),
    hasVideo: store.video !== null && indices.some((s) => store.video!.lengths[s] > 0),
  }));
  if (fill) {
    // Dev and test are scored every round: read now. Clients' samples wait for their first contact.
    const lazy = new LazySamples(store.numSamples, fill);
    lazy.ensure([...dev, ...test]);
    registerLazySamples(store, lazy);
  }
  return { store, split: { clients, dev, test }, source: `npy:${resolve(dir)} (${how})` };
}

function indicesWhere(values: Int32Array, keep: (v: number) => boolean): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (keep(v)) out.push(i);
  });
  return out;
}

/** Train samples grouped by their client id, groups sorted by id as strings. */
function groupsFromIds(clientOf: Int32Array, train: number[], file: string, store: FeatureStore): Array<{ id: string; indices: number[] }> {
  const byId = new Map<string, number[]>();
  for (const s of train) {
    const id = clientOf[s];
    if (id < 0) throw new DataError(file, store.keys?.[s] ?? `#${s}`, 'clients', `train sample has client id ${id} (must be >= 0)`);
    const key = String(id);
    if (!byId.has(key)) byId.set(key, []);
    byId.get(key)!.push(s);
  }
  return [...byId.keys()].sort().map((id) => ({ id, indices: byId.get(id)! }));
}
