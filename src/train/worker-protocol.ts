/**
 * What crosses the thread boundary between PoolTrainer and its workers, and how weights are moved:
 * only the modules the model uses are sent, each Float32Array copied once into its own buffer and
 * that buffer transferred (never the caller's arrays: a round's clients share one global weight map).
 */
import { cloneWeights, selectModules, type WeightMap } from '../core/weights.js';
import type { FeatureStore } from '../data/types.js';
import type { BackendName } from '../model/backend.js';
import { modulesOf } from '../model/model-kinds.js';
import type { ModelConfig, ModelKind } from '../model/model-config.js';
import type { EvalResult, EvalTask, TrainResult, TrainTask } from '../protocol/trainer.js';
import type { StartBackendPlan, WorkerFaultPlan } from './worker-faults.js';

/** Sent once per worker via piscina's workerData (the store's SharedArrayBuffers are shared, not copied). */
export interface PoolWorkerData {
  /** Absent in the workers started before the data was loaded: their 'ready' task brings it. */
  store?: FeatureStore;
  config?: ModelConfig;
  /** The backend asked for; absent: each worker starts the first of tensorflow → wasm → cpu it can. */
  backend?: BackendName;
  /** Faults to inject (tests only). */
  faults?: WorkerFaultPlan[];
  /** Backends the first workers start instead (tests only: workers that disagree). */
  startBackends?: StartBackendPlan;
}

/**
 * What the pool posts to a worker: a request, the mailbox its error goes to (see task-mailbox.ts),
 * the data with 'ready' and, once the workers agreed on it, the run's backend (a replacement worker that started another
 * one switches to it, or fails the task).
 */
export interface PoolTask {
  request: WorkerRequest;
  mailbox?: Int32Array;
  backend?: BackendName;
  /** The data, with each worker's 'ready' task (see PoolTrainer.start). */
  data?: { store: FeatureStore; config: ModelConfig };
}

/** One unit of work for a worker (or for the inline trainer). */
export type WorkerRequest =
  | { op: 'train'; task: TrainTask }
  | { op: 'evaluate'; task: EvalTask }
  | { op: 'init'; models: ModelKind[]; seed: string }
  /** Start-up barrier (see awaitBarrier); the worker answers with the backend it started. */
  | { op: 'ready'; barrier: Int32Array; workers: number };

/** The answer to a WorkerRequest, by op. */
export type WorkerResponse = TrainResult | EvalResult | WeightMap | null;

/** The buffers of a weight map (each array owns its buffer after cloneWeights). */
export function weightBuffers(weights: WeightMap): ArrayBuffer[] {
  return Object.keys(weights).map((key) => weights[key].buffer as ArrayBuffer);
}

/** Fresh copies of the entries of `weights` that a `kind` model reads. */
function copyFor(weights: WeightMap, kind: ModelKind): WeightMap {
  return cloneWeights(selectModules(weights, modulesOf(kind)));
}

/** A request whose weight arrays are fresh copies, with the list of their buffers to transfer. */
export function movableRequest(request: WorkerRequest): { request: WorkerRequest; transferList: ArrayBuffer[] } {
  if (request.op === 'init' || request.op === 'ready') return { request, transferList: [] };
  if (request.op === 'evaluate') {
    const weights = copyFor(request.task.weights, request.task.model);
    return { request: { op: 'evaluate', task: { ...request.task, weights } }, transferList: weightBuffers(weights) };
  }
  const task = request.task;
  const weights = copyFor(task.weights, task.model);
  // Frozen weights (a teacher) travel whole: the objective, not this file, knows their model.
  const frozen = task.frozen === undefined ? undefined : cloneWeights(task.frozen);
  return {
    request: { op: 'train', task: { ...task, weights, ...(frozen ? { frozen } : {}) } },
    transferList: [...weightBuffers(weights), ...(frozen ? weightBuffers(frozen) : [])],
  };
}

/** Buffers of a response that can be transferred back (its arrays are freshly made by the worker). */
export function responseBuffers(request: WorkerRequest, response: WorkerResponse): ArrayBuffer[] {
  if (request.op === 'ready') return [];
  if (request.op === 'init') return weightBuffers(response as WeightMap);
  if (request.op === 'evaluate') {
    const result = response as EvalResult;
    return [result.predictions.buffer as ArrayBuffer, result.labels.buffer as ArrayBuffer];
  }
  return weightBuffers((response as TrainResult).weights);
}

/** Shared [arrived, aborted] counters of a start-up barrier. */
export function createBarrier(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Worker side of the start-up barrier: count this worker in, then block until all `workers` have
 * arrived. Each 'ready' task holds its worker, so N tasks land on N distinct workers and the pool
 * starts only when every worker has loaded its backend. No timeout: the main thread aborts the
 * barrier (abortBarrier) if any worker fails to start.
 */
export function awaitBarrier(barrier: Int32Array, workers: number): void {
  Atomics.add(barrier, 0, 1);
  Atomics.notify(barrier, 0);
  for (;;) {
    if (Atomics.load(barrier, 1) !== 0) throw new Error('worker start-up aborted: another worker failed to start');
    const arrived = Atomics.load(barrier, 0);
    if (arrived >= workers) return;
    Atomics.wait(barrier, 0, arrived);
  }
}

/** Main side: releases every worker still waiting at the barrier, with an error. */
export function abortBarrier(barrier: Int32Array): void {
  Atomics.store(barrier, 1, 1);
  Atomics.notify(barrier, 0);
}
