/**
 * The models `npm run bench:train` measures, shared with bench/torch_train.py through JSON on its
 * command line: FedMultimodal's UCF101 sizes (DESIGN.md), a 500-frame audio case, and the issue's
 * reference audio model (Conv1d 80→64→64, GRU 64, 50 frames, batch 32).
 */
import { openStream } from '../src/core/seed-streams.js';
import { allocateStore, writeSequence } from '../src/data/shared-store.js';
import type { FeatureStore } from '../src/data/types.js';
import type { ModelConfig, ModelKind } from '../src/model/model-config.js';

/** One benchmark case: a model kind, its sizes, the batch size and how many batches to time. */
export interface SpeedCase {
  name: string;
  kind: ModelKind;
  config: ModelConfig;
  batchSize: number;
  batches: number;
}

/** FedMultimodal's UCF101 model sizes with `frames` audio frames. */
export function fedMultimodalConfig(frames: number): ModelConfig {
  return {
    numClasses: 51,
    audio: { frames, dims: 80, convChannels: [32, 64, 128], kernelSize: 5, gruUnits: 128 },
    video: { frames: 10, dims: 1280, gruUnits: 128 },
    headHidden: 64,
    dropout: 0.1,
  };
}

/** The issue's reference audio model. */
export const ISSUE_CONFIG: ModelConfig = {
  numClasses: 51,
  audio: { frames: 50, dims: 80, convChannels: [64, 64], kernelSize: 5, gruUnits: 64 },
  video: { frames: 10, dims: 1280, gruUnits: 128 },
  headHidden: 64,
  dropout: 0.1,
};

/** Every case, with `batchSize` for the FedMultimodal ones (the issue's case keeps batch 32). */
export function speedCases(batchSize: number, batches: number): SpeedCase[] {
  return [
    { name: 'audio-issue (64/64, GRU 64, 50 fr, batch 32)', kind: 'audio', config: ISSUE_CONFIG, batchSize: 32, batches },
    { name: 'audio (50 frames)', kind: 'audio', config: fedMultimodalConfig(50), batchSize, batches },
    { name: 'audio (500 frames)', kind: 'audio', config: fedMultimodalConfig(500), batchSize, batches: Math.max(1, Math.ceil(batches / 4)) },
    { name: 'video (10 frames)', kind: 'video', config: fedMultimodalConfig(50), batchSize, batches },
    { name: 'av (50 audio frames)', kind: 'av', config: fedMultimodalConfig(50), batchSize, batches },
  ];
}

/** A store of `numSamples` random clips (60–100% of the maximum length) for `config`. */
export function speedStore(config: ModelConfig, numSamples: number, withVideo: boolean): FeatureStore {
  const store = allocateStore({
    name: 'bench/train-speed',
    numSamples,
    numClasses: config.numClasses,
    audio: config.audio,
    video: withVideo ? config.video : null,
  });
  const s = openStream('bench/train-speed/store');
  for (let i = 0; i < numSamples; i++) {
    store.labels[i] = i % config.numClasses;
    const len = Math.max(1, Math.round(config.audio.frames * (0.6 + 0.4 * s.next())));
    writeSequence(store.audio, i, Float32Array.from({ length: len * config.audio.dims }, () => s.normal()), len);
    if (store.video) {
      const vlen = Math.max(1, Math.round(config.video.frames * (0.6 + 0.4 * s.next())));
      writeSequence(store.video, i, Float32Array.from({ length: vlen * config.video.dims }, () => s.normal()), vlen);
    }
  }
  return store;
}
