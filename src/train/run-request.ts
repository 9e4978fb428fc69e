/** Runs one WorkerRequest in the current thread: the shared body of InlineTrainer and the pool worker. */
import { threadId } from 'node:worker_threads';
import type { FeatureStore } from '../data/types.js';
import { initWeights } from './init-weights.js';
import { runEvaluate } from './run-evaluate.js';
import { runLocalStep } from './run-local-step.js';
import type { ModelConfig } from '../model/model-config.js';
import { postTaskTiming } from './task-timing.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';

/**
 * Runs `request` and posts its compute time for a profile (task-timing.ts; `threadId` is 0 on the
 * main thread). The time is a profile's input, never a result's.
 */
export function runRequest(request: WorkerRequest, store: FeatureStore, config: ModelConfig): WorkerResponse {
  const started = performance.now();
  const response = dispatch(request, store, config);
  postTaskTiming(request, performance.now() - started, threadId);
  return response;
}

/** Dispatches `request` to local training (any objective), evaluation or initialisation. */
function dispatch(request: WorkerRequest, store: FeatureStore, config: ModelConfig): WorkerResponse {
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
