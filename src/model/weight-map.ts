/**
 * Reading and writing a model's weights as a WeightMap keyed `<layer name>/<weight name>`.
 * Keys come from each variable's originalName with tfjs's uniqueness suffix (`_1`, `_2`…) removed,
 * so a model built twice in one process has the same keys.
 */
import * as tf from './tfjs.js';
import { moduleOf, type WeightMap } from '../core/weights.js';
import type { BuiltModel } from './build-model.js';

/** Weight key of a layer variable: its original name without a trailing `_<n>` uniqueness suffix. */
export function weightKey(variable: tf.LayerVariable): string {
  return variable.originalName.replace(/_\d+$/, '');
}

/** The model's variables by weight key, keys sorted. */
export function variablesByKey(built: BuiltModel): Map<string, tf.Variable> {
  const entries = built.model.weights.map((w) => [weightKey(w), w.read() as tf.Variable] as const);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(entries);
}

/** Copies the model's weights (all, or those of `modules`) into fresh Float32Arrays, keys sorted. */
export function getWeightMap(built: BuiltModel, modules?: readonly string[]): WeightMap {
  const out: WeightMap = {};
  for (const [key, variable] of variablesByKey(built)) {
    if (modules !== undefined && !modules.includes(moduleOf(key))) continue;
    // A copy: never hand out a view of backend memory (the wasm heap), and each array owns its buffer.
    out[key] = (variable.dataSync() as Float32Array).slice();
  }
  return out;
}

/**
 * Writes `weights` into the model. Every model weight must be present with the right length
 * (error names the key); extra keys (other modules) are ignored.
 */
export function setWeightMap(built: BuiltModel, weights: WeightMap): void {
  const variables = variablesByKey(built);
  for (const [key, variable] of variables) {
    const values = weights[key];
    if (values === undefined) {
      throw new Error(`setWeightMap(${built.kind}): weight '${key}' is missing from the weight map`);
    }
    if (!(values instanceof Float32Array) || values.length !== variable.size) {
      const got = values instanceof Float32Array ? `length ${values.length}` : typeof values;
      throw new Error(
        `setWeightMap(${built.kind}): weight '${key}' has ${got}, expected a Float32Array of length ${variable.size} (shape [${variable.shape.join(', ')}])`,
      );
    }
  }
  tf.tidy(() => {
    for (const [key, variable] of variables) {
      // Copied: the cpu backend would otherwise keep a reference to the caller's array.
      variable.assign(tf.tensor(weights[key].slice(), variable.shape, 'float32'));
    }
  });
}

/** Shape of every model weight by key (keys sorted). */
export function weightShapes(built: BuiltModel): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [key, variable] of variablesByKey(built)) out[key] = variable.shape.slice();
  return out;
}
