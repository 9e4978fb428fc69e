/**
 * Piscina worker entry: one FeatureStore and ModelConfig per worker (from workerData), its tfjs
 * backend started at once (the one asked for, else the first of tensorflow → wasm → cpu that
 * starts; the 'ready' answer names it), then one request at a time. A request that fails leaves
 * this worker at once: its error goes to the task's mailbox and the thread exits, so a worker a task may have broken (a wasm heap out of memory
 * corrupts every later task) never serves another; piscina starts a fresh one. Static imports only:
 * relative dynamic import() does not resolve under tsx's loader inside worker threads.
 */
import { Piscina } from 'piscina';
import { initBackend } from '../model/backend.js';
import { runRequest } from './run-request.js';
import { postToMailbox } from './task-mailbox.js';
import { injectFault, startBackendOf } from './worker-faults.js';
import { awaitBarrier, responseBuffers, type PoolTask, type PoolWorkerData, type WorkerResponse } from './worker-protocol.js';

const { backend, faults, startBackends } = Piscina.workerData as PoolWorkerData;
// Started before the data is loaded, a worker gets it with its 'ready' task; a replacement, here.
let { store, config } = Piscina.workerData as PoolWorkerData;
let started = initBackend(startBackendOf(startBackends, backend));

/** Runs a request and moves the result's buffers back to the main thread. */
export default async function handle({ request, mailbox, backend: runBackend, data }: PoolTask): Promise<unknown> {
  if (data) ({ store, config } = data);
  const active = await started;
  if (request.op === 'ready') {
    awaitBarrier(request.barrier, request.workers);
    return active;
  }
  let response: WorkerResponse;
  try {
    // A replacement worker chose on its own: it computes on the run's backend or not at all.
    if (runBackend !== undefined && runBackend !== active) await (started = initBackend(runBackend));
    if (store === undefined || config === undefined) throw new Error('pool worker: no data (started before the data was loaded, and no ready task brought it)');
    injectFault(faults, request);
    response = runRequest(request, store, config); // also posts its compute time for a profile
  } catch (error) {
    if (mailbox) postToMailbox(mailbox, error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  return Piscina.move({
    [Piscina.transferableSymbol]: responseBuffers(request, response),
    [Piscina.valueSymbol]: response,
  } as unknown as ArrayBuffer);
}
