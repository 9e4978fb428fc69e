/**
 * The trainer the command-line flags ask for: tfjs on a pool or in this thread, or the fake
 * trainer; with the hidden `--fake-fail <reason>`, every fake training task fails with that reason
 * (how the tests make a run that cannot train).
 */
import type { FeatureStore } from '../data/types.js';
import { createTrainer } from '../engine/create-trainer.js';
import { FaultInjectingTrainer } from '../testing/fault-injecting-trainer.js';
import type { ModelConfig } from '../model/model-config.js';
import type { Trainer } from '../protocol/trainer.js';
import type { CommonFlags } from './flags.js';

/** Creates the trainer for `flags`. */
export async function trainerFromFlags(flags: CommonFlags, store: FeatureStore, model: ModelConfig): Promise<Trainer> {
  const fake = flags.fakeTrainer === true || flags.fakeFail !== undefined;
  const queue = flags.queue !== undefined ? { url: flags.queue } : undefined;
  const trainer = await createTrainer({ workers: flags.workers, backend: flags.backend, fake, queue }, store, model);
  return flags.fakeFail !== undefined ? new FaultInjectingTrainer(trainer, { reason: flags.fakeFail }) : trainer;
}
