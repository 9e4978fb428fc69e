/**
 * Reads the parity goldens written by scripts/parity/make_parity_golden.py (PyTorch's results for
 * FedMultimodal's models) into engine values: the model config, a FeatureStore of the golden's
 * clips, and weight maps converted from PyTorch's state dicts.
 */
import { readFileSync } from 'node:fs';
import type { WeightMap } from '../../src/core/weights.js';
import { allocateStore, writeSequence } from '../../src/data/shared-store.js';
import type { FeatureStore } from '../../src/data/types.js';
import { fromTorchStateDict, type TorchTensor } from '../../src/model/torch-state-dict.js';
import type { ModelConfig, ModelKind } from '../../src/model/model-config.js';
import type { TrainHyper } from '../../src/protocol/trainer.js';

interface Encoded {
  shape: number[];
  f32: string;
}

/** A golden file as written by the script. */
export interface Golden {
  kind: ModelKind;
  torch: string;
  config: ModelConfig;
  hyper: { lr: number; momentum: number; weightDecay: number; clipNorm: number };
  samples: Array<{ label: number; audio: Encoded; video: Encoded | null }>;
  batches: number[][];
  init: Record<string, Encoded>;
  logits0: Encoded[];
  loss0: number;
  grads0: Record<string, Encoded>;
  losses: number[];
  /** Weights after a step, by step index (the first and the last). */
  afterStep: Record<number, Record<string, Encoded>>;
  dropout: { repeats: number; samples: number[]; batchSize: number; meanLoss: number[]; distance: number[] };
}

/** Decodes a base64 float32 array. */
export function decode(e: Encoded): TorchTensor {
  const bytes = Buffer.from(e.f32, 'base64');
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { shape: e.shape, data };
}

/** Loads test/fixtures/parity/<kind>.json. */
export function loadGolden(kind: ModelKind): Golden {
  return JSON.parse(readFileSync(new URL(`../fixtures/parity/${kind}.json`, import.meta.url), 'utf8')) as Golden;
}

/** A PyTorch state dict of the golden as the engine's weight map. */
export function engineWeights(golden: Golden, dict: Record<string, Encoded>): WeightMap {
  return fromTorchStateDict(golden.kind, Object.fromEntries(Object.entries(dict).map(([k, v]) => [k, decode(v)])));
}

/** The golden's clips in a FeatureStore (zero-padded to the config's frames; a missing video has length 0). */
export function goldenStore(golden: Golden): FeatureStore {
  const { config } = golden;
  const store = allocateStore({
    name: `parity-${golden.kind}`,
    numSamples: golden.samples.length,
    numClasses: config.numClasses,
    audio: { frames: config.audio.frames, dims: config.audio.dims },
    video: { frames: config.video.frames, dims: config.video.dims },
  });
  golden.samples.forEach((s, i) => {
    store.labels[i] = s.label;
    const audio = decode(s.audio);
    writeSequence(store.audio, i, audio.data, audio.shape[0]);
    if (s.video !== null) {
      const video = decode(s.video);
      writeSequence(store.video!, i, video.data, video.shape[0]);
    }
  });
  return store;
}

/** The golden's optimiser settings as a TrainHyper for `epochs` local epochs. */
export function goldenHyper(golden: Golden, epochs: number): TrainHyper {
  return { epochs, batchSize: golden.dropout.batchSize, ...golden.hyper };
}
