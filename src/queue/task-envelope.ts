/**
 * What travels through Redis, msgpack-encoded (src/core/codec.ts): a task payload (the worker
 * request with only the weights its model reads, the model configuration, the data spec, the
 * data's content hash, the run's backend and versions) and a result envelope (the response with
 * the worker's name, backend and versions). The coordinator accepts a result only when its backend
 * and versions are the run's own.
 */
import { decode, encode } from '../core/codec.js';
import type { BackendName } from '../model/backend.js';
import type { ModelConfig } from '../model/model-config.js';
import { movableRequest, type WorkerRequest, type WorkerResponse } from '../train/worker-protocol.js';
import { QueueTaskError } from './queue-errors.js';
import type { TaskDataSpec } from './task-data.js';
import { versionDifferences, type PackageVersions } from './versions.js';

/**
 * Version of this wire format; a worker refuses another. 2: a training task is a generic local step
 * (`kind` names its objective; a teacher travels as `frozen`, its settings as `params`).
 */
export const QUEUE_PROTOCOL = 2;

/** A task as a worker receives it. */
export interface TaskPayload {
  protocol: number;
  request: WorkerRequest;
  config: ModelConfig;
  data: TaskDataSpec;
  /** hashFeatureStore of the coordinator's store. */
  storeHash: string;
  /** Lazily loaded data only: hashLazySamples of the samples the request names (absent when none is lazily read). */
  samplesHash?: string;
  backend: BackendName;
  versions: PackageVersions;
}

/** A worker's answer to a task. */
export interface ResultEnvelope {
  protocol: number;
  /** `host:pid` of the worker process. */
  worker: string;
  backend: string;
  versions: PackageVersions;
  response: WorkerResponse;
}

/** The payload bytes of `request` (only the modules its model reads travel). */
export function encodeTask(request: WorkerRequest, fields: Omit<TaskPayload, 'protocol' | 'request'>): Uint8Array {
  return encode({ protocol: QUEUE_PROTOCOL, request: movableRequest(request).request, ...fields } satisfies TaskPayload);
}

/** Decodes payload bytes; throws a one-line reason for another protocol. */
export function decodeTask(bytes: Uint8Array): TaskPayload {
  const payload = decode<TaskPayload>(bytes);
  if (payload?.protocol !== QUEUE_PROTOCOL) throw new Error(`task protocol ${String(payload?.protocol)} is not this worker's ${QUEUE_PROTOCOL} (update the worker or the coordinator)`);
  return payload;
}

/** The result bytes of a response. */
export function encodeResult(envelope: Omit<ResultEnvelope, 'protocol'>): Uint8Array {
  return encode({ protocol: QUEUE_PROTOCOL, ...envelope } satisfies ResultEnvelope);
}

/**
 * Decodes a result and checks it was computed as the run computes: same protocol, backend and
 * versions. Throws a QueueTaskError naming the job, the worker and the difference otherwise.
 */
export function acceptResult(bytes: Uint8Array, expected: { backend: string; versions: PackageVersions }, jobId: string): WorkerResponse {
  const envelope = decode<ResultEnvelope>(bytes);
  const from = `result of task ${jobId} from worker ${envelope?.worker ?? '(unknown)'}`;
  if (envelope?.protocol !== QUEUE_PROTOCOL) throw new QueueTaskError(`refused ${from}: protocol ${String(envelope?.protocol)} ≠ ${QUEUE_PROTOCOL}`);
  if (envelope.backend !== expected.backend) throw new QueueTaskError(`refused ${from}: computed on backend ${envelope.backend}, the run's backend is ${expected.backend}`);
  const differences = versionDifferences(expected.versions, envelope.versions ?? {});
  if (differences.length > 0) throw new QueueTaskError(`refused ${from}: package versions differ from the run's (${differences.join(', ')})`);
  return envelope.response;
}
