/**
 * The built-in synthetic audio-visual dataset, a stand-in for FedMultimodal's UCF101 features.
 *
 * Generative model (details and rationale in docs/synthetic-data.md): every class c has, per
 * modality, a static prototype mean_c ~ N(0, I), a motion direction motion_c ~ N(0, I), a period
 * P_c and a signal scale s_c. A clip of class c is, frame by frame,
 *   x[t] = g · s_c · (mean_c + w · sin(2π (t / P_c + φ)) · motion_c) + clip noise + frame noise,
 * with a random gain g, phase φ (time shift) and length. Video has the larger signal scale for most
 * classes; audio for a few "acoustically dominant" classes; audio of the other classes is weak but
 * not useless (its scale is drawn per class from [audioSignalMin, audioSignalMax]). Each modality
 * is then scaled by a constant so that its entries have unit variance over the dataset. Nothing here
 * knows about FL methods: the same clips serve every baseline.
 */
import { allocateStore } from './shared-store.js';
import type { FeatureStore, LoadedDataset } from './types.js';
import { resolveSyntheticParams, type SyntheticParams, type SyntheticParamsInput } from './synthetic-params.js';
import { buildClasses, profileClasses, type ClassProfile } from './synthetic-classes.js';
import { clipScratch, expectedEntryVariance, writeClip, type ClipRecipe } from './synthetic-samples.js';
import { splitTrainDevTest } from './holdout.js';
import { dirichletPartition } from './dirichlet-partition.js';
import { applyModalityMask } from './modality-mask.js';
import { rng, seedKey } from '../core/seed-streams.js';

/** A generated store plus the class structure that produced it. */
export interface SyntheticStore {
  store: FeatureStore;
  /** Which classes are acoustically dominant and how strong each modality is per class. */
  classes: ClassProfile[];
  params: SyntheticParams;
}

/** A synthetic dataset ready for simulation; `classes` and `params` go into summary.json. */
export interface SyntheticDataset extends LoadedDataset {
  classes: ClassProfile[];
  params: SyntheticParams;
}

/**
 * Generates the features of every sample (train, dev and test together) into shared memory.
 * Labels: samplesPerClass clips of each class, in an order shuffled by (seed, 'synthetic', 'order').
 */
export function generateSyntheticStore(input: SyntheticParamsInput = {}, source = 'synthetic'): SyntheticStore {
  const p = resolveSyntheticParams(input, source);
  const classes = buildClasses(p);
  const numSamples = p.numClasses * p.samplesPerClass;
  const store = allocateStore({
    name: 'synthetic',
    numSamples,
    numClasses: p.numClasses,
    classNames: classes.map((k) => k.name),
    audio: { frames: p.audioFrames, dims: p.audioDims },
    video: { frames: p.videoFrames, dims: p.videoDims },
  });
  const ordered = Array.from({ length: numSamples }, (_, i) => i % p.numClasses);
  store.labels.set(rng(p.seed, 'synthetic', 'order').shuffle(ordered));
  const width = String(numSamples - 1).length;
  store.keys = Array.from({ length: numSamples }, (_, i) => `syn-${String(i).padStart(width, '0')}`);
  const shared = { temporalWeight: p.temporalWeight, lengthJitter: p.lengthJitter, gainJitter: p.gainJitter };
  const audioBase = { clipNoise: p.audioClipNoise, frameNoise: p.audioFrameNoise, ...shared };
  const videoBase = { clipNoise: p.videoClipNoise, frameNoise: p.videoFrameNoise, ...shared };
  // Unit variance keeps network inputs well-conditioned at any noise level or size; a constant
  // scale per modality changes nothing about how separable the classes are.
  const scale = (signals: number[], base: typeof audioBase) => {
    const variance = expectedEntryVariance(signals, base);
    return p.normalize && variance > 0 ? 1 / Math.sqrt(variance) : 1;
  };
  const audio: ClipRecipe = { modality: 'audio', ...audioBase, outputScale: scale(classes.map((k) => k.audio.signal), audioBase) };
  const video: ClipRecipe = { modality: 'video', ...videoBase, outputScale: scale(classes.map((k) => k.video.signal), videoBase) };
  const videoBlock = store.video!;
  const audioScratch = clipScratch(store.audio);
  const videoScratch = clipScratch(videoBlock);
  for (let i = 0; i < numSamples; i++) {
    const k = classes[store.labels[i]];
    writeClip(store.audio, i, k.audio, audio, p.seed, audioScratch);
    writeClip(videoBlock, i, k.video, video, p.seed, videoScratch);
  }
  return { store, classes: profileClasses(classes), params: p };
}

/**
 * Generates the store, holds out test and dev (stratified), Dirichlet-partitions the remaining
 * training clips over `numClients` clients and masks modalities per client. Clients are sorted by
 * id as strings. `source` names where the params came from, for error messages.
 */
export function buildSyntheticDataset(input: SyntheticParamsInput = {}, source = 'synthetic'): SyntheticDataset {
  const { store, classes, params: p } = generateSyntheticStore(input, source);
  const all = Array.from({ length: store.numSamples }, (_, i) => i);
  const { train, dev, test } = splitTrainDevTest(store.labels, all, p, p.seed);
  const partitions = dirichletPartition(store.labels, train, p.numClients, p.alpha, seedKey(p.seed, 'partition'), p.minSamplesPerClient, {
    maxTries: p.maxPartitionTries,
    source,
  });
  const clients = applyModalityMask(partitions, p, p.seed);
  return { store, split: { clients, dev, test }, source: 'synthetic', classes, params: p };
}

/** The whole synthetic pipeline under the name the engine uses; same as buildSyntheticDataset. */
export const generateSynthetic: (input?: SyntheticParamsInput, source?: string) => SyntheticDataset = buildSyntheticDataset;
