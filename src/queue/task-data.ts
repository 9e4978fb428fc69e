/**
 * The data a task names, as it travels: the scenario's `data` block. Synthetic data is regenerated
 * from its parameters (seed included); FedMultimodal and NPY data are read from a folder — the
 * coordinator's absolute path, or the folder a worker was given with `--data` (same kind only).
 */
import { resolve } from 'node:path';
import { loadScenarioData } from '../scenario/prepare-dataset.js';
import type { FeatureStore } from '../data/types.js';
import type { Scenario } from '../scenario/schema.js';

/** A scenario's data block. */
export type TaskDataSpec = Scenario['data'];

/** The spec with its folder made absolute, so a worker on this machine in another folder finds it. */
export function portableDataSpec(data: TaskDataSpec): TaskDataSpec {
  if (data.kind === 'npy') return { ...data, dir: resolve(data.dir) };
  if (data.kind === 'fedmultimodal') return { ...data, outputDir: resolve(data.outputDir) };
  return data;
}

/**
 * The spec as this worker reads it: `local` (`fedmultimodal:DIR` or `npy:DIR`, the worker's
 * `--data`) replaces the folder of a spec of that kind. Throws a one-line reason when the kinds differ.
 */
export function localDataSpec(data: TaskDataSpec, local: string | undefined): TaskDataSpec {
  if (local === undefined || data.kind === 'synthetic' || data.kind === 'counted') return data;
  const colon = local.indexOf(':');
  const kind = local.slice(0, colon);
  const dir = resolve(local.slice(colon + 1));
  if (kind !== data.kind) throw new Error(`this worker's --data is ${kind} data (${local}), the task reads ${data.kind} data`);
  if (data.kind === 'npy') return { ...data, dir };
  return data.kind === 'fedmultimodal' ? { ...data, outputDir: dir } : data;
}

/** Loads (or regenerates) the FeatureStore of a spec exactly as the coordinator did. */
export function loadTaskStore(data: TaskDataSpec): FeatureStore {
  // loadScenarioData reads only `data`: the rest of a scenario decides the split, never the features.
  return loadScenarioData({ data } as Scenario, 'queue task data').store;
}

/** A short description of a spec for logs (`synthetic seed 1`, `npy /data/x`). */
export function describeDataSpec(data: TaskDataSpec): string {
  if (data.kind === 'npy') return `npy ${data.dir}`;
  if (data.kind === 'counted') return `counted ${data.clients} clients (seed ${data.seed})`;
  if (data.kind === 'fedmultimodal') return `fedmultimodal ${data.outputDir} (${data.dataset}, alpha ${data.alpha}, fold ${data.fold})`;
  const seed = (data as { seed?: unknown }).seed;
  return `synthetic${seed === undefined ? '' : ` seed ${String(seed)}`}`;
}
