/**
 * A content hash of a FeatureStore: its shape, class names, labels and every feature and length
 * array, bit for bit. A worker that loaded its own copy of the data computes it and refuses tasks
 * unless it equals the coordinator's (the same data, or no result).
 *
 * A lazily loaded store (src/data/lazy-samples.ts) has read only part of its features, so its hash
 * covers what it read at load (shape, labels, every length, the dev and test features) and says
 * it is lazy; the features of the other samples are checked per task instead: the coordinator
 * sends hashSamples of the lazily read samples a task names, and the worker compares it with its
 * own copy's after reading them. Every feature a task reads is thus compared bit for bit, without
 * reading a client's file before its first contact (sizes or times of files are not content).
 */
import { createHash, type Hash } from 'node:crypto';
import { ensureSamples, lazySamplesOf } from '../data/lazy-samples.js';
import type { FeatureStore, SequenceBlock } from '../data/types.js';

/** Feeds a typed array's exact bytes. */
function feed(hash: Hash, array: ArrayBufferView): void {
  hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

/** Feeds one sequence block (or its absence): every sample's features, or only `samples`'. */
function feedBlock(hash: Hash, name: string, block: SequenceBlock | null, samples?: readonly number[]): void {
  if (block === null) {
    hash.update(`${name}:none;`);
    return;
  }
  hash.update(`${name}:${block.frames}x${block.dims}:${block.data.length}:${block.lengths.length};`);
  if (samples === undefined) feed(hash, block.data);
  else feedSamples(hash, block, samples);
  feed(hash, block.lengths);
}

/** Feeds the features of `samples`, in the order given. */
function feedSamples(hash: Hash, block: SequenceBlock, samples: readonly number[]): void {
  const per = block.frames * block.dims;
  for (const s of samples) feed(hash, block.data.subarray(s * per, (s + 1) * per));
}

/** Hex sha-256 over everything a task can read from `store` (sample keys are labels for messages only). */
export function hashFeatureStore(store: FeatureStore): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ name: store.name, numSamples: store.numSamples, numClasses: store.numClasses, classNames: store.classNames }));
  hash.update(`labels:${store.labels.length};`);
  feed(hash, store.labels);
  const resident = lazySamplesOf(store)?.resident;
  if (resident) hash.update(`lazy:${resident.length};`);
  feedBlock(hash, 'audio', store.audio, resident);
  feedBlock(hash, 'video', store.video, resident);
  return hash.digest('hex');
}

/**
 * Hex sha-256 of the features of the samples of `indices` a lazily loaded store read after load
 * (in the order given; the caller has them read), or null when there are none (an eager store, a
 * task on dev or test samples only): what a task's payload carries for the worker to compare.
 */
export function hashLazySamples(store: FeatureStore, indices: readonly number[]): string | null {
  const lazy = lazySamplesOf(store);
  if (!lazy) return null;
  const samples = indices.filter((i) => !lazy.isResident(i));
  if (samples.length === 0) return null;
  const hash = createHash('sha256');
  hash.update(`samples:${samples.length};`);
  for (const s of samples) hash.update(`${s},`);
  feedSamples(hash, store.audio, samples);
  if (store.video) feedSamples(hash, store.video, samples);
  return hash.digest('hex');
}

/** The sample indices a worker request reads (none for requests without a task naming samples; read defensively, as a request may come off the wire). */
function requestSamples(request: object): readonly number[] {
  const indices = (request as { task?: { sampleIndices?: unknown } }).task?.sampleIndices;
  return Array.isArray(indices) ? (indices as number[]) : [];
}

/**
 * Reads into a lazily loaded `store` the samples `request` names (a no-op when they are in, or the
 * store is eager) and returns their hashLazySamples: what the coordinator sends with a task and a
 * worker compares with its own copy's.
 */
export function readRequestSamples(store: FeatureStore, request: object): string | null {
  const samples = requestSamples(request);
  ensureSamples(store, samples);
  return hashLazySamples(store, samples);
}
