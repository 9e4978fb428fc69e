/**
 * Padding-aware pooling: which time steps of an encoder's output hold real frames.
 *
 * Sequences are zero-padded to a fixed length; the encoders' mean over time divides by the number
 * of real steps (a 0/1 mask input), so padding does not dilute the average. The audio encoder halves
 * the time axis once per conv block (MaxPool 2, 'valid', so odd lengths floor), hence its mask lives
 * at the pooled resolution: a pooled step counts as real when any real frame fell into it
 * (ceil(length / 2^blocks)), capped at the pooled length. Known approximation: the convs and the GRU
 * still run over the padded steps (the GRU runs forward, so real steps never see later padding; a
 * conv at the last real frames sees zeros, exactly as 'same' padding of a truncated clip would).
 */
import type { ModelConfig } from '../train/types.js';

/** Time steps of the audio encoder's GRU: frames halved (floored) once per conv block. */
export function pooledAudioFrames(config: ModelConfig): number {
  let frames = config.audio.frames;
  for (let i = 0; i < config.audio.convChannels.length; i++) frames = Math.floor(frames / 2);
  return frames;
}

/** Real steps at the audio GRU for a clip of `length` frames (0 stays 0: modality absent). */
export function pooledAudioLength(length: number, config: ModelConfig): number {
  if (length <= 0) return 0;
  const divisor = 2 ** config.audio.convChannels.length;
  return Math.min(pooledAudioFrames(config), Math.ceil(length / divisor));
}

/** Writes a 0/1 mask row of `steps` entries at `offset`: ones for the first `real` steps. */
export function fillMaskRow(mask: Float32Array, offset: number, steps: number, real: number): void {
  const ones = Math.max(0, Math.min(steps, real));
  mask.fill(1, offset, offset + ones);
  mask.fill(0, offset + ones, offset + steps);
}
