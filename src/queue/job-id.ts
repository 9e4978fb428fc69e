/**
 * Deterministic BullMQ job ids: `<trainer>.<op>.<task>.<digest>.a<attempt>`. `trainer` digests the
 * data hash, model configuration and backend; `task` is the seed path of a training task (root
 * seed, `train`, client, round, step) or `eval`/`init`; `digest` is the sha-256 of the payload.
 * The same task of the same run always gets the same id, so adding it twice is a no-op; a new
 * attempt (a result that went missing) gets a new id. Ids hold no ':' (BullMQ refuses it).
 */
import { sha256 } from '../core/codec.js';
import type { WorkerRequest } from '../train/worker-protocol.js';

/** The readable middle part of a job id. */
function taskLabel(request: WorkerRequest): string {
  if (request.op === 'train') return request.task.seed;
  if (request.op === 'init') return `${request.seed}/${request.models.join('+')}`;
  if (request.op === 'evaluate') return `${request.task.model}/n${request.task.sampleIndices.length}`;
  return request.op;
}

/** A job id fit for BullMQ (no ':', never an integer). */
export function jobIdFor(trainerTag: string, request: WorkerRequest, payload: Uint8Array, attempt: number): string {
  const label = taskLabel(request).replace(/[^A-Za-z0-9_+-]+/g, '-');
  return `${trainerTag}.${request.op}.${label}.${sha256(payload).slice(0, 16)}.a${attempt}`;
}
