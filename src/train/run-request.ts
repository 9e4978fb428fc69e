/** Runs one WorkerRequest in the current thread: the shared body of InlineTrainer and the pool worker. */
import type { FeatureStore } from '../data/types.js';
import { initWeights } from './init-weights.js';
import { runEvaluate } from './run-evaluate.js';
import { runLocalStep } from './run-local-step.js';
import type { ModelConfig } from '../model/model-config.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';

/** Dispatches `request` to local training (any objective), evaluation or initialisation. */
export function runRequest(request: WorkerRequest, store: FeatureStore, config: ModelConfig): WorkerResponse {
  switch (request.op) {
    case 'init':
      return initWeights(config, request.models, request.seed);
    case 'ready':
      return null; // a single thread is ready once it runs
    case 'evaluate':
      return runEvaluate(request.task, store, config);
    case 'train':
      return runLocalStep(request.task, store, config);
    default:
      throw new Error(`runRequest: unknown op ${JSON.stringify((request as { op: unknown }).op)}`);
  }
}
