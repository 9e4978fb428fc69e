/**
 * Up-front checks that a task fits the FeatureStore and ModelConfig, so bad input fails with the
 * field and value instead of a tfjs shape error or silently reading another sample's rows.
 */
import type { FeatureStore } from '../data/types.js';
import { usesAudio, usesVideo } from '../model/model-kinds.js';
import type { ModelConfig, ModelKind } from '../model/model-config.js';

/**
 * Throws unless the store's feature shapes and class count match what a `kind` model expects
 * (video is not read, so not checked, when it is zeroed).
 */
export function checkStoreFits(store: FeatureStore, config: ModelConfig, kind: ModelKind, zeroVideo = false): void {
  const where = `FeatureStore '${store.name}'`;
  if (store.numClasses !== config.numClasses) {
    throw new Error(`${where}: numClasses = ${store.numClasses} but ModelConfig.numClasses = ${config.numClasses}`);
  }
  if (usesAudio(kind) && (store.audio.frames !== config.audio.frames || store.audio.dims !== config.audio.dims)) {
    throw new Error(
      `${where}: audio is [${store.audio.frames} frames, ${store.audio.dims} dims] but ModelConfig.audio is [${config.audio.frames}, ${config.audio.dims}]`,
    );
  }
  if (usesVideo(kind) && !zeroVideo) {
    if (store.video === null) throw new Error(`${where}: has no video, but a '${kind}' model needs it`);
    if (store.video.frames !== config.video.frames || store.video.dims !== config.video.dims) {
      throw new Error(
        `${where}: video is [${store.video.frames} frames, ${store.video.dims} dims] but ModelConfig.video is [${config.video.frames}, ${config.video.dims}]`,
      );
    }
  }
}

/** Throws unless every index is an integer sample of the store with a label in range. */
export function checkIndices(indices: readonly number[], store: FeatureStore, context: string): void {
  if (indices.length === 0) throw new Error(`${context}: sampleIndices is empty`);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= store.numSamples) {
      throw new Error(
        `${context}: sampleIndices[${i}] = ${index} is not a sample of FeatureStore '${store.name}' (0..${store.numSamples - 1})`,
      );
    }
    const label = store.labels[index];
    if (label < 0 || label >= store.numClasses) {
      throw new Error(`${context}: label of sample ${index} = ${label} is outside 0..${store.numClasses - 1}`);
    }
  }
}
