/**
 * Where FedMultimodal's scripts put things under their `output/` folder (UCF101 layout, which also
 * fits any dataset processed the same way). `{A}` and `{R}` are Python's `str(float)` without the dot.
 */
import { join, resolve } from 'node:path';

/**
 * FedMultimodal's file tag for a rate or alpha: `str(float(x)).replace('.', '')`, so 0.1 → `01`,
 * 5.0 (or 5) → `50`, 0.25 → `025`. A string is taken as written, minus its dots.
 */
export function dotlessTag(value: number | string): string {
  if (typeof value === 'string') return value.replace(/\./g, '');
  return pythonFloatRepr(value).replace(/\./g, '');
}

/** Python's repr of a float for the values a config can hold (`5.0`, `0.1`, `1e-05`). */
function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    // Python pads the exponent to two digits and keeps the sign: 1e-05, 1e+16.
    const [mantissa, exponent] = x.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** Names of the feature folders (FedMultimodal's `--audio_feat` / `--video_feat`). */
export interface FeatureNames {
  audio: string;
  video: string;
}

/** Paths of one (dataset, alpha, fold) under a FedMultimodal `output/` folder. */
export interface FedMultimodalPaths {
  partition: string;
  audioPickle(group: string): string;
  videoPickle(group: string): string;
  /** The missing-modality simulation file for rate `rate` (`mm{R}_alpha{A}.json`). */
  simulation(rate: number | string): string;
}

/** Builds the paths; `features` defaults to FedMultimodal's UCF101 choice (mfcc, mobilenet_v2). */
export function fedMultimodalPaths(
  outputDir: string,
  dataset: string,
  alpha: number | string,
  fold: number,
  features: FeatureNames = { audio: 'mfcc', video: 'mobilenet_v2' },
): FedMultimodalPaths {
  const root = resolve(outputDir);
  const a = dotlessTag(alpha);
  const foldDir = `fold${fold}`;
  const audioDir = join(root, 'feature', 'audio', features.audio, dataset, `alpha${a}`, foldDir);
  const videoDir = join(root, 'feature', 'video', features.video, dataset, `alpha${a}`, foldDir);
  return {
    partition: join(root, 'partition', dataset, foldDir, `partition_alpha${a}.json`),
    // dev and test features sit beside the clients' (`dev.pkl`, `test.pkl`): the feature scripts
    // write one pickle per key of the partition file, and those keys include "dev" and "test".
    audioPickle: (group) => join(audioDir, `${group}.pkl`),
    videoPickle: (group) => join(videoDir, `${group}.pkl`),
    simulation: (rate) => join(root, 'simulation_feature', dataset, foldDir, `mm${dotlessTag(rate)}_alpha${a}.json`),
  };
}
