/**
 * A population declared as a count, for engine studies with the fake trainer: `clients` clients
 * whose ids are their zero-padded ranks (so string order is rank order), each with a sample count
 * drawn uniformly in [min, max] by keyedUniform(seed, 'client-size', id), audio only.
 * Nothing per client is kept but the rows' typed arrays: a client's sample indices are computed
 * when it is contacted, as a run of consecutive indices (wrapping) into a small shared pool of
 * samples. Device classes come from the scenario's population model (per client id, seeded), as
 * for any population.
 */
import { keyedUniform } from '../core/keyed-uniform.js';
import { HAS_AUDIO, type ClientRows } from './client-rows.js';
import { allocateStore } from './shared-store.js';
import type { LoadedDataset } from './types.js';

/** The scenario's `data` block for a counted population. */
export interface CountedPopulationSpec {
  kind: 'counted';
  /** Number of clients. */
  clients: number;
  /** Per-client training samples, drawn uniformly in [min, max]. */
  samplesPerClient: { min: number; max: number };
  /** Label classes of the shared sample pool. */
  numClasses: number;
  /** Samples in the shared pool that clients' indices point into. */
  poolSamples: number;
  /** Seed of the sizes (the data's own seed, as for synthetic data). */
  seed: number;
}

/** Rows of a counted population (ids, sizes, modalities) without a list of client objects. */
export function countedRows(spec: CountedPopulationSpec): ClientRows {
  const { clients: size, samplesPerClient: { min, max }, poolSamples, seed } = spec;
  const width = String(Math.max(0, size - 1)).length;
  const idAt = (r: number) => String(r).padStart(width, '0');
  const numSamples = new Int32Array(size);
  const starts = new Float64Array(size);
  let next = 0;
  for (let r = 0; r < size; r++) {
    numSamples[r] = min + Math.floor(keyedUniform(seed, 'client-size', idAt(r)) * (max - min + 1));
    starts[r] = next;
    next = (next + numSamples[r]) % poolSamples;
  }
  const rankOf = (id: string): number => {
    if (id.length !== width || !/^\d+$/.test(id)) return -1;
    const r = Number(id);
    return r < size ? r : -1;
  };
  return {
    size,
    idAt,
    rankOf,
    numSamples,
    modal: new Uint8Array(size).fill(HAS_AUDIO),
    sampleIndicesAt: (r) => Array.from({ length: numSamples[r] }, (_, j) => (starts[r] + j) % poolSamples),
  };
}

/** The dataset of a counted population: a small audio-only sample pool, its dev and test sets, the rows. */
export function countedPopulation(spec: CountedPopulationSpec): LoadedDataset {
  const heldOut = 16;
  const store = allocateStore({ name: 'counted', numSamples: spec.poolSamples + 2 * heldOut, numClasses: spec.numClasses, audio: { frames: 1, dims: 1 }, video: null });
  for (let i = 0; i < store.numSamples; i++) store.labels[i] = i % spec.numClasses;
  const held = (k: number) => Array.from({ length: heldOut }, (_, i) => spec.poolSamples + k * heldOut + i);
  return { store, source: `counted:${spec.clients}`, split: { clients: [], dev: held(0), test: held(1) }, population: countedRows(spec) };
}
