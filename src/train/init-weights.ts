/** Fresh seeded weights for the modules of several model kinds. */
import type { WeightMap } from '../core/weights.js';
import { initialWeights } from '../model/initial-weights.js';
import { weightShapes } from '../model/weight-map.js';
import { cachedModel } from './model-cache.js';
import type { ModelConfig, ModelKind } from '../model/model-config.js';

/**
 * Union of the initial weight maps of `models` for `seed`. Each weight is seeded by its own key, so
 * a module shared by two kinds (the audio encoder of 'audio' and 'av') gets one value.
 */
export function initWeights(config: ModelConfig, models: readonly ModelKind[], seed: string): WeightMap {
  const shapes: Record<string, number[]> = {};
  for (const kind of models) Object.assign(shapes, weightShapes(cachedModel(config, kind)));
  return initialWeights(shapes, seed, config.init ?? 'pytorch');
}
