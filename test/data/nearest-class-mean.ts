/**
 * Test helper (no tfjs): a nearest-class-mean classifier on time-mean-pooled features, used to check
 * that the synthetic data has the intended modality strengths. Audio-visual prediction adds the two
 * modalities' squared distances, each divided by that modality's within-class variance (a naive
 * Gaussian classifier with one shared isotropic variance per modality).
 */
import type { FeatureStore, SequenceBlock } from '../../src/data/types.js';

/** Mean over the valid frames of sample `i`. */
export function pooled(block: SequenceBlock, i: number): Float64Array {
  const out = new Float64Array(block.dims);
  const length = block.lengths[i];
  const base = i * block.frames * block.dims;
  for (let t = 0; t < length; t++) {
    for (let d = 0; d < block.dims; d++) out[d] += block.data[base + t * block.dims + d];
  }
  if (length > 0) for (let d = 0; d < block.dims; d++) out[d] /= length;
  return out;
}

interface ModalityModel {
  means: Float64Array[];
  variance: number;
}

function fit(block: SequenceBlock, labels: Int32Array, train: number[], numClasses: number): ModalityModel {
  const means = Array.from({ length: numClasses }, () => new Float64Array(block.dims));
  const counts = new Array<number>(numClasses).fill(0);
  const feats = train.map((i) => pooled(block, i));
  train.forEach((i, n) => {
    counts[labels[i]]++;
    feats[n].forEach((v, d) => (means[labels[i]][d] += v));
  });
  means.forEach((m, c) => m.forEach((_, d) => (m[d] /= Math.max(1, counts[c]))));
  let sq = 0;
  train.forEach((i, n) => feats[n].forEach((v, d) => (sq += (v - means[labels[i]][d]) ** 2)));
  return { means, variance: sq / (train.length * block.dims) };
}

function distances(model: ModalityModel, x: Float64Array): number[] {
  return model.means.map((m) => m.reduce((s, v, d) => s + (x[d] - v) ** 2, 0) / model.variance);
}

/** Which modalities the classifier may look at. */
export type NcmInput = 'audio' | 'video' | 'both';

/** Per-class accuracy (and overall) of nearest-class-mean fit on `train`, scored on `test`. */
export function ncmAccuracy(store: FeatureStore, train: number[], test: number[], input: NcmInput): { overall: number; perClass: number[] } {
  const audio = fit(store.audio, store.labels, train, store.numClasses);
  const video = fit(store.video!, store.labels, train, store.numClasses);
  const hits = new Array<number>(store.numClasses).fill(0);
  const totals = new Array<number>(store.numClasses).fill(0);
  for (const i of test) {
    const da = input === 'video' ? null : distances(audio, pooled(store.audio, i));
    const dv = input === 'audio' ? null : distances(video, pooled(store.video!, i));
    const score = Array.from({ length: store.numClasses }, (_, c) => (da ? da[c] : 0) + (dv ? dv[c] : 0));
    const predicted = score.indexOf(Math.min(...score));
    totals[store.labels[i]]++;
    if (predicted === store.labels[i]) hits[store.labels[i]]++;
  }
  const perClass = hits.map((h, c) => h / Math.max(1, totals[c]));
  return { overall: hits.reduce((a, b) => a + b, 0) / test.length, perClass };
}

/** Mean of `values` over the classes in `classes`. */
export function meanOver(values: number[], classes: number[]): number {
  return classes.reduce((s, c) => s + values[c], 0) / classes.length;
}
