/**
 * Samples whose features are read on first use. A lazily loaded store has its SharedArrayBuffers
 * reserved for the whole dataset up front (pages never written stay out of the resident set), its
 * labels and lengths filled, and its features filled only for the samples `ensure` is asked for:
 * the dev and test sets at load, a client's training samples on the client's first contact. The
 * filling happens on the main thread before the task naming those samples is posted to a worker,
 * so postMessage orders the writes before the worker's reads and no new message is needed.
 *
 * A store's loader is kept beside it (a WeakMap, as prepare-dataset.ts keeps the data spec): the
 * store itself crosses to workers by structured clone and must stay plain data.
 */
import { ConfigError } from '../core/errors.js';
import type { FeatureStore } from './types.js';

/** Reads the features of `samples` (sorted, none loaded yet) into the store; throws a DataError naming the file. */
export type FillSamples = (samples: readonly number[]) => void;

/** The lazily read part of one store. */
export class LazySamples {
  private readonly loaded: Uint8Array;
  private count = 0;
  private residentSamples: readonly number[] = [];
  private residentFlags: Uint8Array | null = null;

  /**
   * @param numSamples the store's sample count
   * @param fill reads the missing samples it is given (already widened to whole units by `unitOf`)
   * @param unitOf optional: the samples read together with a sample (its client's file), so one read fills them all
   */
  constructor(
    numSamples: number,
    private readonly fill: FillSamples,
    private readonly unitOf?: (sample: number) => readonly number[],
  ) {
    this.loaded = new Uint8Array(numSamples);
  }

  /** Whether sample `i`'s features are in the store. */
  isLoaded(i: number): boolean {
    return this.loaded[i] === 1;
  }

  /** Samples whose features are in the store. */
  get loadedCount(): number {
    return this.count;
  }

  /** The samples read at load (dev and test), in index order: the part of the store its content hash covers. */
  get resident(): readonly number[] {
    return this.residentSamples;
  }

  /** Whether sample `i` was read at load (see `resident`). */
  isResident(i: number): boolean {
    return this.residentFlags?.[i] === 1;
  }

  /** Records the samples read so far as the resident ones (called once the loader is done). */
  markResident(): void {
    const out: number[] = [];
    this.loaded.forEach((v, i) => {
      if (v === 1) out.push(i);
    });
    this.residentSamples = out;
    this.residentFlags = this.loaded.slice();
  }

  /** Fills every sample of `indices` not yet in the store (synchronously); a bad file throws its DataError and marks nothing. */
  ensure(indices: readonly number[]): void {
    let missing: number[] | null = null;
    for (const i of indices) {
      if (this.loaded[i] === 1) continue;
      // Out-of-range indices are left to the task's own check (check-task.ts), which names them.
      if (!(i >= 0 && i < this.loaded.length)) continue;
      (missing ??= []).push(i);
    }
    if (missing === null) return;
    const wanted = new Set<number>();
    for (const i of missing) {
      if (wanted.has(i)) continue; // its unit is in already
      for (const j of this.unitOf ? this.unitOf(i) : [i]) if (this.loaded[j] !== 1) wanted.add(j);
    }
    const samples = [...wanted].sort((a, b) => a - b);
    this.fill(samples);
    for (const j of samples) this.loaded[j] = 1;
    this.count += samples.length;
  }
}

const registry = new WeakMap<FeatureStore, LazySamples>();

/** Marks `store` as lazily loaded through `lazy`; what `lazy` holds by now is its resident part. */
export function registerLazySamples(store: FeatureStore, lazy: LazySamples): void {
  lazy.markResident();
  registry.set(store, lazy);
}

/** The lazy loader of `store`, or undefined when every feature was read at load (eager). */
export function lazySamplesOf(store: FeatureStore): LazySamples | undefined {
  return registry.get(store);
}

/** Fills `indices` of `store` if it is lazily loaded (no-op for an eager store). */
export function ensureSamples(store: FeatureStore, indices: readonly number[]): void {
  registry.get(store)?.ensure(indices);
}

/** How a dataset's features are read: all at load, or per client on first contact. */
export type LoadMode = 'eager' | 'lazy';

/** Throws a ConfigError unless `load` is undefined, `eager` or `lazy`. */
export function checkLoadMode(load: unknown, source: string): void {
  if (load !== undefined && load !== 'eager' && load !== 'lazy') throw new ConfigError(source, 'load', load, "'eager' (every feature read at load) or 'lazy' (a client's on first contact)");
}
