/**
 * Parameters of the built-in synthetic audio-visual dataset and its federation, with defaults
 * that make a small, fast scenario (10 classes × 200 clips, 20 clients). Every field is validated;
 * a bad value throws a ConfigError naming the field, the value and what is allowed.
 * The generative model behind the parameters is described in docs/synthetic-data.md.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

const positiveInt = z.number().int().min(1);
const nonNegative = z.number().finite().min(0);
const fraction = z.number().finite().min(0).max(1);

/** Zod schema of SyntheticParams; every field has a default, unknown fields are rejected. */
export const syntheticParamsSchema = z.strictObject({
  /** Root seed of every stream the generator and the federation use. */
  seed: z.union([z.number().int(), z.string().min(1)]).default(1),
  numClasses: z.number().int().min(2).default(10),
  samplesPerClass: positiveInt.default(200),
  audioFrames: positiveInt.default(40),
  audioDims: positiveInt.default(20),
  videoFrames: positiveInt.default(6),
  videoDims: positiveInt.default(32),
  /** Explicit acoustically dominant classes; when absent, `audioDominantFraction` picks them (seeded). */
  audioDominantClasses: z.array(z.number().int().min(0)).optional(),
  audioDominantFraction: fraction.default(0.2),
  /** Audio signal scale of the other classes is drawn per class, uniform in [min, max]. */
  audioSignalMin: nonNegative.default(0.25),
  audioSignalMax: nonNegative.default(0.55),
  audioSignalDominant: nonNegative.default(1),
  videoSignal: nonNegative.default(1),
  videoSignalDominant: nonNegative.default(0.3),
  /** Per-clip noise (constant over the clip's frames) and per-frame noise, standard deviations per entry. */
  audioClipNoise: nonNegative.default(1.5),
  audioFrameNoise: nonNegative.default(1),
  videoClipNoise: nonNegative.default(2),
  videoFrameNoise: nonNegative.default(1),
  /** Weight of the class's time-varying pattern relative to its static prototype. */
  temporalWeight: nonNegative.default(0.5),
  /** Up to this fraction of the frames is cut off the end of a clip (variable length). */
  lengthJitter: z.number().finite().min(0).max(0.9).default(0.25),
  /** Per-clip gain is uniform in [1 - gainJitter, 1 + gainJitter]. */
  gainJitter: z.number().finite().min(0).max(0.9).default(0.2),
  /** Scale each modality by a constant so its entries have unit variance over the dataset. */
  normalize: z.boolean().default(true),
  /** Federation: clients, Dirichlet label skew, holdout and missing modalities. */
  numClients: positiveInt.default(20),
  alpha: z.number().finite().gt(0).default(0.5),
  minSamplesPerClient: z.number().int().min(0).default(10),
  maxPartitionTries: positiveInt.default(1000),
  testFraction: z.number().finite().min(0).lt(1).default(0.2),
  devFraction: z.number().finite().min(0).lt(1).default(0.2),
  videoMissingRate: fraction.default(0.5),
  audioMissingRate: fraction.default(0),
});

/** Fully resolved parameters (every default filled in). */
export type SyntheticParams = z.output<typeof syntheticParamsSchema>;
/** What a caller may pass: any subset of SyntheticParams. */
export type SyntheticParamsInput = z.input<typeof syntheticParamsSchema>;

/**
 * Fills defaults and validates; `source` names where the values came from (a scenario file, `--set`)
 * and appears in the error. Throws ConfigError on the first bad field.
 */
export function resolveSyntheticParams(input: SyntheticParamsInput = {}, source = 'synthetic'): SyntheticParams {
  const parsed = syntheticParamsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(syntheticParamsSchema.shape).join(', ');
      throw new ConfigError(source, issue.keys[0], (input as Record<string, unknown>)[issue.keys[0]], `unknown field; known fields: ${known}`);
    }
    const field = issue.path.map(String).join('.');
    throw new ConfigError(source, field, valueAt(input, issue.path), issue.message);
  }
  const p = parsed.data;
  if (p.audioSignalMin > p.audioSignalMax) {
    throw new ConfigError(source, 'audioSignalMin', p.audioSignalMin, `must be <= audioSignalMax (${p.audioSignalMax})`);
  }
  if (p.audioDominantClasses) {
    const seen = new Set<number>();
    for (const c of p.audioDominantClasses) {
      if (c >= p.numClasses || seen.has(c)) {
        throw new ConfigError(source, 'audioDominantClasses', p.audioDominantClasses, `distinct class indices in [0, ${p.numClasses - 1}]`);
      }
      seen.add(c);
    }
  }
  if (p.testFraction + p.devFraction * (1 - p.testFraction) >= 1) {
    throw new ConfigError(source, 'devFraction', p.devFraction, `test (${p.testFraction}) and dev together must leave training samples`);
  }
  const trainApprox = Math.floor(p.numClasses * p.samplesPerClass * (1 - p.testFraction) * (1 - p.devFraction));
  if (p.numClients * p.minSamplesPerClient > trainApprox) {
    throw new ConfigError(
      source,
      'numClients',
      p.numClients,
      `${p.numClients} clients × minSamplesPerClient ${p.minSamplesPerClient} exceeds the ~${trainApprox} training samples; ` +
        'lower numClients or minSamplesPerClient, or raise samplesPerClass',
    );
  }
  return p;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
