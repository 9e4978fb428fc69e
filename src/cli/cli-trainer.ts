/**
 * The trainer the command-line flags ask for: tfjs on a pool or in this thread, or the fake
 * trainer; with the hidden `--fake-fail <reason>`, every fake training task fails with that reason
 * (how the tests make a run that cannot train).
 */
import type { FeatureStore } from '../data/types.js';
import { createTrainer, startPool, type TrainerChoice } from '../engine/create-trainer.js';
import { FaultInjectingTrainer } from '../testing/fault-injecting-trainer.js';
import type { ModelConfig } from '../model/model-config.js';
import type { Trainer } from '../protocol/trainer.js';
import type { StartingPool } from '../train/pool-trainer.js';
import type { CommonFlags } from './flags.js';

/** What `flags` ask to train with. */
function choiceOf(flags: CommonFlags): TrainerChoice {
  const fake = flags.fakeTrainer === true || flags.fakeFail !== undefined;
  const queue = flags.queue !== undefined ? { url: flags.queue } : undefined;
  return { workers: flags.workers, backend: flags.backend, fake, queue };
}

/** Starts the worker pool `flags` ask for, if any, before the data loads (see startPool). */
function startPoolFromFlags(flags: CommonFlags): Promise<StartingPool | null> {
  return startPool(choiceOf(flags));
}

/**
 * Starts the pool for `flags` and runs `prepare` (loading the data, checking the inputs) while its
 * workers load tfjs; if `prepare` throws, the pool is stopped and the error passed on.
 */
export async function prepareWhilePoolStarts<T>(flags: CommonFlags, prepare: () => T): Promise<{ started: StartingPool | null; prepared: T }> {
  const started = await startPoolFromFlags(flags);
  try {
    return { started, prepared: prepare() };
  } catch (error) {
    await started?.abort();
    throw error;
  }
}

/** Creates the trainer for `flags` (on `started`, the pool startPoolFromFlags started, if given). */
export async function trainerFromFlags(flags: CommonFlags, store: FeatureStore, model: ModelConfig, started: StartingPool | null = null): Promise<Trainer> {
  const trainer = await createTrainer(choiceOf(flags), store, model, started);
  return flags.fakeFail !== undefined ? new FaultInjectingTrainer(trainer, { reason: flags.fakeFail }) : trainer;
}
