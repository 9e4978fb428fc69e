/**
 * Padding-aware pooling: which time steps of an encoder's output count, and what the mean over time
 * divides by. Sequences are zero-padded to a fixed length and a 0/1 mask input marks the steps that
 * count. The audio encoder halves the time axis once per conv block, so its mask lives at the pooled
 * resolution. The convs and the GRU run over the padded steps too (on wasm the conv blocks skip the
 * steps no counted step reads, conv-stack-rows.ts); the GRU runs forward, so counted steps never see
 * later padding, and a conv at a clip's last frames sees zeros exactly as its own 'same' padding would.
 *
 * Two semantics (ModelConfig.pooling):
 * - 'fedmultimodal' (default), measured against PyTorch (test/model/torch-parity.test.ts): a batch
 *   of audio is cut to its longest clip (collate_fn_padd pads to it, so each MaxPool floors at the
 *   batch's own length: a step that pools a clip's last odd frame exists only if a longer clip
 *   makes room for it), but never below 2^blocks frames (one pooled step); the audio GRU counts floor(length / 2^blocks) steps (at least 1: ConvRNNClassifier's `l[l==0] = 1`), as
 *   pack_padded_sequence does with `len // 8`; the mean divides by the longest counted length in
 *   the batch (torch.mean over pad_packed_sequence's output, whose padding is zeros); a missing video
 *   (zero-filled, length 0) is not packed, so the GRU's output over every zero frame counts.
 * - 'per-clip': a pooled step counts when any real frame fell into it (ceil), each clip divides by
 *   its own count, and a missing video pools to the zero vector.
 */
import type { ModelConfig, SequencePooling } from './model-config.js';

/** The pooling semantics of `config` (default 'fedmultimodal'). */
export function poolingOf(config: ModelConfig): SequencePooling {
  return config.pooling ?? 'fedmultimodal';
}

/** Time steps of the audio encoder's GRU: frames halved (floored) once per conv block. */
export function pooledAudioFrames(config: ModelConfig): number {
  return pooledFrames(config.audio.frames, config);
}

/**
 * Audio frames a batch of clips with these `lengths` is padded to: the longest clip (at least
 * 2^blocks, at most the stored frames) under FedMultimodal's semantics, the stored frames per clip.
 */
export function batchAudioFrames(lengths: readonly number[], config: ModelConfig): number {
  if (poolingOf(config) !== 'fedmultimodal') return config.audio.frames;
  const longest = lengths.reduce((m, l) => Math.max(m, l), 0);
  return Math.min(config.audio.frames, Math.max(2 ** config.audio.convChannels.length, longest));
}

/** Steps after the conv blocks for `frames` input frames (each MaxPool 2 floors). */
export function pooledFrames(frames: number, config: ModelConfig): number {
  let steps = frames;
  for (let i = 0; i < config.audio.convChannels.length; i++) steps = Math.floor(steps / 2);
  return steps;
}

/** Counted steps at the audio GRU for a clip of `length` frames (0 stays 0: modality absent). */
export function pooledAudioLength(length: number, config: ModelConfig): number {
  if (length <= 0) return 0;
  const divisor = 2 ** config.audio.convChannels.length;
  const steps = poolingOf(config) === 'fedmultimodal' ? Math.max(1, Math.floor(length / divisor)) : Math.ceil(length / divisor);
  return Math.min(pooledAudioFrames(config), steps);
}

/** Counted video steps of a zero-filled (missing) video: every frame under FedMultimodal's semantics, none per clip. */
export function missingVideoSteps(config: ModelConfig): number {
  return poolingOf(config) === 'fedmultimodal' ? config.video.frames : 0;
}

/** Writes a 0/1 mask row of `steps` entries at `offset`: ones for the first `real` steps. */
export function fillMaskRow(mask: Float32Array, offset: number, steps: number, real: number): void {
  const ones = Math.max(0, Math.min(steps, real));
  mask.fill(1, offset, offset + ones);
  mask.fill(0, offset + ones, offset + steps);
}
