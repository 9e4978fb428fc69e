/**
 * Per-client missing modalities (FedMultimodal draws missing modality per client: a client without
 * video lacks it for all its samples). Client `id` loses a modality when its own uniform draw from
 * stream (seed, 'missing-video' | 'missing-audio', id) is below the rate. One uniform per client,
 * keyed by id, makes the missing set monotone in the rate — missing(p1) ⊆ missing(p2) for p1 <= p2 —
 * and independent of which other clients exist, so a sweep over rates changes only what it must.
 */
import { ConfigError } from '../core/errors.js';
import { rng } from '../core/seed-streams.js';
import type { ClientData } from './types.js';

/** A modality that can go missing. */
export type MaskedModality = 'audio' | 'video';

/** The uniform in [0, 1) that decides whether client `id` lacks `modality`. */
export function missingDraw(seed: number | string, modality: MaskedModality, id: string): number {
  return rng(seed, `missing-${modality}`, id).next();
}

/** Ids (in input order) of the clients that lack `modality` at `rate` in [0, 1]. */
export function missingClients(ids: readonly string[], rate: number, seed: number | string, modality: MaskedModality): string[] {
  if (!(rate >= 0 && rate <= 1)) {
    throw new ConfigError('modality mask', `${modality}MissingRate`, rate, 'a number in [0, 1]');
  }
  return ids.filter((id) => missingDraw(seed, modality, id) < rate);
}

/** Missing rates per modality. */
export interface MissingRates {
  videoMissingRate: number;
  audioMissingRate?: number;
}

/**
 * Turns partitions into ClientData sorted by id as strings, with hasVideo / hasAudio from the mask.
 * Audio and video are drawn independently: with both rates > 0 a client can lack both, and then
 * holds no usable modality (strategies are expected to skip it).
 */
export function applyModalityMask(
  partitions: ReadonlyArray<{ id: string; indices: readonly number[] }>,
  rates: MissingRates,
  seed: number | string,
): ClientData[] {
  const ids = partitions.map((p) => p.id);
  const noVideo = new Set(missingClients(ids, rates.videoMissingRate, seed, 'video'));
  const noAudio = new Set(missingClients(ids, rates.audioMissingRate ?? 0, seed, 'audio'));
  return partitions
    .map((p) => ({ id: p.id, train: [...p.indices], hasVideo: !noVideo.has(p.id), hasAudio: !noAudio.has(p.id) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
