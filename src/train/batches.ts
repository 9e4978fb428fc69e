/**
 * Mini-batches: a seeded order per epoch, and rows gathered by index from the shared store into a
 * fresh batch buffer (the store itself is never handed to tfjs).
 */
import * as tf from '../model/tfjs.js';
import { openStream, seedKey } from '../core/seed-streams.js';
import type { FeatureStore } from '../data/types.js';
import { usesAudio, usesVideo } from '../model/model-kinds.js';
import { batchAudioFrames, fillMaskRow, missingVideoSteps, pooledAudioLength, pooledFrames } from '../model/sequence-masks.js';
import type { ModelConfig, ModelKind } from '../model/model-config.js';
import { uploadScratch } from '../model/scratch-arrays.js';

/** One batch in host memory: model inputs in buildModel's order, plus labels. */
export interface HostBatch {
  size: number;
  inputs: Array<{ data: Float32Array; shape: number[] }>;
  labels: Int32Array;
}

/** Sample indices of epoch `epoch` shuffled by the stream (seed, 'order', epoch), cut into batches. */
export function epochBatches(seed: string, epoch: number, indices: readonly number[], batchSize: number): number[][] {
  const order = openStream(seedKey(seed, 'order', epoch)).shuffle(indices);
  return chunk(order, batchSize);
}

/** `items` cut into consecutive pieces of `size` (the last may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batchSize = ${size} must be a positive integer`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Gathers the rows of `indices` for a `kind` model. With `zeroVideo` the video input is all zeros
 * (a missing video, length 0); its mask follows the config's pooling semantics (missingVideoSteps):
 * FedMultimodal's counts the GRU's output over every zero frame, 'per-clip' pools it to zeros.
 * With `reuse` the input arrays are upload scratch (src/model/scratch-arrays.ts): on wasm they are
 * overwritten by the next `reuse` gather, so the batch must be used (uploaded) before that.
 */
export function gatherBatch(
  store: FeatureStore,
  config: ModelConfig,
  kind: ModelKind,
  indices: readonly number[],
  zeroVideo = false,
  labelShift = 0,
  reuse = false,
): HostBatch {
  const size = indices.length;
  const inputs: HostBatch['inputs'] = [];
  const array = (slot: string, length: number) => (reuse ? uploadScratch(slot, length) : new Float32Array(length));
  if (usesAudio(kind)) {
    const { frames: stored, dims, data, lengths } = store.audio;
    // Rows are cut to the batch's padded length (see batchAudioFrames); stored rows are zero-padded.
    const frames = batchAudioFrames(Array.from(indices, (i) => lengths[i]), config);
    const row = frames * dims;
    const steps = pooledFrames(frames, config);
    // Every element of both is written below.
    const features = array('batch.audio', size * row);
    const mask = array('batch.audio-mask', size * steps);
    indices.forEach((index, b) => {
      const from = index * stored * dims;
      features.set(data.subarray(from, from + row), b * row);
      fillMaskRow(mask, b * steps, steps, pooledAudioLength(lengths[index], config));
    });
    inputs.push({ data: features, shape: [size, frames, dims] }, { data: mask, shape: [size, steps] });
  }
  if (usesVideo(kind)) {
    const { frames, dims } = config.video;
    const row = frames * dims;
    const features = array('batch.video', size * row);
    const mask = array('batch.video-mask', size * frames);
    if (!zeroVideo) {
      const { data, lengths } = store.video!;
      indices.forEach((index, b) => {
        features.set(data.subarray(index * row, (index + 1) * row), b * row);
        // A stored clip without video (length 0) is zero-filled like a missing one.
        fillMaskRow(mask, b * frames, frames, lengths[index] > 0 ? lengths[index] : missingVideoSteps(config));
      });
    } else {
      features.fill(0);
      mask.fill(missingVideoSteps(config) > 0 ? 1 : 0);
    }
    inputs.push({ data: features, shape: [size, frames, dims] }, { data: mask, shape: [size, frames] });
  }
  // A label-flipping client (scenario `misbehave`) trains on labels shifted by `labelShift` classes.
  const labels = Int32Array.from(indices, (index) => (store.labels[index] + labelShift) % config.numClasses);
  return { size, inputs, labels };
}

/** The batch's model inputs as tensors (call inside tf.tidy). */
export function inputTensors(batch: HostBatch): tf.Tensor[] {
  return batch.inputs.map(({ data, shape }) => tf.tensor(data, shape, 'float32'));
}

/** One-hot labels [size, numClasses] (call inside tf.tidy). */
export function oneHotLabels(batch: HostBatch, numClasses: number): tf.Tensor2D {
  return tf.oneHot(tf.tensor1d(batch.labels, 'int32'), numClasses).toFloat() as tf.Tensor2D;
}
