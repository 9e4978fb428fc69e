/**
 * A content hash of a FeatureStore: its shape, class names, labels and every feature and length
 * array, bit for bit. A worker that loaded its own copy of the data computes it and refuses tasks
 * unless it equals the coordinator's (the same data, or no result).
 */
import { createHash, type Hash } from 'node:crypto';
import type { FeatureStore, SequenceBlock } from '../data/types.js';

/** Feeds a typed array's exact bytes. */
function feed(hash: Hash, array: ArrayBufferView): void {
  hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

/** Feeds one sequence block (or its absence). */
function feedBlock(hash: Hash, name: string, block: SequenceBlock | null): void {
  if (block === null) {
    hash.update(`${name}:none;`);
    return;
  }
  hash.update(`${name}:${block.frames}x${block.dims}:${block.data.length}:${block.lengths.length};`);
  feed(hash, block.data);
  feed(hash, block.lengths);
}

/** Hex sha-256 over everything a task can read from `store` (sample keys are labels for messages only). */
export function hashFeatureStore(store: FeatureStore): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ name: store.name, numSamples: store.numSamples, numClasses: store.numClasses, classNames: store.classNames }));
  hash.update(`labels:${store.labels.length};`);
  feed(hash, store.labels);
  feedBlock(hash, 'audio', store.audio);
  feedBlock(hash, 'video', store.video);
  return hash.digest('hex');
}
