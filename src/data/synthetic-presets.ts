/**
 * Named parameter sets for the synthetic dataset.
 *
 * Noise levels do not carry over between feature sizes: with N(0, 1) prototype entries the
 * separation of class means grows like sqrt(dims), while the error of a mean estimated from a few
 * dozen clips also grows with dims. The UCF101-sized preset's noise was therefore calibrated by
 * measurement (nearest-class-mean on time-pooled features, `test/data/measure-ucf101-synthetic.ts`)
 * so that each modality lands near the small default's difficulty: audio weak on most classes and
 * strong on the dominant ones, video strong except on the dominant ones.
 */
import { syntheticParamsSchema, type SyntheticParamsInput } from './synthetic-params.js';

/** The defaults, resolved (the small, fast scenario). */
export const smallSyntheticDefaults = syntheticParamsSchema.parse({});

/**
 * UCF101-sized: 51 classes × 137 clips (6,987; FedMultimodal's UCF101 subset with audio has about
 * 6,800), audio [500, 80], video [10, 1280], 100 clients, alpha 0.1 (FedMultimodal's strong skew).
 * About 1.4 GiB of shared memory. `overrides` win over the preset (noise is not rescaled for them).
 */
export function ucf101SizedParams(overrides: SyntheticParamsInput = {}): SyntheticParamsInput {
  return {
    numClasses: 51,
    samplesPerClass: 137,
    audioFrames: 500,
    audioDims: 80,
    videoFrames: 10,
    videoDims: 1280,
    // Audio keeps the small default's per-entry noise (measured to give similar difficulty);
    // video noise is 3.5× the default (1280 vs 32 dims).
    audioClipNoise: smallSyntheticDefaults.audioClipNoise,
    audioFrameNoise: smallSyntheticDefaults.audioFrameNoise,
    videoClipNoise: 7,
    videoFrameNoise: 3.5,
    numClients: 100,
    alpha: 0.1,
    ...overrides,
  };
}
