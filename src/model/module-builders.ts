/**
 * The FedMultimodal modules as tfjs-layers functional pieces. Every layer is named
 * `<module>.<part>`, so weight keys are `<module>.<part>/<weight>`. Initialisers are zeros here:
 * initial values come from initialWeights (seeded, backend-independent) and are set afterwards.
 */
import * as tf from './tfjs.js';
import type { ModelConfig } from './model-config.js';
import { Conv1dBlock } from './conv1d-block.js';
import { FastGru } from './fast-gru.js';
import { MaskedMeanPool, type MeanDivisor } from './masked-mean-pool.js';
import { SeededDropout, type DropoutControl } from './seeded-dropout.js';
import { poolingOf } from './sequence-masks.js';

/** The mean's divisor under the config's pooling semantics (see sequence-masks.ts). */
function meanDivisor(config: ModelConfig): MeanDivisor {
  return poolingOf(config) === 'fedmultimodal' ? 'batch-longest' : 'own';
}

type Sym = tf.SymbolicTensor;

/** A GRU over the whole sequence, all steps returned (PyTorch-style gates; see fast-gru.ts). */
function gru(name: string, units: number, inputGradient: boolean): tf.Layer {
  return new FastGru({ name, units, inputGradient });
}

/**
 * Audio encoder: per conv block Conv1d(kernelSize, 'same') + ReLU → MaxPool 2 (one fused op) → Dropout, then a GRU
 * over the pooled frames and a masked mean over time. Returns the pooled state [B, gruUnits].
 */
export function audioEncoder(features: Sym, mask: Sym, config: ModelConfig, control: DropoutControl): Sym {
  let h = features;
  config.audio.convChannels.forEach((filters, i) => {
    const n = i + 1;
    // Conv1d + ReLU + MaxPool 2 as one op (see conv1d-block.ts); the first block's input is data.
    // The mask lets each block skip the steps no counted GRU step reads (conv-stack-rows.ts).
    const stack = { index: i, count: config.audio.convChannels.length };
    const block = new Conv1dBlock({ name: `audio.conv${n}`, filters, kernelSize: config.audio.kernelSize, inputGradient: i > 0, stack });
    h = block.apply([h, mask]) as Sym;
    h = new SeededDropout({ name: `audio.drop${n}`, rate: config.dropout, control }).apply(h) as Sym;
  });
  h = gru('audio.gru', config.audio.gruUnits, true).apply(h) as Sym;
  return new MaskedMeanPool({ name: 'audio.mean', divisor: meanDivisor(config) }).apply([h, mask]) as Sym;
}

/** Video encoder: GRU over the frame features, masked mean over time → [B, gruUnits]. */
export function videoEncoder(features: Sym, mask: Sym, config: ModelConfig): Sym {
  // Its input is the raw video features: no gradient needed there.
  const h = gru('video.gru', config.video.gruUnits, false).apply(features) as Sym;
  return new MaskedMeanPool({ name: 'video.mean', divisor: meanDivisor(config) }).apply([h, mask]) as Sym;
}

/** Classifier head `<module>`: Dense(headHidden) + ReLU → Dropout → Dense(numClasses) logits. */
export function classifierHead(module: string, input: Sym, config: ModelConfig, control: DropoutControl): Sym {
  const dense = (name: string, units: number, activation: 'relu' | 'linear') =>
    tf.layers.dense({ name, units, activation, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  let h = dense(`${module}.dense1`, config.headHidden, 'relu').apply(input) as Sym;
  h = new SeededDropout({ name: `${module}.drop1`, rate: config.dropout, control }).apply(h) as Sym;
  return dense(`${module}.out`, config.numClasses, 'linear').apply(h) as Sym;
}

/** Fusion head: concatenated pooled audio and video states → classifier head named `fusion`. */
export function fusionHead(audio: Sym, video: Sym, config: ModelConfig, control: DropoutControl): Sym {
  const joined = tf.layers.concatenate({ name: 'fusion.concat', axis: -1 }).apply([audio, video]) as Sym;
  return classifierHead('fusion', joined, config, control);
}
