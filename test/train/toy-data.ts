/**
 * A tiny, separable audio-visual FeatureStore and ModelConfig for fast tests: class c raises audio
 * feature dim c and video feature dim c; lengths vary so masks matter.
 */
import { openStream } from '../../src/core/seed-streams.js';
import type { FeatureStore } from '../../src/data/types.js';
import { allocateStore, writeSequence } from '../../src/data/shared-store.js';
import type { ModelConfig } from '../../src/model/model-config.js';
import type { TrainHyper } from '../../src/protocol/trainer.js';

/** Model sizes matching toyStore. */
export const TOY_CONFIG: ModelConfig = {
  numClasses: 3,
  audio: { frames: 16, dims: 4, convChannels: [4, 6], kernelSize: 3, gruUnits: 5 },
  video: { frames: 4, dims: 6, gruUnits: 5 },
  headHidden: 8,
  dropout: 0.1,
};

/** FedMultimodal's local optimiser on the toy data. */
export const TOY_HYPER: TrainHyper = { epochs: 1, batchSize: 8, lr: 0.05, momentum: 0.9, weightDecay: 1e-5, clipNorm: 10 };

/** `n` samples, label i % 3, audio 8..16 frames, video 4 frames (all drawn from stream `seed`). */
export function toyStore(n = 60, seed = 'toy', videoShift = 0): FeatureStore {
  const store = allocateStore({ name: 'toy', numSamples: n, numClasses: 3, audio: { frames: 16, dims: 4 }, video: { frames: 4, dims: 6 } });
  const s = openStream(seed);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    store.labels[i] = c;
    const len = 8 + s.int(9);
    const audio = new Float32Array(len * 4).map((_, j) => s.normal() * 0.5 + (j % 4 === c ? 1.5 : 0));
    writeSequence(store.audio, i, audio, len);
    const video = new Float32Array(4 * 6).map((_, j) => s.normal() * 0.5 + (j % 6 === (c + videoShift) % 6 ? 1 : 0));
    writeSequence(store.video!, i, video, 4);
  }
  return store;
}

/** 0..n-1. */
export function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
