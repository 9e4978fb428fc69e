/**
 * Built models are cached per (config, kind) inside a thread; a task only sets weights. A worker runs
 * one task at a time (and InlineTrainer queues its tasks), so a cached model is never shared by two
 * running tasks.
 */
import { buildModel, type BuiltModel } from '../model/build-model.js';
import type { ModelConfig, ModelKind } from '../model/model-config.js';

const cache = new Map<string, BuiltModel>();

/** The thread's model of `kind` for `config`, built on first use. */
export function cachedModel(config: ModelConfig, kind: ModelKind): BuiltModel {
  const key = `${kind}|${JSON.stringify(config)}`;
  let built = cache.get(key);
  if (built === undefined) {
    built = buildModel(config, kind);
    cache.set(key, built);
  }
  return built;
}
