/**
 * Weights travel as named maps: `<module>.<part>/<weight>` → flat Float32Array.
 * The module is the text before the first dot (`audio`, `audioHead`, `video`, `videoHead`, `fusion`),
 * so per-module aggregation is a prefix selection.
 */

/** A model's weights (or a subset), keyed by `<module>.<part>/<weight>`, values flattened. */
export type WeightMap = Record<string, Float32Array>;

/** Module names used by the FedMultimodal-shaped models. */
export type ModuleName = 'audio' | 'audioHead' | 'video' | 'videoHead' | 'fusion';

/** Returns the module a weight key belongs to (text before the first dot). */
export function moduleOf(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}

/** Keeps only the entries whose module is in `modules`; arrays are shared, not copied. */
export function selectModules(weights: WeightMap, modules: readonly string[]): WeightMap {
  const wanted = new Set(modules);
  const out: WeightMap = {};
  for (const key of Object.keys(weights).sort()) if (wanted.has(moduleOf(key))) out[key] = weights[key];
  return out;
}

/** Deep copy of a weight map (new Float32Arrays), keys in sorted order. */
export function cloneWeights(weights: WeightMap): WeightMap {
  const out: WeightMap = {};
  for (const key of Object.keys(weights).sort()) out[key] = new Float32Array(weights[key]);
  return out;
}

/** Returns `base` with every entry of `update` laid over it (a new map; arrays shared). */
export function mergeWeights(base: WeightMap, update: WeightMap): WeightMap {
  const out: WeightMap = { ...base };
  for (const key of Object.keys(update)) out[key] = update[key];
  return sortKeys(out);
}

/** Same map with keys inserted in sorted order, so iteration and encoding are canonical. */
export function sortKeys(weights: WeightMap): WeightMap {
  const out: WeightMap = {};
  for (const key of Object.keys(weights).sort()) out[key] = weights[key];
  return out;
}
