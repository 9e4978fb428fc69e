/**
 * Builds one model kind from a ModelConfig with the tfjs-layers functional API.
 *
 * Inputs, in this order: audio kinds take [audio features [B, frames, dims], audio mask
 * [B, pooledAudioFrames]]; video kinds take [video features [B, frames, dims], video mask
 * [B, frames]]; 'av' takes the audio pair then the video pair. Output: logits [B, numClasses].
 * Weights start at zero; set them with setWeightMap (initialWeights gives seeded initial values).
 */
import * as tf from './tfjs.js';
import type { ModelConfig, ModelKind } from './model-config.js';
import { modulesOf } from './model-kinds.js';
import { audioEncoder, classifierHead, fusionHead, videoEncoder } from './module-builders.js';
import { createDropoutControl, type DropoutControl } from './seeded-dropout.js';
import { poolingOf, pooledAudioFrames } from './sequence-masks.js';
import { validateModelConfig } from './validate-model-config.js';

/** A built model with the switch its dropout layers read. */
export interface BuiltModel {
  kind: ModelKind;
  config: ModelConfig;
  model: tf.LayersModel;
  /** Set `training` and a per-step `stepKey` before a training forward pass. */
  control: DropoutControl;
}

/** Builds a fresh model of `kind` (weights zero). */
export function buildModel(config: ModelConfig, kind: ModelKind): BuiltModel {
  validateModelConfig(config);
  modulesOf(kind); // rejects an unknown kind with a clear message
  const control = createDropoutControl();
  const inputs: tf.SymbolicTensor[] = [];
  let audio: tf.SymbolicTensor | null = null;
  let video: tf.SymbolicTensor | null = null;
  if (kind === 'audio' || kind === 'av') {
    // FedMultimodal's semantics pad each batch to its own longest clip: the time axis varies.
    const variable = poolingOf(config) === 'fedmultimodal';
    const features = tf.input({ name: 'audio.features', shape: [variable ? null : config.audio.frames, config.audio.dims] });
    const mask = tf.input({ name: 'audio.mask', shape: [variable ? null : pooledAudioFrames(config)] });
    inputs.push(features, mask);
    audio = audioEncoder(features, mask, config, control);
  }
  if (kind === 'video' || kind === 'av') {
    const features = tf.input({ name: 'video.features', shape: [config.video.frames, config.video.dims] });
    const mask = tf.input({ name: 'video.mask', shape: [config.video.frames] });
    inputs.push(features, mask);
    video = videoEncoder(features, mask, config);
  }
  let logits: tf.SymbolicTensor;
  if (kind === 'audio') logits = classifierHead('audioHead', audio!, config, control);
  else if (kind === 'video') logits = classifierHead('videoHead', video!, config, control);
  else logits = fusionHead(audio!, video!, config, control);
  const model = tf.model({ name: `model.${kind}`, inputs, outputs: logits });
  return { kind, config, model, control };
}
