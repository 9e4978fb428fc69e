/**
 * Piscina worker entry: one FeatureStore and ModelConfig per worker (from workerData), then one
 * request at a time. Static imports only: relative dynamic import() does not resolve under tsx's
 * loader inside worker threads.
 */
import { Piscina } from 'piscina';
import { initBackend } from '../model/backend.js';
import { runRequest } from './run-request.js';
import { awaitBarrier, responseBuffers, type PoolWorkerData, type WorkerRequest } from './worker-protocol.js';

const { store, config, backend } = Piscina.workerData as PoolWorkerData;
const ready = initBackend(backend);

/** Runs a request and moves the result's buffers back to the main thread. */
export default async function handle(request: WorkerRequest): Promise<unknown> {
  await ready;
  if (request.op === 'ready') {
    awaitBarrier(request.barrier, request.workers);
    return null;
  }
  const response = runRequest(request, store, config);
  return Piscina.move({
    [Piscina.transferableSymbol]: responseBuffers(request, response),
    [Piscina.valueSymbol]: response,
  } as unknown as ArrayBuffer);
}
