/**
 * Draws one synthetic clip of one modality and writes it into the shared store:
 *   x[t, d] = g · s_c · (mean_c[d] + w · sin(2π (t / P_c + φ)) · motion_c[d]) + clip[d] + frame[t, d]
 * with gain g, random phase φ (a random time shift), random length, per-clip noise `clip` (the same
 * on every frame, so pooling over time cannot average it away: it sets how hard a class is) and
 * per-frame noise `frame`, all times a constant output scale. Each (sample, modality) has its
 * own stream.
 */
import { rng } from '../core/seed-streams.js';
import type { SequenceBlock } from './types.js';
import { writeSequence } from './shared-store.js';
import { fillNormal } from './gaussian-fill.js';
import type { ModalityPrototype } from './synthetic-classes.js';

/** How clips of one modality are drawn. */
export interface ClipRecipe {
  modality: 'audio' | 'video';
  clipNoise: number;
  frameNoise: number;
  temporalWeight: number;
  lengthJitter: number;
  gainJitter: number;
  /** Constant factor applied to every value (1 = none); see expectedEntryVariance. */
  outputScale: number;
}

/** Reusable buffers for one block, so that writing thousands of clips allocates nothing. */
export interface ClipScratch {
  clip: Float32Array;
  values: Float32Array;
}

/** Scratch buffers sized for `block`. */
export function clipScratch(block: SequenceBlock): ClipScratch {
  return { clip: new Float32Array(block.dims), values: new Float32Array(block.frames * block.dims) };
}

/** Draws clip `sample` of class prototype `proto` from stream (seed, 'synthetic', modality, sample). */
export function writeClip(
  block: SequenceBlock,
  sample: number,
  proto: ModalityPrototype,
  recipe: ClipRecipe,
  seed: number | string,
  scratch: ClipScratch,
): void {
  const { frames, dims } = block;
  const stream = rng(seed, 'synthetic', recipe.modality, sample);
  const gain = 1 + recipe.gainJitter * (2 * stream.next() - 1);
  const length = frames - stream.int(Math.floor(recipe.lengthJitter * frames) + 1);
  const phase = stream.next();
  fillNormal(stream, scratch.clip, recipe.clipNoise);
  const values = scratch.values.subarray(0, length * dims);
  fillNormal(stream, values, recipe.frameNoise);
  const amplitude = gain * proto.signal;
  for (let t = 0; t < length; t++) {
    const wave = recipe.temporalWeight * Math.sin(2 * Math.PI * (t / proto.periodFrames + phase));
    const row = t * dims;
    for (let d = 0; d < dims; d++) {
      values[row + d] = recipe.outputScale * (values[row + d] + amplitude * (proto.mean[d] + wave * proto.motion[d]) + scratch.clip[d]);
    }
  }
  writeSequence(block, sample, values, length);
}

/**
 * Variance of one feature entry over the whole dataset (classes equally frequent): prototype and
 * motion entries are N(0, 1), E[sin²] = 1/2, E[g²] = 1 + jitter²/3, plus both noises.
 */
export function expectedEntryVariance(signals: readonly number[], recipe: Omit<ClipRecipe, 'outputScale' | 'modality'>): number {
  const meanSquaredSignal = signals.reduce((s, v) => s + v * v, 0) / signals.length;
  const gain = 1 + (recipe.gainJitter * recipe.gainJitter) / 3;
  const pattern = 1 + (recipe.temporalWeight * recipe.temporalWeight) / 2;
  return gain * meanSquaredSignal * pattern + recipe.clipNoise ** 2 + recipe.frameNoise ** 2;
}
